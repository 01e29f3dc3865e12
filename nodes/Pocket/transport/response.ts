/**
 * Reading what an HTTP answer carries besides its result: the body as JSON, the server's own
 * error words, rate-limit counters and announced waits. Shared by every endpoint.
 */

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	/** The body as the server sent it, as text. */
	body: string;
}

export type RateLimitWindow = {
	limit?: number;
	remaining?: number;
	/** Seconds until the window resets, as the server said it. */
	resetSeconds?: number;
};

/** Pocket's two quotas: per user and per consumer key. Types rather than interfaces, so that they are IDataObjects in output items. */
export type RateLimit = {
	user?: RateLimitWindow;
	key?: RateLimitWindow;
};

export function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name.toLowerCase()] ?? headers[name];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * Every number a server sends is checked against the range it can mean before anything uses
 * it: a count is a whole number from 0, a duration is not negative. A number outside its range
 * is treated as not sent, so that a lie cannot shorten or stretch a wait (a reset of -100000 s
 * once cancelled out the waits counted against Max Wait).
 */
export const SERVER_NUMBER = {
	/** Calls, items, bytes: whole numbers from 0. */
	count: (n: number) => Number.isSafeInteger(n) && n >= 0,
	/** Seconds to wait or until a reset: not negative. Huge ones are kept: Max Wait refuses them. */
	seconds: (n: number) => Number.isFinite(n) && n >= 0,
} as const;

export function serverNumber(text: string | undefined, kind: keyof typeof SERVER_NUMBER): number | undefined {
	if (text === undefined || text.trim() === '') return undefined;
	const n = Number(text);
	return SERVER_NUMBER[kind](n) ? n : undefined;
}

function numberHeader(headers: Record<string, unknown>, name: string, kind: keyof typeof SERVER_NUMBER): number | undefined {
	return serverNumber(header(headers, name), kind);
}

export function readRateLimit(headers: Record<string, unknown>): RateLimit | undefined {
	const windowOf = (scope: 'User' | 'Key'): RateLimitWindow | undefined => {
		const window: RateLimitWindow = {
			limit: numberHeader(headers, `X-Limit-${scope}-Limit`, 'count'),
			remaining: numberHeader(headers, `X-Limit-${scope}-Remaining`, 'count'),
			resetSeconds: numberHeader(headers, `X-Limit-${scope}-Reset`, 'seconds'),
		};
		return Object.values(window).some((v) => v !== undefined) ? window : undefined;
	};
	const rateLimit: RateLimit = { user: windowOf('User'), key: windowOf('Key') };
	return rateLimit.user || rateLimit.key ? rateLimit : undefined;
}

export function isRateLimitExhausted(rateLimit: RateLimit | undefined): boolean {
	return rateLimit?.user?.remaining === 0 || rateLimit?.key?.remaining === 0;
}

/** The server's own words, from X-Error / X-Error-Code, ready to append to a message. */
export function serverSays(headers: Record<string, unknown>): string {
	const text = header(headers, 'X-Error');
	const code = header(headers, 'X-Error-Code');
	if (!text && !code) return '';
	return ` The server said: "${text ?? 'no message'}"${code ? ` (X-Error-Code ${code})` : ''}.`;
}

/** Longest reason shown: a server may quote a whole request back. */
const MAX_REASON_CHARS = 500;

/**
 * The reason a JSON error body gives, as servers spell it: `message` (Fastify, Express),
 * `error` as text, or `error.message`. Undefined for any other body. The body reaching here
 * is already cleaned of the credential's secrets (request.ts).
 */
