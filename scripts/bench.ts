// `npm run bench`: load test of Parvis on PostgreSQL with a realistic amount of data, at several sizes.
//
// For each scale (BENCH_SCALES, default 1000,10000 projects; 100000 on demand):
// 1. Creates a fresh database `parvis_bench_<pid>_<projects>` on the local PostgreSQL server
//    (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres, names the server and the
//    administrative database used to create and drop it), applies the migrations and seeds, with
//    set-based SQL, territories, themes, a few people, the public projects, four needs each (the four
//    kinds), their shifts and the search documents (one UPDATE, the expression of refreshSearch); then a
//    signed-in person ("bench-me") with a session (the row holds the SHA-256 of the cookie token, as
//    createSession writes it), BENCH_MY_CONTRIBUTIONS (200) contributions of their own over many
//    projects, and one project they own with 1,000 contributions from 200 other people.
// 2. Builds the app once when build/ is missing or older than the sources, and starts a copy of it
//    (`node index.js`, PARVIS_WORKER=0) on a free port against that database.
// 3. Measures with autocannon (BENCH_CONNECTIONS=10 connections, BENCH_DURATION=5 s per row, after a
//    BENCH_WARMUP=2 s warm-up), all in one run beside /healthz (measured first and last; the reference
//    is their mean, so that a drift of the machine's load shows):
//    - the verdict rows, WITHOUT the page cache (`Cache-Control: no-cache`): /projects plain, with a
//      query for a word that matches about 40 % of the projects (chosen from the data; BENCH_QUERY
//      forces one), with filters (territory + theme + need), page 50, a project page, a territory page,
//      /api/v1/projects plain and with q. Target: ≥ 25 % of /healthz's req/s and p95 < 100 ms;
//    - the signed-in pages (session cookie; never cached): /me, /me/contributions, the management
//      page of the project with 1,000 contributions and its contributions list. Target: p95 < 100 ms;
//    - 200 varied public URLs (queries, filters, pages, projects, territories, API), uncached: req/s,
//      ratio to /healthz and bytes per response (for information);
//    - cached rows as served (the page cache on), for information, and "cached under 5 writes/s"
//      (target ≥ 60 % of /healthz): measureUnderWrites of scripts/bench-writes.ts when that file exists
//      (its pages, quiet then under writes to one project), otherwise the same cached URLs while the
//      small SQL loop below writes one project every 200 ms;
//    - compression: bytes on the wire of /projects and the project page with and without
//      `Accept-Encoding: gzip, br` (for information);
//    - page weight: scripts/weight.ts's measureWeight(baseUrl, paths) when that file exists.
//    Each table is printed with the load average before and after it, and a warning when the machine
//    was busy. Then stops the server (after letting abandoned requests finish).
// 4. Once, at the largest scale of at most 10,000 projects (else the smallest): donations per second
//    through the test payment method (scripts/bench-donations.ts: domain functions in this process),
//    then pgbench's TPC-B-like run on the same server and database; target ≥ 30 % of pgbench's tps.
// 5. Drops that scale's database (also on an error or Ctrl-C) before the next scale.
// When several scales ran, a "flatness" table: each verdict row's ratio to /healthz at each scale, PASS
// when every scale is within ±20 % of the smallest scale's ratio. Everything is written to
// bench-results/latest.json.
//
// A measurement, not a test: exits 0 even when a target is missed (1 only when it could not measure).
// Options (environment): BENCH_SCALES (1000,10000), BENCH_PROJECTS (one scale, e.g. 100000),
// BENCH_DURATION (5 s), BENCH_WARMUP (2 s), BENCH_CONNECTIONS (10), BENCH_QUERY (the ~40 % word),
// BENCH_MY_CONTRIBUTIONS (200), BENCH_DONORS (50), BENCH_DONATIONS=0 (skip donations and pgbench),
// BENCH_PGBENCH (path to pgbench; default: the PATH, then /usr/lib/postgresql/<version>/bin),
// BENCH_DATABASE_URL, BENCH_KEEP_DB=1 (keep the databases for EXPLAIN; printed, drop them by hand).
// docs/performance/bench.md explains how to read the output.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	cpSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync,
	type WriteStream
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDatabase } from '$lib/server/db/client';
import { migrate } from '$lib/server/db/migrate';
import { seedThemes } from '$lib/server/territories';
import { newToken, hashToken } from '$lib/server/platform/tokens';

// ---------------------------------------------------------------------------------------------------
// Settings

const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCALES = scalesFromEnv();
const DURATION_S = intFromEnv('BENCH_DURATION', 5);
const WARMUP_S = intFromEnv('BENCH_WARMUP', 2);
const CONNECTIONS = intFromEnv('BENCH_CONNECTIONS', 10);
const FORCED_QUERY = process.env.BENCH_QUERY || '';
const KEEP_DB = process.env.BENCH_KEEP_DB === '1';
const DONORS = Math.max(intFromEnv('BENCH_DONORS', 50), CONNECTIONS);
const MY_CONTRIBUTIONS = intFromEnv('BENCH_MY_CONTRIBUTIONS', 200);
const TEAM_CONTRIBUTIONS = 1000;
const DONATIONS = process.env.BENCH_DONATIONS !== '0';
/** The scale the donations and pgbench run at: the largest default one present, else the smallest. */
const DONATION_SCALE = SCALES.filter((s) => s <= 10_000).at(-1) ?? SCALES[0];

/** Targets of issue #10. */
const MIN_RATIO = 0.25; // uncached public rows: ≥ 25 % of /healthz's req/s
const MAX_P95_MS = 100; // uncached public rows and signed-in pages
const MIN_CACHED_WRITES_RATIO = 0.6; // cached rows under 5 writes/s
const FLAT_TOLERANCE = 0.2; // ratio at every scale within ±20 % of the smallest scale's
const MIN_DONATION_RATIO = 0.3; // donations/s ≥ 30 % of pgbench tps
const WRITES_PER_SECOND = 5;
const MIX_URLS = 200;

const BUILD = 'build/index.js';
const OUT = 'bench-results';
const SERVER_DIR = join(OUT, `build-${process.pid}`);
const SERVER_LOG = join(OUT, 'bench-server.log');
const STARTUP_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

