import { reviewQueue } from '$lib/server/moderation';
import { reviewDecisions } from '$lib/shared/moderation/schemas';
import { moderatorOnly } from '../guard';
import type { PageServerLoad } from './$types';

const doneValues = [...reviewDecisions, 'scheduled'] as const;
type Done = (typeof doneValues)[number];

export const load: PageServerLoad = async (event) => {
	const actor = moderatorOnly(event);
	const done = event.url.searchParams.get('done');
	return {
		queue: await reviewQueue(actor),
		done: (doneValues as readonly string[]).includes(done ?? '') ? (done as Done) : null
	};
};
