// Every write command of the domains, called directly (as an API route, a job or another domain
// would, without a form in front) with bad input, answers AppError('validation') with the message key
// of each bad field: never a ZodError, never a database error (a malformed id used to reach
// PostgreSQL, which refuses it with a 500). One row per command; the last test checks that every
// file under <domain>/commands/ has its row, so a new command cannot skip validation unnoticed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { useTestDatabase } from '../../../tests/db';
import { buildUser, ctx } from '../../../tests/factories/accounts';
import { buildTerritory } from '../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../tests/factories/projects';
import { AppError } from './platform/errors';
import * as accounts from './accounts';
import * as territories from './territories';
import * as projects from './projects';
import * as needs from './needs';
import * as moderation from './moderation';
import * as contributions from './contributions';
import * as receipts from './receipts';

useTestDatabase();

type Actor = accounts.Actor;
let admin: Actor;
let owner: Actor;
let giver: Actor;
let territoryId: string;
let draftId: string;
let liveId: string;
let volunteersNeedId: string;
let materialNeedId: string;
let expertiseNeedId: string;

const BAD_ID = 'not-an-id';
const future = `${new Date().getFullYear() + 1}-06-01`;

beforeAll(async () => {
	admin = (await buildUser({ isAdmin: true })).actor;
	owner = (await buildUser()).actor;
	giver = (await buildUser()).actor;
	territoryId = (await buildTerritory()).id;
	draftId = (await buildProject(owner, territoryId, { title: 'Brouillon' })).id;
	const live = await buildProject(owner, territoryId, { title: 'Publié' });
	liveId = live.id;
	const material = await needs.addNeed(owner, liveId, {
		kind: 'material',
		title: 'Chaises',
		quantity: 10,
		unit: '',
		materialMode: 'give',
		returnBy: null,
		dropoff: '',
		stageId: null
	} as never);
	const expertise = await needs.addNeed(owner, liveId, {
		kind: 'expertise',
		title: 'Comptable',
		skill: 'Comptabilité',
		hours: 10,
		stageId: null
	} as never);
	await publishProject(owner, admin, liveId);
	materialNeedId = material.id;
	expertiseNeedId = expertise.id;
	const page = await projects.getProjectPage(owner, live.slug);
	volunteersNeedId = page.project.needs.find((n) => n.kind === 'volunteers')!.id;
});

const territory = {
	slug: 'lieu',
	nameFr: 'Lieu',
	nameEn: 'Place',
	kind: 'city',
	parentId: null,
	lat: null,
	lng: null
};
const theme = { slug: 'theme', nameFr: 'Thème', nameEn: 'Theme' };
const criterion = { slug: 'critere', labelFr: 'Critère', labelEn: 'Criterion', helpFr: '', helpEn: '' };
const stage = { name: 'Étape', description: '', startsOn: null, endsOn: null };
const need = { kind: 'volunteers', title: 'Aide', role: 'Aide', skills: '', stageId: null };
const shift = { date: future, startTime: '09:00', endTime: '12:00', place: '', capacity: 3 };
const donor = { donorName: 'Ana Martin', donorAddress: '1 rue des Lilas, Lyon' };
const emptyFile = new File([], 'vide.png', { type: 'image/png' });

