/**
 * The sign-in token's lifetime, read from the JWT the server issued. Only ever used to renew
 * early: the token is not verified (the server does that), and a token whose lifetime cannot
 * be read is simply used until the server answers 401.
 */

/** Renew this long before expiry at most: time for a batch to reach the server. */
const MAX_MARGIN_SECONDS = 30;

interface Claims {
	exp?: unknown;
	iat?: unknown;
}

function claimsOf(token: string): Claims | undefined {
	const payload = token.split('.')[1];
	if (payload === undefined) return undefined;
	try {
		const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
		const claims: unknown = JSON.parse(json);
		return typeof claims === 'object' && claims !== null ? (claims as Claims) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Whether a new token is needed before the next request: there is none, or the one held expires
 * within the margin (a quarter of its lifetime, at most 30 s, so that short-lived tokens are not
 * renewed on every call).
 */
export function needsNewToken(token: unknown, nowMs: number): boolean {
	if (typeof token !== 'string' || token === '') return true;
	const { exp, iat } = claimsOf(token) ?? {};
	if (typeof exp !== 'number' || !Number.isFinite(exp)) return false;
	const lifetime = typeof iat === 'number' && iat < exp ? exp - iat : MAX_MARGIN_SECONDS * 4;
	const margin = Math.min(MAX_MARGIN_SECONDS, lifetime / 4);
	return exp - margin <= nowMs / 1000;
}
