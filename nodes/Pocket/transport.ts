import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { PocketAction } from './validation';

/**
 * One Pocket `send` call: the request, the retries that are safe, and the reading of the
 * answer. Pure apart from the injected `post` and `wait`, so every branch is testable.
 */

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Sends `{actions}` to the send URL; credentials are added by n8n's authentication. */
export type Post = (url: string, actions: PocketAction[], timeoutMs: number) => Promise<HttpAnswer>;

export type Wait = (ms: number) => Promise<void>;

export interface SendSettings {
	timeoutMs: number;
	/** Longest the node may wait, in total, for rate limits, maintenance or a refused connection. */
	maxWaitSeconds: number;
	/** Resend after a timeout or dropped connection, when the server may already have applied the call. */
	resendWhenUncertain: boolean;
}

export const DEFAULT_SETTINGS: SendSettings = { timeoutMs: 30_000, maxWaitSeconds: 60, resendWhenUncertain: false };

/** Bounds the number of attempts whatever the waits are, so a flapping server cannot loop us. */
export const MAX_ATTEMPTS = 5;

export interface RateLimitWindow {
	limit?: number;
	remaining?: number;
	/** Seconds until the window resets, as the server said it. */
	resetSeconds?: number;
}

export interface RateLimit {
	user?: RateLimitWindow;
	key?: RateLimitWindow;
}

export interface ServerActionError {
	message: string;
	type?: string;
	code?: number | string;
}

export interface ActionResult {
	ok: boolean;
	/** The item object some servers return for `add` (and `readd`). */
	item?: IDataObject;
	error?: ServerActionError;
}

export interface CallResult {
	results: ActionResult[];
	rateLimit?: RateLimit;
	attempts: number;
}

/** Whether the server may have applied the actions of a failed call. */
export type Applied = 'no' | 'unknown';

/** A call that failed as a whole. Its texts never contain credentials. */
export interface CallFailure {
	message: string;
	description: string;
	applied: Applied;
	httpCode?: string;
	rateLimit?: RateLimit;
}

function callFailure(
	message: string,
	description: string,
	applied: Applied,
	httpCode?: string,
	rateLimit?: RateLimit,
): CallFailure {
	return { message, description, applied, httpCode, rateLimit };
}

export type CallOutcome = ({ ok: true } & CallResult) | { ok: false; failure: CallFailure };

const serverErrorSchema = z.object({
	message: z.string().optional(),
	type: z.string().optional(),
	code: z.union([z.number(), z.string()]).optional(),
});

/**
 * The envelope is checked by zod; the (possibly 100,000) entries by a plain test, because a
 * zod union per entry copied every item object and cost a third of the node's time.
 */
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

const responseSchema = z.object({
	// z.custom checks without copying: z.array would rebuild a 100,000-entry array.
	action_results: z.custom<unknown[]>(isArray, 'action_results must be an array'),
	action_errors: z.custom<unknown[]>(isArray).nullable().optional(),
});

type ResultEntry = boolean | IDataObject;

function isResultEntry(entry: unknown): entry is ResultEntry {
	return typeof entry === 'boolean' || (typeof entry === 'object' && entry !== null && !Array.isArray(entry));
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name.toLowerCase()] ?? headers[name];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

function numberHeader(headers: Record<string, unknown>, name: string): number | undefined {
	const text = header(headers, name);
	if (text === undefined || text.trim() === '') return undefined;
	const n = Number(text);
	return Number.isFinite(n) ? n : undefined;
}

export function readRateLimit(headers: Record<string, unknown>): RateLimit | undefined {
	const windowOf = (scope: 'User' | 'Key'): RateLimitWindow | undefined => {
		const window: RateLimitWindow = {
			limit: numberHeader(headers, `X-Limit-${scope}-Limit`),
			remaining: numberHeader(headers, `X-Limit-${scope}-Remaining`),
			resetSeconds: numberHeader(headers, `X-Limit-${scope}-Reset`),
		};
		return Object.values(window).some((v) => v !== undefined) ? window : undefined;
	};
	const rateLimit: RateLimit = { user: windowOf('User'), key: windowOf('Key') };
	return rateLimit.user || rateLimit.key ? rateLimit : undefined;
}

