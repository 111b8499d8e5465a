// `npm run bench`: load test of the public pages on PostgreSQL with a realistic amount of data.
//
// 1. Creates a fresh database `parvis_bench_<pid>` on the local PostgreSQL server
//    (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres, names the server and the
//    administrative database used to create and drop it), applies the migrations and seeds, with
//    set-based SQL, territories, themes, a few people, 10,000 public projects, 40,000 needs (the four
//    kinds), their shifts, and the search documents (one UPDATE, the expression of refreshSearch).
// 2. Builds the app when build/ is missing or older than the sources, and starts a copy of it
//    (`node index.js`, PARVIS_WORKER=0) on a free port against that database.
// 3. Measures with autocannon (10 connections, BENCH_DURATION seconds each, after a warm-up) in the
//    same run: /healthz, /projects, a project page and /api/v1/projects?q=<word>. Prints a table with
//    req/s, p50, p95 (computed from every response time), the ratio to /healthz and the verdicts
//    against the targets: at least 40 % of /healthz's requests per second and p95 under 100 ms.
//    The pages are measured as served (anonymous requests: the public page cache answers while the
//    public data is unchanged), then once more with Cache-Control: no-cache, rendered on every request
//    (rows marked "(rendered)", for information: the cost of a cache miss).
//    Then stops the server (after letting abandoned requests finish), so that it does not compete below.
// 4. Donations per second through the test payment method (scripts/bench-donations.ts), in this process
//    through the domain functions: BENCH_CONNECTIONS concurrent donors run donate() + completePayment()
//    on a keep-it-all campaign for BENCH_DURATION seconds after a warm-up; then checkLedger and the
//    campaign's balance against the sum given. Then pgbench's TPC-B-like run on the same server and
//    database (pgbench -i -s 1, then -c BENCH_CONNECTIONS -j 2 -T BENCH_DURATION -n), and a second table:
//    donations/s, pgbench tps and their ratio. Without pgbench it says so and prints no ratio.
// 5. Always stops the server and drops the database (also on an error or Ctrl-C).
//
// A measurement, not a test: exits 0 even when a target is missed (1 only when it could not measure).
// Options (environment): BENCH_DATABASE_URL, BENCH_PROJECTS (10000), BENCH_DURATION (10 s),
// BENCH_WARMUP (3 s), BENCH_CONNECTIONS (10), BENCH_QUERY (jardin), BENCH_DONORS (50), BENCH_PGBENCH
// (path to pgbench; default: the PATH, then /usr/lib/postgresql/<version>/bin), BENCH_KEEP_DB=1 (keep
// the database for EXPLAIN; it is printed and must then be dropped by hand).
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
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openDatabase } from '$lib/server/db/client';
import { migrate } from '$lib/server/db/migrate';
import { seedThemes } from '$lib/server/territories';

// ---------------------------------------------------------------------------------------------------
// Settings

const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `parvis_bench_${process.pid}`;
const PROJECTS = intFromEnv('BENCH_PROJECTS', 10_000);
const DURATION_S = intFromEnv('BENCH_DURATION', 10);
const WARMUP_S = intFromEnv('BENCH_WARMUP', 3);
const CONNECTIONS = intFromEnv('BENCH_CONNECTIONS', 10);
const QUERY = process.env.BENCH_QUERY || 'jardin';
const KEEP_DB = process.env.BENCH_KEEP_DB === '1';
const DONORS = Math.max(intFromEnv('BENCH_DONORS', 50), CONNECTIONS);

