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
 * renewed on every call). `nowMs` is the server's time (serverNow): its token, its clock.
 */
export function needsNewToken(token: unknown, nowMs: number): boolean {
	if (typeof token !== 'string' || token === '') return true;
	const { exp, iat } = claimsOf(token) ?? {};
	if (typeof exp !== 'number' || !Number.isFinite(exp)) return false;
	const lifetime = typeof iat === 'number' && iat < exp ? exp - iat : MAX_MARGIN_SECONDS * 4;
	const margin = Math.min(MAX_MARGIN_SECONDS, lifetime / 4);
	return exp - margin <= nowMs / 1000;
}

/**
 * A server clock that differs from the local one by less than this is taken as the same: the
 * Date header has one-second steps, and the answer takes time to arrive.
 */
const SAME_CLOCK_MS = 2000;

/** A server's clock offset (server minus local, ms) from the Date header of its answer, or undefined if it sent none. */
export function offsetFromDate(headers: Record<string, unknown>, localNowMs: number): number | undefined {
	const value = headers.date ?? headers.Date;
	const date = typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isFinite(date) ? date - localNowMs : undefined;
}

/** A server's clock offset from a token it has just issued: its `iat` is the server's time of issue. */
export function offsetFromToken(token: unknown, localNowMs: number): number | undefined {
	const iat = typeof token === 'string' ? claimsOf(token)?.iat : undefined;
	return typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 - localNowMs : undefined;
}

/** Servers whose clock offsets are remembered at most: one process talks to few servers. */
const MAX_SERVERS = 100;

/**
 * The clock offset of each server, by its origin, as last measured: kept for the process, since
 * it is a property of the server, not of one run, so that a clock an hour behind does not cost a
 * sign-in at the start of every execution.
 */
const offsets = new Map<string, number>();

/** Records a measured offset of the server at `origin` (ignored when the clocks agree within a Date header's precision). */
export function learnOffset(origin: string, offsetMs: number | undefined): void {
	if (offsetMs === undefined) return;
	offsets.delete(origin);
	if (Math.abs(offsetMs) < SAME_CLOCK_MS) return;
	offsets.set(origin, offsetMs);
	if (offsets.size > MAX_SERVERS) offsets.delete(offsets.keys().next().value as string);
}

/** The server's time now, as far as its answers have shown its clock. */
export function serverNow(origin: string, localNowMs: number): number {
	return localNowMs + (offsets.get(origin) ?? 0);
}
