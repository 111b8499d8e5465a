/** Project lifecycle states (see PRODUCT.md capability 4). */
export const projectStatuses = [
	'draft',
	'submitted',
	'changes_requested',
	'published',
	'funded',
	'not_funded',
	'in_progress',
	'completed',
	'declined',
	'cancelled'
] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

/** States visible to the public (published and later, not declined). */
export const publicStatuses = ['published', 'funded', 'not_funded', 'in_progress', 'completed'] as const;

export const legalForms = [
	'association',
	'collective_enterprise',
	'informal_group',
	'company',
	'public_body'
] as const;
export type LegalForm = (typeof legalForms)[number];

export const needKinds = ['money', 'volunteers', 'material', 'expertise'] as const;
export type NeedKind = (typeof needKinds)[number];

export const currencies = ['EUR', 'CAD'] as const;
export const campaignModels = ['all_or_nothing', 'keep_it_all'] as const;
export const materialModes = ['give', 'lend'] as const;

export const projectSorts = ['newest', 'ending_soon', 'closest', 'relevance'] as const;
export type ProjectSort = (typeof projectSorts)[number];

/** Allowed lifecycle moves; every move is recorded with who, when and why. */
export const transitions: Record<ProjectStatus, ProjectStatus[]> = {
	draft: ['submitted', 'cancelled'],
	submitted: ['changes_requested', 'published', 'declined', 'cancelled'],
	changes_requested: ['submitted', 'cancelled'],
	published: ['funded', 'not_funded', 'in_progress', 'cancelled'],
	funded: ['in_progress', 'completed', 'cancelled'],
	not_funded: ['in_progress', 'cancelled'],
	in_progress: ['completed', 'cancelled'],
	completed: [],
	declined: [],
	cancelled: []
};
