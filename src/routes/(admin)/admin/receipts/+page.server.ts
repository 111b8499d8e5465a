import { projectsWithIssuers, setProjectIssuer, issuerSchema } from '$lib/server/receipts';
import { parseForm, failForm } from '$lib/server/platform/forms';
import { adminOnly } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = adminOnly(event);
	return { projects: await projectsWithIssuers(actor) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminOnly(event);
		const data = await event.request.formData();
		const projectId = String(data.get('projectId') ?? '');
		const tag = { form: 'issuer', target: projectId };
		const parsed = await parseForm(data, issuerSchema, tag);
		if (!parsed.ok) return parsed.failure;
		try {
			await setProjectIssuer(actor, projectId, parsed.data);
		} catch (e) {
			return failForm(e, parsed.values, tag);
		}
		return { saved: projectId };
	}
};
