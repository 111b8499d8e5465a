import { adminOnly } from './guard';
import type { LayoutServerLoad } from './$types';

// Administration pages. Page loads and commands check again: layouts and pages load in parallel.
export const load: LayoutServerLoad = (event) => {
	adminOnly(event);
	return {};
};
