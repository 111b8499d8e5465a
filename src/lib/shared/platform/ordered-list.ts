import { z } from 'zod';

// What the commands of an ordered list (territories, themes, criteria) receive besides the row's own form.

const id = z.uuid('form_error_invalid');

/** Moving a row one place up or down. */
export const moveRowSchema = z.object({ id, direction: z.enum(['up', 'down'], 'form_error_invalid') });

/** Archiving or restoring a row. */
export const archiveRowSchema = z.object({ id, archived: z.boolean('form_error_invalid') });

/** Editing a row: its id (the row's fields have their own schema). */
export const rowIdSchema = z.object({ id });

// The same, as the administration pages' buttons send them (text fields).

const formBool = z.enum(['true', 'false'], 'form_error_invalid').transform((v) => v === 'true');

/** The "move up/down" button of an ordered list. */
export const moveFormSchema = moveRowSchema;

/** The "archive/restore" button of an ordered list. */
export const archiveFormSchema = z.object({ id, archived: formBool });