/** The server's own words, from X-Error / X-Error-Code, ready to append to a message. */
function serverSays(headers: Record<string, unknown>): string {
	const text = header(headers, 'X-Error');
	const code = header(headers, 'X-Error-Code');
	if (!text && !code) return '';
	return ` The server said: "${text ?? 'no message'}"${code ? ` (X-Error-Code ${code})` : ''}.`;
}

/** Seconds the server asked us to wait before trying again, or undefined if it did not say. */
function announcedWait(answer: HttpAnswer, rateLimit: RateLimit | undefined): number | undefined {
	const retryAfter = header(answer.headers, 'Retry-After');
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds);
		const date = Date.parse(retryAfter);
		if (Number.isFinite(date)) return Math.max(0, (date - Date.now()) / 1000);
	}
	const exhausted = [rateLimit?.user, rateLimit?.key].filter((w) => w?.remaining === 0);
	const resets = exhausted.map((w) => w?.resetSeconds).filter((s): s is number => s !== undefined);
	return resets.length ? Math.max(...resets) : undefined;
}

function isRateLimited(answer: HttpAnswer, rateLimit: RateLimit | undefined): boolean {
	if (answer.statusCode === 429) return true;
	return answer.statusCode === 403 && (rateLimit?.user?.remaining === 0 || rateLimit?.key?.remaining === 0);
}

/** A refusal we may retry because the server certainly applied nothing. */
interface Refusal {
	failure: CallFailure;
	waitSeconds: number | undefined;
}

function isRefusal(outcome: Refusal | CallFailure): outcome is Refusal {
	return 'failure' in outcome;
}

const CHECK_BASE_URL =
	'Check the Base URL in the Pocket API credential: it is the API root without /send, for example https://pocket.example.com/api/v1 or https://bridge.example.com/v3.';

function describeBody(body: unknown): string {
	if (typeof body !== 'string') return 'a JSON value of an unexpected shape';
	const text = body.trim();
	if (text.startsWith('<')) return 'an HTML page';
	return text === '' ? 'an empty body' : 'text that is not JSON';
}