function intFromEnv(name: string, fallback: number): number {
	const v = Number(process.env[name]);
	return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** BENCH_SCALES (a comma-separated list), else BENCH_PROJECTS (one scale), else 1,000 and 10,000. */
function scalesFromEnv(): number[] {
	const list = (process.env.BENCH_SCALES ?? '')
		.split(',')
		.map((s) => Number(s.trim().replaceAll('_', '')))
		.filter((n) => Number.isInteger(n) && n > 0);
	if (list.length) return [...new Set(list)].sort((a, b) => a - b);
	const one = Number(process.env.BENCH_PROJECTS);
	if (Number.isInteger(one) && one > 0) return [one];
	return [1_000, 10_000];
}

function log(message: string): void {
	console.log(`[bench] ${message}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The URL of another database on the same server. */
function withDatabaseName(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** The URL without its password, for messages. */
function safeUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(invalid URL)';
	}
}

// ---------------------------------------------------------------------------------------------------
// Autocannon (CommonJS, no type declarations: the part of its API used here)

interface AutocannonResult {
	duration: number;
	errors: number;
	timeouts: number;
	non2xx: number;
	requests: { average: number; total: number; sent: number };
	throughput: { average: number; total: number };
	latency: { p50: number; p97_5: number; p99: number; average: number; max: number };
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
	on(
		event: 'response',
		listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void
	): void;
	stop(): void;
}
interface AutocannonOptions {
	url: string | string[];
	connections: number;
	duration: number;
	headers?: Record<string, string>;
	requests?: { method?: string; path: string }[];
	timeout?: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
	options: AutocannonOptions
) => AutocannonInstance;

// ---------------------------------------------------------------------------------------------------
// Seed data: word lists mixed deterministically (hashtext of the row key) by SQL

const FR_SUBJECTS = [
	'Jardin partagé',
	'Atelier vélo',
	'Repair café',
	'Cantine solidaire',
	'Bibliothèque de rue',
	'Ressourcerie',
	'Fresque murale',
	'Compost collectif',
	'Épicerie coopérative',
	'Fête de quartier',
	'Chantier de rénovation',
	'Potager pédagogique',
	'Café associatif',
	'Recyclerie',
	'Verger urbain',
	'Boîte à livres',
	'Ateliers numériques',
	'Aide aux devoirs',
	'Maraude solidaire',
	'Friperie solidaire',
	'Ruches urbaines',
	'Serre collective',
	'Théâtre de rue',
	'Cinéma en plein air',
	'Jardin des enfants',
	'Atelier couture',
	'Grainothèque',
	'Marché paysan',
	'Vélo-école',
	'Jardin de pluie',
	'Habitat participatif',
	'Tiers-lieu culturel'
];
const FR_PLACES = [
	'des Tanneurs',
	'du Plateau',
	'de la Gare',
	'des Lilas',
	'du Vieux-Port',
	'de la Croix-Rousse',
	'des Capucins',
	'de Belleville',
	'du Marais',
	'des Chartrons',
	'de Saint-Michel',
	"de l'Île",
	'du Canal',
	'des Minimes',
	'de Bellecour',
	'du Mirail',
	'des Pentes',
	'de la Butte'
];
const EN_SUBJECTS = [
	'Community garden',
	'Bike repair workshop',
	'Repair café',
	'Community kitchen',
	'Street library',
	'Tool library',
	'Mural painting',
	'Neighbourhood composting',
	'Food co-op',
	'Block party',
	'Urban orchard',
	'Youth coding club',
	'Homework club',
	'Clothing swap',
	'Urban beehives',
	'Shared greenhouse',
	'Outdoor cinema',
	'Seed library',
	"Farmers' market",
	'Rain garden',
	'Tree planting',
	'Skate park renovation'
];
const EN_PLACES = [
	'on Maple Street',
	'in Mile End',
	'by the river',
	'at the old station',
	'in Little Italy',
	'at Parc Lafontaine',
	'on the canal',
	'in Verdun',
	'at the market hall',
	'in the old town',
	'near the harbour',
	'in Saint-Roch'
];
const FR_SUMMARIES = [
	'Un lieu ouvert à tous pour apprendre, réparer et partager au cœur du quartier.',
	'Des habitants se retrouvent chaque semaine pour cultiver ensemble et échanger des savoir-faire.',
	'Nous voulons rendre le quartier plus vivant, plus vert et plus solidaire.',
	'Un projet porté par des voisins pour lutter contre le gaspillage et l’isolement.',
	'Des ateliers gratuits, des rencontres et un coup de main pour celles et ceux qui en ont besoin.',
	'Transformer une friche en espace commun, avec les enfants, les anciens et les associations.',
	'Réparer plutôt que jeter : outils, conseils et bonne humeur.',
	'Une initiative citoyenne pour se nourrir mieux, localement et à petit prix.'
];
const EN_SUMMARIES = [
	'An open place to learn, repair and share in the heart of the neighbourhood.',
	'Neighbours meet every week to grow food together and swap skills.',
	'We want a livelier, greener and kinder neighbourhood.',
	'A project run by neighbours against waste and loneliness.',
	'Free workshops, gatherings and a helping hand for those who need one.',
	'Turning a vacant lot into a common space with children, elders and local groups.',
	'Repair instead of throwing away: tools, advice and good company.'
];
const FR_SENTENCES = [
	'Nous cultivons ensemble des légumes, des fleurs et des plantes aromatiques dans un jardin ouvert à tous.',
	'Le local est prêté par la mairie et nous devons le remettre en état avant l’ouverture.',
	'Chaque samedi matin, des bénévoles accueillent les habitants autour d’un café.',
	'Les enfants de l’école voisine viennent planter et observer les insectes du jardin.',
	'Nous récupérons les invendus du marché pour cuisiner des repas partagés.',
	'Les outils sont prêtés gratuitement ; il suffit de les rapporter la semaine suivante.',
	'Une première tranche de travaux a déjà été réalisée grâce aux dons des voisins.',
	'Nous cherchons des personnes pour tenir les permanences et animer les ateliers.',
	'Le compost du quartier nourrit les bacs du potager et réduit nos déchets.',
	'Les recettes servent à acheter du matériel durable et à payer l’assurance.',
	'Nous travaillons avec le centre social, la maison de quartier et deux associations locales.',
	'La fresque sera peinte avec les jeunes du quartier pendant les vacances scolaires.',
	'Un vélo réparé, c’est un vélo de moins à la déchetterie et un trajet de plus sans voiture.',
	'Les réunions sont ouvertes : chacun peut proposer une idée et s’impliquer à son rythme.'
];
const EN_SENTENCES = [
	'We grow vegetables, flowers and herbs together in a garden open to everyone.',
	'The city lends us the premises and we must renovate them before opening.',
	'Every Saturday morning volunteers welcome residents over coffee.',
	'Children from the nearby school come to plant seeds and watch the insects.',
	'We collect unsold produce from the market to cook shared meals.',
	'Tools are lent for free; just bring them back the following week.',
	'A first phase of work was completed thanks to donations from neighbours.',
	'We are looking for people to staff the opening hours and run workshops.',
	'The neighbourhood compost feeds the vegetable beds and cuts our waste.',
	'Proceeds buy durable equipment and pay for the insurance.',
	'Meetings are open: anyone can suggest an idea and take part at their own pace.'
];
const STREETS = [
	'rue de la République',
	'avenue Jean-Jaurès',
	'rue Victor-Hugo',
	'place du Marché',
	'rue des Écoles',
	'boulevard Voltaire',
	'rue du Moulin',
	'chemin des Vignes'
];
const CARRIERS = [
	'Association Les Voisins Solidaires',
	'Collectif Bien Vivre Ensemble',
	'Les Ami·es du Jardin',
	'Coopérative La Fabrique',
	'Maison de quartier',
	'Centre social Arc-en-ciel',
	'Neighbours United',
	'Green Streets Collective'
];
const MONEY_TITLES = [
	'Achat des outils',
	'Location du local',
	'Matériaux de construction',
	'Assurance et frais',
	'Equipment fund'
];
const VOLUNTEER_TITLES = [
	'Bénévoles pour le chantier',
	'Accueil du samedi',
	'Aide au montage',
	'Permanence du soir',
	'Volunteers for the planting day'
];
const VOLUNTEER_ROLES = ['Jardinier·e', 'Animateur·rice', 'Bricoleur·se', 'Cuisinier·e', 'Greeter'];
const MATERIAL_TITLES = [
	'Bacs en bois',
	'Perceuse-visseuse',
	'Tables pliantes',
	'Terreau',
	'Vélos à réparer',
	'Folding chairs'
];
const MATERIAL_UNITS = ['pièces', 'sacs', 'kg', 'items'];
const EXPERTISE_TITLES = [
	'Conseil juridique',
	'Plan de financement',
	'Conception du site web',
	'Électricité',
	'Graphic design'
];
const EXPERTISE_SKILLS = [
	'Droit associatif',
	'Comptabilité',
	'Développement web',
	'Électricité',
	'Graphisme'
];
const SHIFT_PLACES = ['Devant le local', 'Au jardin', 'Salle polyvalente', 'Main hall'];
const SKILLS = ['bricolage', 'cuisine', 'jardinage', 'accueil', 'peinture', 'gardening'];

/** A SQL array literal of constant strings (from this file: quoted, not user input). */
function sqlArray(values: readonly string[]): string {
	return `ARRAY[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]::text[]`;
}

interface City {
	slug: string;
	fr: string;
	en: string;
	region: string;
	lat: number;
	lng: number;
}
const REGIONS = [
	['ile-de-france', 'Île-de-France', 'Île-de-France'],
	['auvergne-rhone-alpes', 'Auvergne-Rhône-Alpes', 'Auvergne-Rhône-Alpes'],
	['occitanie', 'Occitanie', 'Occitania'],
	['nouvelle-aquitaine', 'Nouvelle-Aquitaine', 'Nouvelle-Aquitaine'],
	['pays-de-la-loire', 'Pays de la Loire', 'Pays de la Loire'],
	['hauts-de-france', 'Hauts-de-France', 'Hauts-de-France'],
	['provence', 'Provence-Alpes-Côte d’Azur', 'Provence-Alpes-Côte d’Azur'],
	['quebec', 'Québec', 'Quebec']
] as const;
const CITIES: City[] = [
	{ slug: 'paris', fr: 'Paris', en: 'Paris', region: 'ile-de-france', lat: 48.8566, lng: 2.3522 },
	{ slug: 'montreuil', fr: 'Montreuil', en: 'Montreuil', region: 'ile-de-france', lat: 48.8638, lng: 2.4485 },
	{ slug: 'lyon', fr: 'Lyon', en: 'Lyon', region: 'auvergne-rhone-alpes', lat: 45.764, lng: 4.8357 },
	{
		slug: 'grenoble',
		fr: 'Grenoble',
		en: 'Grenoble',
		region: 'auvergne-rhone-alpes',
		lat: 45.1885,
		lng: 5.7245
	},
	{ slug: 'toulouse', fr: 'Toulouse', en: 'Toulouse', region: 'occitanie', lat: 43.6047, lng: 1.4442 },
	{
		slug: 'montpellier',
		fr: 'Montpellier',
		en: 'Montpellier',
		region: 'occitanie',
		lat: 43.6108,
		lng: 3.8767
	},
	{
		slug: 'bordeaux',
		fr: 'Bordeaux',
		en: 'Bordeaux',
		region: 'nouvelle-aquitaine',
		lat: 44.8378,
		lng: -0.5792
	},
	{ slug: 'nantes', fr: 'Nantes', en: 'Nantes', region: 'pays-de-la-loire', lat: 47.2184, lng: -1.5536 },
	{ slug: 'lille', fr: 'Lille', en: 'Lille', region: 'hauts-de-france', lat: 50.6292, lng: 3.0573 },
	{ slug: 'marseille', fr: 'Marseille', en: 'Marseille', region: 'provence', lat: 43.2965, lng: 5.3698 },
	{ slug: 'montreal', fr: 'Montréal', en: 'Montreal', region: 'quebec', lat: 45.5017, lng: -73.5673 },
	{ slug: 'quebec-city', fr: 'Québec', en: 'Quebec City', region: 'quebec', lat: 46.8139, lng: -71.208 }
];
const NEIGHBOURHOODS = [
	['centre', 'Centre-ville', 'Downtown', 0, 0],
	['nord', 'Quartiers nord', 'North side', 0.025, 0.005],
	['est', 'Quartiers est', 'East side', -0.005, 0.03]
] as const;

/** Seeds the bench database with set-based statements; returns the number of rows per table. */
async function seed(client: pg.Client, projects: number): Promise<Record<string, number>> {
	const step = async (label: string, text: string, values: unknown[] = []) => {
		const started = Date.now();
		const r = await client.query(text, values);
		log(`  ${label}: ${r.rowCount ?? 0} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	};
	await client.query('SET synchronous_commit = off');
	// h(key): a non-negative deterministic hash; pick(array, key): one element chosen by it.
	await client.query(`CREATE FUNCTION pg_temp.h(key text) RETURNS bigint LANGUAGE sql IMMUTABLE
		AS $$ SELECT hashtext(key)::bigint + 2147483648 $$`);
	await client.query(`CREATE FUNCTION pg_temp.pick(a text[], key text) RETURNS text LANGUAGE sql IMMUTABLE
		AS $$ SELECT a[1 + (pg_temp.h(key) % cardinality(a))::int] $$`);

	await step(
		'regions',
		`INSERT INTO territories (slug, kind, name_fr, name_en, position)
		SELECT slug, 'region', fr, en, ord::int FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(slug, fr, en, ord)`,
		[REGIONS.map((r) => r[0]), REGIONS.map((r) => r[1]), REGIONS.map((r) => r[2])]
	);
	await step(
		'cities',
		`INSERT INTO territories (slug, kind, name_fr, name_en, lat, lng, position, parent_id)
		SELECT c.slug, 'city', c.fr, c.en, c.lat, c.lng, c.ord::int, r.id
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[]) WITH ORDINALITY
			AS c(slug, fr, en, region, lat, lng, ord)
		JOIN territories r ON r.slug = c.region`,
		[
			CITIES.map((c) => c.slug),
			CITIES.map((c) => c.fr),
			CITIES.map((c) => c.en),
			CITIES.map((c) => c.region),
			CITIES.map((c) => c.lat),
			CITIES.map((c) => c.lng)
		]
	);
	await step(
		'neighbourhoods',
		`INSERT INTO territories (slug, kind, name_fr, name_en, lat, lng, position, parent_id)
		SELECT c.slug || '-' || n.slug, 'neighbourhood', c.name_fr || ' – ' || n.fr, c.name_en || ' – ' || n.en,
			c.lat + n.dlat, c.lng + n.dlng, n.ord::int, c.id
		FROM territories c
		CROSS JOIN unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[]) WITH ORDINALITY
			AS n(slug, fr, en, dlat, dlng, ord)
		WHERE c.kind = 'city'`,
		[
			NEIGHBOURHOODS.map((n) => n[0]),
			NEIGHBOURHOODS.map((n) => n[1]),
			NEIGHBOURHOODS.map((n) => n[2]),
			NEIGHBOURHOODS.map((n) => n[3]),
			NEIGHBOURHOODS.map((n) => n[4])
		]
	);
	await step(
		'people',
		`INSERT INTO users (email, display_name, locale, is_admin, email_verified_at)
		SELECT 'bench-' || i || '@example.org', 'Personne ' || i, CASE WHEN i % 3 = 0 THEN 'en' ELSE 'fr' END, i = 1, now()
		FROM generate_series(1, 60) AS i`
	);

	// Public projects: a third in English; spread over the cities and neighbourhoods (a point within a
	// few km of their centre); published over the last two years; most "published", some later states.
	await step(
		'projects',
		`WITH u AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE NOT is_admin),
		t AS (SELECT array_agg(id ORDER BY slug) AS ids, array_agg(lat ORDER BY slug) AS lats,
				array_agg(lng ORDER BY slug) AS lngs, array_agg(name_fr ORDER BY slug) AS names
			FROM territories WHERE lat IS NOT NULL),
		g AS (
			SELECT i, i % 3 = 0 AS en, 1 + (pg_temp.h('t' || i) % cardinality(t.ids))::int AS ti,
				now() - make_interval(days => i % 730, mins => (pg_temp.h('m' || i) % 1440)::int) AS published_at
			FROM generate_series(1, $1::int) AS i, t
		),
		x AS (
			SELECT g.*, t.ids[g.ti] AS territory_id, t.names[g.ti] AS place,
				t.lats[g.ti] + ((pg_temp.h('y' || g.i) % 1000) / 1000.0 - 0.5) * 0.06 AS lat,
				t.lngs[g.ti] + ((pg_temp.h('x' || g.i) % 1000) / 1000.0 - 0.5) * 0.08 AS lng,
				u.ids[1 + (g.i % cardinality(u.ids))] AS owner_id,
				CASE WHEN g.en THEN pg_temp.pick(${sqlArray(EN_SUBJECTS)}, 's' || g.i) || ' ' || pg_temp.pick(${sqlArray(EN_PLACES)}, 'p' || g.i)
					ELSE pg_temp.pick(${sqlArray(FR_SUBJECTS)}, 's' || g.i) || ' ' || pg_temp.pick(${sqlArray(FR_PLACES)}, 'p' || g.i) END AS title,
				CASE WHEN g.en THEN pg_temp.pick(${sqlArray(EN_SUMMARIES)}, 'u' || g.i) ELSE pg_temp.pick(${sqlArray(FR_SUMMARIES)}, 'u' || g.i) END AS summary,
				CASE WHEN g.en THEN pg_temp.pick(${sqlArray(EN_SENTENCES)}, 'd1' || g.i) || ' ' || pg_temp.pick(${sqlArray(EN_SENTENCES)}, 'd2' || g.i)
						|| E'\\n\\n' || pg_temp.pick(${sqlArray(EN_SENTENCES)}, 'd3' || g.i) || ' ' || pg_temp.pick(${sqlArray(EN_SENTENCES)}, 'd4' || g.i)
					ELSE pg_temp.pick(${sqlArray(FR_SENTENCES)}, 'd1' || g.i) || ' ' || pg_temp.pick(${sqlArray(FR_SENTENCES)}, 'd2' || g.i)
						|| E'\\n\\n' || pg_temp.pick(${sqlArray(FR_SENTENCES)}, 'd3' || g.i) || ' ' || pg_temp.pick(${sqlArray(FR_SENTENCES)}, 'd4' || g.i) END AS description
			FROM g, t, u
		)
		INSERT INTO projects (slug, title, summary, description, territory_id, address, lat, lng, legal_form, carrier_name,
			starts_on, ends_on, status, owner_id, submitted_at, published_at, created_at, updated_at)
		SELECT trim(both '-' from regexp_replace(lower(unaccent(x.title)), '[^a-z0-9]+', '-', 'g')) || '-' || x.i,
			x.title, x.summary, x.description, x.territory_id,
			(1 + x.i % 120) || ' ' || pg_temp.pick(${sqlArray(STREETS)}, 'a' || x.i) || ', ' || x.place,
			x.lat, x.lng,
			(ARRAY['association', 'collective_enterprise', 'informal_group', 'company', 'public_body'])[1 + x.i % 5],
			pg_temp.pick(${sqlArray(CARRIERS)}, 'c' || x.i),
			(x.published_at + interval '20 days')::date,
			CASE WHEN x.i % 7 = 0 THEN NULL ELSE (x.published_at + make_interval(days => 60 + (x.i % 300)))::date END,
			CASE x.i % 20 WHEN 0 THEN 'completed' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'funded' WHEN 3 THEN 'not_funded' ELSE 'published' END,
			x.owner_id, x.published_at - interval '3 days', x.published_at, x.published_at - interval '10 days', x.published_at
		FROM x`,
		[projects]
	);
	await step(
		'project members',
		`INSERT INTO project_members (project_id, user_id, role, created_at)
		SELECT id, owner_id, 'owner', created_at FROM projects
		UNION ALL
		SELECT p.id, u.id, 'editor', p.created_at FROM projects p
			JOIN LATERAL (SELECT id FROM users WHERE NOT is_admin AND id <> p.owner_id ORDER BY pg_temp.h(p.id::text || email) LIMIT 1) u ON true
			WHERE pg_temp.h('e' || p.id::text) % 4 = 0`
	);
	await step(
		'project themes',
		`WITH th AS (SELECT array_agg(id ORDER BY position) AS ids FROM themes)
		INSERT INTO project_themes (project_id, theme_id)
		SELECT DISTINCT p.id, th.ids[1 + ((pg_temp.h('a' || p.id::text) + k * (1 + pg_temp.h('b' || p.id::text) % (cardinality(th.ids) - 1))) % cardinality(th.ids))::int]
		FROM projects p, th, generate_series(0, 1) AS k
		WHERE k = 0 OR pg_temp.h('c' || p.id::text) % 2 = 0`
	);
	await step(
		'stages',
		`INSERT INTO stages (project_id, position, name, description, starts_on, ends_on, delivered_at)
		SELECT p.id, s, (ARRAY['Préparation', 'Lancement', 'Ouverture au public'])[s + 1], 'Étape ' || (s + 1),
			p.starts_on + 30 * s, p.starts_on + 30 * s + 29,
			CASE WHEN s = 0 AND p.status <> 'published' THEN p.published_at + interval '40 days' END
		FROM projects p, generate_series(0, 1) AS s`
	);
	await step(
		'needs',
		`INSERT INTO needs (project_id, kind, position, title, description, goal_minor, currency, campaign_model, deadline,
			role, skills, quantity, unit, material_mode, return_by, dropoff, skill, hours, fulfilled, created_at)
		SELECT p.id, k.kind, k.pos,
			CASE k.kind WHEN 'money' THEN pg_temp.pick(${sqlArray(MONEY_TITLES)}, 'n' || p.id::text)
				WHEN 'volunteers' THEN pg_temp.pick(${sqlArray(VOLUNTEER_TITLES)}, 'n' || p.id::text)
				WHEN 'material' THEN pg_temp.pick(${sqlArray(MATERIAL_TITLES)}, 'n' || p.id::text)
				ELSE pg_temp.pick(${sqlArray(EXPERTISE_TITLES)}, 'n' || p.id::text) END,
			'Tout coup de main compte.',
			CASE WHEN k.kind = 'money' THEN (50 + pg_temp.h('g' || p.id::text) % 200) * 10000 END,
			CASE WHEN k.kind = 'money' THEN CASE WHEN p.lng < -30 THEN 'CAD' ELSE 'EUR' END END,
			CASE WHEN k.kind = 'money' THEN CASE WHEN pg_temp.h('cm' || p.id::text) % 2 = 0 THEN 'all_or_nothing' ELSE 'keep_it_all' END END,
			CASE WHEN k.kind = 'money' THEN p.published_at + make_interval(days => 30 + (pg_temp.h('dl' || p.id::text) % 120)::int) END,
			CASE WHEN k.kind = 'volunteers' THEN pg_temp.pick(${sqlArray(VOLUNTEER_ROLES)}, 'r' || p.id::text) END,
			CASE WHEN k.kind = 'volunteers' THEN ARRAY[pg_temp.pick(${sqlArray(SKILLS)}, 'k1' || p.id::text), pg_temp.pick(${sqlArray(SKILLS)}, 'k2' || p.id::text)] END,
			CASE WHEN k.kind = 'material' THEN (5 + pg_temp.h('q' || p.id::text) % 40)::int END,
			CASE WHEN k.kind = 'material' THEN pg_temp.pick(${sqlArray(MATERIAL_UNITS)}, 'un' || p.id::text) END,
			CASE WHEN k.kind = 'material' THEN CASE WHEN pg_temp.h('mm' || p.id::text) % 3 = 0 THEN 'lend' ELSE 'give' END END,
			CASE WHEN k.kind = 'material' AND pg_temp.h('mm' || p.id::text) % 3 = 0 THEN p.ends_on END,
			CASE WHEN k.kind = 'material' THEN 'Au local, le samedi matin' END,
			CASE WHEN k.kind = 'expertise' THEN pg_temp.pick(${sqlArray(EXPERTISE_SKILLS)}, 'sk' || p.id::text) END,
			CASE WHEN k.kind = 'expertise' THEN (2 + pg_temp.h('hr' || p.id::text) % 30)::int END,
			CASE WHEN k.kind = 'material' THEN (pg_temp.h('fm' || p.id::text) % 5)::int
				WHEN k.kind = 'expertise' THEN (pg_temp.h('fe' || p.id::text) % 2)::int ELSE 0 END,
			p.created_at + make_interval(secs => k.pos)
		FROM projects p
		CROSS JOIN (VALUES ('money', 0), ('volunteers', 1), ('material', 2), ('expertise', 3)) AS k(kind, pos)`
	);
	await step(
		'shifts',
		`INSERT INTO shifts (need_id, starts_at, ends_at, place, capacity, taken)
		SELECT n.id, s.at, s.at + interval '3 hours', pg_temp.pick(${sqlArray(SHIFT_PLACES)}, 'pl' || n.id::text), c.capacity,
			(pg_temp.h('tk' || n.id::text || s.k) % (c.capacity + 1))::int
		FROM needs n
		CROSS JOIN LATERAL (SELECT (3 + pg_temp.h('cap' || n.id::text) % 10)::int AS capacity) c
		CROSS JOIN LATERAL (
			SELECT k, date_trunc('day', now()) + make_interval(days => (pg_temp.h('sd' || n.id::text) % 60)::int - 10 + 7 * k, hours => 9) AS at
			FROM generate_series(0, 2) AS k
		) s
		WHERE n.kind = 'volunteers'`
	);
	// The search document of every project at once: the expression of refreshSearch (projects/search.ts).
	await step(
		'search documents',
		`UPDATE projects p SET search_vector =
			setweight(to_tsvector('parvis_fr', p.title), 'A') || setweight(to_tsvector('parvis_en', p.title), 'A') ||
			setweight(to_tsvector('parvis_fr', p.summary), 'B') || setweight(to_tsvector('parvis_en', p.summary), 'B') ||
			setweight(to_tsvector('parvis_fr', coalesce((SELECT string_agg(t.name_fr || ' ' || t.name_en, ' ')
				FROM project_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.project_id = p.id), '')), 'B') ||
			setweight(to_tsvector('parvis_fr', left(p.description, 20000)), 'C') ||
			setweight(to_tsvector('parvis_en', left(p.description, 20000)), 'C') ||
			setweight(to_tsvector('parvis_fr', p.address || ' ' || p.carrier_name), 'C')`
	);
	// The UPDATE left a dead copy of every row: compact the table as a live one would be (autovacuum
	// reuses that space over time), then set the statistics and the visibility map.
	const started = Date.now();
	await client.query('VACUUM FULL projects');
	await client.query('VACUUM ANALYZE');
	log(`  vacuum in ${((Date.now() - started) / 1000).toFixed(1)} s`);

	const counts: Record<string, number> = {};
	for (const table of ['territories', 'users', 'projects', 'project_themes', 'stages', 'needs', 'shifts']) {
		const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
		counts[table] = r.rows[0].n;
	}
	return counts;
}

// ---------------------------------------------------------------------------------------------------
// Signed-in data: one person with a session, their own contributions, and a project they own with
// 1,000 contributions.

interface SignedIn {
	/** The session cookie's value (the table holds its hash). */
	token: string;
	/** The project the person owns, with TEAM_CONTRIBUTIONS contributions. */
	managedSlug: string;
	myContributions: number;
	teamContributions: number;
}

async function seedSignedIn(client: pg.Client): Promise<SignedIn> {
	const started = Date.now();
	const me = await client.query<{ id: string }>(
		`INSERT INTO users (email, display_name, locale, email_verified_at, bio, skills)
		VALUES ('bench-me@example.org', 'Camille Bench', 'fr', now(), 'Bénévole du quartier.', ARRAY['jardinage', 'cuisine'])
		RETURNING id`
	);
	const meId = me.rows[0].id;
	await client.query(
		`INSERT INTO users (email, display_name, locale, email_verified_at)
		SELECT 'bench-contributor-' || lpad(i::text, 3, '0') || '@example.org', 'Contributeur ' || i, CASE WHEN i % 3 = 0 THEN 'en' ELSE 'fr' END, now()
		FROM generate_series(1, 200) AS i`
	);
	await client.query(
		`INSERT INTO user_interests (user_id, theme_id) SELECT $1, id FROM themes ORDER BY position LIMIT 3`,
		[meId]
	);
	// The managed project: the oldest published one (the donations use the newest), now the person's.
	const managed = await client.query<{ id: string; slug: string }>(
		`SELECT id, slug FROM projects WHERE status = 'published' ORDER BY published_at, id LIMIT 1`
	);
	const { id: managedId, slug: managedSlug } = managed.rows[0];
	await client.query(`DELETE FROM project_members WHERE project_id = $1`, [managedId]);
	await client.query(`UPDATE projects SET owner_id = $2 WHERE id = $1`, [managedId, meId]);
	await client.query(`INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, 'owner')`, [
		managedId,
		meId
	]);
	// 1,000 contributions to it: 400 gifts of money, 300 sign-ups over its 3 shifts, 200 material, 100 expertise.
	const team = await client.query(
		`WITH c AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE email LIKE 'bench-contributor-%'),
		sh AS (SELECT array_agg(s.id ORDER BY s.starts_at, s.id) AS ids FROM shifts s JOIN needs n ON n.id = s.need_id
			WHERE n.project_id = $1 AND n.kind = 'volunteers'),
		g AS (SELECT i, CASE WHEN i <= 400 THEN 'money' WHEN i <= 700 THEN 'volunteers' WHEN i <= 900 THEN 'material'
			ELSE 'expertise' END AS kind FROM generate_series(1, $2::int) AS i)
		INSERT INTO contributions (project_id, need_id, kind, contributor_id, status, shift_id, hours_counted, quantity,
			material_mode, hours, amount_minor, tip_minor, currency, payment_method, anonymous, message, created_at, updated_at)
		SELECT $1, n.id, g.kind,
			CASE WHEN g.kind = 'volunteers' THEN c.ids[1 + (g.i - 401) % 100] ELSE c.ids[1 + g.i % cardinality(c.ids)] END,
			CASE g.kind
				WHEN 'money' THEN CASE g.i % 10 WHEN 0 THEN 'pending' WHEN 1 THEN 'refunded' ELSE 'succeeded' END
				WHEN 'volunteers' THEN (ARRAY['signed_up', 'attended', 'absent'])[1 + g.i % 3]
				WHEN 'material' THEN (ARRAY['pledged', 'received', 'returned'])[1 + g.i % 3]
				ELSE (ARRAY['offered', 'accepted', 'delivered', 'declined'])[1 + g.i % 4] END,
			CASE WHEN g.kind = 'volunteers' THEN sh.ids[1 + (g.i - 401) / 100] END,
			CASE WHEN g.kind = 'volunteers' AND g.i % 3 = 1 THEN 3 END,
			CASE WHEN g.kind = 'material' THEN 1 + g.i % 5 END,
			CASE WHEN g.kind = 'material' THEN 'give' END,
			CASE WHEN g.kind = 'expertise' THEN 1 + g.i % 8 END,
			CASE WHEN g.kind = 'money' THEN (1 + g.i % 20) * 500 END,
			CASE WHEN g.kind = 'money' THEN CASE WHEN g.i % 3 = 0 THEN 200 ELSE 0 END END,
			CASE WHEN g.kind = 'money' THEN n.currency END,
			CASE WHEN g.kind = 'money' THEN CASE WHEN g.i % 10 = 0 THEN 'offline' ELSE 'test' END END,
			g.kind = 'money' AND g.i % 7 = 0,
			CASE WHEN g.i % 5 = 0 THEN 'Bravo pour ce projet, à bientôt !' ELSE '' END,
			now() - make_interval(hours => g.i), now() - make_interval(hours => g.i)
		FROM g CROSS JOIN c CROSS JOIN sh JOIN needs n ON n.project_id = $1 AND n.kind = g.kind AND n.position < 4`,
		[managedId, TEAM_CONTRIBUTIONS]
	);
	// The person's own contributions, spread over many projects: 60 % money, 20 % sign-ups, 20 % material.
	const mine = await client.query(
		`WITH p AS (SELECT id, row_number() OVER (ORDER BY published_at DESC, id) AS r FROM projects
			WHERE status = 'published' AND id <> $2),
		g AS (SELECT i, CASE WHEN i % 5 < 3 THEN 'money' WHEN i % 5 = 3 THEN 'volunteers' ELSE 'material' END AS kind
			FROM generate_series(1, $3::int) AS i)
		INSERT INTO contributions (project_id, need_id, kind, contributor_id, status, shift_id, quantity, material_mode,
			amount_minor, tip_minor, currency, payment_method, created_at, updated_at)
		SELECT p.id, n.id, g.kind, $1,
			CASE g.kind WHEN 'money' THEN 'succeeded' WHEN 'volunteers' THEN 'signed_up' ELSE 'pledged' END,
			(SELECT s.id FROM shifts s WHERE s.need_id = n.id ORDER BY s.starts_at LIMIT 1),
			CASE WHEN g.kind = 'material' THEN 2 END,
			CASE WHEN g.kind = 'material' THEN 'give' END,
			CASE WHEN g.kind = 'money' THEN 1000 + (g.i % 9) * 500 END,
			CASE WHEN g.kind = 'money' THEN 100 END,
			CASE WHEN g.kind = 'money' THEN n.currency END,
			CASE WHEN g.kind = 'money' THEN 'test' END,
			now() - make_interval(days => g.i), now() - make_interval(days => g.i)
		FROM g JOIN p ON p.r = g.i JOIN needs n ON n.project_id = p.id AND n.kind = g.kind AND n.position < 4`,
		[meId, managedId, MY_CONTRIBUTIONS]
	);
	const token = newToken();
	await client.query(
		`INSERT INTO sessions (id, user_id, expires_at, user_agent) VALUES ($1, $2, now() + interval '30 days', 'npm run bench')`,
		[hashToken(token), meId]
	);
	await client.query('ANALYZE users, contributions, project_members, sessions, user_interests');
	log(
		`  signed-in person: ${mine.rowCount} contributions of their own, ${team.rowCount} to /projects/${managedSlug}, ` +
			`in ${((Date.now() - started) / 1000).toFixed(1)} s`
	);
	return {
		token,
		managedSlug,
		myContributions: mine.rowCount ?? 0,
		teamContributions: team.rowCount ?? 0
	};
}

/**
 * The word searched for in the verdict rows: the candidate whose matches are nearest 40 % of the public
 * projects, counted with the expression of searchQuery (projects/search.ts: French and English stems,
 * prefix match). BENCH_QUERY forces a word.
 */
async function chooseQuery(client: pg.Client): Promise<{ word: string; share: number }> {
	const candidates = FORCED_QUERY
		? [FORCED_QUERY]
		: [
				'jardin',
				'quartier',
				'solidaire',
				'atelier',
				'voisins',
				'ensemble',
				'local',
				'association',
				'habitants',
				'enfants',
				'neighbourhood',
				'community',
				'garden',
				'repair',
				'partager',
				'ouvert'
			];
	const r = await client.query<{ word: string; share: number }>(
		`SELECT w AS word, (SELECT count(*) FROM projects p WHERE p.search_vector @@ to_tsquery('simple',
				(SELECT string_agg(quote_literal(l) || ':*', ' | ')
				FROM unnest(tsvector_to_array(to_tsvector('parvis_fr', w)) || tsvector_to_array(to_tsvector('parvis_en', w))) AS l)))::float8
			/ greatest(1, (SELECT count(*) FROM projects))::float8 AS share
		FROM unnest($1::text[]) AS w`,
		[candidates]
	);
	r.rows.sort((a, b) => Math.abs(a.share - 0.4) - Math.abs(b.share - 0.4));
	return r.rows[0] ?? { word: candidates[0], share: NaN };
}

/** What the varied-URL mix and the rows need from the data. */
interface Samples {
	slug: string;
	slugs: string[];
	territory: string;
	territories: string[];
	theme: string;
	themes: string[];
	/** The project written to during "cached under 5 writes/s" (not on a measured page). */
	writtenId: string;
	publicProjects: number;
}

async function samples(client: pg.Client, managedSlug: string): Promise<Samples> {
	const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
		(await client.query<T>(text, values)).rows;
	const sample = (
		await q<{ slug: string }>(
			`SELECT slug FROM projects WHERE status = 'published' AND slug <> $1 ORDER BY md5(slug) LIMIT 60`,
			[managedSlug]
		)
	).map((r) => r.slug);
	const main = await q<{ slug: string }>(
		`SELECT slug FROM projects WHERE status = 'published' ORDER BY published_at DESC, id LIMIT 1 OFFSET 41`
	);
	const territories = (
		await q<{ slug: string }>(`SELECT slug FROM territories WHERE kind = 'city' ORDER BY position, slug`)
	).map((r) => r.slug);
	const neighbourhoods = (
		await q<{ slug: string }>(`SELECT slug FROM territories WHERE kind = 'neighbourhood' ORDER BY slug`)
	).map((r) => r.slug);
	const themes = (await q<{ slug: string }>(`SELECT slug FROM themes ORDER BY position`)).map((r) => r.slug);
	const territory = territories.includes('lyon') ? 'lyon' : territories[0];
	// Written to: an old project outside the measured territory, not the measured project page.
	const written = await q<{ id: string }>(
		`SELECT p.id FROM projects p JOIN territories t ON t.id = p.territory_id
		WHERE p.status = 'published' AND p.slug <> $1 AND p.slug <> $2 AND t.slug NOT LIKE $3 || '%'
		ORDER BY p.published_at, p.id LIMIT 1 OFFSET 5`,
		[main[0].slug, managedSlug, territory]
	);
	const count = await q<{ n: number }>(
		`SELECT count(*)::int AS n FROM projects WHERE status IN ('published', 'funded', 'not_funded', 'in_progress', 'completed')`
	);
	return {
		slug: main[0].slug,
		slugs: sample,
		territory,
		territories: [...territories, ...neighbourhoods],
		theme: themes[0],
		themes,
		writtenId: written[0].id,
		publicProjects: count[0].n
	};
}

/** 200 varied public URLs: queries, filter combinations, pages, project and territory pages, the API. */
function mixUrls(s: Samples): string[] {
	let state = 20261203;
	const rnd = (n: number) => {
		state = (Math.imul(state, 1103515245) + 12345) >>> 0;
		return state % n;
	};
	const pick = <T>(a: readonly T[]) => a[rnd(a.length)];
	const words = [
		'jardin',
		'velo',
		'repair',
		'quartier',
		'cuisine',
		'compost',
		'garden',
		'livres',
		'fresque',
		'marche',
		'solidaire',
		'atelier',
		'ruches',
		'cinema',
		'verger',
		'friperie',
		'jardin partage',
		'community kitchen',
		'tanneurs',
		'belleville'
	];
	const needs = ['money', 'volunteers', 'material', 'expertise'];
	const sorts = ['newest', 'ending_soon'];
	const pages = Math.max(1, Math.floor(s.publicProjects / 20));
	const urls: string[] = [];
	const qs = (o: Record<string, string | number | undefined>) =>
		new URLSearchParams(
			Object.entries(o)
				.filter(([, v]) => v !== undefined)
				.map(([k, v]) => [k, String(v)])
		).toString();
	for (let i = 0; urls.length < MIX_URLS; i++) {
		switch (i % 10) {
			case 0:
			case 1:
				urls.push(`/projects?${qs({ q: pick(words), page: rnd(3) === 0 ? 2 : undefined })}`);
				break;
			case 2:
			case 3:
				urls.push(
					`/projects?${qs({
						territory: pick(s.territories),
						theme: rnd(2) ? pick(s.themes) : undefined,
						need: rnd(2) ? pick(needs) : undefined,
						sort: rnd(3) === 0 ? pick(sorts) : undefined
					})}`
				);
				break;
			case 4:
				urls.push(`/projects?${qs({ page: 1 + rnd(pages) })}`);
				break;
			case 5:
			case 6:
				urls.push(`/projects/${pick(s.slugs)}`);
				break;
			case 7:
				urls.push(`/territories/${pick(s.territories)}`);
				break;
			case 8:
				urls.push(
					`/api/v1/projects?${qs({ q: rnd(2) ? pick(words) : undefined, page: 1 + rnd(Math.min(pages, 20)) })}`
				);
				break;
			default:
				urls.push(`/api/v1/projects?${qs({ territory: pick(s.territories), need: pick(needs) })}`);
		}
	}
	return urls;
}

// ---------------------------------------------------------------------------------------------------
// Build and server

function newestMtime(path: string): number {
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let newest = s.mtimeMs;
	for (const entry of readdirSync(path)) {
		if (entry === 'paraglide') continue; // generated by the build itself
		newest = Math.max(newest, newestMtime(join(path, entry)));
	}
	return newest;
}

function needsBuild(): boolean {
	if (!existsSync(BUILD)) return true;
	const built = statSync(BUILD).mtimeMs;
	const sources = [
		'src',
		'messages',
		'static',
		'project.inlang',
		'svelte.config.js',
		'vite.config.ts',
		'package-lock.json'
	];
	return sources.some((p) => existsSync(p) && newestMtime(p) > built);
}

/** Builds when needed; a concurrent build elsewhere can make one attempt fail, so it retries twice. */
async function buildIfNeeded(): Promise<void> {
	if (!needsBuild()) {
		log('build/ is up to date');
		return;
	}
	for (let attempt = 1; ; attempt++) {
		log(`building the app (vite build)${attempt > 1 ? `, attempt ${attempt}` : ''}…`);
		const started = Date.now();
		const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'inherit' });
		if (r.status === 0) {
			log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
			return;
		}
		if (attempt >= 3) throw new Error(`the build failed (exit ${r.status ?? r.signal})`);
		log('the build failed (another build running at the same time?): retrying in 30 s');
		await sleep(30_000);
	}
}