/** Targets of the issue: each page at least 40 % of /healthz's req/s, p95 under 100 ms. */
const MIN_RATIO = 0.4;
const MAX_P95_MS = 100;

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
async function seed(client: pg.Client): Promise<Record<string, number>> {
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
		[PROJECTS]
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

interface Measure {
	route: string;
	path: string;
	rps: number;
	requests: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	errors: number;
	non2xx: number;
	/** Sent with `Cache-Control: no-cache`: rendered on every request, past the public page cache. */
	rendered: boolean;
}

let running: AutocannonInstance | undefined;

/** The q-th quantile (0..1) of sorted values (nearest rank). */
function quantile(sorted: number[], q: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

async function cannon(
	url: string | string[],
	seconds: number,
	onTime?: (ms: number) => void,
	headers: Record<string, string> = {}
) {
	const instance = autocannon({
		url,
		connections: CONNECTIONS,
		duration: seconds,
		timeout: 10,
		headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8', ...headers }
	});
	running = instance;
	if (onTime) instance.on('response', (_client, _status, _bytes, responseTime) => onTime(responseTime));
	try {
		return await instance;
	} finally {
		running = undefined;
	}
}

async function measure(baseUrl: string, route: string, path: string, rendered = false): Promise<Measure> {
	const times: number[] = [];
	const r = await cannon(
		baseUrl + path,
		DURATION_S,
		(ms) => times.push(ms),
		rendered ? { 'cache-control': 'no-cache' } : {}
	);
	times.sort((a, b) => a - b);
	const m: Measure = {
		route,
		path,
		rps: r.requests.average,
		requests: r.requests.total,
		p50: quantile(times, 0.5),
		p95: quantile(times, 0.95),
		p99: quantile(times, 0.99),
		max: times.length ? times[times.length - 1] : NaN,
		errors: r.errors + r.timeouts,
		non2xx: r.non2xx,
		rendered
	};
	log(
		`  ${(rendered ? `${route} (rendered)` : route).padEnd(22)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p95 ${m.p95.toFixed(1)} ms` +
			(m.errors || m.non2xx ? `  (${m.errors} errors, ${m.non2xx} non-2xx)` : '')
	);
	return m;
}

function printTable(results: Measure[], context: string[]): void {
	const health = results.find((r) => r.route === '/healthz');
	const headers = ['route', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'vs /healthz', 'verdict'];
	const rows = results.map((r) => {
		const ratio = health && health.rps > 0 ? r.rps / health.rps : NaN;
		const isReference = r === health;
		const problems: string[] = [];
		if (r.errors || r.non2xx) problems.push(`${r.errors + r.non2xx} failed requests`);
		if (!r.rendered) {
			if (!isReference && !(ratio >= MIN_RATIO)) problems.push(`req/s < ${MIN_RATIO * 100} % of /healthz`);
			if (!(r.p95 < MAX_P95_MS)) problems.push(`p95 ≥ ${MAX_P95_MS} ms`);
		}
		const verdict = problems.length
			? `FAIL (${problems.join(', ')})`
			: isReference
				? 'reference'
				: r.rendered
					? 'for information'
					: 'PASS';
		return [
			r.rendered ? `${r.route} (rendered)` : r.route,
			r.rps.toFixed(0),
			r.p50.toFixed(1),
			r.p95.toFixed(1),
			r.p99.toFixed(1),
			isReference ? '100 %' : `${(ratio * 100).toFixed(0)} %`,
			verdict
		];
	});
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) =>
		'| ' +
		cells.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') +
		' |';
	console.log('');
	for (const c of context) console.log(c);
	console.log('');
	console.log(line(headers));
	console.log(
		'|' +
			widths.map((w, i) => (i >= 1 && i <= 5 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') +
			'|'
	);
	for (const r of rows) console.log(line(r));
	console.log('');
	console.log(
		`Targets: each page ≥ ${MIN_RATIO * 100} % of /healthz's req/s and p95 < ${MAX_P95_MS} ms, as served (the public ` +
			'page cache on: an anonymous page is rendered once per change of the public data). "(rendered)": the same ' +
			'route sent with Cache-Control: no-cache, so rendered on every request (the cost of a cache miss), for information. ' +
			'p50/p95/p99: nearest-rank percentiles of every response time recorded by autocannon (not its p97.5 histogram).'
	);
	const failed = rows.filter((r) => r[6].startsWith('FAIL')).length;
	console.log(
		failed ? `VERDICT: ${failed} route(s) miss a target.` : 'VERDICT: every route meets the targets.'
	);
}

// ---------------------------------------------------------------------------------------------------
// Main

let server: ChildProcess | undefined;
let logStream: WriteStream | undefined;
let dataDir: string | undefined;
let databaseCreated = false;
let cleaning: Promise<void> | undefined;
/** Stops the donation loops and pgbench on an interruption. */
const abort = new AbortController();
/** The donation measurement under way, awaited (it closes its pool) before the database is dropped. */
let moneyRun: Promise<unknown> | undefined;

function cleanup(): Promise<void> {
	cleaning ??= (async () => {
		running?.stop();
		abort.abort();
		await moneyRun?.catch(() => {});
		if (server) await stopServer(server);
		logStream?.end();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		rmSync(SERVER_DIR, { recursive: true, force: true });
		if (databaseCreated) {
			if (KEEP_DB) {
				log(`kept the database ${DB_NAME} (BENCH_KEEP_DB=1): DROP DATABASE ${DB_NAME} when done`);
				return;
			}
			const admin = new pg.Client({ connectionString: ADMIN_URL });
			try {
				await admin.connect();
				await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
				log(`dropped the database ${DB_NAME}`);
			} catch (e) {
				console.error(`[bench] could not drop the database ${DB_NAME}: ${(e as Error).message}`);
			} finally {
				await admin.end().catch(() => {});
			}
		}
	})();
	return cleaning;
}

async function main(): Promise<number> {
	const runStarted = Date.now();
	mkdirSync(OUT, { recursive: true });
	let serverVersion: string;
	let matches = 0;

	// 1. Database
	log(`creating the database ${DB_NAME} on ${safeUrl(ADMIN_URL)}`);
	const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
	try {
		await admin.connect();
		await admin.query(`CREATE DATABASE ${DB_NAME}`);
		databaseCreated = true;
		const v = await admin.query<{ server_version: string }>('SHOW server_version');
		serverVersion = v.rows[0].server_version;
	} finally {
		await admin.end().catch(() => {});
	}
	const benchUrl = withDatabaseName(ADMIN_URL, DB_NAME);
	const database = await openDatabase({ url: benchUrl, max: 2 });
	try {
		await migrate(database);
		await seedThemes(database.db);
	} finally {
		await database.close();
	}
	log(`seeding ${PROJECTS} projects…`);
	const seedStarted = Date.now();
	const client = new pg.Client({ connectionString: benchUrl });
	await client.connect();
	let counts: Record<string, number>;
	let slug: string;
	try {
		counts = await seed(client);
		const r = await client.query<{ slug: string }>(
			`SELECT slug FROM projects WHERE status = 'published' ORDER BY published_at DESC, id LIMIT 1 OFFSET 41`
		);
		slug = r.rows[0].slug;
	} finally {
		await client.end();
	}
	const seedSeconds = (Date.now() - seedStarted) / 1000;
	log(
		`seeded in ${seedSeconds.toFixed(1)} s: ${Object.entries(counts)
			.map(([k, v]) => `${v} ${k}`)
			.join(', ')}`
	);

	// 2. Server
	await buildIfNeeded();
	rmSync(SERVER_DIR, { recursive: true, force: true });
	cpSync('build', SERVER_DIR, { recursive: true });
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	dataDir = mkdtempSync(join(tmpdir(), 'parvis-bench-'));
	logStream = createWriteStream(SERVER_LOG);
	await new Promise((r) => logStream!.once('open', r));
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const k of ['SMTP_URL', 'TEST_DATABASE_URL', 'PARVIS_DEV_PAGES', 'E2E_BASE_URL']) delete env[k];
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
	try {
		await waitForHealth(baseUrl, server);
	} catch (e) {
		console.error(`[bench] the server did not start: ${(e as Error).message}`);
		printServerLogTail();
		return 1;
	}

	// 3. Measurement
	const routes: [string, string][] = [
		['/healthz', '/healthz'],
		['/projects', '/projects'],
		['/projects/[slug]', `/projects/${slug}`],
		[`/api/v1/projects?q=${QUERY}`, `/api/v1/projects?q=${encodeURIComponent(QUERY)}`]
	];
	for (const [route, path] of routes) {
		const res = await fetch(baseUrl + path);
		if (!res.ok) {
			console.error(`[bench] ${route} answers HTTP ${res.status}; measuring anyway`);
			printServerLogTail();
		}
		if (path.startsWith('/api/v1/projects?')) {
			const body = (await res.json()) as { meta?: { total?: number } };
			matches = body.meta?.total ?? 0;
			log(`q=${QUERY} matches ${matches} of ${counts.projects} projects`);
		} else {
			await res.arrayBuffer();
		}
	}
	const loadBefore = loadavg()[0];
	log(`warm-up: ${WARMUP_S} s over every route (load average ${loadBefore.toFixed(1)})`);
	await cannon(
		routes.map(([, path]) => baseUrl + path),
		WARMUP_S
	);
	log(`measuring each route for ${DURATION_S} s with ${CONNECTIONS} connections`);
	const results: Measure[] = [];
	// As served (the public page cache on), then rendered on every request (Cache-Control: no-cache).
	const runs: [string, string, boolean][] = [
		...routes.map(([route, path]): [string, string, boolean] => [route, path, false]),
		...routes.slice(1).map(([route, path]): [string, string, boolean] => [route, path, true])
	];
	for (const [route, path, rendered] of runs) {
		results.push(await measure(baseUrl, route, path, rendered));
		if (exited(server)) {
			console.error('[bench] the server stopped during the measurement');
			printServerLogTail();
			return 1;
		}
	}

	const load = loadavg()[0];
	const context = [
		`Parvis bench — ${new Date().toISOString()} — Node ${process.version}, PostgreSQL ${serverVersion}, ` +
			`${cpus().length} CPU(s), load average ${loadBefore.toFixed(1)} before the measurement, ${load.toFixed(1)} after` +
			(loadBefore > cpus().length
				? ' (WARNING: the machine was busy with other work; figures are pessimistic)'
				: ''),
		`Data: ${counts.projects} public projects, ${counts.needs} needs, ${counts.shifts} shifts, ${counts.territories} territories (seeded in ${seedSeconds.toFixed(0)} s).`,
		`autocannon: ${CONNECTIONS} connections, ${DURATION_S} s per route after a ${WARMUP_S} s warm-up, all routes in this run; server and load generator on the same machine.`,
		`Project page: /projects/${slug}; search: q=${QUERY} (${matches} matches, 20 per page).`
	];
	printTable(results, context);
	// Requests autocannon abandoned at the end still run on the server: let them finish before stopping it
	// (adapter-node closes the database as soon as no connection is open). Stopped here, not at the end,
	// so that it does not compete with the donations and pgbench.
	await sleep(2000);
	await stopServer(server);

	// 4. Donations per second, then pgbench on the same server (imported after the build, which
	// generates the Paraglide messages the donor mails use).
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
	if (abort.signal.aborted) return 130;
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
			if (abort.signal.aborted) return 130;
			pgbenchMissing = `failed (${(e as Error).message})`;
			console.error(`[bench] pgbench ${pgbenchMissing}`);
		}
	}
	const moneyLoad = loadavg()[0];
	money.printDonationTable(donations, pgbench, pgbenchMissing, [
		`Donations — test payment method, domain functions in the bench process (no HTTP), PostgreSQL ${serverVersion}, ` +
			`load average ${moneyLoadBefore.toFixed(1)} before, ${moneyLoad.toFixed(1)} after on ${cpus().length} CPU(s)` +
			(moneyLoadBefore > cpus().length ? ' (busy machine: figures are pessimistic)' : '') +
			'.',
		`${CONNECTIONS} concurrent donors (${DONORS} in all), ${DURATION_S} s after a ${WARMUP_S} s warm-up, ` +
			`${donations.completed} donations in ${donations.seconds.toFixed(1)} s to a keep-it-all campaign of /projects/${donations.project}; ` +
			(pgbench
				? `pgbench with the same ${CONNECTIONS} clients for ${DURATION_S} s right after, same server and database.`
				: 'no pgbench run.')
	]);

	writeFileSync(
		join(OUT, 'latest.json'),
		JSON.stringify(
			{
				date: new Date().toISOString(),
				counts,
				slug,
				query: QUERY,
				matches,
				results,
				donations,
				pgbench,
				donationsToPgbench: pgbench && pgbench.tps > 0 ? donations.perSecond / pgbench.tps : null
			},
			null,
			2
		)
	);
	log(
		`results saved to ${join(OUT, 'latest.json')}; total time ${((Date.now() - runStarted) / 1000).toFixed(0)} s`
	);
	if (donations.completed === 0) {
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
