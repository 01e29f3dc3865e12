import type { HttpAnswer, RateLimit } from './response';
import { AnswerTooDeep, AnswerTooLarge, announcedWait, DeadlineExceeded, header, isRateLimitExhausted, serverSays } from './response';

/**
 * What a failed exchange means, as data: for each kind of HTTP status and of network error,
 * whether the server can have applied the request, whether a later try may succeed, and what
 * the user is told. Every endpoint (send today; get and login next) reads its failures here.
 */

/** Whether the server may have applied what a failed exchange asked for. */
export type Applied = 'no' | 'unknown';

/**
 * - network: no HTTP answer (refused, unresolved, timed out, dropped);
 * - http: an answer with a non-2xx status;
 * - protocol: a 2xx answer that does not follow the protocol, or one too large to read;
 * - signIn: the credential could not sign in, so the request was never sent.
 */
export type FailureKind = 'network' | 'http' | 'protocol' | 'signIn';

/** An exchange that failed as a whole. Its texts never contain credentials. */
export interface Failure {
	kind: FailureKind;
	message: string;
	description: string;
	applied: Applied;
	httpCode?: string;
	rateLimit?: RateLimit;
	/**
	 * Present when the server certainly applied nothing and a later try may succeed: wait
	 * `waitSeconds` first (undefined: the server did not say, so back off).
	 */
	retry?: { waitSeconds: number | undefined };
}

/** The endpoint an exchange went to, and how its effects are told to the user. */
export interface Endpoint {
	/** Its name in messages: "send". */
	name: string;
	url: string;
	/** The sentence that opens a failure's description, by what may have been applied. */
	effects: Record<Applied, string>;
	/** The credential fields to check when the server refuses them: "the Access Token and the Consumer Key". */
	credentialFields: string;
	/** This endpoint's own advice where the policy's is written for the send side (a read has no "Resend After Timeout"). */
	advice?: Partial<Record<StatusClass | NetworkClass, string>>;
}

export const CHECK_BASE_URL =
	'Check the Base URL in the Pocket API credential: it is the API root without /send, for example https://pocket.example.com/api/v1 or https://bridge.example.com/v3.';

interface StatusContext {
	status: number;
	answer: HttpAnswer;
	endpoint: Endpoint;
	/** The server's X-Error words, ready to append. */
	says: string;
	waitSeconds: number | undefined;
}

interface FailurePolicy<C> {
	applied: Applied;
	/** Try again after a wait: only ever where the server certainly applied nothing. */
	retry: boolean;
	message: (c: C) => string;
	/** What to do, after the sentence on what was applied. */
	advice: (c: C) => string;
}

type StatusClass =
	| 'redirect'
	| 'rateLimited'
	| 'unavailable'
	| 'gatewayUnavailable'
	| 'malformed'
	| 'unauthorized'
	| 'forbidden'
	| 'notFound'
	| 'unsupportedType'
	| 'serverError'
	| 'unexpected';

const STATUS_CLASS: Record<number, StatusClass> = {
	400: 'malformed',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'notFound',
	405: 'notFound',
	415: 'unsupportedType',
	429: 'rateLimited',
	503: 'unavailable',
};

/** Where a redirect pointed, as a host name only: the rest of the address could carry anything. */
function redirectTarget(c: StatusContext): string {
	const location = header(c.answer.headers, 'Location');
	if (location === undefined) return 'an address it did not give';
	try {
		return new URL(location, c.endpoint.url).host;
	} catch {
		return 'an address that is not a valid URL';
	}
}