function parseBody(body: unknown): unknown {
	if (body instanceof Uint8Array) return parseBody(new TextDecoder().decode(body));
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/** Reads a 2xx answer into per-action results, or explains why it cannot be trusted. */
export function readResults(answer: HttpAnswer, sent: number, rateLimit?: RateLimit): ActionResult[] | CallFailure {
	const parsed = responseSchema.safeParse(parseBody(answer.body));
	if (!parsed.success) {
		return callFailure(
			`The server answered with ${describeBody(parseBody(answer.body))} instead of a Pocket send result (HTTP ${answer.statusCode})`,
			`The actions may or may not have been applied; they were not resent. ${CHECK_BASE_URL}`,
			'unknown',
			String(answer.statusCode),
			rateLimit,
		);
	}
	const { action_results: results, action_errors: errors } = parsed.data;
	if (!results.every(isResultEntry)) {
		return callFailure(
			'The server answered with action_results entries that are neither true, false nor an item',
			'The actions may or may not have been applied; they were not resent. The server does not follow the Pocket send protocol.',
			'unknown',
			String(answer.statusCode),
			rateLimit,
		);
	}
	if (results.length !== sent) {
		return callFailure(
			`The server answered with ${results.length} results for ${sent} actions, so no result can be paired with its item`,
			'The actions may or may not have been applied; they were not resent. The server does not follow the Pocket send protocol.',
			'unknown',
			String(answer.statusCode),
			rateLimit,
		);
	}
	// Errors are only trusted when they line up with the results; results alone decide success.
	const aligned = errors && errors.length === results.length ? errors : undefined;
	return results.map((result, i): ActionResult => {
		if (result === true) return { ok: true };
		if (result !== false) return { ok: true, item: result };
		return { ok: false, error: serverError(aligned?.[i]) };
	});
}

/** One entry of action_errors, or a stand-in when the server gave none. */
function serverError(entry: unknown): ServerActionError {
	const parsed = serverErrorSchema.safeParse(entry);
	const error = parsed.success ? parsed.data : {};
	return {
		message: error.message ?? 'The server reported this action as failed without saying why',
		...(error.type === undefined ? {} : { type: error.type }),
		...(error.code === undefined ? {} : { code: error.code }),
	};
}

/** Turns a non-2xx answer into a failure, marking those that are safe to retry. */
export function classifyHttpError(answer: HttpAnswer, sendUrl: string, rateLimit?: RateLimit): Refusal | CallFailure {
	const status = answer.statusCode;
	const says = serverSays(answer.headers);
	const code = String(status);
	if (isRateLimited(answer, rateLimit)) {
		const waitSeconds = announcedWait(answer, rateLimit);
		return {
			waitSeconds,
			failure: callFailure(
				`The server refused the call because the rate limit is used up (HTTP ${status}).${says}`,
				`None of the actions in this call were applied. ${
					waitSeconds === undefined ? 'The server did not say when the limit resets.' : `The limit resets in ${Math.ceil(waitSeconds)} s.`
				} Raise "Max Wait" to let the node wait for it, or run the workflow less often.`,
				'no',
				code,
				rateLimit,
			),
		};
	}
	if (status === 503) {
		const waitSeconds = announcedWait(answer, rateLimit);
		return {
			waitSeconds,
			failure: callFailure(
				`The server is unavailable or in maintenance (HTTP 503).${says}`,
				`None of the actions in this call were applied. ${
					waitSeconds === undefined ? '' : `The server asked to retry in ${Math.ceil(waitSeconds)} s. `
				}Try again later, or raise "Max Wait" to let the node wait longer.`,
				'no',
				code,
				rateLimit,
			),
		};
	}
	if (status === 400) {
		return callFailure(
			`The server rejected the call as malformed (HTTP 400).${says}`,
			'None of the actions in this call were applied. The node validates every action before sending; if this persists, the server may not support one of the actions used.',
			'no',
			code,
			rateLimit,
		);
	}
	if (status === 401) {
		return callFailure(
			`The server rejected the credentials (HTTP 401).${says}`,
			'None of the actions were applied. Check the Access Token and the Consumer Key in the Pocket API credential.',
			'no',
			code,
			rateLimit,
		);
	}
	if (status === 403) {
		return callFailure(
			`The server denied access (HTTP 403).${says}`,
			'None of the actions were applied. The consumer key may be invalid or lack the permission to modify items; check the Pocket API credential.',
			'no',
			code,
			rateLimit,
		);
	}
	if (status === 404 || status === 405) {
		return callFailure(
			`There is no Pocket send endpoint at ${sendUrl} (HTTP ${status})`,
			`None of the actions were applied. ${CHECK_BASE_URL}`,
			'no',
			code,
			rateLimit,
		);
	}
	if (status === 415) {
		return callFailure(
			`The server refused the request's content type (HTTP 415).${says}`,
			'None of the actions were applied. The server does not accept application/json; it may not be a Pocket-compatible API.',
			'no',
			code,
			rateLimit,
		);
	}
	if (status >= 500) {
		return callFailure(
			`The server failed while handling the call (HTTP ${status}).${says}`,
			'Some actions may have been applied before the failure; they were not resent. Check the server, then run the workflow again (adding and tagging the same item again is harmless).',
			'unknown',
			code,
			rateLimit,
		);
	}
	return callFailure(
		`The server answered with an unexpected HTTP ${status}.${says}`,
		`The actions may or may not have been applied; they were not resent. ${CHECK_BASE_URL}`,
		'unknown',
		code,
		rateLimit,
	);
}

/**
 * Connection failures that happen before anything is sent, in words: n8n replaces any error
 * message that contains a socket code with its own generic text, so our messages avoid codes.
 */
const NEVER_CONNECTED: Record<string, string> = {
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name could not be resolved right now',
	EHOSTUNREACH: 'there is no route to the host',
	ENETUNREACH: 'the network is unreachable',
};

/** The error and its causes, outermost first, a few levels deep. */
function errorChain(error: unknown): Array<{ code?: unknown; message?: unknown; messages?: unknown }> {
	const chain = [];
	for (let e: unknown = error; e && chain.length < 4; e = (e as { cause?: unknown }).cause) {
		chain.push(e as { code?: unknown; message?: unknown; messages?: unknown });
	}
	return chain;
}

const SOCKET_CODE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|ECONNABORTED|EPIPE)\b/;

/**
 * The socket code and every message an error carries. n8n's wrapper drops the code and
 * replaces the message, but keeps the original message in `messages`, so the code is looked
 * for there too.
 */
