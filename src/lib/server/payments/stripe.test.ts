// Stripe without network: a local HTTP server stands in for Stripe's API (the SDK's host, port and
// protocol options point at it) and webhooks are signed with generateTestHeaderString.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/db';
import { buildUser } from '../../../../tests/factories/accounts';
import { buildTerritory } from '../../../../tests/factories/territories';
import { buildProject, publishProject } from '../../../../tests/factories/projects';
import { flushMail } from '../../../../tests/factories/mail';
import { db } from '../db/client';
import type { Actor } from '../accounts';
import { addNeed } from '../needs';
import { contributions } from '../contributions/schema';
import { getMyContribution } from '../contributions';
import { auditLog } from '../platform/schema';
import { campaignBalances, checkLedger, projectMoney } from '../ledger';
import { t } from '$lib/i18n';
import { currentBoss } from '../platform/jobs';
import { cancelProject } from '../projects';
import {
	donate,
	closeDueCampaigns,
	refundDonation,
	listGiftsForAdmin,
	releaseProjectPledges,
	RELEASE_PLEDGES_JOB
} from './index';
import {
	awaitsConfirmation,
	chargePledgeWithStripe,
	confirmationCheckout,
	givePledgeBackWithStripe,
	handleStripeEvent,
	parseStripeRef,
	releasePledgeWithStripe,
	StripeConfirmationRequired,
	StripeSignatureError
} from './stripe';
import { POST } from '../../../routes/api/v1/webhooks/stripe/+server';

const WEBHOOK_SECRET = 'whsec_test_parvis';
process.env.STRIPE_SECRET_KEY = 'sk_test_parvis';
process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
process.env.STRIPE_API_HOST = '127.0.0.1';
process.env.STRIPE_API_PROTOCOL = 'http';
useTestDatabase();

// ---------------------------------------------------------------------------------------------
// A stand-in for Stripe's API

interface Recorded {
	method: string;
	path: string;
	idempotencyKey: string | null;
	body: URLSearchParams;
}

const requests: Recorded[] = [];
/** Idempotency: the same key answers the same response, as Stripe does. */
const replies = new Map<string, { status: number; body: unknown }>();
const setupIntents = new Map<string, Record<string, unknown>>();
/** Checkout Sessions created, as Stripe keeps them (a test may expire one). */
const checkoutSessions = new Map<string, Record<string, unknown>>();
/** Customers whose off-session charge needs the donor's authentication. */
const needsAuthentication = new Set<string>();
/**
 * The balance transaction of a payment's charge (Stripe's fee, in the currency it settles in). A payment
 * not listed here has no balance transaction yet. Off-session charges get Stripe's European card rate.
 */
const settled = new Map<string, { fee: number; currency: string }>();
const europeanCardFee = (amount: number) => Math.round(amount * 0.015) + 25;
/** Refunds as Stripe keeps them, by id (a test may settle one, or make one "in the dashboard"). */
const refunds = new Map<string, Record<string, unknown> & { id: string; charge: string; amount: number }>();
/** The status Stripe gives a refund it creates (cards are often immediate; here pending by default). */
let refundStatus: 'pending' | 'succeeded' | 'failed' = 'pending';
/** What a PaymentIntent took (for a full refund with no amount); tests set it for the payments they fake. */
const paymentAmounts = new Map<string, number>();
let server: Server;
let counter = 0;

const nextId = (prefix: string) => `${prefix}_test_${++counter}`;

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let data = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (data += chunk));
		req.on('end', () => resolve(data));
		req.on('error', reject);
	});
}

function answer(method: string, path: string, body: URLSearchParams): { status: number; body: unknown } {
	const metadata = (prefix: string) =>
		Object.fromEntries(
			[...body.entries()]
				.filter(([k]) => k.startsWith(`${prefix}[`))
				.map(([k, v]) => [k.slice(prefix.length + 1, -1), v])
		);
	if (method === 'POST' && path === '/v1/customers')
		return { status: 200, body: { id: nextId('cus'), object: 'customer', email: body.get('email') } };
	if (method === 'POST' && path === '/v1/checkout/sessions') {
		const id = nextId('cs');
		const session = {
			id,
			object: 'checkout.session',
			mode: body.get('mode'),
			status: 'open',
			payment_status: 'unpaid',
			client_reference_id: body.get('client_reference_id'),
			customer: body.get('customer'),
			metadata: metadata('metadata'),
			url: `https://checkout.stripe.test/c/pay/${id}`
		};
		checkoutSessions.set(id, session);
		return { status: 200, body: session };
	}
	const session = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
	if (method === 'GET' && session && checkoutSessions.has(session[1]))
		return { status: 200, body: checkoutSessions.get(session[1]) };
	if (method === 'POST' && path === '/v1/payment_intents') {
		const id = nextId('pi');
		const customer = body.get('customer')!;
		const pi = {
			id,
			object: 'payment_intent',
			amount: Number(body.get('amount')),
			currency: body.get('currency'),
			customer,
			metadata: metadata('metadata')
		};
		if (needsAuthentication.has(customer))
			return {
				status: 402,
				body: {
					error: {
						type: 'card_error',
						code: 'authentication_required',
						message: 'This payment requires authentication.',
						payment_intent: { ...pi, status: 'requires_payment_method' }
					}
				}
			};
		settled.set(id, { fee: europeanCardFee(pi.amount), currency: pi.currency! });
		return { status: 200, body: { ...pi, status: 'succeeded', amount_received: pi.amount } };
	}
	let m = /^\/v1\/payment_intents\/([^/]+)\/(capture|cancel)$/.exec(path);
	if (method === 'POST' && m)
		return {
			status: 200,
			body: {
				id: m[1],
				object: 'payment_intent',
				status: m[2] === 'capture' ? 'succeeded' : 'canceled'
			}
		};
	m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
	if (method === 'GET' && m) {
		const bt = settled.get(m[1]);
		return {
			status: 200,
			body: {
				id: m[1],
				object: 'payment_intent',
				status: 'succeeded',
				latest_charge: {
					id: `ch_for_${m[1]}`,
					object: 'charge',
					balance_transaction: bt
						? { id: `txn_for_${m[1]}`, object: 'balance_transaction', fee: bt.fee, currency: bt.currency }
						: null
				}
			}
		};
	}
	if (method === 'POST' && path === '/v1/refunds') {
		const pi = body.get('payment_intent')!;
		const refund = {
			id: nextId('re'),
			object: 'refund',
			amount: Number(body.get('amount') ?? paymentAmounts.get(pi) ?? 0),
			currency: 'eur',
			charge: `ch_for_${pi}`,
			payment_intent: pi,
			status: refundStatus,
			reason: body.get('reason'),
			metadata: metadata('metadata')
		};
		refunds.set(refund.id, refund);
		return { status: 200, body: refund };
	}
	if (method === 'GET' && path === '/v1/refunds') {
		const data = [...refunds.values()].filter((r) => r.charge === body.get('charge'));
		return { status: 200, body: { object: 'list', url: '/v1/refunds', has_more: false, data } };
	}
	m = /^\/v1\/payment_methods\/([^/]+)\/detach$/.exec(path);
	if (method === 'POST' && m)
		return { status: 200, body: { id: m[1], object: 'payment_method', customer: null } };
	m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
	if (method === 'POST' && m && checkoutSessions.has(m[1])) {
		const expired = { ...checkoutSessions.get(m[1]), status: 'expired', url: null };
		checkoutSessions.set(m[1], expired);
		return { status: 200, body: expired };
	}
	m = /^\/v1\/setup_intents\/([^/]+)$/.exec(path);
	if (method === 'GET' && m && setupIntents.has(m[1])) return { status: 200, body: setupIntents.get(m[1]) };
	return {
		status: 404,
		body: { error: { type: 'invalid_request_error', message: `No stand-in for ${method} ${path}` } }
	};
}