const STATUS_POLICY: Record<StatusClass, FailurePolicy<StatusContext>> = {
	redirect: {
		applied: 'no',
		retry: false,
		message: (c) => `The server redirected the call to ${redirectTarget(c)} (HTTP ${c.status}); the node does not follow redirects`,
		advice: (c) =>
			`Following it would send the keys to ${redirectTarget(c)}. Set the Base URL in the Pocket API credential to the final address of the API (with https://), so that no redirect is needed.`,
	},
	rateLimited: {
		applied: 'no',
		retry: true,
		message: (c) => `The server refused the call because the rate limit is used up (HTTP ${c.status}).${c.says}`,
		advice: (c) =>
			`${
				c.waitSeconds === undefined ? 'The server did not say when the limit resets.' : `The limit resets in ${Math.ceil(c.waitSeconds)} s.`
			} Raise "Max Wait" to let the node wait for it, or run the workflow less often.`,
	},
	// The Pocket server's own maintenance answer: it names its error in X-Error headers.
	unavailable: {
		applied: 'no',
		retry: true,
		message: (c) => `The server is unavailable or in maintenance (HTTP ${c.status}).${c.says}`,
		advice: (c) =>
			`${
				c.waitSeconds === undefined ? '' : `The server asked to retry in ${Math.ceil(c.waitSeconds)} s. `
			}Try again later, or raise "Max Wait" to let the node wait longer.`,
	},
	// A 503 without the server's own error headers may come from a gateway after the server
	// applied the call, so it is neither resent nor reported as not applied.
	gatewayUnavailable: {
		applied: 'unknown',
		retry: false,
		message: (c) => `The server or a gateway in front of it was unavailable (HTTP ${c.status}).${c.says}`,
		advice: () =>
			'A gateway can answer this after the server applied the call, so it was not resent. Check the server, then run the workflow again (adding and tagging the same item again is harmless).',
	},
	malformed: {
		applied: 'no',
		retry: false,
		message: (c) => `The server rejected the call as malformed (HTTP ${c.status}).${c.says}`,
		advice: () =>
			'The node validates every action before sending; if this persists, the server may not support one of the actions used.',
	},
	unauthorized: {
		applied: 'no',
		retry: false,
		message: (c) => `The server rejected the credentials (HTTP ${c.status}).${c.says}`,
		advice: (c) => `Check ${c.endpoint.credentialFields} in the Pocket API credential.`,
	},
	forbidden: {
		applied: 'no',
		retry: false,
		message: (c) => `The server denied access (HTTP ${c.status}).${c.says}`,
		advice: () =>
			'The consumer key may be invalid or lack the permission to modify items; check the Pocket API credential.',
	},
	notFound: {
		applied: 'no',
		retry: false,
		message: (c) => `There is no Pocket ${c.endpoint.name} endpoint at ${c.endpoint.url} (HTTP ${c.status})`,
		advice: () => CHECK_BASE_URL,
	},
	unsupportedType: {
		applied: 'no',
		retry: false,
		message: (c) => `The server refused the request's content type (HTTP ${c.status}).${c.says}`,
		advice: () => 'The server does not accept application/json; it may not be a Pocket-compatible API.',
	},
	serverError: {
		applied: 'unknown',
		retry: false,
		message: (c) => `The server failed while handling the call (HTTP ${c.status}).${c.says}`,
		advice: () => 'Check the server, then run the workflow again (adding and tagging the same item again is harmless).',
	},
	unexpected: {
		applied: 'unknown',
		retry: false,
		message: (c) => `The server answered with an unexpected HTTP ${c.status}.${c.says}`,
		advice: () => CHECK_BASE_URL,
	},
};

function statusClass(answer: HttpAnswer, rateLimit: RateLimit | undefined): StatusClass {
	const status = answer.statusCode;
	if (status >= 300 && status < 400) return 'redirect';
	// Pocket signals an exhausted quota with 403 and a zero counter, not only with 429.
	if (status === 403 && isRateLimitExhausted(rateLimit)) return 'rateLimited';
	if (status === 503 && serverSays(answer.headers) === '') return 'gatewayUnavailable';
	return STATUS_CLASS[status] ?? (status >= 500 ? 'serverError' : 'unexpected');
}

