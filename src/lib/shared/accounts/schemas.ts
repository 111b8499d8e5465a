import { z } from 'zod';
import { stringList } from '../platform/forms';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const locales = ['fr', 'en'] as const;

const email = z
	.string()
	.trim()
	.min(1, 'form_error_required')
	.max(254, 'form_error_too_long')
	.pipe(z.email('form_error_email'))
	.transform((e) => e.toLowerCase());

const password = z
	.string()
	.min(PASSWORD_MIN, 'accounts_error_password_short')
	.max(PASSWORD_MAX, 'accounts_error_password_long');

const displayName = z.string().trim().min(1, 'form_error_required').max(80, 'form_error_too_long');

export const signUpSchema = z.object({
	displayName,
	email,
	password,
	locale: z.enum(locales, 'form_error_invalid')
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
	email,
	password: z.string().min(1, 'form_error_required').max(PASSWORD_MAX, 'accounts_error_password_long')
});

export const requestResetSchema = z.object({ email });

export const resetPasswordSchema = z.object({
	token: z.string().min(1, 'form_error_required'),
	password
});

export const changePasswordSchema = z.object({
	currentPassword: z.string().min(1, 'form_error_required'),
	newPassword: password
});

export const changeEmailSchema = z.object({
	newEmail: email,
	currentPassword: z.string().min(1, 'form_error_required')
});

export const profileSchema = z.object({
	displayName,
	bio: z.string().trim().max(1000, 'form_error_too_long').default(''),
	// Typed as "a, b, c"; a list is accepted too, so that parsing twice gives the same result.
	skills: z
		.preprocess(
			(v) => (Array.isArray(v) ? v.join(',') : (v ?? '')),
			z.string().max(500, 'form_error_too_long')
		)
		.transform((s) =>
			[
				...new Set(
					s
						.split(',')
						.map((x) => x.trim())
						.filter(Boolean)
				)
			].slice(0, 30)
		),
	interests: stringList.pipe(z.array(z.uuid('form_error_invalid')).max(30)),
	homeTerritoryId: z.preprocess((v) => (v === '' ? null : v), z.uuid('form_error_invalid').nullable()),
	locale: z.enum(locales, 'form_error_invalid')
});
export type ProfileInput = z.infer<typeof profileSchema>;

export const deleteAccountSchema = z.object({
	currentPassword: z.string().min(1, 'form_error_required'),
	confirm: z.literal('on', 'accounts_error_delete_confirm')
});

export const setupSchema = z.object({
	token: z.string().min(1, 'form_error_required'),
	displayName,
	email,
	password,
	locale: z.enum(locales, 'form_error_invalid')
});

const id = z.uuid('form_error_invalid');

/** Who becomes (or stops being) moderator of which territory (administrators' form). */
export const grantModeratorSchema = z.object({ userId: id, territoryId: id });

/** Whether a person is an administrator (administrators' form). */
export const setAdministratorSchema = z.object({ userId: id, value: z.boolean('form_error_invalid') });

/** The address a new verification link is sent to. */
export const resendVerificationSchema = z.object({ email });

/** The administrators' "make administrator / remove" button. */
export const adminRoleFormSchema = z.object({
	value: z.enum(['true', 'false'], 'form_error_invalid').transform((v) => v === 'true')
});

/** The territory chosen when granting a moderator role. */
export const territoryChoiceSchema = z.object({
	territoryId: z.uuid('admin_users_error_territory')
});
