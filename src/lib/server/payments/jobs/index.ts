import { z } from 'zod';
import { defineJob } from '../../platform/jobs';
import { db } from '../../db/client';
import { checkLedger } from '../../ledger';
import { closeDueCampaigns } from './close-campaigns';
import { chargePledgeWithStripe, releasePledgeWithStripe } from '../stripe';

const empty = (d: unknown) =>
	z
		.object({})
		.passthrough()
		.parse(d ?? {});

// Every five minutes: settle all-or-nothing campaigns whose deadline passed.
defineJob(
	'payments.close_campaigns',
	empty,
	async () => {
		// Stripe pledges are charged (or released) with the provider; other methods have nothing to call.
		await closeDueCampaigns({ charge: chargePledgeWithStripe, release: releasePledgeWithStripe });
	},
	{ cron: '*/5 * * * *', retryLimit: 3 }
);

// Every night: verify the ledger's invariants; a failure is logged loudly and retried.
defineJob(
	'ledger.check',
	empty,
	async () => {
		const problems = await checkLedger(db());
		if (problems.length) throw new Error(`ledger check failed:\n${problems.join('\n')}`);
	},
	{ cron: '17 3 * * *', retryLimit: 1 }
);
