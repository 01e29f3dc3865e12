import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { Result } from '../result';
import { failure, success } from '../result';
import type { Endpoint, Failure } from './failures';
import { classifyHttpError, classifyThrown, isSignInError } from './failures';
import type { HttpAnswer, RateLimit } from './response';
import { AnswerTooDeep, AnswerTooLarge, DeadlineExceeded, MAX_ANSWER_DEPTH, nestsDeeperThan, readRateLimit } from './response';
import type { Secrets } from './secrets';
import { redactBody, redactHeaders, secretsKeeper, secretsOf } from './secrets';
import { learnOffset, needsNewToken, offsetFromDate, offsetFromToken, serverNow } from './session';

/** The credential type every request authenticates with. */
export const CREDENTIAL_TYPE = 'pocketApi';

/** The credential's two ways of authenticating (its Authentication parameter). */
export const AUTHENTICATION = { accessToken: 'accessToken', emailPassword: 'emailPassword' } as const;

/** The fields a user should check when the server refuses the credential. */
export function credentialFieldsOf(credentials: ICredentialDataDecryptedObject): string {
	return credentials.authentication === AUTHENTICATION.emailPassword
		? 'the Email, the Password and the Consumer Key'
		: 'the Access Token and the Consumer Key';
}

export interface HttpRequest {
	url: string;
	/** The JSON body; the credential's keys are added by its `authenticate`. */
	body: IDataObject;
	/** Bounds the whole exchange: connecting, the headers and the body. */
	timeoutMs: number;
	/** The endpoint's largest answer, once decompressed; past it (and its echo allowance, answerCap) the answer is refused. */
	maxAnswerBytes: number;
}

/** Sends one JSON POST and returns whatever HTTP answer came back, its body as text, secrets removed. */
export type Requester = (request: HttpRequest) => Promise<HttpAnswer>;

/** Where time comes from: passed in, so that waits and dates are testable. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

/** The real time, for everything but tests. */
export const systemClock: Clock = { now: () => Date.now(), sleep };

/** How long one call may take and how long, in total, a call may wait to be tried again. */
export const CALL_DEFAULTS = { timeoutMs: 30_000, maxWaitSeconds: 60 } as const;

/** What n8n's request helpers return with `returnFullResponse`. */
interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** One of n8n's request helpers, whichever the context offers. */
export type HttpSend = (options: IHttpRequestOptions) => Promise<FullResponse>;

/**
 * Whether the server's certificate goes unchecked: only when the user turned on the
 * credential's "Ignore SSL Issues (Insecure)" (`ignoreSSLIssues`, as n8n's OAuth2 credentials name it).
 * The Base URL rules still apply, so the keys never travel over plain http because of it.
 */
export function skipsCertificateCheck(credentials: ICredentialDataDecryptedObject): boolean {
	return credentials.ignoreSSLIssues === true;
}