function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as AddressInfo;
			srv.close(() => resolvePort(port));
		});
	});
}

function exited(server: ChildProcess): boolean {
	return server.exitCode !== null || server.signalCode !== null;
}

async function waitForHealth(baseUrl: string, server: ChildProcess): Promise<void> {
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	let last = 'no answer';
	while (Date.now() < deadline) {
		if (exited(server))
			throw new Error(
				`the server exited during start-up (code ${server.exitCode}, signal ${server.signalCode})`
			);
		try {
			const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
			if (res.ok) return;
			last = `HTTP ${res.status}`;
		} catch (e) {
			last = ((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message) || 'error';
		}
		await sleep(300);
	}
	throw new Error(`/healthz did not answer within ${STARTUP_TIMEOUT_MS / 1000} s (last: ${last})`);
}

function stopServer(server: ChildProcess): Promise<void> {
	return new Promise((done) => {
		if (exited(server)) return done();
		const killTimer = setTimeout(() => {
			log(`the server did not stop within ${STOP_GRACE_MS / 1000} s: SIGKILL`);
			server.kill('SIGKILL');
		}, STOP_GRACE_MS);
		server.once('exit', () => {
			clearTimeout(killTimer);
			done();
		});
		server.kill('SIGTERM');
	});
}

function printServerLogTail(): void {
	try {
		const lines = readFileSync(SERVER_LOG, 'utf8').trimEnd().split('\n');
		console.log(`[bench] last lines of ${SERVER_LOG}:`);
		for (const line of lines.slice(-30)) console.log(`  | ${line}`);
	} catch {
		/* no log */
	}
}

// ---------------------------------------------------------------------------------------------------
// Measurement

type Kind =
	| 'reference' // /healthz
	| 'verdict' // uncached public: ≥ MIN_RATIO of /healthz and p95 < MAX_P95_MS
	| 'signed-in' // p95 < MAX_P95_MS
	| 'mix' // the varied URLs, uncached: for information
	| 'cached' // as served, for information
	| 'cached-writes'; // as served under WRITES_PER_SECOND writes: ≥ MIN_CACHED_WRITES_RATIO of /healthz

interface Measure {
	route: string;
	path: string;
	kind: Kind;
	rps: number;
	requests: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	errors: number;
	non2xx: number;
	/** Mean bytes of a response as received (headers included, no compression asked). */
	bytesPerResponse: number;
	/** Filled by verdict(): ratio to the reference /healthz, and PASS/FAIL with the reasons. */
	ratio?: number;
	verdict?: string;
	note?: string;
}

let running: AutocannonInstance | undefined;

/** The q-th quantile (0..1) of sorted values (nearest rank). */
function quantile(sorted: number[], q: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const BASE_HEADERS = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' };
const NO_CACHE = { 'cache-control': 'no-cache' };

async function cannon(
	baseUrl: string,
	paths: string[],
	seconds: number,
	headers: Record<string, string> = {},
	onResponse?: (ms: number, bytes: number, status: number) => void
) {
	const instance = autocannon({
		url: baseUrl,
		connections: CONNECTIONS,
		duration: seconds,
		timeout: 10,
		headers: { ...BASE_HEADERS, ...headers },
		// One path: every request; several: each connection goes through them in turn.
		requests: paths.map((path) => ({ method: 'GET', path }))
	});
	running = instance;
	if (onResponse)
		instance.on('response', (_client, status, resBytes, responseTime) =>
			onResponse(responseTime, resBytes, status)
		);
	try {
		return await instance;
	} finally {
		running = undefined;
	}
}

async function measure(
	baseUrl: string,
	route: string,
	paths: string | string[],
	kind: Kind,
	headers: Record<string, string> = {}
): Promise<Measure> {
	const list = Array.isArray(paths) ? paths : [paths];
	const times: number[] = [];
	let bytes = 0;
	const r = await cannon(baseUrl, list, DURATION_S, headers, (ms, b) => {
		times.push(ms);
		bytes += b;
	});
	times.sort((a, b) => a - b);
	const m: Measure = {
		route,
		path: list.length === 1 ? list[0] : `${list.length} URLs`,
		kind,
		rps: r.requests.average,
		requests: r.requests.total,
		p50: quantile(times, 0.5),
		p95: quantile(times, 0.95),
		p99: quantile(times, 0.99),
		max: times.length ? times[times.length - 1] : NaN,
		errors: r.errors + r.timeouts,
		non2xx: r.non2xx,
		bytesPerResponse: times.length ? bytes / times.length : NaN
	};
	log(
		`  ${route.padEnd(34)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms` +
			(m.errors || m.non2xx ? `  (${m.errors} errors, ${m.non2xx} non-2xx)` : '')
	);
	return m;
}

/** Sets ratio and verdict of each row against the reference req/s. */
function judge(rows: Measure[], referenceRps: number): void {
	for (const r of rows) {
		r.ratio = referenceRps > 0 ? r.rps / referenceRps : NaN;
		const problems: string[] = [];
		if (r.errors || r.non2xx) problems.push(`${r.errors + r.non2xx} failed requests`);
		if (!(r.rps > 0))
			problems.push('no response in the window (machine overloaded? a longer BENCH_DURATION)');
		if (r.kind === 'verdict' && !(r.ratio >= MIN_RATIO))
			problems.push(`req/s < ${MIN_RATIO * 100} % of /healthz`);
		if ((r.kind === 'verdict' || r.kind === 'signed-in') && !(r.p95 < MAX_P95_MS))
			problems.push(`p95 ≥ ${MAX_P95_MS} ms`);
		if (r.kind === 'cached-writes' && !(r.ratio >= MIN_CACHED_WRITES_RATIO))
			problems.push(`req/s < ${MIN_CACHED_WRITES_RATIO * 100} % of /healthz`);
		const judged = r.kind === 'verdict' || r.kind === 'signed-in' || r.kind === 'cached-writes';
		r.verdict = problems.length
			? `FAIL (${problems.join(', ')})`
			: r.kind === 'reference'
				? 'reference'
				: judged
					? 'PASS'
					: 'for information';
	}
}

// ---------------------------------------------------------------------------------------------------
// Tables

interface Section {
	title: string;
	rows: Measure[];
	loadBefore: number;
	loadAfter: number;
}

function loadNote(before: number, after: number): string {
	return (
		`load average ${before.toFixed(1)} before, ${after.toFixed(1)} after on ${cpus().length} CPU(s)` +
		(before > cpus().length || after > cpus().length * 1.5
			? ' — WARNING: the machine was busy with other work; figures are pessimistic'
			: '')
	);
}

/** A Markdown table: the first column left-aligned, the others right-aligned but the last. */
function printGrid(
	headers: string[],
	rows: string[][],
	leftColumns = new Set([0, headers.length - 1])
): void {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) =>
		'| ' +
		cells.map((c, i) => (leftColumns.has(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') +
		' |';
	console.log(line(headers));
	console.log(
		'|' +
			widths.map((w, i) => (leftColumns.has(i) ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
			'|'
	);
	for (const r of rows) console.log(line(r));
}

const pct = (x: number | undefined) =>
	x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)} %`;
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const kb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(1) : 'n/a');

function printSection(s: Section): void {
	console.log('');
	console.log(`${s.title} — ${loadNote(s.loadBefore, s.loadAfter)}`);
	console.log('');
	printGrid(
		['route', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'vs /healthz', 'KB/resp', 'verdict'],
		s.rows.map((r) => [
			r.route,
			r.rps.toFixed(0),
			ms(r.p50),
			ms(r.p95),
			ms(r.p99),
			r.kind === 'reference' ? pct(r.ratio) : pct(r.ratio),
			kb(r.bytesPerResponse),
			r.verdict ?? ''
		])
	);
	for (const r of s.rows) if (r.note) console.log(`  ${r.route}: ${r.note}`);
}

// ---------------------------------------------------------------------------------------------------
// Writes during a measurement (scripts/bench-writes.ts, the "server" part of #10, when it exists)

interface WritesHandle {
	stop(): Promise<{ writes: number; seconds: number }>;
}

/** What scripts/bench-writes.ts's measureUnderWrites gives (the part of it used here). */
interface UnderWrites {
	healthz: { rps: number; p95: number };
	rows: {
		label: string;
		path: string;
		quiet: { rps: number; p95: number };
		loaded: { rps: number; p95: number; errors: number };
	}[];
	writes: number;
	writesPerSecond: number;
	project: string;
}
type MeasureUnderWrites = (options: {
	baseUrl: string;
	databaseUrl: string;
	writesPerSecond?: number;
	durationS?: number;
	connections?: number;
	log?: (line: string) => void;
}) => Promise<UnderWrites>;

/** measureUnderWrites of scripts/bench-writes.ts when that file exists and exports it, else null. */
async function benchWrites(): Promise<MeasureUnderWrites | null> {
	const file = resolve('scripts/bench-writes.ts');
	if (!existsSync(file)) return null;
	const mod = (await import(pathToFileURL(file).href)) as { measureUnderWrites?: MeasureUnderWrites };
	if (typeof mod.measureUnderWrites === 'function') return mod.measureUnderWrites;
	log('scripts/bench-writes.ts exports no measureUnderWrites: using the SQL loop of bench.ts');
	return null;
}

/** A row of measureUnderWrites as a row of the tables (no percentiles but the p95, no sizes). */
function fromUnderWrites(
	route: string,
	path: string,
	kind: Kind,
	m: { rps: number; p95: number; errors?: number }
): Measure {
	return {
		route,
		path,
		kind,
		rps: m.rps,
		requests: NaN,
		p50: NaN,
		p95: m.p95,
		p99: NaN,
		max: NaN,
		errors: m.errors ?? 0,
		non2xx: 0,
		bytesPerResponse: NaN
	};
}

/**
 * The fallback writes loop: one UPDATE of a project's summary every 1000/WRITES_PER_SECOND ms, through
 * SQL on the bench database (the triggers fire as for a team's edit; the application's own
 * invalidation, if any, is not involved: scripts/bench-writes.ts replaces this when present).
 */
async function startSqlWrites(url: string, projectId: string): Promise<WritesHandle> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	const started = Date.now();
	let writes = 0;
	let stopped = false;
	const loop = (async () => {
		const every = 1000 / WRITES_PER_SECOND;
		while (!stopped) {
			const next = started + (writes + 1) * every;
			await client.query(
				`UPDATE projects SET summary = CASE WHEN right(summary, 1) = ' ' THEN rtrim(summary) ELSE summary || ' ' END,
					updated_at = now() WHERE id = $1`,
				[projectId]
			);
			writes++;
			const wait = next - Date.now();
			if (wait > 0) await sleep(wait);
		}
	})();
	return {
		async stop() {
			stopped = true;
			await loop.catch((e) => log(`the writes loop failed: ${(e as Error).message}`));
			await client.end().catch(() => {});
			return { writes, seconds: (Date.now() - started) / 1000 };
		}
	};
}

// ---------------------------------------------------------------------------------------------------
// Compression and page weight

interface WireSize {
	route: string;
	path: string;
	rawBytes: number;
	compressedBytes: number;
	encoding: string;
}

/** The body's bytes as received (not decoded), with the given request headers. */
function bodyBytes(
	baseUrl: string,
	path: string,
	headers: Record<string, string>
): Promise<{ bytes: number; encoding: string; status: number }> {
	return new Promise((done, fail) => {
		const req = httpRequest(baseUrl + path, { headers: { ...BASE_HEADERS, ...headers } }, (res) => {
			let bytes = 0;
			res.on('data', (chunk: Buffer) => (bytes += chunk.length));
			res.on('end', () =>
				done({
					bytes,
					encoding: String(res.headers['content-encoding'] ?? 'none'),
					status: res.statusCode ?? 0
				})
			);
			res.on('error', fail);
		});
		req.on('error', fail);
		req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
		req.end();
	});
}

async function wireSizes(baseUrl: string, routes: [string, string][]): Promise<WireSize[]> {
	const out: WireSize[] = [];
	for (const [route, path] of routes) {
		const raw = await bodyBytes(baseUrl, path, NO_CACHE);
		const compressed = await bodyBytes(baseUrl, path, { ...NO_CACHE, 'accept-encoding': 'gzip, br' });
		out.push({
			route,
			path,
			rawBytes: raw.bytes,
			compressedBytes: compressed.bytes,
			encoding: compressed.encoding
		});
	}
	return out;
}

function printWire(sizes: WireSize[]): void {
	console.log('');
	console.log(
		'Compression — bytes of the body on the wire, uncached, without and with Accept-Encoding: gzip, br (for information)'
	);
	console.log('');
	printGrid(
		['route', 'raw KB', 'gzip, br KB', 'encoding', 'saved'],
		sizes.map((s) => [
			s.route,
			kb(s.rawBytes),
			kb(s.compressedBytes),
			s.encoding,
			s.rawBytes > 0 ? pct(1 - s.compressedBytes / s.rawBytes) : 'n/a'
		]),
		new Set([0, 3])
	);
}

/** scripts/weight.ts's measureWeight(baseUrl, paths) (the "client" part of #10) when present. */
async function pageWeight(baseUrl: string, paths: string[]): Promise<unknown> {
	const file = resolve('scripts/weight.ts');
	if (!existsSync(file)) {
		console.log('');
		console.log('Page weight: skipped (scripts/weight.ts is not there).');
		return null;
	}
	try {
		const mod = (await import(pathToFileURL(file).href)) as {
			measureWeight?: (baseUrl: string, paths: string[]) => Promise<unknown>;
			printWeight?: (rows: unknown) => void;
		};
		if (typeof mod.measureWeight !== 'function') {
			console.log('Page weight: skipped (scripts/weight.ts exports no measureWeight).');
			return null;
		}
		const weight = await mod.measureWeight(baseUrl, paths);
		console.log('');
		console.log('Page weight (scripts/weight.ts):');
		if (typeof mod.printWeight === 'function') mod.printWeight(weight);
		else if (Array.isArray(weight)) console.table(weight);
		else console.log(JSON.stringify(weight, null, 2));
		return weight;
	} catch (e) {
		console.log(`Page weight: failed (${(e as Error).message}).`);
		return { error: (e as Error).message };
	}
}

// ---------------------------------------------------------------------------------------------------
// One scale

let server: ChildProcess | undefined;
let logStream: WriteStream | undefined;
let dataDir: string | undefined;
/** Databases created and not dropped yet. */
const databases = new Set<string>();
let cleaning: Promise<void> | undefined;
/** Stops the donation loops and pgbench on an interruption. */
const abort = new AbortController();
/** The donation measurement under way, awaited (it closes its pool) before the database is dropped. */
let moneyRun: Promise<unknown> | undefined;
/** The writes loop under way, stopped before the database is dropped. */
let writesRun: WritesHandle | undefined;

interface ScaleResult {
	projects: number;
	database: string;
	serverVersion: string;
	counts: Record<string, number>;
	seedSeconds: number;
	query: string;
	querySharePercent: number;
	queryMatches: number | null;
	slug: string;
	territory: string;
	managedSlug: string;
	myContributions: number;
	teamContributions: number;
	referenceRps: number;
	sections: Section[];
	writes: { writes: number; seconds: number; source: string } | null;
	wire: WireSize[];
	weight: unknown;
	mixFailures: string[];
}

async function dropDatabase(name: string): Promise<void> {
	if (!databases.has(name)) return;
	databases.delete(name);
	if (KEEP_DB) {
		log(`kept the database ${name} (BENCH_KEEP_DB=1): DROP DATABASE ${name} when done`);
		return;
	}
	const admin = new pg.Client({ connectionString: ADMIN_URL });
	try {
		await admin.connect();
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		log(`dropped the database ${name}`);
	} catch (e) {
		console.error(`[bench] could not drop the database ${name}: ${(e as Error).message}`);
	} finally {
		await admin.end().catch(() => {});
	}
}

async function startServer(benchUrl: string): Promise<string> {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	dataDir = mkdtempSync(join(tmpdir(), 'parvis-bench-'));
	logStream = createWriteStream(SERVER_LOG);
	await new Promise((r) => logStream!.once('open', r));
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const k of [
		'SMTP_URL',
		'TEST_DATABASE_URL',
		'PARVIS_DEV_PAGES',
		'E2E_BASE_URL',
		'PARVIS_PAGE_CACHE_TTL'
	])
		delete env[k];
	Object.assign(env, {
		DATABASE_URL: benchUrl,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: baseUrl,
		NODE_ENV: 'production',
		PARVIS_WORKER: '0',
		PARVIS_DEMO: '0',
		PARVIS_DATA_DIR: dataDir
	});
	log(`starting the server on ${baseUrl} (log: ${SERVER_LOG})`);
	server = spawn(process.execPath, [resolve(SERVER_DIR, 'index.js')], {
		env,
		stdio: ['ignore', logStream, logStream]
	});
	await waitForHealth(baseUrl, server);
	return baseUrl;
}

async function endServer(): Promise<void> {
	if (server) await stopServer(server);
	server = undefined;
	logStream?.end();
	logStream = undefined;
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	dataDir = undefined;
}

/** GETs each path once (10 at a time); returns the ones that did not answer 200. */
async function checkPaths(
	baseUrl: string,
	paths: string[],
	headers: Record<string, string>
): Promise<string[]> {
	const failures: string[] = [];
	let next = 0;
	const worker = async () => {
		while (next < paths.length) {
			const path = paths[next++];
			try {
				const res = await fetch(baseUrl + path, {
					headers: { ...BASE_HEADERS, ...headers },
					redirect: 'manual'
				});
				await res.arrayBuffer();
				if (res.status !== 200) failures.push(`${path} → HTTP ${res.status}`);
			} catch (e) {
				failures.push(`${path} → ${(e as Error).message}`);
			}
		}
	};
	await Promise.all(Array.from({ length: 10 }, worker));
	return failures;
}

async function runScale(projects: number): Promise<ScaleResult> {
	const dbName = `parvis_bench_${process.pid}_${projects}`;
	console.log('');
	log(`=== ${projects} projects ===`);
	log(`creating the database ${dbName} on ${safeUrl(ADMIN_URL)}`);
	const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
	let serverVersion: string;
	try {
		await admin.connect();
		await admin.query(`CREATE DATABASE ${dbName}`);
		databases.add(dbName);
		serverVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]
			.server_version;
	} finally {
		await admin.end().catch(() => {});
	}
	const benchUrl = withDatabaseName(ADMIN_URL, dbName);
	const database = await openDatabase({ url: benchUrl, max: 2 });
	try {
		await migrate(database);
		await seedThemes(database.db);
	} finally {
		await database.close();
	}

	log(`seeding ${projects} projects…`);
	const seedStarted = Date.now();
	const client = new pg.Client({ connectionString: benchUrl });
	await client.connect();
	let counts: Record<string, number>;
	let signedIn: SignedIn;
	let s: Samples;
	let query: { word: string; share: number };
	try {
		counts = await seed(client, projects);
		signedIn = await seedSignedIn(client);
		counts.contributions = signedIn.myContributions + signedIn.teamContributions;
		s = await samples(client, signedIn.managedSlug);
		query = await chooseQuery(client);
	} finally {
		await client.end();
	}
	const seedSeconds = (Date.now() - seedStarted) / 1000;
	log(
		`seeded in ${seedSeconds.toFixed(1)} s: ${Object.entries(counts)
			.map(([k, v]) => `${v} ${k}`)
			.join(', ')}; q=${query.word} matches ${(query.share * 100).toFixed(0)} % of the projects`
	);

	const baseUrl = await startServer(benchUrl);
	const q = encodeURIComponent(query.word);
	const verdictRoutes: [string, string][] = [
		['/projects', '/projects'],
		[`/projects?q=${query.word}`, `/projects?q=${q}`],
		[`/projects?territory&theme&need`, `/projects?territory=${s.territory}&theme=${s.theme}&need=volunteers`],
		['/projects?page=50', '/projects?page=50'],
		['/projects/[slug]', `/projects/${s.slug}`],
		['/territories/[slug]', `/territories/${s.territory}`],
		['/api/v1/projects', '/api/v1/projects'],
		[`/api/v1/projects?q=${query.word}`, `/api/v1/projects?q=${q}`]
	];
	const cookie = { cookie: `parvis_session=${signedIn.token}` };
	const signedInRoutes: [string, string][] = [
		['/me', '/me'],
		[`/me/contributions (${signedIn.myContributions})`, '/me/contributions'],
		[`/projects/[slug]/manage (${signedIn.teamContributions})`, `/projects/${signedIn.managedSlug}/manage`],
		[
			`/projects/[slug]/manage/contributions (${signedIn.teamContributions})`,
			`/projects/${signedIn.managedSlug}/manage/contributions`
		]
	];
	const cachedRoutes: [string, string][] = [
		['/projects', '/projects'],
		['/projects/[slug]', `/projects/${s.slug}`],
		['/territories/[slug]', `/territories/${s.territory}`],
		[`/api/v1/projects?q=${query.word}`, `/api/v1/projects?q=${q}`]
	];
	const mix = mixUrls(s);

	// Every URL answers 200 before it is measured (a 404 or a redirect to /signin would measure nothing).
	const bad = [
		...(await checkPaths(baseUrl, ['/healthz', ...verdictRoutes.map(([, p]) => p)], NO_CACHE)),
		...(await checkPaths(
			baseUrl,
			signedInRoutes.map(([, p]) => p),
			cookie
		))
	];
	for (const b of bad) console.error(`[bench] ${b}; measuring anyway`);
	if (bad.length) printServerLogTail();
	const mixFailures = await checkPaths(baseUrl, mix, NO_CACHE);
	if (mixFailures.length)
		log(
			`${mixFailures.length} of the ${mix.length} varied URLs do not answer 200: ${mixFailures.slice(0, 3).join('; ')}`
		);
	let queryMatches: number | null = null;
	try {
		const body = (await (await fetch(`${baseUrl}/api/v1/projects?q=${q}&per_page=1`)).json()) as {
			meta?: { total?: number };
		};
		queryMatches = body.meta?.total ?? null;
	} catch {
		/* reported as n/a */
	}

	log(`warm-up: ${WARMUP_S} s (load average ${loadavg()[0].toFixed(1)})`);
	await cannon(baseUrl, [...verdictRoutes.map(([, p]) => p), '/healthz'], WARMUP_S, NO_CACHE);
	await cannon(
		baseUrl,
		signedInRoutes.map(([, p]) => p),
		Math.max(1, Math.ceil(WARMUP_S / 2)),
		cookie
	);
	log(`measuring each row for ${DURATION_S} s with ${CONNECTIONS} connections`);

	const sections: Section[] = [];
	const guard = () => {
		if (server && exited(server)) {
			printServerLogTail();
			throw new Error('the server stopped during the measurement');
		}
	};
	const section = async (title: string, rows: () => Promise<Measure[]>) => {
		const loadBefore = loadavg()[0];
		const measured = await rows();
		sections.push({ title, rows: measured, loadBefore, loadAfter: loadavg()[0] });
		guard();
	};

	const health1 = await measure(baseUrl, '/healthz (first)', '/healthz', 'reference');
	await section(`Uncached public pages (Cache-Control: no-cache) — ${projects} projects`, async () => {
		const out: Measure[] = [];
		for (const [route, path] of verdictRoutes)
			out.push(await measure(baseUrl, route, path, 'verdict', NO_CACHE));
		return out;
	});
	await section(`Signed-in pages (session cookie, never cached) — ${projects} projects`, async () => {
		const out: Measure[] = [];
		for (const [route, path] of signedInRoutes)
			out.push(await measure(baseUrl, route, path, 'signed-in', cookie));
		return out;
	});
	await section(`Varied URLs, uncached — ${projects} projects`, async () => [
		await measure(baseUrl, `${mix.length} varied public URLs`, mix, 'mix', NO_CACHE)
	]);
	let writes: ScaleResult['writes'] = null;
	const underWrites = await benchWrites();
	await section(`Cached, as served (the public page cache on) — ${projects} projects`, async () => {
		const out: Measure[] = [];
		if (underWrites) {
			// scripts/bench-writes.ts measures its pages quiet, then under the writes (its own pages: the
			// written project's, its territory's, the listings, and others).
			const r = await underWrites({
				baseUrl,
				databaseUrl: benchUrl,
				writesPerSecond: WRITES_PER_SECOND,
				durationS: DURATION_S,
				connections: CONNECTIONS,
				log: (line) => log(`  ${line}`)
			});
			for (const row of r.rows)
				out.push(fromUnderWrites(`${row.label} (cached)`, row.path, 'cached', row.quiet));
			for (const row of r.rows)
				out.push(
					fromUnderWrites(
						`${row.label} under ${r.writesPerSecond} writes/s`,
						row.path,
						'cached-writes',
						row.loaded
					)
				);
			writes = {
				writes: r.writes,
				seconds: NaN,
				source: `scripts/bench-writes.ts (to /projects/${r.project})`
			};
			out[out.length - 1].note =
				`${r.writes} writes at ${r.writesPerSecond}/s to /projects/${r.project} by scripts/bench-writes.ts ` +
				`(its own /healthz: ${r.healthz.rps.toFixed(0)} req/s; the ratios here are to this run's reference)`;
			return out;
		}
		for (const [route, path] of cachedRoutes)
			out.push(await measure(baseUrl, `${route} (cached)`, path, 'cached'));
		const paths = cachedRoutes.map(([, p]) => p);
		writesRun = await startSqlWrites(benchUrl, s.writtenId);
		let done: { writes: number; seconds: number };
		try {
			out.push(
				await measure(
					baseUrl,
					`cached under ${WRITES_PER_SECOND} writes/s (${paths.length} URLs)`,
					paths,
					'cached-writes'
				)
			);
		} finally {
			done = await writesRun.stop();
			writesRun = undefined;
		}
		writes = { ...done, source: 'the SQL loop in bench.ts' };
		out[out.length - 1].note =
			`${done.writes} writes in ${done.seconds.toFixed(1)} s (${(done.writes / done.seconds).toFixed(1)}/s) ` +
			`to one project outside the measured pages, by the SQL loop in bench.ts (scripts/bench-writes.ts is not there)`;
		return out;
	});
	const health2 = await measure(baseUrl, '/healthz (last)', '/healthz', 'reference');
	const referenceRps = (health1.rps + health2.rps) / 2;
	sections[0].rows.unshift(health1, health2);
	for (const sec of sections) judge(sec.rows, referenceRps);
	health1.note = `reference: mean of the first and last /healthz, ${referenceRps.toFixed(0)} req/s`;

	const wire = await wireSizes(baseUrl, [
		['/projects', '/projects'],
		['/projects/[slug]', `/projects/${s.slug}`],
		[`/api/v1/projects?q=${query.word}`, `/api/v1/projects?q=${q}`]
	]);
	// Requests autocannon abandoned at the end still run on the server: let them finish.
	await sleep(1000);
	// Page weight after the measurements (it may drive a browser: not during autocannon).
	const weight = await pageWeight(baseUrl, ['/', '/projects', `/projects/${s.slug}`]);

	console.log('');
	console.log(
		`Parvis bench — ${new Date().toISOString()} — ${projects} projects — Node ${process.version}, PostgreSQL ${serverVersion}, ` +
			`${cpus().length} CPU(s); autocannon ${CONNECTIONS} connections, ${DURATION_S} s a row after a ${WARMUP_S} s warm-up; ` +
			'server and load generator on the same machine.'
	);
	console.log(
		`Data: ${counts.projects} projects (${s.publicProjects} public), ${counts.needs} needs, ${counts.shifts} shifts, ` +
			`${counts.territories} territories, ${counts.contributions} contributions (seeded in ${seedSeconds.toFixed(0)} s). ` +
			`Search word: q=${query.word} (${(query.share * 100).toFixed(0)} % of the projects; the API says ${queryMatches ?? 'n/a'} matches). ` +
			`Project page /projects/${s.slug}; territory ${s.territory}; managed project /projects/${signedIn.managedSlug}.`
	);
	for (const sec of sections) printSection(sec);
	printWire(wire);
	console.log('');
	console.log(
		'Memory of the embedded (PGlite) server: measured elsewhere, not by this bench (it runs on PostgreSQL).'
	);
	printTargets();

	await endServer();
	return {
		projects,
		database: dbName,
		serverVersion,
		counts,
		seedSeconds,
		query: query.word,
		querySharePercent: Math.round(query.share * 1000) / 10,
		queryMatches,
		slug: s.slug,
		territory: s.territory,
		managedSlug: signedIn.managedSlug,
		myContributions: signedIn.myContributions,
		teamContributions: signedIn.teamContributions,
		referenceRps,
		sections,
		writes,
		wire,
		weight,
		mixFailures
	};
}

function printTargets(): void {
	console.log(
		`Targets (issue #10): uncached public rows ≥ ${MIN_RATIO * 100} % of /healthz's req/s and p95 < ${MAX_P95_MS} ms; ` +
			`signed-in pages p95 < ${MAX_P95_MS} ms; cached under ${WRITES_PER_SECOND} writes/s ≥ ${MIN_CACHED_WRITES_RATIO * 100} % ` +
			'of /healthz. The ratio is to the mean of the two /healthz rows of the same run. p50/p95/p99: nearest-rank ' +
			'percentiles of every response time recorded by autocannon. KB/resp: mean response size as received, headers ' +
			'included, no compression asked.'
	);
}

function verdictSummary(results: ScaleResult[]): number {
	let failed = 0;
	for (const r of results)
		for (const sec of r.sections) for (const row of sec.rows) if (row.verdict?.startsWith('FAIL')) failed++;
	return failed;
}

/** Each verdict row's ratio at each scale; PASS when every scale is within ±20 % of the smallest's. */
function printFlatness(results: ScaleResult[]): { route: string; ratios: number[]; verdict: string }[] {
	const routes = results[0].sections[0].rows.filter((r) => r.kind === 'verdict').map((r) => r.route);
	// The search word may differ between scales (chosen from the data): match the rows by position.
	const out = routes.map((route, i) => {
		const ratios = results.map(
			(res) => res.sections[0].rows.filter((r) => r.kind === 'verdict')[i]?.ratio ?? NaN
		);
		const p95s = results.map(
			(res) => res.sections[0].rows.filter((r) => r.kind === 'verdict')[i]?.p95 ?? NaN
		);
		const base = ratios[0];
		const worst = Math.max(...ratios.map((x) => Math.abs(x / base - 1)));
		const verdict = !Number.isFinite(worst)
			? 'n/a'
			: worst <= FLAT_TOLERANCE
				? `PASS (within ${(worst * 100).toFixed(0)} %)`
				: `FAIL (${(worst * 100).toFixed(0)} % from ${results[0].projects})`;
		return { route: route.replace(/q=\S+/, 'q=<word>'), ratios, p95s, verdict };
	});
	console.log('');
	console.log(
		`Flatness — each uncached verdict row's ratio to /healthz (p95) at each scale; PASS when every scale is within ` +
			`±${FLAT_TOLERANCE * 100} % of the ${results[0].projects}-project ratio`
	);
	console.log('');
	printGrid(
		['route', ...results.map((r) => `${r.projects} projects`), 'verdict'],
		out.map((o) => [
			o.route,
			...o.ratios.map(
				(x, i) => `${pct(x)} (${Number.isFinite(o.p95s[i]) ? o.p95s[i].toFixed(0) : 'n/a'} ms)`
			),
			o.verdict
		])
	);
	return out.map(({ route, ratios, verdict }) => ({ route, ratios, verdict }));
}

// ---------------------------------------------------------------------------------------------------
// Donations (once)

async function runDonations(benchUrl: string) {
	// Imported after the build, which generates the Paraglide messages the donor mails use.
	const money = await import('./bench-donations');
	const moneyLoadBefore = loadavg()[0];
	const donationsRun = money.measureDonations({
		url: benchUrl,
		concurrency: CONNECTIONS,
		donors: DONORS,
		warmupSeconds: WARMUP_S,
		seconds: DURATION_S,
		signal: abort.signal
	});
	moneyRun = donationsRun;
	const donations = await donationsRun;
	moneyRun = undefined;
	if (abort.signal.aborted) return null;
	const pgbenchPath = money.findPgbench();
	let pgbench: Awaited<ReturnType<typeof money.runPgbench>> | null = null;
	let pgbenchMissing: string | null = null;
	if (!pgbenchPath) {
		pgbenchMissing = process.env.BENCH_PGBENCH
			? `not found (BENCH_PGBENCH=${process.env.BENCH_PGBENCH} is not executable)`
			: 'not found (neither on the PATH nor in /usr/lib/postgresql/*/bin; install postgresql-client or set BENCH_PGBENCH)';
		log(`pgbench ${pgbenchMissing}: no ratio`);
	} else {
		try {
			pgbench = await money.runPgbench(pgbenchPath, benchUrl, CONNECTIONS, DURATION_S, abort.signal);
		} catch (e) {
			if (abort.signal.aborted) return null;
			pgbenchMissing = `failed (${(e as Error).message})`;
			console.error(`[bench] pgbench ${pgbenchMissing}`);
		}
	}
	const moneyLoad = loadavg()[0];
	money.printDonationTable(donations, pgbench, pgbenchMissing, [
		`Donations — test payment method, domain functions in the bench process (no HTTP), ${DONATION_SCALE} projects, ` +
			`${loadNote(moneyLoadBefore, moneyLoad)}.`,
		`${CONNECTIONS} concurrent donors (${DONORS} in all), ${DURATION_S} s after a ${WARMUP_S} s warm-up, ` +
			`${donations.completed} donations in ${donations.seconds.toFixed(1)} s to a keep-it-all campaign of /projects/${donations.project}; ` +
			(pgbench
				? `pgbench with the same ${CONNECTIONS} clients for ${DURATION_S} s right after, same server and database.`
				: 'no pgbench run.')
	]);
	const ratio = pgbench && pgbench.tps > 0 ? donations.perSecond / pgbench.tps : null;
	console.log(
		ratio === null
			? 'Donations vs pgbench: no ratio (no pgbench).'
			: `Donations vs pgbench: ${(ratio * 100).toFixed(1)} % of pgbench's tps — ` +
					(ratio >= MIN_DONATION_RATIO ? 'PASS' : `FAIL (target ≥ ${MIN_DONATION_RATIO * 100} %)`)
	);
	return { donations, pgbench, donationsToPgbench: ratio, projects: DONATION_SCALE };
}

// ---------------------------------------------------------------------------------------------------
// Main

function cleanup(): Promise<void> {
	cleaning ??= (async () => {
		running?.stop();
		abort.abort();
		await writesRun?.stop().catch(() => {});
		await moneyRun?.catch(() => {});
		await endServer();
		rmSync(SERVER_DIR, { recursive: true, force: true });
		for (const name of [...databases]) await dropDatabase(name);
	})();
	return cleaning;
}

async function main(): Promise<number> {
	const runStarted = Date.now();
	mkdirSync(OUT, { recursive: true });
	log(
		`scales: ${SCALES.join(', ')} projects; ${DURATION_S} s a row, ${CONNECTIONS} connections; ` +
			(DONATIONS ? `donations at ${DONATION_SCALE} projects` : 'no donations (BENCH_DONATIONS=0)')
	);
	await buildIfNeeded();
	rmSync(SERVER_DIR, { recursive: true, force: true });
	cpSync('build', SERVER_DIR, { recursive: true });

	const results: ScaleResult[] = [];
	let money: Awaited<ReturnType<typeof runDonations>> = null;
	for (const projects of SCALES) {
		let result: ScaleResult;
		try {
			result = await runScale(projects);
		} catch (e) {
			console.error(`[bench] ${projects} projects: ${(e as Error).message}`);
			printServerLogTail();
			return 1;
		}
		results.push(result);
		if (abort.signal.aborted) return 130;
		if (DONATIONS && projects === DONATION_SCALE) {
			money = await runDonations(withDatabaseName(ADMIN_URL, result.database));
			if (abort.signal.aborted) return 130;
		}
		await dropDatabase(result.database);
	}

	const flatness = results.length > 1 ? printFlatness(results) : null;
	const failed = verdictSummary(results);
	console.log('');
	console.log(
		failed
			? `VERDICT: ${failed} row(s) miss a target (see the FAIL rows above).`
			: 'VERDICT: every row meets its target.'
	);
	writeFileSync(
		join(OUT, 'latest.json'),
		JSON.stringify(
			{
				date: new Date().toISOString(),
				settings: {
					scales: SCALES,
					durationSeconds: DURATION_S,
					warmupSeconds: WARMUP_S,
					connections: CONNECTIONS
				},
				cpus: cpus().length,
				scales: results,
				flatness,
				donations: money?.donations ?? null,
				pgbench: money?.pgbench ?? null,
				donationsToPgbench: money?.donationsToPgbench ?? null
			},
			null,
			2
		)
	);
	log(
		`results saved to ${join(OUT, 'latest.json')}; total time ${((Date.now() - runStarted) / 1000).toFixed(0)} s`
	);
	if (money && money.donations.completed === 0) {
		console.error('[bench] no donation completed: the donation rate could not be measured');
		return 1;
	}
	return 0;
}

// Persistent handlers: with `npm run`, Ctrl-C reaches this process more than once (from the terminal and
// relayed by npm and tsx), and a second signal without a handler would kill it before the clean-up.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		if (interrupted) return;
		interrupted = true;
		log(`${signal}: stopping the server and dropping the database…`);
		void cleanup().then(() => process.exit(130));
	});
}

let code: number;
try {
	code = await main();
} catch (e) {
	console.error('[bench]', e);
	code = 1;
} finally {
	await cleanup();
}
process.exit(code);
