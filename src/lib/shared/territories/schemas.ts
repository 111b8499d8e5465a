import { z } from 'zod';

const slug = z
	.string()
	.trim()
	.min(1, 'form_error_required')
	.max(80, 'form_error_too_long')
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'territories_error_slug');

const name = z.string().trim().min(1, 'form_error_required').max(120, 'form_error_too_long');

const coordinate = (min: number, max: number) =>
	z.preprocess(
		(v) =>
			v === '' || v === undefined || v === null
				? null
				: typeof v === 'string'
					? Number(v.replace(',', '.'))
					: v,
		z.number('form_error_number').min(min, 'form_error_invalid').max(max, 'form_error_invalid').nullable()
	);

export const territoryKinds = ['region', 'city', 'neighbourhood', 'community'] as const;

export const territorySchema = z
	.object({
		slug,
		nameFr: name,
		nameEn: name,
		kind: z.enum(territoryKinds, 'form_error_invalid'),
		parentId: z.preprocess((v) => (v === '' ? null : v), z.uuid('form_error_invalid').nullable()),
		lat: coordinate(-90, 90),
		lng: coordinate(-180, 180)
	})
	.refine((t) => (t.lat === null) === (t.lng === null), {
		path: ['lng'],
		message: 'territories_error_point'
	});
export type TerritoryInput = z.infer<typeof territorySchema>;

export const themeSchema = z.object({ slug, nameFr: name, nameEn: name });
export type ThemeInput = z.infer<typeof themeSchema>;
