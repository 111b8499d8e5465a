import { AppError } from '../../platform/errors';
import type { ProjectRow } from '../policy';

/** States in which the team may still add or adjust stages, needs and shifts. */
const ADJUSTABLE = new Set([
	'draft',
	'changes_requested',
	'published',
	'funded',
	'not_funded',
	'in_progress'
]);

/** Refuses changes to stages and needs while under review or once the project has ended. */
export function requireAdjustable(p: ProjectRow): void {
	if (!ADJUSTABLE.has(p.status)) throw new AppError('conflict', 'projects_error_not_editable');
}

/** True once contributors may have been promised something (after publication). */
export function isLive(p: ProjectRow): boolean {
	return p.status !== 'draft' && p.status !== 'changes_requested';
}