function httpOptions({ url, body, timeoutMs }: HttpRequest, abortSignal: AbortSignal, skipCertificateCheck: boolean): IHttpRequestOptions {
	return {
		method: 'POST',
		url,
		// Exactly this value: some servers refuse a charset suffix.
		headers: { 'Content-Type': 'application/json' },
		body,
		json: true,
		timeout: timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the keys in the body to wherever it points.
		disableFollowRedirect: true,
		// Read by the node itself, so that size and total time are bounded.
		encoding: 'stream',
		// The deadline ends the request itself: a request still waiting (on a slow sign-in, say)
		// must not be sent after the node has reported it as failed.
		abortSignal,
		...(skipCertificateCheck ? { skipSslCertificateValidation: true } : {}),
	};
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> & { destroy?: () => void } {
	return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The cap of one answer: the endpoint's, raised for the request's echo (answerCap) only when an
 * answer grows past it, so that a request is not serialised a second time just to size an
 * answer that stays small.
 */
function capFor(request: HttpRequest, bytes: number, maxBytes: number): number {
	if (bytes <= maxBytes || maxBytes !== request.maxAnswerBytes) return maxBytes;
	return answerCap(maxBytes, request.body);
}

/** A body a helper has already read (one that cannot stream), within the same size limit. */
function readWhole(body: unknown, request: HttpRequest): string {
	const text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
	const bytes = Buffer.byteLength(text);
	const maxBytes = capFor(request, bytes, request.maxAnswerBytes);
	if (bytes > maxBytes) throw new AnswerTooLarge(maxBytes);
	return text;
}

/** The body as text, read within the deadline and the size limit. */
async function readBody(body: unknown, request: HttpRequest, expired: Promise<typeof EXPIRED>): Promise<string> {
	if (!isAsyncIterable(body)) return readWhole(body, request);
	const iterator = body[Symbol.asyncIterator]();
	// The bytes are kept and decoded once: a string per chunk, joined and flattened later, cost
	// the garbage collector twice the answer's size on a 10,000-action call.
	const chunks: Uint8Array[] = [];
	let maxBytes = request.maxAnswerBytes;
	let bytes = 0;
	let complete = false;
	try {
		for (;;) {
			const next = await Promise.race([iterator.next(), expired]);
			if (next === EXPIRED) throw new DeadlineExceeded(request.timeoutMs);
			if (next.done) break;
			const chunk = typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
			bytes += chunk.byteLength;
			maxBytes = capFor(request, bytes, maxBytes);
			if (bytes > maxBytes) throw new AnswerTooLarge(maxBytes);
			chunks.push(chunk);
		}
		complete = true;
	} finally {
		// An answer abandoned half-way would keep its socket busy.
		if (!complete) body.destroy?.();
	}
	return new TextDecoder().decode(Buffer.concat(chunks, bytes));
}

const EXPIRED = Symbol('expired');

/** A promise that settles when the signal aborts (its timer never keeps the process alive). */
function deadline(signal: AbortSignal): Promise<typeof EXPIRED> {
	return new Promise((resolve) => signal.addEventListener('abort', () => resolve(EXPIRED), { once: true }));
}

/**
 * One request through `send` with the credential's connection settings, bounded in time and
 * size; the answer is not yet cleaned of secrets.
 */
async function exchangeRaw(send: HttpSend, request: HttpRequest, credentials: ICredentialDataDecryptedObject): Promise<HttpAnswer> {
	const signal = AbortSignal.timeout(request.timeoutMs);
	const expired = deadline(signal);
	const response = await Promise.race([send(httpOptions(request, signal, skipsCertificateCheck(credentials))), expired]);
	if (response === EXPIRED) throw new DeadlineExceeded(request.timeoutMs);
	const body = await readBody(response.body, request, expired);
	if (nestsDeeperThan(body, MAX_ANSWER_DEPTH)) throw new AnswerTooDeep(MAX_ANSWER_DEPTH);
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body };
}

function redact(answer: HttpAnswer, secrets: Secrets): HttpAnswer {
	return { ...answer, headers: redactHeaders(answer.headers, secrets), body: redactBody(answer.body, secrets) };
}

/** The values of a credential that must never be shown. */
export function credentialSecrets(credentials: ICredentialDataDecryptedObject): Secrets {
	return secretsOf([credentials.consumerKey, credentials.accessToken, credentials.password, credentials.sessionToken]);
}

/** A requester over a plain n8n request helper (the credential's sign-in), with the credential's secrets and settings. */
export function requester(send: HttpSend, credentials: ICredentialDataDecryptedObject): Requester {
	const secrets = credentialSecrets(credentials);
	return async (request) => redact(await exchangeRaw(send, request, credentials), secrets);
}

/** Sign-ins one run (one node execution, one poll) may start: renewals in a long run, not a storm. */
export const MAX_SIGN_INS_PER_RUN = 3;

/** What one run knows of its sign-ins. */
interface SignInState {
	started: number;
	/** The error of a sign-in that failed: every later request of the run fails with it, without signing in again. */
	failed?: unknown;
	/** A token the run has just signed in for was refused: signing in again would only be refused again. */
	refused: boolean;
	/** The renewal in flight: requests wait for it rather than start their own. */
	inFlight?: Promise<unknown>;
}

/**
 * n8n replaces a request's abort signal with the execution's cancel signal
 * (`httpRequestWithAuthentication` sets `abortSignal` from `getExecutionCancelSignal()`): the
 * helper runs with a context whose cancel signal also fires at the request's deadline.
 */
function withDeadline<C extends IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions>(ctx: C, deadlineSignal: AbortSignal | undefined): C {
	if (deadlineSignal === undefined || !('getExecutionCancelSignal' in ctx)) return ctx;
	const cancel = ctx.getExecutionCancelSignal();
	const signal = cancel === undefined ? deadlineSignal : AbortSignal.any([cancel, deadlineSignal]);
	return Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } }) as C;
}

/**
 * The node's requests: n8n's `httpRequestWithAuthentication` with the Pocket credential. In the
 * Email and Password mode the credential signs in through n8n's `preAuthentication`, which n8n
 * runs when the stored token is empty: the node hands n8n the credential with the token
 * emptied when it is about to expire by the server's clock, and once more after a 401 (which
 * means nothing was applied), so the new token is stored for every later execution and worker.
 * A run signs in at most MAX_SIGN_INS_PER_RUN times, one at a time, never again after a failed
 * sign-in or after a fresh token was refused.
 */
