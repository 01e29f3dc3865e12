import { z } from 'zod';

import type { Result } from '../result';
import { failure, success } from '../result';
import type { Endpoint, Failure } from './failures';
import { CHECK_BASE_URL, protocolFailure } from './failures';
import type { Clock, Requester } from './request';
import { describeBody, parseBody } from './response';
import { exchangeWithRetries } from './retry';

/**
 * Signing in with an email and a password, as open-pocket style servers offer it:
 * `POST {base}/login` answers `{ tokens: { accessToken, refreshToken } }`. The access token is
 * what the node then sends as `access_token`. Refresh tokens are not used: each works once,
 * and two executions renewing at the same time would burn each other's; signing in again
 * always works and costs one request per token lifetime.
 */

export function loginEndpoint(apiRoot: string): Endpoint {
	return {
		name: 'login',
		url: `${apiRoot}/login`,
		credentialFields: 'the Email and the Password',
		effects: { no: 'The node could not sign in.', unknown: 'The node could not sign in.' },
	};
}

const loginAnswerSchema = z.object({ tokens: z.object({ accessToken: z.string().min(1) }) });

function readLoginAnswer(endpoint: Endpoint, body: string, statusCode: number): Result<string, Failure> {
	const parsed = loginAnswerSchema.safeParse(parseBody(body));
	if (parsed.success) return success(parsed.data.tokens.accessToken);
	return failure(
		protocolFailure(endpoint, {
			message: `The server answered with ${describeBody(parseBody(body))} instead of a sign-in result with an access token (HTTP ${statusCode})`,
			advice: `Email and Password sign-in needs a server with a ${endpoint.url} endpoint (open-pocket style). ${CHECK_BASE_URL}`,
			statusCode,
		}),
	);
}

/** Signing in changes nothing on the server, so a refused connection or a timeout may be retried briefly. */
const LOGIN_RETRIES = { maxWaitSeconds: 4, resendWhenUncertain: true };

const LOGIN_TIMEOUT_MS = 30_000;

export interface SignIn {
	request: Requester;
	apiRoot: string;
	email: string;
	password: string;
	clock: Clock;
}

/** The access token of a fresh sign-in, or why there is none. */
export async function signIn({ request, apiRoot, email, password, clock }: SignIn): Promise<Result<string, Failure>> {
	const endpoint = loginEndpoint(apiRoot);
	const signedIn = await exchangeWithRetries(
		{
			request,
			endpoint,
			body: { email, password },
			timeoutMs: LOGIN_TIMEOUT_MS,
			maxAnswerBytes: 1024 * 1024,
			read: (answer) => readLoginAnswer(endpoint, answer.body, answer.statusCode),
			clock,
		},
		LOGIN_RETRIES,
	);
	return signedIn.ok ? success(signedIn.value.value) : signedIn;
}
