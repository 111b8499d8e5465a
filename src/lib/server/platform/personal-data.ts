// What each domain keeps about a person, for the data export and for account deletion. Accounts owns both
// acts but knows no other domain (that would be a cycle): the composition root (app.ts) registers each
// domain's part here, and accounts asks every registered part. A new domain that stores a name or an
// address registers its export and its erasure; the erasure test fails until it does.
import type { Executor } from '../db/client';

/** The person whose data is exported or erased. */
export interface DataSubject {
	userId: string;
	email: string;
}

/** One domain's part of a person's data. */
export interface PersonalDataPart {
	/** Sections of the export (`/me/data/export.json`), keyed by their name in the file. */
	export?: (exec: Executor, person: DataSubject) => Promise<Record<string, unknown>>;
	/** Erases or pseudonymises the person's traces, inside the deletion's transaction. */
	erase?: (tx: Executor, person: DataSubject) => Promise<void>;
}

const parts = new Map<string, PersonalDataPart>();

/** Registers (or replaces) a domain's part, under the domain's name. */
export function registerPersonalData(domain: string, part: PersonalDataPart): void {
	parts.set(domain, part);
}

/** The export sections of every registered domain, merged. */
export async function exportPersonalData(
	exec: Executor,
	person: DataSubject
): Promise<Record<string, unknown>> {
	const sections: Record<string, unknown> = {};
	for (const part of parts.values())
		if (part.export) Object.assign(sections, await part.export(exec, person));
	return sections;
}

/** Runs every registered erasure in the deletion's transaction. */
export async function erasePersonalData(tx: Executor, person: DataSubject): Promise<void> {
	for (const part of parts.values()) await part.erase?.(tx, person);
}
