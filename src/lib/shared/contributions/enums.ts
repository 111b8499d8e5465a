/** Every status a contribution can have, by kind (see PRODUCT.md capability 5). */
export const contributionStatuses = [
	// money
	'pending',
	'pledged',
	'succeeded',
	'failed',
	'refunded',
	// volunteers
	'signed_up',
	'attended',
	'absent',
	// material
	'received',
	'returned',
	// expertise
	'offered',
	'accepted',
	'declined',
	'delivered',
	// any
	'cancelled'
] as const;
export type ContributionStatus = (typeof contributionStatuses)[number];
