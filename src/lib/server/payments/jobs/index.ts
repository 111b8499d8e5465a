import { z } from 'zod';
import { defineJob } from '../../platform/jobs';
import { db } from '../../db/client';
import { checkLedger } from '../../ledger';
import { closeDueCampaigns } from './close-campaigns';
import {
	RELEASE_PLEDGES_JOB,
	releasePledgesSchema,
	releaseProjectPledges
} from '../commands/release-project-pledges';
import { cancelledProjectsWithPledges } from '../queries';
import { chargePledgeWithStripe, givePledgeBackWithStripe, releasePledgeWithStripe } from '../stripe/pledges';

const empty = (d: unknown) =>
	z
		.object({})
		.passthrough()
		.parse(d ?? {});

// Every five minutes: settle all-or-nothing campaigns whose deadline passed, and release what cancelled
// projects still hold (should a release job have been lost; each release is idempotent).
defineJob(
	'payments.close_campaigns',
	empty,
	async () => {
		// Stripe pledges are charged (or released) with the provider; other methods have nothing to call.
		for (const projectId of await cancelledProjectsWithPledges())
			await releaseProjectPledges({ projectId }, { release: releasePledgeWithStripe });
		await closeDueCampaigns({
			charge: chargePledgeWithStripe,
			release: releasePledgeWithStripe,
			giveBack: givePledgeBackWithStripe
		});
	},
	{ cron: '*/5 * * * *', retryLimit: 3 }
);

// Queued by the projects domain in the transaction that cancels a project.
defineJob(
	RELEASE_PLEDGES_JOB,
	(d) => releasePledgesSchema.parse(d),
	async ({ projectId }) => {
		await releaseProjectPledges({ projectId }, { release: releasePledgeWithStripe });
	},
	{ retryLimit: 8 }
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