beforeAll(async () => {
	server = createServer(async (req, res) => {
		const url = new URL(req.url!, 'http://127.0.0.1');
		const body = new URLSearchParams(await readBody(req));
		// A GET's parameters come in its query string.
		for (const [k, v] of url.searchParams) body.append(k, v);
		const idempotencyKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
		requests.push({ method: req.method!, path: url.pathname, idempotencyKey, body });
		const cacheKey = idempotencyKey && `${req.method} ${url.pathname} ${idempotencyKey}`;
		let reply = cacheKey ? replies.get(cacheKey) : undefined;
		if (!reply) {
			reply = answer(req.method!, url.pathname, body);
			if (cacheKey) replies.set(cacheKey, reply);
		}
		res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': nextId('req') });
		res.end(JSON.stringify(reply.body));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	process.env.STRIPE_API_PORT = String((server.address() as AddressInfo).port);
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
	requests.length = 0;
});

// ---------------------------------------------------------------------------------------------
// Signed webhooks

function signedEvent(type: string, object: Record<string, unknown>, id = nextId('evt')) {
	const payload = JSON.stringify({
		id,
		object: 'event',
		api_version: Stripe.API_VERSION,
		created: Math.floor(Date.now() / 1000),
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type,
		data: { object }
	});
	return {
		payload,
		signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET })
	};
}

function deliver(event: { payload: string; signature: string }): Promise<Response> {
	const request = new Request('http://localhost:3000/api/v1/webhooks/stripe', {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
		body: event.payload
	});
	return POST({ request } as Parameters<typeof POST>[0]) as Promise<Response>;
}

const sessionCompleted = (
	contributionId: string,
	pi: string,
	amountTotal: number,
	extra: Record<string, unknown> = {}
) =>
	signedEvent('checkout.session.completed', {
		id: nextId('cs'),
		object: 'checkout.session',
		mode: 'payment',
		status: 'complete',
		payment_status: 'paid',
		amount_total: amountTotal,
		currency: 'eur',
		client_reference_id: contributionId,
		metadata: { contribution_id: contributionId, flow: 'pay' },
		payment_intent: pi,
		...extra
	});

const paymentIntentEvent = (
	type: string,
	contributionId: string,
	pi: string,
	amount: number,
	extra: Record<string, unknown> = {}
) =>
	signedEvent(type, {
		id: pi,
		object: 'payment_intent',
		amount,
		amount_received: type === 'payment_intent.succeeded' ? amount : 0,
		amount_capturable: 0,
		currency: 'eur',
		status: type === 'payment_intent.succeeded' ? 'succeeded' : 'requires_payment_method',
		metadata: { contribution_id: contributionId },
		...extra
	});

function setupIntent(contributionId: string, customer: string) {
	const si = {
		id: nextId('seti'),
		object: 'setup_intent',
		status: 'succeeded',
		customer,
		payment_method: nextId('pm'),
		metadata: { contribution_id: contributionId, flow: 'save' }
	};
	setupIntents.set(si.id, si);
	return si;
}

// ---------------------------------------------------------------------------------------------

let owner: Actor;
let admin: Actor;
let donor: Actor;
let keepId: string;
let keepProjectId: string;
const nextYear = `${new Date().getFullYear() + 1}`;

async function campaign(
	model: 'keep_it_all' | 'all_or_nothing',
	goal: string,
	deadline = `${nextYear}-12-31`
) {
	const t = await buildTerritory();
	const p = await buildProject(owner, t.id, { title: `Campagne ${model} ${randomUUID().slice(0, 4)}` });
	const need = await addNeed(owner, p.id, {
		kind: 'money',
		title: 'Fonds',
		goalMinor: goal,
		currency: 'EUR',
		campaignModel: model,
		deadline
	} as never);
	await publishProject(owner, admin, p.id);
	return { project: p, needId: need.id };
}

const gift = (amount: string, tip = '0') => ({
	amountMinor: amount,
	tipMinor: tip,
	anonymous: false,
	message: '',
	method: 'stripe' as const,
	idempotencyKey: randomUUID()
});

const balance = async (needId: string) => (await campaignBalances(db(), [needId])).get(needId) ?? 0;
const contribution = async (id: string) =>
	(await db().select().from(contributions).where(eq(contributions.id, id)))[0];
const groups = async (id: string) =>
	Number(
		(
			await db().execute<{ n: number }>(
				sql`SELECT count(*)::int AS n FROM ledger_groups WHERE contribution_id = ${id}`
			)
		).rows[0].n
	);

/** What the ledger's fees account took on a gift (positive). */
const feesOf = async (id: string) =>
	Number(
		(
			await db().execute<{ fee: string }>(sql`
				SELECT coalesce(-sum(e.amount_minor), 0)::text AS fee
				FROM ledger_entries e
				JOIN ledger_groups g ON g.id = e.group_id
				JOIN ledger_accounts a ON a.id = e.account_id
				WHERE g.contribution_id = ${id} AND a.kind = 'fees'`)
		).rows[0].fee
	);

function shuffle<T>(items: T[]): T[] {
	const a = [...items];
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[a[i], a[j]] = [a[j], a[i]];
	}
	return a;
}

