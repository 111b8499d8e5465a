import { z } from 'zod';
import { isoDate } from '../projects/schemas';

/** A review criterion as administrators edit it. */
export const criterionSchema = z.object({
	slug: z
		.string()
		.trim()
		.min(1, 'form_error_required')
		.max(80, 'form_error_too_long')
		.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'territories_error_slug'),
	labelFr: z.string().trim().min(1, 'form_error_required').max(200, 'form_error_too_long'),
	labelEn: z.string().trim().min(1, 'form_error_required').max(200, 'form_error_too_long'),
	helpFr: z.string().trim().max(1000, 'form_error_too_long').default(''),
	helpEn: z.string().trim().max(1000, 'form_error_too_long').default('')
});
export type CriterionInput = z.input<typeof criterionSchema>;

export const reviewDecisions = ['approve', 'request_changes', 'decline'] as const;
export type ReviewDecision = (typeof reviewDecisions)[number];

const formText = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

/**
 * The review form of the moderation page, for the criteria being judged: one `passes_<id>` radio
 * (yes/no) and one `note_<id>` per criterion, a decision, a message and an optional publication date.
 * Every error is reported at once (the criterion errors under `criterion_<id>`); the command checks
 * the same rules again, and the ones that depend on time (a date in the past).
 */
export function reviewFormSchema(criterionIds: string[]) {
	return z
		.looseObject({
			decision: formText,
			message: formText,
			publishOn: formText
		})
		.superRefine((v, ctx) => {
			const problem = (path: string, message: string) =>
				ctx.addIssue({ code: 'custom', path: [path], message });
			for (const id of criterionIds) {
				const passes = v[`passes_${id}`];
				if (passes !== 'yes' && passes !== 'no')
					problem(`criterion_${id}`, 'moderation_error_judgement_required');
				const note = v[`note_${id}`];
				if (typeof note === 'string' && note.trim().length > 1000)
					problem(`criterion_${id}`, 'form_error_too_long');
			}
			if (!(reviewDecisions as readonly string[]).includes(v.decision))
				problem('decision', 'moderation_error_decision_required');
			else if (v.decision !== 'approve' && !v.message.trim())
				problem('message', 'moderation_error_message_required');
			if (v.message.trim().length > 4000) problem('message', 'form_error_too_long');
			const date = v.publishOn.trim();
			if (
				v.decision === 'approve' &&
				date &&
				(!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
			)
				problem('publishOn', 'form_error_date');
		})
		.transform((v) => {
			const decision = v.decision as ReviewDecision;
			const publishOn = v.publishOn.trim();
			return {
				decision,
				message: v.message.trim(),
				publishOn: decision === 'approve' && publishOn ? publishOn : null,
				judgements: Object.fromEntries(
					criterionIds.map((id) => [
						id,
						{
							passes: v[`passes_${id}`] === 'yes',
							note: typeof v[`note_${id}`] === 'string' ? String(v[`note_${id}`]).trim() : ''
						}
					])
				)
			};
		});
}

/** The team's answers to the criteria when it submits a project (keyed by criterion id). */
export const submitSchema = z.object({
	answers: z.record(
		z.string(),
		z.object({
			meets: z.boolean('form_error_invalid'),
			explanation: z.string('form_error_invalid').trim().max(1000, 'form_error_too_long').default('')
		}),
		'form_error_invalid'
	)
});

/** A moderator's decision with a judgement per criterion (keyed by criterion id). */
export const reviewSchema = z.object({
	decision: z.enum(['approve', 'request_changes', 'decline'], 'form_error_required'),
	message: z.string().trim().max(4000, 'form_error_too_long').default(''),
	publishOn: isoDate,
	judgements: z.record(
		z.string(),
		z.object({
			passes: z.boolean('form_error_invalid'),
			note: z.string('form_error_invalid').trim().max(1000, 'form_error_too_long').default('')
		}),
		'form_error_invalid'
	)
});