function explain<C>(
	policy: FailurePolicy<C>,
	context: C,
	endpoint: Endpoint,
	failureClass: StatusClass | NetworkClass,
): Pick<Failure, 'message' | 'description' | 'applied'> {
	return {
		message: policy.message(context),
		description: `${endpoint.effects[policy.applied]} ${endpoint.advice?.[failureClass] ?? policy.advice(context)}`,
		applied: policy.applied,
	};
}

/** Turns a non-2xx answer into a failure, marking those that are safe to retry. */
export function classifyHttpError(answer: HttpAnswer, endpoint: Endpoint, rateLimit: RateLimit | undefined, now: number): Failure {
	const status = answer.statusCode;
	const failureClass = statusClass(answer, rateLimit);
	const policy = STATUS_POLICY[failureClass];
	const waitSeconds = policy.retry ? announcedWait(answer, rateLimit, now) : undefined;
	const context: StatusContext = { status, answer, endpoint, says: serverSays(answer.headers), waitSeconds };
	return {
		kind: 'http',
		...explain(policy, context, endpoint, failureClass),
		httpCode: String(status),
		rateLimit,
		...(policy.retry ? { retry: { waitSeconds } } : {}),
	};
}

interface NetworkContext {
	endpoint: Endpoint;
	timeoutMs: number;
	/** The reason a host could not be reached, in words. */
	reason: string;
}

type NetworkClass = 'refused' | 'unreachable' | 'timedOut' | 'dropped';

const NETWORK_POLICY: Record<NetworkClass, FailurePolicy<NetworkContext>> = {
	refused: {
		applied: 'no',
		retry: true,
		message: (c) => `Could not connect to ${c.endpoint.url}: the connection was refused`,
		advice: () => `Check that the server is running and that the Base URL is right. ${CHECK_BASE_URL}`,
	},
	unreachable: {
		applied: 'no',
		retry: false,
		message: (c) => `Could not reach ${c.endpoint.url}: ${c.reason}`,
		advice: () => CHECK_BASE_URL,
	},
	timedOut: {
		applied: 'unknown',
		retry: false,
		message: (c) => `The server did not answer within ${c.timeoutMs % 1000 === 0 ? `${c.timeoutMs / 1000} s` : `${c.timeoutMs} ms`}`,
		advice: () => 'Turn on "Resend After Timeout" to resend anyway. Raise "Timeout" for large batches.',
	},
	dropped: {
		applied: 'unknown',
		retry: false,
		message: (c) => `The connection to ${c.endpoint.url} was lost before the answer was complete`,
		advice: () => 'Turn on "Resend After Timeout" to resend anyway.',
	},
};

/**
 * Connection failures that happen before anything is sent, in words: n8n replaces any error
 * message that contains a socket code with its own generic text, so our messages avoid codes.
 */
const NEVER_CONNECTED: Record<string, string> = {
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name could not be resolved right now',
	EHOSTUNREACH: 'there is no route to the host',
	ENETUNREACH: 'the network is unreachable',
	UNTRUSTED_CERTIFICATE:
		'its TLS certificate is not trusted (self-signed, expired, or for another name), so nothing was sent. If it is your own server with a self-signed certificate, turn on "Ignore SSL Issues (Insecure)" in the Pocket API credential',
};

/**
 * Node's texts for a certificate it refuses (the TLS handshake comes before any byte of the
 * request): n8n's wrapper keeps only the text, not the code.
 */
const UNTRUSTED_CERTIFICATE = /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate has expired|does not match certificate's altnames/i;

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
	const code = direct ?? texts.map((t) => SOCKET_CODE.exec(t)?.[1]).find((c) => c !== undefined);
	return { code: code ?? (texts.some((t) => UNTRUSTED_CERTIFICATE.test(t)) ? 'UNTRUSTED_CERTIFICATE' : undefined), texts };
}

function networkClass(code: string | undefined, texts: string[]): NetworkClass {
	if (code === 'ECONNREFUSED') return 'refused';
	if (code !== undefined && code in NEVER_CONNECTED) return 'unreachable';
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || texts.some((t) => /timeout/i.test(t))) return 'timedOut';
	return 'dropped';
}

