import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { db } from '../db/client';
import { users } from '../accounts/schema';
import { territories, themes } from '../territories/schema';
import { moderatorAssignments } from '../accounts/schema';
import type { Actor } from '../accounts';
import { createProject, addStage, lockProject, moveProject, refreshSearch } from '../projects';
import { projects } from '../projects/schema';
import { needs, shifts } from '../needs/schema';
import { addNeed, addShift } from '../needs';
import { submitProject, reviewProject, listCriteria } from '../moderation';
import { storage } from '../platform/storage';
import { donate, completePayment } from '../payments';
import { signUpForShift, pledgeMaterial, offerExpertise } from '../contributions';
import { setProjectIssuer, requestReceipt } from '../receipts';
import { randomUUID } from 'node:crypto';
import type { ProjectStatus } from '$lib/shared/projects/enums';

type ShiftSeed = { date: string; startTime: string; endTime: string; place: string; capacity: string };
type NeedSeed = { kind: string; stage?: number; shifts?: ShiftSeed[] } & Record<string, unknown>;

interface DemoProject {
	owner: string;
	territory: string;
	status: ProjectStatus;
	title: string;
	summary: string;
	description: string;
	themes: string[];
	legalForm: string;
	carrierName: string;
	address: string;
	lat: number;
	lng: number;
	startsOn: string;
	endsOn: string;
	color: string;
	stages: { name: string; description: string; startsOn: string; endsOn: string }[];
	needs: NeedSeed[];
	reason?: string;
}

const Y = new Date().getFullYear() + 1;
const d = (md: string) => `${Y}-${md}`;