/** [command file, call with bad input, the field that must carry the error]. */
const cases: [string, () => Promise<unknown>, string][] = [
	// accounts
	['accounts/sign-in', () => accounts.signIn({ email: 'nope', password: '' }, ctx), 'email'],
	[
		'accounts/delete-account',
		() => accounts.deleteAccount(owner, { currentPassword: '' }, ctx),
		'currentPassword'
	],
	[
		'accounts/sign-up',
		() => accounts.signUp({ displayName: '', email: 'nope', password: 'x', locale: 'de' } as never, ctx),
		'email'
	],
	['accounts/request-password-reset', () => accounts.requestPasswordReset('pas une adresse', ctx), 'email'],
	['accounts/reset-password', () => accounts.resetPassword({ token: '', password: 'court' }, ctx), 'token'],
	[
		'accounts/change-password',
		() => accounts.changePassword(owner, { currentPassword: '', newPassword: 'x' }, ctx),
		'newPassword'
	],
	[
		'accounts/change-email',
		() => accounts.requestEmailChange(owner, { newEmail: 'nope', currentPassword: 'x' }, ctx),
		'newEmail'
	],
	[
		'accounts/update-profile',
		() => accounts.updateProfile(owner, { displayName: '', locale: 'fr' } as never),
		'displayName'
	],
	['accounts/grant-moderator', () => accounts.grantModerator(admin, BAD_ID, territoryId, ctx), 'userId'],
	['accounts/revoke-moderator', () => accounts.revokeModerator(admin, owner.id, BAD_ID, ctx), 'territoryId'],
	['accounts/set-administrator', () => accounts.setAdministrator(admin, BAD_ID, true, ctx), 'userId'],
	[
		'accounts/create-first-admin',
		() =>
			accounts.createFirstAdmin(
				{ token: '', displayName: 'A', email: 'a@example.org', password: 'long enough pass', locale: 'fr' },
				ctx
			),
		'token'
	],
	// territories
	[
		'territories/create-territory',
		() => territories.createTerritory(admin, { ...territory, slug: 'Pas Bon' } as never, ctx),
		'slug'
	],
	[
		'territories/update-territory',
		() => territories.updateTerritory(admin, BAD_ID, territory as never, ctx),
		'id'
	],
	[
		'territories/set-territory-archived',
		() => territories.setTerritoryArchived(admin, BAD_ID, true, ctx),
		'id'
	],
	[
		'territories/move-territory',
		() => territories.moveTerritory(admin, territoryId, 'sideways' as never, ctx),
		'direction'
	],
	['territories/create-theme', () => territories.createTheme(admin, { ...theme, nameFr: '' }, ctx), 'nameFr'],
	['territories/update-theme', () => territories.updateTheme(admin, BAD_ID, theme, ctx), 'id'],
	['territories/set-theme-archived', () => territories.setThemeArchived(admin, BAD_ID, false, ctx), 'id'],
	['territories/move-theme', () => territories.moveTheme(admin, BAD_ID, 'up', ctx), 'id'],
	// projects
	[
		'projects/create-project',
		() => projects.createProject(owner, { title: '', territoryId } as never),
		'title'
	],
	[
		'projects/update-project',
		() => projects.updateProject(owner, draftId, { title: 'Jardin', territoryId: BAD_ID } as never),
		'territoryId'
	],
	[
		'projects/set-offline-instructions',
		() => projects.setOfflineInstructions(owner, liveId, { offlineInstructions: 'x'.repeat(1001) }),
		'offlineInstructions'
	],
	['projects/set-cover', () => projects.setCover(owner, draftId, emptyFile, ''), 'cover'],
	['projects/add-stage', () => projects.addStage(owner, draftId, { ...stage, name: '' }), 'name'],
	['projects/update-stage', () => projects.updateStage(owner, draftId, BAD_ID, stage), 'stageId'],
	['projects/delete-stage', () => projects.deleteStage(owner, draftId, BAD_ID), 'stageId'],
	['projects/invite-editor', () => projects.inviteEditor(owner, draftId, 'pas une adresse'), 'email'],
	['projects/remove-member', () => projects.removeMember(owner, draftId, BAD_ID), 'userId'],
	['projects/cancel-project', () => projects.cancelProject(owner, draftId, '   '), 'reason'],
	['projects/complete-project', () => projects.completeProject(owner, liveId, 'x'.repeat(2001)), 'account'],
	// needs
	['needs/add-need', () => needs.addNeed(owner, draftId, { ...need, title: '' } as never), 'title'],
	['needs/update-need', () => needs.updateNeed(owner, draftId, BAD_ID, need as never), 'needId'],
	['needs/delete-need', () => needs.deleteNeed(owner, draftId, BAD_ID), 'needId'],
	[
		'needs/add-shift',
		() => needs.addShift(owner, liveId, volunteersNeedId, { ...shift, startTime: '25:00' }),
		'startTime'
	],
	['needs/update-shift', () => needs.updateShift(owner, liveId, volunteersNeedId, BAD_ID, shift), 'shiftId'],
	['needs/delete-shift', () => needs.deleteShift(owner, liveId, BAD_ID, BAD_ID), 'needId'],
	// moderation
	[
		'moderation/create-criterion',
		() => moderation.createCriterion(admin, { ...criterion, slug: '' }, ctx),
		'slug'
	],
	['moderation/update-criterion', () => moderation.updateCriterion(admin, BAD_ID, criterion, ctx), 'id'],
	[
		'moderation/set-criterion-archived',
		() => moderation.setCriterionArchived(admin, BAD_ID, true, ctx),
		'id'
	],
	['moderation/move-criterion', () => moderation.moveCriterion(admin, BAD_ID, 'down', ctx), 'id'],
	[
		'moderation/submit-project',
		() => moderation.submitProject(owner, draftId, { answers: 'oui' } as never),
		'answers'
	],
	[
		'moderation/review-project',
		() => moderation.reviewProject(admin, draftId, { decision: 'maybe', judgements: {} } as never),
		'decision'
	],
	// contributions
	['contributions/sign-up-for-shift', () => contributions.signUpForShift(giver, BAD_ID), 'shiftId'],
	['contributions/cancel-signup', () => contributions.cancelSignup(giver, BAD_ID), 'contributionId'],
	[
		'contributions/mark-attendance',
		() => contributions.markAttendance(owner, BAD_ID, true),
		'contributionId'
	],
	[
		'contributions/pledge-material',
		() =>
			contributions.pledgeMaterial(giver, materialNeedId, {
				quantity: 0,
				materialMode: 'give',
				returnBy: null
			}),
		'quantity'
	],
	['contributions/cancel-pledge', () => contributions.cancelPledge(giver, BAD_ID), 'contributionId'],
	[
		'contributions/mark-material',
		() => contributions.markMaterial(owner, BAD_ID, 'received'),
		'contributionId'
	],
	[
		'contributions/offer-expertise',
		() => contributions.offerExpertise(giver, expertiseNeedId, { hours: 'beaucoup' } as never),
		'hours'
	],
	[
		'contributions/decide-expertise',
		() => contributions.decideExpertise(owner, BAD_ID, 'accepted'),
		'contributionId'
	],
	['contributions/cancel-offer', () => contributions.cancelOffer(giver, BAD_ID), 'contributionId'],
	['contributions/thank-contributors', () => contributions.thankContributors(owner, liveId, '  '), 'message'],
	// receipts
	[
		'receipts/set-project-issuer',
		() =>
			receipts.setProjectIssuer(admin, liveId, {
				name: '',
				address: '',
				legalStatus: '',
				country: 'FR',
				eligible: true
			}),
		'name'
	],
	['receipts/request-receipt', () => receipts.requestReceipt(giver, BAD_ID, donor), 'contributionId'],
	[
		'receipts/request-yearly-receipt',
		() => receipts.requestYearlyReceipt(giver, BAD_ID, 2026, donor),
		'issuerId'
	]
];

