/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The test server's open-pocket style sign-in: `/login` and `/refresh`, short-lived JWT-shaped
 * access tokens (which /send, /add and /get accept beside the static token) and single-use
 * refresh tokens. Self-contained (only node: imports) like the server it is part of.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the server knows of the tokens it issued. */
export interface SignInState {
	/** Access token → expiry in Unix milliseconds. */
	accessTokens: Map<string, number>;
	/** The one refresh token that still works, if any (a new sign-in revokes the previous one). */
	refreshToken: string | undefined;
	logins: number;
	refreshes: number;
}

export interface SignInOptions {
	/** The static token of Pocket-style servers, accepted beside the issued ones. */
	accessToken: string;
	account?: { email: string; password: string };
	/** Lifetime of issued access tokens (open-pocket's example: 600 s). */
	tokenLifetimeSeconds?: number;
}

export interface SignIn {
	state: SignInState;
	/** Settable by tests: the lifetime of tokens issued from now on. */
	tokenLifetimeSeconds: number;
	acceptsToken(token: unknown): boolean;
	login(req: IncomingMessage, res: ServerResponse, raw: string): void;
	refresh(req: IncomingMessage, res: ServerResponse, raw: string): void;
	/** Forgets every token and count, as a fresh server. */
	reset(): void;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A JWT-shaped token, as open-pocket issues them: the server looks it up rather than verifying a signature. */
function issueJwt(subject: string, lifetimeSeconds: number): { token: string; expiresAt: number } {
	const iat = Date.now() / 1000;
	const exp = iat + lifetimeSeconds;
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64url(JSON.stringify({ sub: subject, iat, exp, jti: randomBytes(8).toString('hex') }));
	return { token: `${header}.${payload}.${base64url(randomBytes(16))}`, expiresAt: exp * 1000 };
}

/** The sign-in of one server; `send` writes a JSON answer as the rest of the server does. */
export function startSignIn(options: SignInOptions, send: (res: ServerResponse, status: number, body: string) => void): SignIn {
	const signIn: SignInState = { accessTokens: new Map(), refreshToken: undefined, logins: 0, refreshes: 0 };

	/** The static token of Pocket-style servers, or a sign-in token that has not expired. */
	const acceptsToken = (token: unknown): boolean => {
		if (token === options.accessToken) return true;
		const expiresAt = typeof token === 'string' ? signIn.accessTokens.get(token) : undefined;
		return expiresAt !== undefined && expiresAt > Date.now();
	};

	function issueTokens(subject: string) {
		const { token, expiresAt } = issueJwt(subject, route.tokenLifetimeSeconds);
		signIn.accessTokens.set(token, expiresAt);
		signIn.refreshToken = randomBytes(24).toString('hex');
		return { accessToken: token, refreshToken: signIn.refreshToken, tokenType: 'Bearer' };
	}

	/** open-pocket's sign-in: an exact JSON content type, both fields, the right password. */
	function login(req: IncomingMessage, res: ServerResponse, raw: string) {
		// open-pocket compares the header with the literal; a charset suffix fails inside it.
		if (req.headers['content-type'] !== 'application/json') {
			send(res, 500, JSON.stringify({ error: 'Internal Server Error' }));
			return;
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw) as Record<string, unknown>;
		} catch {
			send(res, 400, JSON.stringify({ error: 'invalid JSON' }));
			return;
		}
		if (typeof body.email !== 'string' || typeof body.password !== 'string' || !body.email || !body.password) {
			send(res, 400, JSON.stringify({ error: 'email and password are required' }));
			return;
		}
		if (!options.account || body.email !== options.account.email || body.password !== options.account.password) {
			res.writeHead(401, { 'Content-Type': 'text/plain' });
			res.end('Unauthorized');
			return;
		}
		signIn.logins++;
		send(res, 200, JSON.stringify({ data: { id: 1, email: body.email }, tokens: issueTokens(body.email) }));
	}

	/** Single-use refresh tokens: the answer carries the next one. */
	function refresh(req: IncomingMessage, res: ServerResponse, raw: string) {
		if (req.headers['content-type'] !== 'application/json') {
			send(res, 500, JSON.stringify({ error: 'Internal Server Error' }));
			return;
		}
		let token: unknown;
		try {
			token = (JSON.parse(raw) as Record<string, unknown>).refresh_token;
		} catch {
			token = undefined;
		}
		if (typeof token !== 'string' || token !== signIn.refreshToken || !options.account) {
			send(res, 401, JSON.stringify({ error: 'invalid or expired refresh token' }));
			return;
		}
		signIn.refreshes++;
		send(res, 200, JSON.stringify({ tokens: issueTokens(options.account.email) }));
	}

	const route: SignIn = {
		state: signIn,
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 600,
		acceptsToken,
		login,
		refresh,
		reset() {
			signIn.accessTokens.clear();
			signIn.refreshToken = undefined;
			signIn.logins = 0;
			signIn.refreshes = 0;
			route.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 600;
		},
	};
	return route;
}