beforeAll(async () => {
	owner = (await buildUser()).actor;
	admin = (await buildUser({ isAdmin: true })).actor;
	donor = (await buildUser({ displayName: 'Dora Donatrice' })).actor;
	const kept = await campaign('keep_it_all', '1000');
	keepId = kept.needId;
	keepProjectId = kept.project.id;
});

describe('Stripe Checkout', () => {
	it('start() creates a Checkout Session with the gift, the tip and an idempotency key', async () => {
		const input = gift('25', '2,50');
		const { contributionId, next } = await donate(donor, keepId, input);
		const calls = requests.filter((r) => r.path === '/v1/checkout/sessions');
		expect(calls).toHaveLength(1);
		const [call] = calls;
		expect(next).toEqual({
			kind: 'redirect',
			url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//)
		});
		expect(call.idempotencyKey).toBe(`checkout:${contributionId}`);
		expect(call.body.get('mode')).toBe('payment');
		expect(call.body.get('client_reference_id')).toBe(contributionId);
		expect(call.body.get('metadata[contribution_id]')).toBe(contributionId);
		expect(call.body.get('payment_intent_data[metadata][contribution_id]')).toBe(contributionId);
		expect(call.body.get('payment_intent_data[capture_method]')).toBeNull();
		expect(call.body.get('line_items[0][price_data][unit_amount]')).toBe('2500');
		expect(call.body.get('line_items[0][price_data][currency]')).toBe('eur');
		expect(call.body.get('line_items[1][price_data][unit_amount]')).toBe('250');
		expect(call.body.get('success_url')).toBe(`http://localhost:3000/contributions/${contributionId}`);
		expect(call.body.get('cancel_url')).toBe(`http://localhost:3000/contributions/${contributionId}`);
		// The same form sent again: the same gift, the same session.
		const again = await donate(donor, keepId, input);
		expect(again).toEqual({ contributionId, next });
		expect(requests.filter((r) => r.path === '/v1/checkout/sessions').map((r) => r.idempotencyKey)).toEqual([
			`checkout:${contributionId}`,
			`checkout:${contributionId}`
		]);
	});

	it('20 deliveries of one signed event in random order, with a payment_intent.succeeded for the same payment: one ledger credit', async () => {
		const { contributionId } = await donate(donor, keepId, gift('40', '4'));
		const before = await balance(keepId);
		const pi = nextId('pi');
		const completed = sessionCompleted(contributionId, pi, 4400);
		const deliveries = shuffle([
			...Array.from({ length: 20 }, () => completed),
			paymentIntentEvent('payment_intent.succeeded', contributionId, pi, 4400)
		]);
		const responses = await Promise.all(deliveries.map(deliver));
		expect(responses.map((r) => r.status)).toEqual(Array(21).fill(200));
		expect(await responses[0].json()).toEqual({ received: true });
		expect(await balance(keepId)).toBe(before + 4000);
		expect(await groups(contributionId)).toBe(1);
		const c = await contribution(contributionId);
		expect(c.status).toBe('succeeded');
		expect(c.paymentRef).toBe(pi);
		// Out of order: a failure or an expiry arriving after the success changes nothing.
		const late = [
			paymentIntentEvent('payment_intent.payment_failed', contributionId, pi, 4400),
			signedEvent('checkout.session.expired', {
				id: nextId('cs'),
				object: 'checkout.session',
				mode: 'payment',
				amount_total: 4400,
				currency: 'eur',
				client_reference_id: contributionId,
				metadata: { contribution_id: contributionId },
				payment_intent: pi
			})
		];
		for (const e of late) expect((await deliver(e)).status).toBe(200);
		expect((await contribution(contributionId)).status).toBe('succeeded');
		expect(await balance(keepId)).toBe(before + 4000);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('records the fee Stripe kept, once, on the money page; none when Stripe settles in another currency', async () => {
		const { contributionId } = await donate(donor, keepId, gift('30', '3'));
		const before = await balance(keepId);
		const fees = async () =>
			(await projectMoney(keepProjectId)).totals.find((t) => t.currency === 'EUR')?.feesMinor ?? 0;
		const feesBefore = await fees();
		const pi = nextId('pi');
		settled.set(pi, { fee: europeanCardFee(3300), currency: 'eur' });
		const completed = sessionCompleted(contributionId, pi, 3300);
		const responses = await Promise.all([completed, completed, completed].map(deliver));
		expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
		// The campaign gets the whole gift; the fee comes out of what Stripe pays out.
		expect(await balance(keepId)).toBe(before + 3000);
		expect(await feesOf(contributionId)).toBe(75);
		expect(await fees()).toBe(feesBefore + 75);
		expect(await checkLedger(db())).toEqual([]);

		const other = await donate(donor, keepId, gift('20'));
		const converted = nextId('pi');
		settled.set(converted, { fee: 40, currency: 'usd' });
		expect((await deliver(sessionCompleted(other.contributionId, converted, 2000))).status).toBe(200);
		expect((await contribution(other.contributionId)).status).toBe('succeeded');
		expect(await feesOf(other.contributionId)).toBe(0);
	});

	it('a bad signature is rejected with 400 and nothing happens', async () => {
		const { contributionId } = await donate(donor, keepId, gift('15'));
		const good = sessionCompleted(contributionId, nextId('pi'), 1500);
		const forged = {
			payload: good.payload,
			signature: Stripe.webhooks.generateTestHeaderString({ payload: good.payload, secret: 'whsec_other' })
		};
		const tampered = { payload: good.payload.replace('1500', '1'), signature: good.signature };
		for (const e of [forged, tampered, { payload: good.payload, signature: 'garbage' }]) {
			expect((await deliver(e)).status).toBe(400);
			await expect(handleStripeEvent(e.payload, e.signature)).rejects.toBeInstanceOf(StripeSignatureError);
		}
		expect((await contribution(contributionId)).status).toBe('pending');
		expect(await groups(contributionId)).toBe(0);
	});

	it('an event whose amount or currency differs from the gift is refused, logged and audited', async () => {
		const { contributionId } = await donate(donor, keepId, gift('30'));
		const before = await balance(keepId);
		const cheap = sessionCompleted(contributionId, nextId('pi'), 300);
		expect((await deliver(cheap)).status).toBe(200); // acknowledged: Stripe must not retry
		expect(await handleStripeEvent(cheap.payload, cheap.signature)).toEqual({
			type: 'checkout.session.completed',
			result: 'refused'
		});
		const dollars = sessionCompleted(contributionId, nextId('pi'), 3000, { currency: 'cad' });
		expect((await handleStripeEvent(dollars.payload, dollars.signature)).result).toBe('refused');
		expect((await contribution(contributionId)).status).toBe('pending');
		expect(await balance(keepId)).toBe(before);
		const rows = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'payments.mismatch_refused'), eq(auditLog.targetId, contributionId)));
		expect(rows).toHaveLength(3);
	});

	it('an expired session fails the pending gift; unknown events are acknowledged and ignored', async () => {
		const { contributionId } = await donate(donor, keepId, gift('12'));
		const expired = signedEvent('checkout.session.expired', {
			id: nextId('cs'),
			object: 'checkout.session',
			mode: 'payment',
			amount_total: 1200,
			currency: 'eur',
			client_reference_id: contributionId,
			metadata: { contribution_id: contributionId },
			payment_intent: null
		});
		expect((await handleStripeEvent(expired.payload, expired.signature)).result).toBe('failed');
		expect((await contribution(contributionId)).status).toBe('failed');
		const other = signedEvent('customer.created', { id: nextId('cus'), object: 'customer' });
		expect(await handleStripeEvent(other.payload, other.signature)).toEqual({
			type: 'customer.created',
			result: 'ignored'
		});
		expect((await deliver(other)).status).toBe(200);
	});

	it('answers 404 when Stripe is not configured', async () => {
		const secret = process.env.STRIPE_WEBHOOK_SECRET;
		delete process.env.STRIPE_WEBHOOK_SECRET;
		try {
			expect((await deliver(signedEvent('customer.created', { id: 'cus_x' }))).status).toBe(404);
		} finally {
			process.env.STRIPE_WEBHOOK_SECRET = secret;
		}
	});
});

