/** Where a request comes from, for rate limits and the audit log. */
export interface RequestContext {
	ip: string | null;
	userAgent?: string | null;
}
