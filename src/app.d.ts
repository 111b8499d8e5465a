import type { Actor } from '$lib/server/accounts';

declare global {
	namespace App {
		interface Locals {
			actor: Actor | null;
			/** Language of the interface (fr or en). */
			locale: 'fr' | 'en';
			sessionToken: string | null;
			/** Locale for dates, numbers and money (fr-FR, fr-CA, en-GB, en-CA). */
			formatLocale: string;
			ip: string | null;
		}
		interface Error {
			message: string;
			errorId?: string;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