describe('all-or-nothing with Stripe', () => {
	it('a long campaign saves the card; the pledge is charged off-session at the deadline, once', async () => {
		const { needId } = await campaign('all_or_nothing', '50');
		const { contributionId, next } = await donate(donor, needId, gift('60', '5'));
		expect(next.kind).toBe('redirect');
		const customerCall = requests.find((r) => r.path === '/v1/customers')!;
		expect(customerCall.idempotencyKey).toBe(`customer:${contributionId}`);
		const session = requests.find((r) => r.path === '/v1/checkout/sessions')!;
		expect(session.idempotencyKey).toBe(`checkout:${contributionId}`);
		expect(session.body.get('mode')).toBe('setup');
		expect(session.body.get('currency')).toBe('eur');
		expect(session.body.get('setup_intent_data[metadata][contribution_id]')).toBe(contributionId);
		const customer = session.body.get('customer')!;
		expect(customer).toMatch(/^cus_/);

		// Stripe reports the saved card twice: the session (the card is fetched) and the SetupIntent.
		const si = setupIntent(contributionId, customer);
		const completed = signedEvent('checkout.session.completed', {
			id: nextId('cs'),
			object: 'checkout.session',
			mode: 'setup',
			status: 'complete',
			payment_status: 'no_payment_required',
			amount_total: null,
			currency: 'eur',
			client_reference_id: contributionId,
			metadata: { contribution_id: contributionId, flow: 'save' },
			setup_intent: si.id
		});
		const succeeded = signedEvent('setup_intent.succeeded', si);
		const results = await Promise.all(
			shuffle([completed, succeeded, succeeded]).map((e) => handleStripeEvent(e.payload, e.signature))
		);
		expect(results.map((r) => r.result).sort()).toEqual(['duplicate', 'duplicate', 'pledged']);
		const pledged = await contribution(contributionId);
		expect(pledged.status).toBe('pledged');
		expect(parseStripeRef(pledged.paymentRef)).toEqual({
			setupIntent: si.id,
			customer,
			paymentMethod: si.payment_method
		});
		expect(await balance(needId)).toBe(0);

		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		requests.length = 0;
		await closeDueCampaigns({ charge: chargePledgeWithStripe });
		const charges = requests.filter((r) => r.path === '/v1/payment_intents');
		expect(charges).toHaveLength(1);
		expect(charges[0].idempotencyKey).toBe(`capture:${contributionId}`);
		expect(charges[0].body.get('off_session')).toBe('true');
		expect(charges[0].body.get('confirm')).toBe('true');
		expect(charges[0].body.get('customer')).toBe(customer);
		expect(charges[0].body.get('payment_method')).toBe(si.payment_method);
		expect(charges[0].body.get('amount')).toBe('6500');
		expect(charges[0].body.get('currency')).toBe('eur');
		expect(await balance(needId)).toBe(6000);
		const charged = await contribution(contributionId);
		expect(charged.status).toBe('succeeded');
		const pi = parseStripeRef(charged.paymentRef).paymentIntent!;
		expect(pi).toMatch(/^pi_/);
		// The fee Stripe kept on the charge (1.5 % + €0.25 of €65) is in the ledger beside the gift.
		expect(requests.some((r) => r.method === 'GET' && r.path === `/v1/payment_intents/${pi}`)).toBe(true);
		expect(await feesOf(contributionId)).toBe(europeanCardFee(6500));

		// Stripe's own report of that charge, and a re-run of the job, credit nothing more.
		const report = paymentIntentEvent('payment_intent.succeeded', contributionId, pi, 6500);
		expect((await handleStripeEvent(report.payload, report.signature)).result).toBe('duplicate');
		await closeDueCampaigns({ charge: chargePledgeWithStripe });
		expect(await balance(needId)).toBe(6000);
		expect(await groups(contributionId)).toBe(1);
		expect(await feesOf(contributionId)).toBe(europeanCardFee(6500));
		expect(await checkLedger(db())).toEqual([]);
	});

	it('an abandoned card form (setup session expired) fails the gift', async () => {
		const { needId } = await campaign('all_or_nothing', '50');
		const { contributionId } = await donate(donor, needId, gift('10'));
		const expired = signedEvent('checkout.session.expired', {
			id: nextId('cs'),
			object: 'checkout.session',
			mode: 'setup',
			amount_total: null,
			currency: 'eur',
			client_reference_id: contributionId,
			metadata: { contribution_id: contributionId, flow: 'save' },
			setup_intent: nextId('seti')
		});
		expect((await handleStripeEvent(expired.payload, expired.signature)).result).toBe('failed');
		expect((await contribution(contributionId)).status).toBe('failed');
	});

	it('a campaign ending within 7 days authorizes the card and captures it at the deadline', async () => {
		const soon = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
		const { needId } = await campaign('all_or_nothing', '20', soon);
		const { contributionId } = await donate(donor, needId, gift('25'));
		const session = requests.find((r) => r.path === '/v1/checkout/sessions')!;
		expect(session.body.get('mode')).toBe('payment');
		expect(session.body.get('payment_intent_data[capture_method]')).toBe('manual');
		expect(session.body.get('line_items[0][price_data][unit_amount]')).toBe('2500');
		expect(session.body.get('line_items[1][price_data][unit_amount]')).toBeNull();

		const pi = nextId('pi');
		const authorized = sessionCompleted(contributionId, pi, 2500, {
			payment_status: 'unpaid',
			metadata: { contribution_id: contributionId, flow: 'authorize' }
		});
		const capturable = paymentIntentEvent(
			'payment_intent.amount_capturable_updated',
			contributionId,
			pi,
			2500,
			{
				amount_capturable: 2500,
				status: 'requires_capture'
			}
		);
		const results = await Promise.all(
			[capturable, authorized, authorized].map((e) => handleStripeEvent(e.payload, e.signature))
		);
		expect(results.map((r) => r.result).sort()).toEqual(['duplicate', 'duplicate', 'pledged']);
		expect(await contribution(contributionId)).toMatchObject({ status: 'pledged', paymentRef: pi });

		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		requests.length = 0;
		settled.set(pi, { fee: europeanCardFee(2500), currency: 'eur' });
		await closeDueCampaigns({ charge: chargePledgeWithStripe });
		// The capture, then the charge's balance transaction for Stripe's fee.
		expect(requests.map((r) => [r.method, r.path, r.idempotencyKey])).toEqual([
			['POST', `/v1/payment_intents/${pi}/capture`, `capture:${contributionId}`],
			['GET', `/v1/payment_intents/${pi}`, null]
		]);
		expect(await balance(needId)).toBe(2500);
		expect(await feesOf(contributionId)).toBe(63);
		const captured = paymentIntentEvent('payment_intent.succeeded', contributionId, pi, 2500);
		expect((await handleStripeEvent(captured.payload, captured.signature)).result).toBe('duplicate');
		expect(await groups(contributionId)).toBe(1);
	});

	it('a missed goal releases the authorization', async () => {
		const c = {
			id: randomUUID(),
			paymentMethod: 'stripe',
			paymentRef: 'pi_test_release'
		} as typeof contributions.$inferSelect;
		await releasePledgeWithStripe(c);
		expect(requests.map((r) => [r.path, r.idempotencyKey])).toEqual([
			['/v1/payment_intents/pi_test_release/cancel', `release:${c.id}`]
		]);
	});

	it('a card that needs authentication: the donor is mailed once, and their payment settles the pledge', async () => {
		const { needId } = await campaign('all_or_nothing', '10');
		const { contributionId } = await donate(donor, needId, gift('20', '1'));
		const customer = requests.find((r) => r.path === '/v1/checkout/sessions')!.body.get('customer')!;
		const si = setupIntent(contributionId, customer);
		const saved = signedEvent('setup_intent.succeeded', si);
		expect((await handleStripeEvent(saved.payload, saved.signature)).result).toBe('pledged');
		needsAuthentication.add(customer);

		const pledge = await contribution(contributionId);
		const error = await chargePledgeWithStripe(pledge).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(StripeConfirmationRequired);
		const { confirmUrl, reason } = error as StripeConfirmationRequired;
		expect(reason).toBe('authentication_required');
		expect(confirmUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
		const intent = requests.find((r) => r.path === '/v1/payment_intents')!;
		expect(intent.idempotencyKey).toBe(`capture:${contributionId}`);
		const confirm = requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
		expect(confirm.idempotencyKey).toBe(`confirm:${contributionId}`);
		expect(confirm.body.get('mode')).toBe('payment');
		expect(confirm.body.get('customer')).toBe(customer);
		expect(confirm.body.get('metadata[flow]')).toBe('confirm');

		// The mail links to the donor's contribution page, which outlives Stripe's 24-hour session.
		const page = `/contributions/${contributionId}`;
		const mails = (await flushMail()).filter((m) => m.to === donor.email && m.text.includes(page));
		expect(mails).toHaveLength(1);
		expect((await contribution(contributionId)).status).toBe('pledged');
		expect(awaitsConfirmation(await contribution(contributionId))).toBe(true);
		expect((await getMyContribution(donor, contributionId)).awaitsConfirmation).toBe(true);
		// A second run (the job again) asks nobody twice.
		await expect(chargePledgeWithStripe(await contribution(contributionId))).rejects.toBeInstanceOf(
			StripeConfirmationRequired
		);
		expect((await flushMail()).filter((m) => m.text.includes(page))).toHaveLength(1);
		expect(await balance(needId)).toBe(0);

		// From that page: the open session; for anyone else, nothing.
		expect(await confirmationCheckout(donor, contributionId)).toBe(confirmUrl);
		const stranger = (await buildUser()).actor;
		await expect(confirmationCheckout(stranger, contributionId)).rejects.toMatchObject({ code: 'not_found' });
		await expect(confirmationCheckout(null, contributionId)).rejects.toMatchObject({
			code: 'unauthenticated'
		});
		// Once Stripe's session has expired, a new one, the same for two clicks at once.
		const first = parseStripeRef((await contribution(contributionId)).paymentRef).confirmSession!;
		checkoutSessions.get(first)!.status = 'expired';
		requests.length = 0;
		const [a, b] = await Promise.all([
			confirmationCheckout(donor, contributionId),
			confirmationCheckout(donor, contributionId)
		]);
		expect(a).toBe(b);
		expect(a).not.toBe(confirmUrl);
		expect(a).toMatch(/^https:\/\/checkout\.stripe\.test\//);
		const renewals = requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
		expect(new Set(renewals.map((r) => r.idempotencyKey))).toEqual(
			new Set([`confirm:${contributionId}:${first}`])
		);
		expect(renewals[0].body.get('metadata[flow]')).toBe('confirm');
		expect(renewals[0].body.get('line_items[0][price_data][unit_amount]')).toBe('2000');
		expect(parseStripeRef((await contribution(contributionId)).paymentRef).confirmUrl).toBe(a);
		expect(await confirmationCheckout(donor, contributionId)).toBe(a);
		// Stripe switched off, or out of reach: a clear answer, nothing changed.
		delete process.env.STRIPE_SECRET_KEY;
		await expect(confirmationCheckout(donor, contributionId)).rejects.toMatchObject({
			code: 'conflict',
			messageKey: 'payments_error_stripe_unavailable'
		});
		process.env.STRIPE_SECRET_KEY = 'sk_test_parvis';
		const renewedSession = parseStripeRef((await contribution(contributionId)).paymentRef).confirmSession!;
		const kept = checkoutSessions.get(renewedSession)!;
		checkoutSessions.delete(renewedSession);
		await expect(confirmationCheckout(donor, contributionId)).rejects.toMatchObject({
			messageKey: 'payments_error_stripe_unavailable'
		});
		checkoutSessions.set(renewedSession, kept);
		expect(parseStripeRef((await contribution(contributionId)).paymentRef).confirmUrl).toBe(a);

		// The donor pays through the link: the pledge is settled and credited once.
		const pi = nextId('pi');
		const paid = sessionCompleted(contributionId, pi, 2100, {
			metadata: { contribution_id: contributionId, flow: 'confirm' }
		});
		const report = paymentIntentEvent('payment_intent.succeeded', contributionId, pi, 2100);
		const results = await Promise.all(
			[paid, report, paid].map((e) => handleStripeEvent(e.payload, e.signature))
		);
		expect(results.map((r) => r.result).sort()).toEqual(['credited', 'duplicate', 'duplicate']);
		expect(await balance(needId)).toBe(2000);
		const settled = await contribution(contributionId);
		expect(settled.status).toBe('succeeded');
		expect(parseStripeRef(settled.paymentRef).paymentIntent).toBe(pi);
		expect(awaitsConfirmation(settled)).toBe(false);
		expect((await getMyContribution(donor, contributionId)).awaitsConfirmation).toBe(false);
		await expect(confirmationCheckout(donor, contributionId)).rejects.toMatchObject({ code: 'conflict' });
		expect(await checkLedger(db())).toEqual([]);
	});

	it('gifts by other methods have nothing to charge with Stripe', async () => {
		await chargePledgeWithStripe({ paymentMethod: 'test' } as typeof contributions.$inferSelect);
		expect(requests).toHaveLength(0);
	});
});

// ---------------------------------------------------------------------------------------------
// Issue 9: refunds through Stripe, cancelled projects, late payments

/** The mails in the outbox to the donor with this subject (each in the donor's language). */
async function mailsTo(actor: Actor, key: string, project: string) {
	const subject = t(key, { project }, 'fr');
	expect(subject).toContain(project);
	return (await flushMail()).filter((m) => m.to === actor.email && m.subject === subject);
}
const audited = async (action: string, targetId: string) =>
	(
		await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)))
	).length;