/**
 * Command files without a row, and why: their only inputs are ids a route has already resolved, or a
 * token that any string may be (a wrong one is `invalid_token`); or internal callers with stored values.
 */
const WITHOUT_INPUT: Record<string, string> = {
	'accounts/verify-email': 'a token: any string, a wrong one is invalid_token',
	'accounts/resend-verification': 'answers the same for any address (tested below)',
	'accounts/issue-setup-token': 'no input',
	'projects/accept-invitation': 'a token: any string, a wrong one is invalid_token',
	'projects/start-project': 'only the project id, resolved by the route',
	'needs/close-campaign': 'internal: the closing job, inside its transaction',
	'projects/forget-invitations': 'internal: called by account deletion with the stored address',
	'receipts/expire-donor-details': 'internal: the nightly retention job, no input'
};

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
	try {
		await run();
		return null;
	} catch (e) {
		return e;
	}
}

describe('every command validates its input with field errors', () => {
	it.each(cases)('%s', async (_file, run, field) => {
		const e = await outcome(run);
		expect(e).not.toBeInstanceOf(ZodError);
		expect(e, `expected AppError, got ${String(e)}`).toBeInstanceOf(AppError);
		const error = e as AppError;
		expect(error.code).toBe('validation');
		expect(Object.keys(error.fields)).toContain(field);
		// A message key (messages/*.json), not zod's English text.
		expect(error.fields[field]).toMatch(/^[a-z]+_[a-z_]+$/);
	});

	it('asks for a new verification link with a malformed address without an error, sending nothing', async () => {
		await expect(accounts.resendVerification('pas une adresse', ctx)).resolves.toBeUndefined();
	});

	it('has a row for every command file of the domains', () => {
		const domains = [
			'accounts',
			'territories',
			'needs',
			'projects',
			'moderation',
			'contributions',
			'receipts'
		];
		const files = domains.flatMap((d) =>
			readdirSync(join(import.meta.dirname, d, 'commands'))
				.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
				.map((f) => `${d}/${f.replace(/\.ts$/, '')}`)
		);
		const covered = new Set([...cases.map(([file]) => file), ...Object.keys(WITHOUT_INPUT)]);
		expect(files.filter((f) => !covered.has(f))).toEqual([]);
		expect([...covered].filter((f) => !files.includes(f))).toEqual([]);
	});
});