/** Thirteen projects across four territories, every need kind and every status. Texts stay in their language. */
export const DEMO_PROJECTS: DemoProject[] = [
	{
		owner: 'porteuse@parvis.test',
		territory: 'tarentaize-beaubrun',
		status: 'published',
		color: '#3f7d3a',
		title: 'Jardin partagé des Tanneurs',
		summary: 'Transformer la friche de la rue des Tanneurs en jardin partagé ouvert à tout le quartier.',
		description:
			'La friche de la rue des Tanneurs attend depuis dix ans. Avec l’amicale des locataires, nous voulons y installer **douze bacs potagers**, un composteur collectif et un abri à outils.\n\n- ateliers de jardinage le samedi matin\n- récolte partagée avec l’épicerie solidaire\n- visites des écoles du quartier',
		themes: ['food', 'environment'],
		legalForm: 'association',
		carrierName: 'Amicale des locataires de Tarentaize',
		address: 'Rue des Tanneurs, 42000 Saint-Étienne',
		lat: 45.4418,
		lng: 4.3808,
		startsOn: d('03-01'),
		endsOn: d('10-31'),
		stages: [
			{
				name: 'Préparer le terrain',
				description: 'Désherber, amender la terre, poser les bacs.',
				startsOn: d('03-01'),
				endsOn: d('04-15')
			},
			{
				name: 'Premières plantations',
				description: 'Semis et plantations de printemps.',
				startsOn: d('04-16'),
				endsOn: d('06-30')
			}
		],
		needs: [
			{
				kind: 'money',
				title: 'Bacs, terre et outils',
				goalMinor: '2400',
				currency: 'EUR',
				campaignModel: 'all_or_nothing',
				deadline: d('02-28'),
				stage: 0
			},
			{
				kind: 'volunteers',
				title: 'Chantier de préparation',
				role: 'Jardinier·e bénévole',
				skills: 'jardinage, bricolage',
				stage: 0,
				shifts: [
					{
						date: d('03-07'),
						startTime: '09:00',
						endTime: '12:00',
						place: 'Friche des Tanneurs',
						capacity: '8'
					},
					{
						date: d('03-14'),
						startTime: '09:00',
						endTime: '12:00',
						place: 'Friche des Tanneurs',
						capacity: '3'
					}
				]
			},
			{
				kind: 'material',
				title: 'Planches pour les bacs',
				quantity: '40',
				unit: 'planches',
				materialMode: 'give',
				dropoff: 'Local de l’amicale, le mercredi de 17 h à 19 h',
				stage: 0
			},
			{ kind: 'expertise', title: 'Conseil en permaculture', skill: 'permaculture', hours: '6', stage: 1 }
		]
	},
	{
		owner: 'porteuse@parvis.test',
		territory: 'saint-etienne',
		status: 'in_progress',
		color: '#1f5f8b',
		title: 'Atelier de réparation de vélos',
		summary:
			'Un atelier participatif où chacun apprend à réparer son vélo, avec des outils et des bénévoles.',
		description:
			'Chaque jeudi soir, l’atelier ouvre ses portes : on y apprend à régler des freins, changer une chambre à air, redresser une roue. Les vélos abandonnés sont remis en état et prêtés aux étudiants.',
		themes: ['repair-diy', 'mobility'],
		legalForm: 'association',
		carrierName: 'Vélocité stéphanoise',
		address: '8 rue de la Ville, 42000 Saint-Étienne',
		lat: 45.4362,
		lng: 4.3879,
		startsOn: d('01-15'),
		endsOn: d('12-15'),
		stages: [],
		needs: [
			{
				kind: 'volunteers',
				title: 'Mécanos du jeudi',
				role: 'Mécanicien·ne vélo',
				skills: 'mécanique vélo',
				shifts: [
					{
						date: d('02-05'),
						startTime: '18:00',
						endTime: '21:00',
						place: 'Atelier, 8 rue de la Ville',
						capacity: '3'
					}
				]
			},
			{
				kind: 'material',
				title: 'Chambres à air',
				quantity: '50',
				unit: 'chambres à air',
				materialMode: 'give',
				dropoff: 'À l’atelier le jeudi soir'
			},
			{
				kind: 'money',
				title: 'Pied d’atelier et clés',
				goalMinor: '650',
				currency: 'EUR',
				campaignModel: 'keep_it_all',
				deadline: d('03-31')
			}
		]
	},
	{
		owner: 'porteuse@parvis.test',
		territory: 'pelussin',
		status: 'published',
		color: '#8a5a00',
		title: 'Répar’Café de Pélussin',
		summary: 'Un café réparation mensuel à la salle des fêtes : on répare ensemble au lieu de jeter.',
		description:
			'Petit électroménager, couture, informatique : des bénévoles aident à réparer, autour d’un café. Nous cherchons du matériel à prêter pour la première édition.',
		themes: ['repair-diy', 'exchange'],
		legalForm: 'informal_group',
		carrierName: 'Collectif Répar’Café du Pilat',
		address: 'Salle des fêtes, 42410 Pélussin',
		lat: 45.4197,
		lng: 4.6828,
		startsOn: d('02-01'),
		endsOn: d('06-30'),
		stages: [],
		needs: [
			{
				kind: 'material',
				title: 'Tables pliantes',
				quantity: '10',
				unit: 'tables',
				materialMode: 'lend',
				returnBy: d('02-22'),
				dropoff: 'Salle des fêtes, le samedi matin'
			},
			{ kind: 'expertise', title: 'Réparation de petit électroménager', skill: 'électronique', hours: '12' },
			{
				kind: 'volunteers',
				title: 'Accueil et café',
				role: 'Accueil',
				skills: '',
				shifts: [
					{ date: d('02-21'), startTime: '09:30', endTime: '12:30', place: 'Salle des fêtes', capacity: '4' }
				]
			}
		]
	},
	{
		owner: 'porteuse@parvis.test',
		territory: 'pelussin',
		status: 'completed',
		color: '#5b4a8b',
		title: 'Boîte à livres de la place',
		summary: 'Une ancienne cabine téléphonique transformée en boîte à livres, ouverte jour et nuit.',
		description:
			'La cabine a été nettoyée, repeinte et équipée d’étagères. Elle accueille aujourd’hui plus de 300 livres échangés chaque mois.',
		themes: ['culture', 'exchange'],
		legalForm: 'informal_group',
		carrierName: 'Les voisins de la place',
		address: 'Place des Croix, 42410 Pélussin',
		lat: 45.4205,
		lng: 4.6815,
		startsOn: d('01-10'),
		endsOn: d('01-31'),
		stages: [],
		needs: [
			{
				kind: 'material',
				title: 'Étagères en bois',
				quantity: '6',
				unit: 'étagères',
				materialMode: 'give',
				dropoff: 'Mairie'
			},
			{
				kind: 'volunteers',
				title: 'Peinture de la cabine',
				role: 'Peintre',
				skills: 'peinture',
				shifts: [
					{ date: d('01-17'), startTime: '10:00', endTime: '16:00', place: 'Place des Croix', capacity: '5' }
				]
			}
		],
		reason: 'La boîte à livres est installée et très fréquentée.'
	},
	{
		owner: 'contributor@parvis.test',
		territory: 'plateau-mont-royal',
		status: 'published',
		color: '#0f6e6e',
		title: 'Frigo communautaire du Plateau',
		summary:
			'Un réfrigérateur en libre-service devant le centre communautaire pour partager les surplus alimentaires.',
		description:
			'Les commerçants du Plateau jettent chaque semaine des aliments encore bons. Le frigo communautaire les met à disposition de tous, gratuitement. Nous cherchons un frigo, un abri et des bénévoles pour l’entretien quotidien.',
		themes: ['food', 'solidarity'],
		legalForm: 'association',
		carrierName: 'Solidarité Plateau',
		address: '4273 rue Saint-Dominique, Montréal',
		lat: 45.5201,
		lng: -73.5858,
		startsOn: d('04-01'),
		endsOn: d('11-30'),
		stages: [
			{
				name: 'Installation',
				description: 'Abri, frigo, branchement électrique.',
				startsOn: d('04-01'),
				endsOn: d('04-30')
			}
		],
		needs: [
			{
				kind: 'money',
				title: 'Abri et frigo commercial',
				goalMinor: '3500',
				currency: 'CAD',
				campaignModel: 'all_or_nothing',
				deadline: d('03-31'),
				stage: 0
			},
			{
				kind: 'volunteers',
				title: 'Entretien quotidien',
				role: 'Bénévole d’entretien',
				skills: 'hygiène alimentaire',
				shifts: [
					{
						date: d('04-06'),
						startTime: '08:00',
						endTime: '09:00',
						place: 'Centre communautaire',
						capacity: '2'
					},
					{
						date: d('04-07'),
						startTime: '08:00',
						endTime: '09:00',
						place: 'Centre communautaire',
						capacity: '2'
					}
				]
			},
			{
				kind: 'expertise',
				title: 'Électricien·ne pour le branchement',
				skill: 'électricité',
				hours: '3',
				stage: 0
			}
		]
	},
	{
		owner: 'contributor@parvis.test',
		territory: 'plateau-mont-royal',
		status: 'funded',
		color: '#a33b00',
		title: 'Ruelle verte Saint-Dominique',
		summary:
			'Verdir la ruelle Saint-Dominique : bacs de plantation, bancs et une murale faite par les enfants.',
		description:
			'Les résidents de la ruelle veulent remplacer l’asphalte par des plates-bandes et installer des bancs. La Ville accompagne le projet ; il reste à financer les végétaux et à mobiliser les voisins.',
		themes: ['environment', 'housing'],
		legalForm: 'informal_group',
		carrierName: 'Comité de ruelle Saint-Dominique',
		address: 'Ruelle Saint-Dominique, Montréal',
		lat: 45.5188,
		lng: -73.5842,
		startsOn: d('05-01'),
		endsOn: d('09-30'),
		stages: [],
		needs: [
			{
				kind: 'money',
				title: 'Végétaux et terreau',
				goalMinor: '1800',
				currency: 'CAD',
				campaignModel: 'keep_it_all',
				deadline: d('04-15')
			},
			{
				kind: 'volunteers',
				title: 'Corvée de plantation',
				role: 'Planteur·se',
				skills: '',
				shifts: [
					{
						date: d('05-16'),
						startTime: '10:00',
						endTime: '15:00',
						place: 'Ruelle Saint-Dominique',
						capacity: '15'
					}
				]
			}
		]
	},
	{
		owner: 'contributor@parvis.test',
		territory: 'saint-cyprien',
		status: 'published',
		color: '#2e6b30',
		title: 'Repair café for bikes and bits',
		summary:
			'A monthly repair café by the Garonne where students and neighbours fix bikes, lamps and clothes together.',
		description:
			'Every first Saturday, we set up benches by the river and fix whatever people bring. We need tools on loan, a few hours of electronics expertise and volunteers to welcome visitors.',
		themes: ['repair-diy', 'mobility'],
		legalForm: 'association',
		carrierName: 'Fix It Toulouse',
		address: 'Quai de la Daurade, Toulouse',
		lat: 43.6003,
		lng: 1.4398,
		startsOn: d('03-01'),
		endsOn: d('12-31'),
		stages: [],
		needs: [
			{
				kind: 'material',
				title: 'Tool boxes',
				quantity: '5',
				unit: 'tool boxes',
				materialMode: 'lend',
				returnBy: d('12-31'),
				dropoff: 'Maison de quartier Saint-Cyprien'
			},
			{ kind: 'expertise', title: 'Electronics repair', skill: 'electronics', hours: '8' },
			{
				kind: 'volunteers',
				title: 'Welcome desk',
				role: 'Host',
				skills: 'English, French',
				shifts: [
					{
						date: d('03-07'),
						startTime: '14:00',
						endTime: '18:00',
						place: 'Quai de la Daurade',
						capacity: '3'
					}
				]
			}
		]
	},
	{
		owner: 'porteuse@parvis.test',
		territory: 'saint-cyprien',
		status: 'not_funded',
		color: '#6b3fa0',
		title: 'Fablab mobile de Saint-Cyprien',
		summary: 'Un camion-atelier avec imprimantes 3D et découpe laser qui sillonne le quartier.',
		description:
			'Le fablab mobile devait apporter la fabrication numérique au pied des immeubles. La collecte n’a pas atteint son objectif ; l’équipe cherche d’autres partenaires.',
		themes: ['education', 'work'],
		legalForm: 'collective_enterprise',
		carrierName: 'SCIC Fabrique Garonne',
		address: 'Place Intérieure Saint-Cyprien, Toulouse',
		lat: 43.5985,
		lng: 1.4312,
		startsOn: d('02-01'),
		endsOn: d('12-31'),
		stages: [],
		needs: [
			{
				kind: 'money',
				title: 'Aménagement du camion',
				goalMinor: '15000',
				currency: 'EUR',
				campaignModel: 'all_or_nothing',
				deadline: d('01-31')
			},
			{ kind: 'expertise', title: 'Animation d’ateliers', skill: 'fabrication numérique', hours: '40' }
		]
	},
	{
		owner: 'porteuse@parvis.test',
		territory: 'saint-etienne',
		status: 'submitted',
		color: '#8b1f3f',
		title: 'Tournoi de futsal inter-quartiers',
		summary: 'Un tournoi de futsal qui réunit les jeunes de six quartiers de Saint-Étienne.',
		description: 'Douze équipes mixtes, un week-end au gymnase, des arbitres bénévoles et un goûter partagé.',
		themes: ['sport', 'solidarity'],
		legalForm: 'association',
		carrierName: 'AS Quartiers Unis',
		address: 'Gymnase Jean-Jaurès, Saint-Étienne',
		lat: 45.4441,
		lng: 4.396,
		startsOn: d('06-13'),
		endsOn: d('06-14'),
		stages: [],
		needs: [
			{
				kind: 'volunteers',
				title: 'Arbitres',
				role: 'Arbitre',
				skills: 'arbitrage',
				shifts: [
					{
						date: d('06-13'),
						startTime: '09:00',
						endTime: '18:00',
						place: 'Gymnase Jean-Jaurès',
						capacity: '6'
					}
				]
			},
			{
				kind: 'money',
				title: 'Maillots et goûter',
				goalMinor: '900',
				currency: 'EUR',
				campaignModel: 'keep_it_all',
				deadline: d('06-01')
			}
		]
	},
	{
		owner: 'contributor@parvis.test',
		territory: 'toulouse',
		status: 'changes_requested',
		color: '#355c7d',
		title: 'Shared tool library',
		summary: 'A library of things where neighbours borrow drills, ladders and sewing machines.',
		description: 'We collect donated tools, check them and lend them for a week at a time.',
		themes: ['exchange', 'repair-diy'],
		legalForm: 'association',
		carrierName: 'Toulouse Tool Library',
		address: '',
		lat: 43.6047,
		lng: 1.4442,
		startsOn: d('04-01'),
		endsOn: d('12-31'),
		stages: [],
		needs: [
			{
				kind: 'material',
				title: 'Cordless drills',
				quantity: '6',
				unit: 'drills',
				materialMode: 'give',
				dropoff: 'To be decided'
			}
		],
		reason: 'Merci de préciser le lieu de prêt et les horaires d’ouverture.'
	},
	{
		owner: 'porteuse@parvis.test',
		territory: 'saint-etienne',
		status: 'draft',
		color: '#4a4a4a',
		title: 'Fresque participative du quai',
		summary: 'Une fresque peinte avec les habitants sur le mur du quai.',
		description: 'Brouillon : à compléter avec les artistes du collectif.',
		themes: ['culture'],
		legalForm: 'informal_group',
		carrierName: 'Collectif Mur Ouvert',
		address: '',
		lat: 45.4385,
		lng: 4.3901,
		startsOn: d('07-01'),
		endsOn: d('07-31'),
		stages: [],
		needs: [
			{
				kind: 'material',
				title: 'Pots de peinture',
				quantity: '30',
				unit: 'pots',
				materialMode: 'give',
				dropoff: ''
			}
		]
	},
	{
		owner: 'contributor@parvis.test',
		territory: 'montreal',
		status: 'declined',
		color: '#7d3535',
		title: 'Festival de food trucks',
		summary: 'Un festival commercial de camions de cuisine de rue.',
		description: 'Un week-end de restauration de rue.',
		themes: ['food'],
		legalForm: 'company',
		carrierName: 'Événements Gourmands inc.',
		address: 'Parc La Fontaine, Montréal',
		lat: 45.5273,
		lng: -73.5697,
		startsOn: d('08-01'),
		endsOn: d('08-02'),
		stages: [],
		needs: [
			{
				kind: 'money',
				title: 'Location du parc',
				goalMinor: '20000',
				currency: 'CAD',
				campaignModel: 'keep_it_all',
				deadline: d('07-01')
			}
		],
		reason:
			'Projet commercial : il ne répond pas au critère d’intérêt général et finance des frais de fonctionnement.'
	},
	{
		owner: 'porteuse@parvis.test',
		territory: 'tarentaize-beaubrun',
		status: 'cancelled',
		color: '#555555',
		title: 'Bal populaire de la Saint-Jean',
		summary: 'Un bal en plein air pour la Saint-Jean, place Jacquard.',
		description: 'Annulé faute de salle de repli en cas de pluie.',
		themes: ['culture'],
		legalForm: 'association',
		carrierName: 'Comité des fêtes de Beaubrun',
		address: 'Place Jacquard, Saint-Étienne',
		lat: 45.4431,
		lng: 4.3867,
		startsOn: d('06-24'),
		endsOn: d('06-24'),
		stages: [],
		needs: [
			{
				kind: 'volunteers',
				title: 'Montage de la scène',
				role: 'Montage',
				skills: '',
				shifts: [
					{ date: d('06-24'), startTime: '14:00', endTime: '18:00', place: 'Place Jacquard', capacity: '6' }
				]
			}
		],
		reason: 'Pas de salle de repli en cas de pluie : le bal est reporté à l’an prochain.'
	}
];