/** A keep-it-all gift paid through Checkout (10 € + 1 € tip unless told), on its own campaign. */
async function paidGift(amount = '10', tip = '1') {
	const { project, needId } = await campaign('keep_it_all', '1000');
	const { contributionId } = await donate(donor, needId, gift(amount, tip));
	const pi = nextId('pi');
	const total = Math.round((Number(amount) + Number(tip)) * 100);
	paymentAmounts.set(pi, total);
	expect((await deliver(sessionCompleted(contributionId, pi, total))).status).toBe(200);
	expect((await contribution(contributionId)).status).toBe('succeeded');
	return { project, needId, contributionId, pi, total };
}

const refundEvent = (type: string, refund: Record<string, unknown>) => signedEvent(type, refund);

describe('refunds through Stripe (issue 9)', () => {
	beforeEach(() => {
		refundStatus = 'pending';
	});

	it("an admin refund is asked of Stripe's Refunds API, shown as requested, and enters the ledger only when Stripe confirms", async () => {
		const { project, needId, contributionId, pi } = await paidGift('10', '1');
		const key = randomUUID();
		requests.length = 0;
		const outcome = await refundDonation(admin, contributionId, { amountMinor: '4', reason: 'doublon' }, key);
		expect(outcome).toEqual({ refunded: false, pending: true });
		const calls = requests.filter((r) => r.path === '/v1/refunds');
		expect(calls.map((r) => [r.method, r.idempotencyKey])).toEqual([
			['POST', `refund:${contributionId}:${key}`]
		]);
		expect(calls[0].body.get('payment_intent')).toBe(pi);
		expect(calls[0].body.get('amount')).toBe('400');
		// A re-submitted form asks Stripe again with the same key: the same refund, still one pending.
		await refundDonation(admin, contributionId, { amountMinor: '4' }, key);
		const [listed] = (await listGiftsForAdmin(admin, { q: project.title })).filter(
			(g) => g.id === contributionId
		);
		expect(listed).toMatchObject({ status: 'succeeded', refunded: 0, refund_pending: 400 });
		// The donor sees it as requested, not as refunded.
		expect(await getMyContribution(donor, contributionId)).toMatchObject({
			status: 'succeeded',
			refundRequested: true
		});
		// Nothing has moved yet: the ledger and the donor wait for Stripe.
		expect(await balance(needId)).toBe(1000);
		expect(await mailsTo(donor, 'mail_gift_refunded_subject', project.title)).toHaveLength(0);
		// What is promised back counts: 7 € more would exceed what is left (10 − 4 pending).
		await expect(
			refundDonation(admin, contributionId, { amountMinor: '7' }, randomUUID())
		).rejects.toMatchObject({
			fields: { amountMinor: 'payments_error_refund_too_much' }
		});

		// Stripe confirms: refund.updated, charge.refunded and replays, in any order, debit it once.
		const [refund] = [...refunds.values()].filter((r) => r.payment_intent === pi);
		refund.status = 'succeeded';
		const confirmations = shuffle([
			refundEvent('refund.updated', refund),
			refundEvent('refund.updated', refund),
			signedEvent('charge.refunded', {
				id: refund.charge,
				object: 'charge',
				payment_intent: pi,
				amount_refunded: 400
			}),
			signedEvent('charge.refunded', {
				id: refund.charge,
				object: 'charge',
				payment_intent: pi,
				amount_refunded: 400
			})
		]);
		const responses = await Promise.all(confirmations.map(deliver));
		expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
		expect(await balance(needId)).toBe(600);
		const [after] = (await listGiftsForAdmin(admin, { q: project.title })).filter(
			(g) => g.id === contributionId
		);
		expect(after).toMatchObject({ status: 'succeeded', refunded: 400, refund_pending: 0 });
		expect((await getMyContribution(donor, contributionId)).refundRequested).toBe(false);
		expect(await mailsTo(donor, 'mail_gift_refunded_subject', project.title)).toHaveLength(1);

		// The rest, which Stripe refunds at once: the gift is refunded, the donor told once more.
		refundStatus = 'succeeded';
		expect(await refundDonation(admin, contributionId, { amountMinor: '6' }, randomUUID())).toEqual({
			refunded: true,
			pending: false
		});
		expect(await balance(needId)).toBe(0);
		expect((await contribution(contributionId)).status).toBe('refunded');
		expect(await mailsTo(donor, 'mail_gift_refunded_subject', project.title)).toHaveLength(2);
		expect(await checkLedger(db())).toEqual([]);
	});

	it("a refund made in Stripe's dashboard enters the ledger exactly once, partial or full, tip included", async () => {
		const { project, needId, contributionId, pi } = await paidGift('20', '2');
		const dashboard = (amount: number) => {
			const r = {
				id: nextId('re'),
				object: 'refund',
				amount,
				currency: 'eur',
				charge: `ch_for_${pi}`,
				payment_intent: pi,
				status: 'succeeded',
				reason: null,
				metadata: {}
			};
			refunds.set(r.id, r);
			return r;
		};
		const charge = { id: `ch_for_${pi}`, object: 'charge', payment_intent: pi };
		const partial = dashboard(500);
		const events = [
			signedEvent('charge.refunded', { ...charge, amount_refunded: 500 }),
			refundEvent('refund.created', partial),
			refundEvent('charge.refund.updated', partial)
		];
		for (const e of shuffle([...events, ...events])) expect((await deliver(e)).status).toBe(200);
		expect(await balance(needId)).toBe(1500);
		expect((await contribution(contributionId)).status).toBe('succeeded');
		// The rest of the charge, tip included: the campaign's part, then the tip, never more.
		const rest = dashboard(1700);
		const full = signedEvent('charge.refunded', { ...charge, amount_refunded: 2200 });
		await Promise.all([deliver(full), deliver(full), deliver(full)]);
		expect(await balance(needId)).toBe(0);
		expect((await contribution(contributionId)).status).toBe('refunded');
		expect(await mailsTo(donor, 'mail_gift_refunded_subject', project.title)).toHaveLength(2);
		const tips = await db().execute<{ n: string }>(sql`
			SELECT coalesce(sum(e.amount_minor), 0)::text AS n FROM ledger_entries e
			JOIN ledger_groups g ON g.id = e.group_id JOIN ledger_accounts a ON a.id = e.account_id
			WHERE g.contribution_id = ${contributionId} AND a.kind = 'platform_tips'`);
		expect(Number(tips.rows[0].n)).toBe(0);
		expect(await groups(contributionId)).toBe(3);
		expect(await checkLedger(db())).toEqual([]);

		// That refund fails afterwards (a closed card): the money is back, the ledger says so, once.
		rest.status = 'failed';
		const failed = refundEvent('refund.updated', rest);
		expect((await handleStripeEvent(failed.payload, failed.signature)).result).toBe('failed');
		expect((await handleStripeEvent(failed.payload, failed.signature)).result).toBe('duplicate');
		expect(await balance(needId)).toBe(1500);
		expect((await contribution(contributionId)).status).toBe('succeeded');
		expect(await groups(contributionId)).toBe(4);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('a refund Stripe refuses leaves the ledger and the donor alone, and the gift refundable again', async () => {
		const { project, needId, contributionId } = await paidGift('10', '0');
		await refundDonation(admin, contributionId, { amountMinor: '10' }, randomUUID());
		const [refund] = [...refunds.values()].filter(
			(r) => r.metadata && (r.metadata as Record<string, string>).contribution_id === contributionId
		);
		refund.status = 'failed';
		const failedEvent = refundEvent('refund.failed', refund);
		expect((await handleStripeEvent(failedEvent.payload, failedEvent.signature)).result).toBe('failed');
		expect(await balance(needId)).toBe(1000);
		expect((await contribution(contributionId)).status).toBe('succeeded');
		expect(await audited('payments.refund_failed', contributionId)).toBe(1);
		const [listed] = (await listGiftsForAdmin(admin, { q: project.title })).filter(
			(g) => g.id === contributionId
		);
		expect(listed.refund_pending).toBe(0);
		expect(await mailsTo(donor, 'mail_gift_refunded_subject', project.title)).toHaveLength(0);
	});

	it('a refund while Stripe is switched off is refused with a clear message, nothing recorded', async () => {
		const { needId, contributionId } = await paidGift('10', '0');
		const secret = process.env.STRIPE_SECRET_KEY;
		delete process.env.STRIPE_SECRET_KEY;
		try {
			await expect(
				refundDonation(admin, contributionId, { amountMinor: '5' }, randomUUID())
			).rejects.toMatchObject({ code: 'conflict', messageKey: 'payments_error_stripe_unavailable' });
		} finally {
			process.env.STRIPE_SECRET_KEY = secret;
		}
		expect(await balance(needId)).toBe(1000);
		expect(parseStripeRef((await contribution(contributionId)).paymentRef).refunds ?? []).toEqual([]);
	});

	it('parallel admin refunds never ask Stripe for more than the gift', async () => {
		const { needId, contributionId } = await paidGift('10', '0');
		const results = await Promise.allSettled(
			Array.from({ length: 5 }, () =>
				refundDonation(admin, contributionId, { amountMinor: '4' }, randomUUID())
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
		const asked = [...refunds.values()].filter(
			(r) => (r.metadata as Record<string, string>)?.contribution_id === contributionId
		);
		expect(asked.map((r) => r.amount)).toEqual([400, 400]);
		expect(await balance(needId)).toBe(1000);
	});
});

describe('cancelled projects and late payments with Stripe (issue 9)', () => {
	it('cancelling a project releases its Stripe pledges through the API at once and tells the donors; the deadline never charges them', async () => {
		const soon = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
		const { project, needId } = await campaign('all_or_nothing', '10', soon);
		// One authorized card (manual capture), one saved card.
		const held = await donate(donor, needId, gift('20'));
		const piHeld = nextId('pi');
		const auth = sessionCompleted(held.contributionId, piHeld, 2000, {
			payment_status: 'unpaid',
			metadata: { contribution_id: held.contributionId, flow: 'authorize' }
		});
		expect((await handleStripeEvent(auth.payload, auth.signature)).result).toBe('pledged');
		await db().execute(sql`UPDATE needs SET deadline = ${`${nextYear}-12-31`} WHERE id = ${needId}`);
		const saved = await donate(donor, needId, gift('15'));
		const customer = nextId('cus');
		const si = setupIntent(saved.contributionId, customer);
		const savedEvent = signedEvent('setup_intent.succeeded', si);
		expect((await handleStripeEvent(savedEvent.payload, savedEvent.signature)).result).toBe('pledged');

		await cancelProject(owner, project.id, 'Le terrain est vendu.');
		// The cancellation queued the release, in its own transaction, by name.
		const boss = currentBoss()!;
		const jobs = (await boss.fetch<{ projectId: string }>(RELEASE_PLEDGES_JOB, { batchSize: 50 })) ?? [];
		const mine = jobs.filter((j) => j.data.projectId === project.id);
		expect(mine).toHaveLength(1);
		requests.length = 0;
		await Promise.all([
			releaseProjectPledges(mine[0].data, { release: releasePledgeWithStripe }),
			releaseProjectPledges(mine[0].data, { release: releasePledgeWithStripe })
		]);
		for (const j of jobs) await boss.complete(RELEASE_PLEDGES_JOB, j.id);
		const paths = requests.map((r) => [r.path, r.idempotencyKey]);
		expect(paths).toContainEqual([`/v1/payment_intents/${piHeld}/cancel`, `release:${held.contributionId}`]);
		expect(paths).toContainEqual([
			`/v1/payment_methods/${si.payment_method}/detach`,
			`release:${saved.contributionId}`
		]);
		expect((await contribution(held.contributionId)).status).toBe('cancelled');
		expect((await contribution(saved.contributionId)).status).toBe('cancelled');
		expect(await mailsTo(donor, 'mail_gift_project_cancelled_subject', project.title)).toHaveLength(2);

		// The deadline passes: nothing is charged.
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		requests.length = 0;
		await closeDueCampaigns({ charge: chargePledgeWithStripe, release: releasePledgeWithStripe });
		expect(requests.filter((r) => r.path.startsWith('/v1/payment_intents'))).toEqual([]);
		expect(await balance(needId)).toBe(0);
		// Money Stripe still reports for a released pledge is refunded, and its donor told.
		const paidAnyway = paymentIntentEvent('payment_intent.succeeded', held.contributionId, piHeld, 2000);
		expect((await handleStripeEvent(paidAnyway.payload, paidAnyway.signature)).result).toBe('returned');
		expect((await handleStripeEvent(paidAnyway.payload, paidAnyway.signature)).result).toBe('duplicate');
		expect(requests.filter((r) => r.path === '/v1/refunds').map((r) => r.idempotencyKey)).toEqual([
			`return:${piHeld}`,
			`return:${piHeld}`
		]);
		expect(await mailsTo(donor, 'mail_gift_late_subject', project.title)).toHaveLength(1);
		expect(await balance(needId)).toBe(0);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('a saved card charged while its project is being cancelled is refunded through the API, never credited', async () => {
		const { project, needId } = await campaign('all_or_nothing', '10');
		const { contributionId } = await donate(donor, needId, gift('20'));
		const si = setupIntent(contributionId, nextId('cus'));
		const savedEvent = signedEvent('setup_intent.succeeded', si);
		expect((await handleStripeEvent(savedEvent.payload, savedEvent.signature)).result).toBe('pledged');
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		requests.length = 0;
		await closeDueCampaigns({
			charge: async (c) => {
				const fee = await chargePledgeWithStripe(c);
				await cancelProject(owner, project.id, 'Annulé pendant la clôture.');
				return fee;
			},
			giveBack: givePledgeBackWithStripe
		});
		const pi = parseStripeRef((await contribution(contributionId)).paymentRef).paymentIntent!;
		expect(requests.map((r) => [r.method, r.path, r.idempotencyKey])).toContainEqual([
			'POST',
			'/v1/refunds',
			`return:${pi}`
		]);
		expect((await contribution(contributionId)).status).toBe('cancelled');
		expect(await balance(needId)).toBe(0);
		expect(await mailsTo(donor, 'mail_gift_late_subject', project.title)).toHaveLength(1);
		// Stripe's word on the capture comes later: nothing credited, nothing refunded twice.
		const captured = paymentIntentEvent('payment_intent.succeeded', contributionId, pi, 2000);
		expect((await handleStripeEvent(captured.payload, captured.signature)).result).toBe('duplicate');
		expect(await groups(contributionId)).toBe(0);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('a payment that succeeds after its Checkout Session expired is refunded at once, audited, and its donor told once', async () => {
		const { project, needId } = await campaign('keep_it_all', '1000');
		const { contributionId } = await donate(donor, needId, gift('12'));
		const pi = nextId('pi');
		const expired = signedEvent('checkout.session.expired', {
			id: nextId('cs'),
			object: 'checkout.session',
			mode: 'payment',
			amount_total: 1200,
			currency: 'eur',
			client_reference_id: contributionId,
			metadata: { contribution_id: contributionId },
			payment_intent: pi
		});
		expect((await handleStripeEvent(expired.payload, expired.signature)).result).toBe('failed');
		requests.length = 0;
		const succeeded = paymentIntentEvent('payment_intent.succeeded', contributionId, pi, 1200);
		const results = await Promise.all([succeeded, succeeded, succeeded].map(deliver));
		expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
		const asked = requests.filter((r) => r.path === '/v1/refunds');
		expect(asked.length).toBeGreaterThan(0);
		expect(new Set(asked.map((r) => r.idempotencyKey))).toEqual(new Set([`return:${pi}`]));
		expect(asked[0].body.get('payment_intent')).toBe(pi);
		expect(await audited('payments.late_returned', contributionId)).toBe(1);
		expect(await mailsTo(donor, 'mail_gift_late_subject', project.title)).toHaveLength(1);
		expect(await balance(needId)).toBe(0);
		// Stripe's confirmation of that refund finds nothing to debit: the gift was never credited.
		const [refund] = [...refunds.values()].filter((r) => r.payment_intent === pi);
		refund.status = 'succeeded';
		expect((await deliver(refundEvent('refund.updated', refund))).status).toBe(200);
		expect(await groups(contributionId)).toBe(0);
		expect(await checkLedger(db())).toEqual([]);
	});

	it('a card authorized after the campaign closed is released, never left pledged', async () => {
		const soon = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
		const { project, needId } = await campaign('all_or_nothing', '10', soon);
		const { contributionId } = await donate(donor, needId, gift('25'));
		await db().execute(sql`UPDATE needs SET deadline = now() - interval '1 minute' WHERE id = ${needId}`);
		await closeDueCampaigns({ charge: chargePledgeWithStripe, release: releasePledgeWithStripe });
		requests.length = 0;
		const pi = nextId('pi');
		const auth = sessionCompleted(contributionId, pi, 2500, {
			payment_status: 'unpaid',
			metadata: { contribution_id: contributionId, flow: 'authorize' }
		});
		expect((await handleStripeEvent(auth.payload, auth.signature)).result).toBe('late');
		expect(requests.map((r) => [r.path, r.idempotencyKey])).toContainEqual([
			`/v1/payment_intents/${pi}/cancel`,
			`return:${pi}`
		]);
		expect((await contribution(contributionId)).status).toBe('cancelled');
		expect(await mailsTo(donor, 'mail_gift_late_subject', project.title)).toHaveLength(1);
		expect(await checkLedger(db())).toEqual([]);
	});
});
