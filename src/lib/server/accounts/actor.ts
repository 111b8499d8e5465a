/** The signed-in person as every domain sees them (loaded once per request from the session). */
export interface Actor {
	id: string;
	email: string;
	displayName: string;
	locale: 'fr' | 'en';
	isAdmin: boolean;
	/** Territories this person moderates (each covers its descendants). */
	moderatorOf: string[];
	sessionId: string;
}