/**
 * Classifies a request that produced no HTTP answer. Only the code and our own words reach the
 * user: the thrown error carries the request, credentials included.
 */
export function classifyNetworkError(error: unknown, endpoint: Endpoint, timeoutMs: number): Failure {
	const { code, texts } = describeError(error);
	const failureClass = networkClass(code, texts);
	const policy = NETWORK_POLICY[failureClass];
	const context: NetworkContext = { endpoint, timeoutMs, reason: code === undefined ? '' : (NEVER_CONNECTED[code] ?? '') };
	return {
		kind: 'network',
		...explain(policy, context, endpoint, failureClass),
		...(policy.retry ? { retry: { waitSeconds: undefined } } : {}),
	};
}

/** A failure as the one text a place without a description shows (n8n's credential Test). */
export function failureText({ message, description }: Pick<Failure, 'message' | 'description'>): string {
	return `${message}${/[.!?]$/.test(message) ? '' : '.'} ${description}`;
}

/**
 * Failed sign-ins by the text of their error. n8n wraps the error the credential's
 * preAuthentication throws (NodeApiError drops an Error cause) and keeps only its message, in
 * `messages`; that text is also what n8n's credential Test shows as it is. So the text is
 * plain words, and the failure behind it is found again here, in the same process.
 */
const signInFailures = new Map<string, Failure>();
const MAX_REMEMBERED_SIGN_INS = 100;

/** The error the credential's sign-in throws: its failure in words, readable again by `classifyThrown`. */
export function signInError(failed: Failure): Error {
	const { kind, message, description, applied, httpCode } = failed;
	const text = `Signing in failed: ${failureText(failed)}`;
	signInFailures.delete(text);
	signInFailures.set(text, { kind, message, description, applied, ...(httpCode === undefined ? {} : { httpCode }) });
	if (signInFailures.size > MAX_REMEMBERED_SIGN_INS) signInFailures.delete(signInFailures.keys().next().value as string);
	return new Error(text);
}

function readSignInError(texts: string[]): Failure | undefined {
	for (const text of texts) {
		const failure = signInFailures.get(text);
		if (failure) return { ...failure, kind: 'signIn', applied: 'no' };
	}
	return undefined;
}

/**
 * Whatever a request threw: the node's own deadline and size limit, a failed sign-in, or a
 * network error.
 */
export function classifyThrown(error: unknown, endpoint: Endpoint, timeoutMs: number): Failure {
	if (error instanceof DeadlineExceeded) return classifyNetworkError({ code: 'ETIMEDOUT' }, endpoint, timeoutMs);
	if (error instanceof AnswerTooLarge) {
		return protocolFailure(endpoint, {
			message: `The server's answer was larger than ${Math.round(error.maxBytes / 1024)} KB, far beyond what this request can need, and was not read`,
			advice: 'The server may be broken or hostile. Check the Base URL in the Pocket API credential.',
		});
	}
	if (error instanceof AnswerTooDeep) {
		return protocolFailure(endpoint, {
			message: `The server's answer nested its values more than ${error.maxDepth} levels deep, far beyond any Pocket answer, and was not read`,
			advice: 'The server may be broken or hostile. Check the Base URL in the Pocket API credential.',
		});
	}
	const signIn = readSignInError(describeError(error).texts);
	if (signIn) {
		return { ...signIn, message: `Signing in failed: ${signIn.message}`, description: `${endpoint.effects.no} ${signIn.description}` };
	}
	return classifyNetworkError(error, endpoint, timeoutMs);
}

/** A 2xx answer that cannot be trusted: the server may have applied the request. */
export function protocolFailure(
	endpoint: Endpoint,
	{ message, advice, statusCode }: { message: string; advice: string; statusCode?: number },
): Failure {
	return {
		kind: 'protocol',
		message,
		description: `${endpoint.effects.unknown} ${advice}`,
		applied: 'unknown',
		...(statusCode === undefined ? {} : { httpCode: String(statusCode) }),
	};
}
