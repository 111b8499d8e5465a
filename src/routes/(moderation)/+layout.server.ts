import { moderatorOnly } from './guard';
import type { LayoutServerLoad } from './$types';

// Moderation pages. Page loads and commands check again: layouts and pages load in parallel.
export const load: LayoutServerLoad = (event) => {
	moderatorOnly(event);
	return {};
};