export function bodyReason(body: string): string | undefined {
	const parsed = parseBody(body);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
	const { message, error } = parsed as { message?: unknown; error?: unknown };
	const nested = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
	const reason = [message, nested, error].find((r): r is string => typeof r === 'string' && r.trim() !== '');
	if (reason === undefined) return undefined;
	const text = reason.trim();
	return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}…` : text;
}

/** Seconds the server asked us to wait before trying again, or undefined if it did not say. */
export function announcedWait(answer: HttpAnswer, rateLimit: RateLimit | undefined, now: number): number | undefined {
	const retryAfter = header(answer.headers, 'Retry-After');
	if (retryAfter !== undefined) {
		const seconds = serverNumber(retryAfter, 'seconds');
		if (seconds !== undefined) return seconds;
		// A date already past means "now"; a negative number of seconds means nothing.
		const date = /^\s*-?[\d.]+\s*$/.test(retryAfter) ? NaN : Date.parse(retryAfter);
		if (Number.isFinite(date)) return Math.max(0, (date - now) / 1000);
	}
	const exhausted = [rateLimit?.user, rateLimit?.key].filter((w) => w?.remaining === 0);
	const resets = exhausted.map((w) => w?.resetSeconds).filter((s): s is number => s !== undefined);
	return resets.length ? Math.max(...resets) : undefined;
}

/**
 * The JSON text with every integer a JavaScript number cannot hold exactly (beyond 2^53, as
 * item ids of some servers are) written as a string of its digits: JSON.parse would round
 * 9007199254740993 to 9007199254740992, another item's id. Node 20 has no way to read a
 * number's source text in JSON.parse, so the text is rewritten before it is parsed; only
 * runs of 16 or more digits outside strings are looked at.
 */
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

export function quoteUnsafeIntegers(text: string): string {
	if (!/\d{16}/.test(text)) return text;
	let out = '';
	let from = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '-' || (c >= '0' && c <= '9')) {
			NUMBER.lastIndex = i;
			const token = NUMBER.exec(text)?.[0] ?? c;
			if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
				out += `${text.slice(from, i)}"${token}"`;
				from = i + token.length;
			}
			i += token.length - 1;
		}
	}
	return from === 0 ? text : out + text.slice(from);
}

/** JSON.parse, keeping the digits of integers beyond 2^53 (quoteUnsafeIntegers). */
export function parseJson(text: string): unknown {
	return JSON.parse(quoteUnsafeIntegers(text)) as unknown;
}

/** The body as JSON when it is JSON, otherwise as the text it is. */
export function parseBody(body: string): unknown {
	try {
		return parseJson(body);
	} catch {
		return body;
	}
}

/** What an answer that is not the expected JSON looks like, in the user's words. */
export function describeBody(body: unknown): string {
	if (typeof body !== 'string') return 'a JSON value of an unexpected shape';
	const text = body.trim();
	if (text.startsWith('<')) return 'an HTML page';
	return text === '' ? 'an empty body' : 'text that is not JSON';
}

/** The exchange took longer than its Timeout. */
export class DeadlineExceeded extends Error {
	constructor(readonly timeoutMs: number) {
		super(`No complete answer within ${timeoutMs} ms`);
	}
}

/** The answer was larger than the exchange allows. */
export class AnswerTooLarge extends Error {
	constructor(readonly maxBytes: number) {
		super(`The answer exceeded ${maxBytes} bytes`);
	}
}

/** Deeper than any Pocket answer (an item's fields nest about five levels); deep enough for any extension. */
export const MAX_ANSWER_DEPTH = 64;

/**
 * Whether a JSON text nests arrays and objects deeper than `max`, found in one pass without
 * parsing: every reader after this one (secret cleaning, zod, n8n's copies of items) recurses,
 * and 10,000 levels overflow the stack. Strings, most of an answer, are skipped with indexOf
 * rather than read character by character (a third of the time on a 10,000-item answer).
 */
export function nestsDeeperThan(text: string, max: number): boolean {
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x22) {
			i = closingQuote(text, i);
			if (i < 0) return false;
		} else if (c === 0x5b || c === 0x7b) {
			if (++depth > max) return true;
		} else if (c === 0x5d || c === 0x7d) depth--;
	}
	return false;
}

/** The quote that closes the string opened at `open`: one not escaped by an odd run of backslashes; -1 if none. */
function closingQuote(text: string, open: number): number {
	for (let q = text.indexOf('"', open + 1); q >= 0; q = text.indexOf('"', q + 1)) {
		let backslashes = 0;
		while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
		if (backslashes % 2 === 0) return q;
	}
	return -1;
}

/** The answer nested deeper than the exchange allows. */
export class AnswerTooDeep extends Error {
	constructor(readonly maxDepth: number) {
		super(`The answer nested deeper than ${maxDepth} levels`);
	}
}