export function authenticatedRequester(ctx: IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions, clock: Clock): Requester {
	const state: SignInState = { started: 0, refused: false };
	const sendWith =
		(credentials: ICredentialDataDecryptedObject, renew: boolean): HttpSend =>
		async (options) => {
			const stored = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
			const renewal = renew
				? {
						credentialsDecrypted: {
							id: stored?.id ?? '',
							name: stored?.name ?? '',
							type: CREDENTIAL_TYPE,
							data: { ...credentials, sessionToken: '' },
						},
					}
				: undefined;
			const helperCtx = withDeadline(ctx, options.abortSignal as AbortSignal | undefined);
			return (await ctx.helpers.httpRequestWithAuthentication.call(helperCtx, CREDENTIAL_TYPE, options, renewal)) as FullResponse;
		};
	const mayRenew = () => !state.refused && state.started < MAX_SIGN_INS_PER_RUN;
	/** One exchange, renewing the token first when `renew`; a renewal is the run's only one in flight. */
	const exchange = async (credentials: ICredentialDataDecryptedObject, renew: boolean, request: HttpRequest, origin: string) => {
		if (!renew) return await exchangeRaw(sendWith(credentials, false), request, credentials);
		state.started++;
		const renewal = exchangeRaw(sendWith(credentials, true), request, credentials);
		state.inFlight = renewal.catch((error: unknown) => {
			if (isSignInError(error)) state.failed = error;
		});
		try {
			const answer = await renewal;
			// The new token was issued by the server's clock just now: a second measure when the answer carries no Date.
			if (offsetFromDate(answer.headers, clock.now()) === undefined) {
				learnOffset(origin, offsetFromToken((await ctx.getCredentials(CREDENTIAL_TYPE)).sessionToken, clock.now()));
			}
			return answer;
		} finally {
			state.inFlight = undefined;
		}
	};
	/**
	 * The credentials as stored once no renewal is in flight: requests of one run may be in flight
	 * together (Add through /add), and one that waited must see the token the renewal brought,
	 * not start a sign-in of its own.
	 */
	const settledCredentials = async () => {
		for (;;) {
			await state.inFlight;
			if (state.failed !== undefined) throw state.failed;
			const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
			if (state.inFlight === undefined) return credentials;
		}
	};
	const keep = secretsKeeper();
	return async (request) => {
		const origin = new URL(request.url).origin;
		let credentials = await settledCredentials();
		const signsIn = credentials.authentication === AUTHENTICATION.emailPassword;
		let renewed = signsIn && mayRenew() && needsNewToken(credentials.sessionToken, serverNow(origin, clock.now()));
		let answer = await exchange(credentials, renewed, request, origin);
		learnOffset(origin, offsetFromDate(answer.headers, clock.now()));
		if (signsIn && answer.statusCode === 401 && !renewed) {
			const latest = await settledCredentials();
			if (latest.sessionToken !== credentials.sessionToken) {
				// Another request of the run renewed the token meanwhile: send again with it.
				credentials = latest;
				answer = await exchange(credentials, false, request, origin);
			}
		}
		if (signsIn && answer.statusCode === 401) {
			if (renewed) state.refused = true;
			else if (mayRenew()) {
				renewed = true;
				answer = await exchange(credentials, true, request, origin);
				if (answer.statusCode === 401) state.refused = true;
			}
		}
		// A renewal brought a token the credentials read above do not hold yet.
		const secrets = renewed
			? secretsOf([...credentialSecrets(credentials), ...credentialSecrets(await ctx.getCredentials(CREDENTIAL_TYPE))])
			: credentialSecrets(credentials);
		return redact(answer, keep(secrets));
	};
}

/** Reads a 2xx answer of one endpoint into its value, or says why it cannot be trusted. */
export type AnswerReader<T> = (answer: HttpAnswer) => Result<T, Failure>;

export interface Exchange<T> {
	request: Requester;
	endpoint: Endpoint;
	body: IDataObject;
	timeoutMs: number;
	maxAnswerBytes: number;
	read: AnswerReader<T>;
	clock: Clock;
}

export interface Answered<T> {
	value: T;
	rateLimit?: RateLimit;
}

/**
 * An answer may echo what was sent (an added item's title and tags, an error quoting the
 * request), several times over and with every character escaped: each byte sent allows this
 * many bytes of answer on top of the endpoint's own cap, so a large valid request is never
 * refused for its own echo.
 */
const ECHO_BYTES_PER_BYTE_SENT = 8;

/** The endpoint's cap, or more when the request is large enough for its echo to exceed it. */
export function answerCap(maxAnswerBytes: number, body: IDataObject): number {
	return Math.max(maxAnswerBytes, 1024 * 1024 + ECHO_BYTES_PER_BYTE_SENT * Buffer.byteLength(JSON.stringify(body)));
}

/** One request and its answer, classified: the value read from a 2xx, or a failure. */
export async function exchangeOnce<T>(exchange: Exchange<T>): Promise<Result<Answered<T>, Failure>> {
	const { request, endpoint, body, timeoutMs, maxAnswerBytes, read, clock } = exchange;
	let answer: HttpAnswer;
	try {
		answer = await request({ url: endpoint.url, body, timeoutMs, maxAnswerBytes });
	} catch (error) {
		return failure(classifyThrown(error, endpoint, timeoutMs));
	}
	const rateLimit = readRateLimit(answer.headers);
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		return failure(classifyHttpError(answer, endpoint, rateLimit, clock.now()));
	}
	const parsed = read(answer);
	if (!parsed.ok) return failure({ ...parsed.failure, rateLimit });
	return success({ value: parsed.value, rateLimit });
}
