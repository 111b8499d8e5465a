import { projectsWithIssuers, setProjectIssuer, issuerSchema } from '$lib/server/receipts';
import { formAction } from '$lib/server/platform/route';
import { adminOnly } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	return { projects: await projectsWithIssuers(actor) };
};

export const actions: Actions = {
	default: formAction(
		issuerSchema,
		async (data, event, values) => {
			const projectId = String(values.projectId ?? '');
			await setProjectIssuer(adminOnly(event), projectId, data);
			return { saved: projectId };
		},
		{ guard: adminOnly, tag: (values) => ({ form: 'issuer', target: String(values.projectId ?? '') }) }
	)
};
