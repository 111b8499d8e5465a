// Labels of enum values as static message references. `t(\`needs_kind_${kind}\`)` looks a key up at run
// time in the whole message catalogue, so any page calling it in the browser ships every message of
// both languages; naming each message here lets the bundler keep only these.
import { m } from '$lib/paraglide/messages.js';
import type { NeedKind, ProjectStatus, ProjectSort, LegalForm } from '$lib/shared/projects/enums';

type Label = () => string;

const label =
	<K extends string>(map: Record<K, Label>) =>
	(key: string): string =>
		(map as Record<string, Label | undefined>)[key]?.() ?? key;

/** "Money", "Volunteers"… */
export const needKindLabel = /* @__PURE__ */ label<NeedKind>({
	money: m.needs_kind_money,
	volunteers: m.needs_kind_volunteers,
	material: m.needs_kind_material,
	expertise: m.needs_kind_expertise
});

/** A project's lifecycle state. */
export const statusLabel = /* @__PURE__ */ label<ProjectStatus>({
	draft: m.projects_status_draft,
	submitted: m.projects_status_submitted,
	changes_requested: m.projects_status_changes_requested,
	published: m.projects_status_published,
	funded: m.projects_status_funded,
	not_funded: m.projects_status_not_funded,
	in_progress: m.projects_status_in_progress,
	completed: m.projects_status_completed,
	declined: m.projects_status_declined,
	cancelled: m.projects_status_cancelled
});

/** The sorts of /projects. */
export const sortLabel = /* @__PURE__ */ label<ProjectSort>({
	newest: m.projects_sort_newest,
	ending_soon: m.projects_sort_ending_soon,
	closest: m.projects_sort_closest,
	relevance: m.projects_sort_relevance
});

/** The carrier's legal form. */
export const legalFormLabel = /* @__PURE__ */ label<LegalForm>({
	association: m.projects_legal_association,
	collective_enterprise: m.projects_legal_collective_enterprise,
	informal_group: m.projects_legal_informal_group,
	company: m.projects_legal_company,
	public_body: m.projects_legal_public_body
});

/** A team member's role. */
export const teamRoleLabel = /* @__PURE__ */ label<'owner' | 'editor'>({
	owner: m.projects_role_owner,
	editor: m.projects_role_editor
});

/** A money need's campaign model. */
export const campaignModelLabel = /* @__PURE__ */ label<'all_or_nothing' | 'keep_it_all'>({
	all_or_nothing: m.needs_model_all_or_nothing,
	keep_it_all: m.needs_model_keep_it_all
});

/** A payment method offered on the gift form. */
export const paymentMethodLabel = /* @__PURE__ */ label<'test' | 'offline' | 'stripe'>({
	test: m.give_method_test,
	offline: m.give_method_offline,
	stripe: m.give_method_stripe
});