/** A generated cover (CC0): the project's colour with simple shapes, rendered by sharp. */
async function cover(color: string, seed: number): Promise<Buffer> {
	const circles = Array.from({ length: 6 }, (_, i) => {
		const x = (seed * 97 + i * 211) % 1200;
		const y = (seed * 53 + i * 137) % 750;
		const r = 60 + ((seed + i * 31) % 140);
		return `<circle cx="${x}" cy="${y}" r="${r}" fill="#ffffff" fill-opacity="${0.06 + (i % 3) * 0.05}"/>`;
	}).join('');
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="750"><rect width="1200" height="750" fill="${color}"/>${circles}<path d="M0 600 Q300 520 600 600 T1200 600 V750 H0Z" fill="#000" fill-opacity="0.18"/></svg>`;
	return sharp(Buffer.from(svg)).webp({ quality: 80 }).toBuffer();
}

async function actorFor(email: string): Promise<Actor> {
	const [u] = await db().select().from(users).where(eq(users.email, email));
	const mods = await db().select().from(moderatorAssignments).where(eq(moderatorAssignments.userId, u.id));
	return {
		id: u.id,
		email: u.email,
		displayName: u.displayName,
		locale: u.locale,
		isAdmin: u.isAdmin,
		moderatorOf: mods.map((m) => m.territoryId),
		sessionId: 'demo'
	};
}

/** Loads the demo projects through the real commands (creation, needs, submission, review). */
export async function loadDemoProjects(): Promise<number> {
	const admin = await actorFor('admin@parvis.test');
	const allTerritories = await db().select().from(territories);
	const allThemes = await db().select().from(themes);
	const criteria = await listCriteria();
	const yes = Object.fromEntries(criteria.map((c) => [c.id, { meets: true, explanation: '' }]));
	const pass = Object.fromEntries(criteria.map((c) => [c.id, { passes: true, note: '' }]));
	for (const [i, p] of DEMO_PROJECTS.entries()) {
		const owner = await actorFor(p.owner);
		const territory = allTerritories.find((t) => t.slug === p.territory)!;
		const created = await createProject(owner, {
			title: p.title,
			summary: p.summary,
			description: p.description,
			territoryId: territory.id,
			themes: p.themes.map((s) => allThemes.find((t) => t.slug === s)!.id),
			legalForm: p.legalForm,
			carrierName: p.carrierName,
			address: p.address,
			lat: String(p.lat),
			lng: String(p.lng),
			startsOn: p.startsOn,
			endsOn: p.endsOn
		} as never);
		const key = `projects/${created.id}/cover-demo.webp`;
		await storage().put(key, await cover(p.color, i + 3));
		await db().update(projects).set({ coverImage: key, coverAlt: '' }).where(eq(projects.id, created.id));
		const stageIds: string[] = [];
		for (const s of p.stages) stageIds.push((await addStage(owner, created.id, s)).id);
		for (const n of p.needs) {
			const { shifts: needShifts, stage, ...fields } = n;
			const need = await addNeed(owner, created.id, {
				...fields,
				stageId: stage === undefined ? '' : stageIds[stage]
			} as never);
			for (const s of needShifts ?? []) await addShift(owner, created.id, need.id, s);
		}
		if (p.status === 'draft') continue;
		await submitProject(owner, created.id, { answers: yes });
		if (p.status === 'submitted') continue;
		if (p.status === 'changes_requested' || p.status === 'declined') {
			await reviewProject(admin, created.id, {
				decision: p.status === 'declined' ? 'decline' : 'request_changes',
				message: p.reason ?? '',
				judgements: pass
			});
			continue;
		}
		await reviewProject(admin, created.id, { decision: 'approve', judgements: pass });
		// Later states are reached by the deadline job and the team; the demo moves there directly.
		const path: Record<string, ProjectStatus[]> = {
			funded: ['funded'],
			not_funded: ['not_funded'],
			in_progress: ['in_progress'],
			completed: ['in_progress', 'completed'],
			cancelled: ['cancelled']
		};
		for (const to of path[p.status] ?? []) {
			await db().transaction(async (tx) => {
				const row = await lockProject(tx, created.id);
				await moveProject(tx, row, to, owner.id, to === p.status ? (p.reason ?? '') : '');
			});
		}
		await refreshSearch(db(), created.id);
	}
	await loadDemoReceiptIssuers(admin);
	await loadDemoContributions();
	return DEMO_PROJECTS.length;
}

/** Two carriers that may issue tax receipts: a French association of general interest and a Québec charity. */
async function loadDemoReceiptIssuers(admin: Actor): Promise<void> {
	const bySlug = async (slugPart: string) =>
		(await db().select({ id: projects.id, slug: projects.slug }).from(projects)).find((p) =>
			p.slug.startsWith(slugPart)
		)!.id;
	await setProjectIssuer(admin, await bySlug('atelier-de-reparation'), {
		name: 'Vélocité stéphanoise',
		address: '12 rue de la Badouillère, 42000 Saint-Étienne',
		legalStatus: 'Association d’intérêt général (loi 1901)',
		country: 'FR',
		registrationNumber: 'W423004567',
		eligible: 'on'
	});
	await setProjectIssuer(admin, await bySlug('frigo-communautaire'), {
		name: 'Solidarité Plateau',
		address: '4273 rue Saint-Dominique, Montréal (Québec) H2W 2A9',
		legalStatus: 'Organisme de bienfaisance enregistré',
		country: 'CA',
		registrationNumber: '888888888 RR 0001',
		eligible: 'on'
	});
}

/** A few gifts of every kind on the open demo projects, through the real commands and the test payment method. */
async function loadDemoContributions(): Promise<void> {
	const people = await Promise.all(
		[
			'contributor@parvis.test',
			'moderation.loire@parvis.test',
			'moderation.quebec@parvis.test',
			'admin@parvis.test'
		].map(actorFor)
	);
	const [sam, malik, genevieve, camille] = people;
	const needOf = async (slugPart: string, title: string) => {
		const rows = await db()
			.select({ need: needs, slug: projects.slug })
			.from(needs)
			.innerJoin(projects, eq(projects.id, needs.projectId));
		return rows.find((r) => r.slug.startsWith(slugPart) && r.need.title === title)!.need;
	};
	const give = async (
		who: Actor,
		slugPart: string,
		title: string,
		amount: number,
		tip: number,
		anonymous = false
	) => {
		const need = await needOf(slugPart, title);
		const { contributionId } = await donate(who, need.id, {
			amountMinor: String(amount),
			tipMinor: String(tip),
			anonymous,
			message: '',
			method: 'test',
			idempotencyKey: randomUUID()
		});
		await completePayment({
			contributionId,
			providerEvent: `test:${contributionId}`,
			outcome: 'succeeded',
			amountMinor: (amount + tip) * 100,
			currency: need.currency!
		});
		return contributionId;
	};
	await give(sam, 'jardin-partage', 'Bacs, terre et outils', 25, 2);
	await give(malik, 'jardin-partage', 'Bacs, terre et outils', 40, 0, true);
	const camilleGift = await give(camille, 'atelier-de-reparation', 'Pied d’atelier et clés', 120, 10);
	await requestReceipt(camille, camilleGift, {
		donorName: camille.displayName,
		donorAddress: '8 place Jean-Jaurès, 42000 Saint-Étienne'
	});
	await give(sam, 'atelier-de-reparation', 'Pied d’atelier et clés', 35, 0);
	await give(genevieve, 'frigo-communautaire', 'Abri et frigo commercial', 150, 15);
	await give(genevieve, 'ruelle-verte', 'Végétaux et terreau', 600, 30);
	await give(sam, 'ruelle-verte', 'Végétaux et terreau', 1250, 0);
	const shiftOf = async (slugPart: string, title: string) => {
		const need = await needOf(slugPart, title);
		const [s] = await db().select().from(shifts).where(eq(shifts.needId, need.id));
		return s.id;
	};
	await signUpForShift(sam, await shiftOf('jardin-partage', 'Chantier de préparation'));
	await signUpForShift(malik, await shiftOf('jardin-partage', 'Chantier de préparation'));
	await signUpForShift(genevieve, await shiftOf('atelier-de-reparation', 'Mécanos du jeudi'));
	await pledgeMaterial(camille, (await needOf('jardin-partage', 'Planches pour les bacs')).id, {
		quantity: '12',
		materialMode: 'give',
		returnBy: null,
		message: 'Des chutes de chantier en bon état.'
	});
	await pledgeMaterial(sam, (await needOf('repar-cafe', 'Tables pliantes')).id, {
		quantity: '2',
		materialMode: 'lend',
		returnBy: `${Y}-02-22`,
		message: ''
	});
	await offerExpertise(genevieve, (await needOf('jardin-partage', 'Conseil en permaculture')).id, {
		hours: '2',
		message: 'Formée en permaculture urbaine.'
	});
}