function describeError(error: unknown): { code: string | undefined; texts: string[] } {
	const chain = errorChain(error);
	const texts: string[] = [];
	for (const { message, messages } of chain) {
		if (typeof message === 'string') texts.push(message);
		if (Array.isArray(messages)) texts.push(...messages.filter((m): m is string => typeof m === 'string'));
	}
	const direct = chain.map((e) => e.code).find((c): c is string => typeof c === 'string' && SOCKET_CODE.test(c));
	return { code: direct ?? texts.map((t) => SOCKET_CODE.exec(t)?.[1]).find((c) => c !== undefined), texts };
}

/**
 * Classifies a request that produced no HTTP answer. Only the code and our own words reach the
 * user: the thrown error carries the request, credentials included.
 */
export function classifyNetworkError(error: unknown, sendUrl: string, timeoutMs: number): Refusal | CallFailure {
	const { code, texts } = describeError(error);
	const timedOut = texts.some((t) => /timeout/i.test(t));
	if (code === 'ECONNREFUSED') {
		return {
			waitSeconds: undefined,
			failure: callFailure(
				`Could not connect to ${sendUrl}: the connection was refused`,
				`None of the actions were applied. Check that the server is running and that the Base URL is right. ${CHECK_BASE_URL}`,
				'no',
			),
		};
	}
	if (code !== undefined && code in NEVER_CONNECTED) {
		return callFailure(
			`Could not reach ${sendUrl}: ${NEVER_CONNECTED[code]}`,
			`None of the actions were applied. ${CHECK_BASE_URL}`,
			'no',
		);
	}
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || timedOut) {
		return callFailure(
			`The server did not answer within ${timeoutMs} ms`,
			'The server may have applied the actions of this call, so they were not resent (turn on "Resend After Timeout" to resend anyway). Raise "Timeout" for large batches.',
			'unknown',
		);
	}
	return callFailure(
		`The connection to ${sendUrl} was lost before the answer was complete`,
		'The server may have applied the actions of this call, so they were not resent (turn on "Resend After Timeout" to resend anyway).',
		'unknown',
	);
}

/** Backoff for refusals that announce no wait: 1 s, 2 s, 4 s, … */
const backoffSeconds = (attempt: number) => 2 ** (attempt - 1);

/**
 * Sends one batch, retrying only where the server certainly applied nothing (or where the
 * user allowed resending), within `maxWaitSeconds` in total and `MAX_ATTEMPTS` attempts.
 */
export async function sendCall(
	post: Post,
	sendUrl: string,
	actions: PocketAction[],
	settings: SendSettings,
	wait: Wait,
): Promise<CallOutcome> {
	let waited = 0;
	for (let attempt = 1; ; attempt++) {
		let outcome: Refusal | CallFailure;
		try {
			const answer = await post(sendUrl, actions, settings.timeoutMs);
			const rateLimit = readRateLimit(answer.headers);
			if (answer.statusCode >= 200 && answer.statusCode < 300) {
				const results = readResults(answer, actions.length, rateLimit);
				if (!Array.isArray(results)) return { ok: false, failure: results };
				return { ok: true, results, rateLimit, attempts: attempt };
			}
			outcome = classifyHttpError(answer, sendUrl, rateLimit);
		} catch (error) {
			outcome = classifyNetworkError(error, sendUrl, settings.timeoutMs);
		}
		if (!isRefusal(outcome)) {
			const resend = outcome.applied === 'unknown' && settings.resendWhenUncertain && outcome.httpCode === undefined;
			if (!resend || attempt >= MAX_ATTEMPTS) return { ok: false, failure: outcome };
			continue;
		}
		const seconds = outcome.waitSeconds ?? backoffSeconds(attempt);
		const outOfAttempts = attempt >= MAX_ATTEMPTS;
		if (outOfAttempts || waited + seconds > settings.maxWaitSeconds) {
			const retryAt = new Date(Date.now() + seconds * 1000).toISOString();
			const why = outOfAttempts
				? `Gave up after ${attempt} attempts.`
				: `Gave up after ${attempt} attempt(s) and ${Math.round(waited)} s of waiting: the next try would be at ${retryAt} (in ${Math.ceil(seconds)} s), beyond Max Wait (${settings.maxWaitSeconds} s).`;
			return { ok: false, failure: { ...outcome.failure, description: `${outcome.failure.description} ${why}` } };
		}
		waited += seconds;
		await wait(seconds * 1000);
	}
}
