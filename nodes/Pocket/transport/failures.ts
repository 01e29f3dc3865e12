import type { HttpAnswer, RateLimit } from './response';
import { AnswerTooDeep, AnswerTooLarge, announcedWait, bodyReason, DeadlineExceeded, header, isRateLimitExhausted, serverSays } from './response';

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
	/** The server's own reason for a non-2xx answer (X-Error, or the JSON body's message), cleaned of secrets. */
	reason?: string;
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
	| 'invalid'
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
	422: 'malformed',
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
	// A server error whose reason is a failed validation (open-pocket's Fastify answers its schema
	// checks with 500): the request was refused before anything was applied, and is refused again.
	invalid: {
		applied: 'no',
		retry: false,
		message: (c) => `The server refused the request as invalid (HTTP ${c.status}).${c.says}`,
		advice: () => 'The same request is refused every time, so it was not tried again; the server\'s reason names what it did not accept.',
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

/**
 * Words by which a server's reason names a failed validation of the request (JSON schema
 * validators, Fastify, express-validator, Pocket's "Invalid request"): such an answer is the
 * same on every try, whatever its status.
 */
const VALIDATION_REASONS: RegExp[] = [
	/\bmust (?:be|match|have|not|equal|contain)\b/i,
	/\bshould (?:be|match|have)\b/i,
	/\bvalidation\b/i,
	/\binvalid (?:request|parameter|value|body|input|format)/i,
	/\bFST_ERR_VALIDATION\b/,
	/\bis required\b/i,
];

export const namesValidationFailure = (reason: string | undefined): boolean =>
	reason !== undefined && VALIDATION_REASONS.some((pattern) => pattern.test(reason));

/** The server's own reason: X-Error, else the JSON body's message. */
function reasonOf(answer: HttpAnswer): string | undefined {
	return header(answer.headers, 'X-Error')?.trim() || bodyReason(answer.body);
}

function statusClass(answer: HttpAnswer, rateLimit: RateLimit | undefined, reason: string | undefined): StatusClass {
	const status = answer.statusCode;
	if (status >= 300 && status < 400) return 'redirect';
	// Pocket signals an exhausted quota with 403 and a zero counter, not only with 429.
	if (status === 403 && isRateLimitExhausted(rateLimit)) return 'rateLimited';
	if (status === 503 && serverSays(answer.headers) === '') return 'gatewayUnavailable';
	if (status >= 500 && status !== 503 && namesValidationFailure(reason)) return 'invalid';
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
	const reason = reasonOf(answer);
	const failureClass = statusClass(answer, rateLimit, reason);
	const policy = STATUS_POLICY[failureClass];
	const waitSeconds = policy.retry ? announcedWait(answer, rateLimit, now) : undefined;
	const context: StatusContext = { status, answer, endpoint, says: serverSays(answer.headers), waitSeconds };
	const explained = explain(policy, context, endpoint, failureClass);
	// X-Error is already in the message; a reason only in the body goes to the description.
	const bodySays = context.says === '' && reason !== undefined ? ` The server said: ${JSON.stringify(reason)}.` : '';
	return {
		kind: 'http',
		...explained,
		description: `${explained.description}${bodySays}`,
		httpCode: String(status),
		...(reason === undefined ? {} : { reason }),
		rateLimit,
		...(policy.retry ? { retry: { waitSeconds } } : {}),
	};
}

interface NetworkContext {
	endpoint: Endpoint;
	timeoutMs: number;
	/** The reason a host could not be reached, or its certificate refused, in words. */
	reason: string;
}

type NetworkClass = 'refused' | 'unreachable' | 'certificate' | 'timedOut' | 'dropped';

/** The credential's option that turns the certificate check off, as the dialog names it. */
export const IGNORE_SSL_ISSUES = 'Ignore SSL Issues (Insecure)';

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
	// The TLS handshake failed: nothing of the request, keys included, left the machine.
	certificate: {
		applied: 'no',
		retry: false,
		message: (c) => `Could not connect securely to ${c.endpoint.url}: ${c.reason}`,
		advice: () =>
			`Give the server a certificate from a trusted authority, or trust its own authority in n8n (the NODE_EXTRA_CA_CERTS environment variable). For your own server on a network you control, "${IGNORE_SSL_ISSUES}" in the Pocket API credential connects anyway, without checking who answers.`,
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
};

/**
 * Certificates the TLS handshake refused, by Node's error code and by the words of its message
 * (n8n's wrapper may keep only the message).
 */
const CERTIFICATE_PROBLEMS: Array<{ codes: string[]; text: RegExp; reason: string }> = [
	{
		codes: ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'],
		text: /self[- ]signed certificate/i,
		reason: "the server's certificate is self-signed, so nothing proves who answers",
	},
	{
		codes: ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
		text: /unable to (verify the first certificate|get (local )?issuer certificate)/i,
		reason: "the server's certificate is signed by an authority this machine does not trust",
	},
	{ codes: ['CERT_HAS_EXPIRED'], text: /certificate has expired/i, reason: "the server's certificate has expired" },
	{ codes: ['CERT_NOT_YET_VALID'], text: /certificate is not yet valid/i, reason: "the server's certificate is not valid yet" },
	{
		codes: ['ERR_TLS_CERT_ALTNAME_INVALID'],
		text: /does not match certificate's altnames/i,
		reason: "the server's certificate is for another host name",
	},
];

/** Why the server's certificate was refused, in words, if that is what failed. */
function certificateProblem(codes: unknown[], texts: string[]): string | undefined {
	return CERTIFICATE_PROBLEMS.find(
		({ codes: known, text }) => codes.some((c) => typeof c === 'string' && known.includes(c)) || texts.some((t) => text.test(t)),
	)?.reason;
}

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
function describeError(error: unknown): { code: string | undefined; texts: string[]; certificate: string | undefined } {
	const chain = errorChain(error);
	const texts: string[] = [];
	for (const { message, messages } of chain) {
		if (typeof message === 'string') texts.push(message);
		if (Array.isArray(messages)) texts.push(...messages.filter((m): m is string => typeof m === 'string'));
	}
	const direct = chain.map((e) => e.code).find((c): c is string => typeof c === 'string' && SOCKET_CODE.test(c));
	return {
		code: direct ?? texts.map((t) => SOCKET_CODE.exec(t)?.[1]).find((c) => c !== undefined),
		texts,
		certificate: certificateProblem(
			chain.map((e) => e.code),
			texts,
		),
	};
}

function networkClass(code: string | undefined, texts: string[], certificate: string | undefined): NetworkClass {
	if (certificate !== undefined) return 'certificate';
	if (code === 'ECONNREFUSED') return 'refused';
	if (code !== undefined && Object.hasOwn(NEVER_CONNECTED, code)) return 'unreachable';
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || texts.some((t) => /timeout/i.test(t))) return 'timedOut';
	return 'dropped';
}

/**
 * Classifies a request that produced no HTTP answer. Only the code and our own words reach the
 * user: the thrown error carries the request, credentials included.
 */
export function classifyNetworkError(error: unknown, endpoint: Endpoint, timeoutMs: number): Failure {
	const { code, texts, certificate } = describeError(error);
	const failureClass = networkClass(code, texts, certificate);
	const policy = NETWORK_POLICY[failureClass];
	const reason = certificate ?? (code !== undefined && Object.hasOwn(NEVER_CONNECTED, code) ? NEVER_CONNECTED[code] : '');
	const context: NetworkContext = { endpoint, timeoutMs, reason };
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

/** Whether a thrown error is the credential's sign-in failing (signInError), whatever n8n wrapped it in. */
export function isSignInError(error: unknown): boolean {
	return readSignInError(describeError(error).texts) !== undefined;
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
