/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * A Pocket-compatible server for tests, benchmarks and the local demo: real state, the send
 * protocol with the semantics of the Pocket send specification, open-pocket style sign-in
 * (`/login`, `/refresh`, short-lived JWT access tokens), and switchable faults.
 * Self-contained (only node: imports) so that it can also run outside jest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import { BadRequest, parseTags, validateAction } from './actions';
import { selfSignedCertificate } from './certificate';
import type { AddRouteContext } from './add-route';
import { answerAdd, savedItem } from './add-route';
import type { GetRouteContext, GetVariant } from './get-route';
import { answerGet } from './get-route';
import type { ServerKind } from './server-kind';
import { SERVER_KIND_ENV, SERVER_KINDS, serverKind } from './server-kind';
import type { SignInState } from './sign-in';
import { startSignIn } from './sign-in';

export type { SignInState } from './sign-in';

export interface StoredItem {
	item_id: string;
	given_url: string;
	normal_url: string;
	resolved_url: string;
	title: string;
	tags: string[];
	/** 0 unread, 1 archived, 2 deleted, as Pocket's `status`. */
	status: 0 | 1 | 2;
	favorite: 0 | 1;
	time_added: number;
	time_updated: number;
	/** When it was archived (Pocket's time_read) and favorited; absent or 0 for never. */
	time_read?: number;
	time_favorited?: number;
	/** What /get's contentType filter matches; an article when absent. */
	content_type?: 'article' | 'video' | 'image';
	ref_id?: string;
}

export interface ServerState {
	nextId: number;
	items: Record<string, StoredItem>;
}

export interface RecordedRequest {
	method: string;
	path: string;
	contentType: string | undefined;
	body: unknown;
	/** Raw request line path including any query string: lets tests prove nothing travels in the URL. */
	rawUrl: string;
}

/**
 * Faults a test can switch on; each is used by the next request that reaches /send, /add or /get (the
 * credential faults before the credentials are checked, the others after).
 */
export type Fault =
	| { type: 'drop-after-apply' }
	| { type: 'slow'; ms: number }
	| { type: 'html'; status: number }
	| { type: 'invalid-json' }
	| { type: 'results-too-short' }
	| { type: 'results-too-long' }
	| { type: 'status-0-all-true' }
	| { type: 'status-1-false-results' }
	| { type: 'http'; status: number; headers?: Record<string, string>; body?: string }
	/** Answers a redirect to `location` instead of applying anything. */
	| { type: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string }
	/** Applies the actions, then answers with the request echoed: the keys in every error and item. */
	| { type: 'echo-secrets' }
	/** Sends the headers, then one byte of a valid answer every `everyMs`, without applying anything. */
	| { type: 'drip'; everyMs: number }
	/** A small gzip answer that inflates to `megabytes` MB, without applying anything. */
	| { type: 'gzip-bomb'; megabytes: number }
	/** Expires every sign-in token before this request is checked, as a server clock or restart would. */
	| { type: 'expire-tokens' }
	/** Refuses this request's credentials, however fresh the token. */
	| { type: 'reject-credentials' };

export interface PocketServerOptions {
	host?: string;
	port?: number;
	consumerKey: string;
	accessToken: string;
	/** When set, state is loaded from and saved to this JSON file. */
	stateFile?: string;
	/** Calls per rate-limit window before the server answers 403 (Pocket: 320 per hour). */
	userLimit?: number;
	/** The account of open-pocket style sign-in (`/login`), whose tokens `/send` also accepts. */
	account?: { email: string; password: string };
	/** Lifetime of the access tokens `/login` and `/refresh` issue (open-pocket's example: 600 s). */
	tokenLifetimeSeconds?: number;
	/**
	 * Stores every `add` as a new item, as several compatible servers do, instead of re-adding an
	 * existing URL as Pocket does: a URL sent twice is then visible as two items.
	 */
	keepDuplicates?: boolean;
	/**
	 * Which server this is (server-kind.ts): Pocket's behaviour, or an open-pocket style server's.
	 * Unset: the POCKET_SERVER_KIND environment variable, else Pocket.
	 */
	kind?: ServerKind;
	/** Serves https with a self-signed certificate for its host (an IP address), as many self-hosted servers do. */
	https?: boolean;
}

export interface PocketServer {
	/** Base URL of the open-pocket style API, e.g. http://127.0.0.1:1234/api/v1 */
	url: string;
	/** Base URL of the same server without the API prefix. */
	origin: string;
	state: ServerState;
	requests: RecordedRequest[];
	faults: Fault[];
	/** Applied actions in order, for asserting what really happened. */
	applied: Array<Record<string, unknown>>;
	signIn: SignInState;
	/** Settable by tests: the lifetime of tokens issued from now on. */
	tokenLifetimeSeconds: number;
	/**
	 * Settable by tests: the whole server's behaviour (server-kind.ts). Setting it also sets
	 * getVariant to that kind's; reset() returns to the kind the server was started as.
	 */
	kind: ServerKind;
	/** Settable by tests: how /get answers (get-route.ts); the kind's own way after each reset. */
	getVariant: GetVariant;
	reset(): void;
	/** Stores an item as is: the precondition of a test. */
	put(item: StoredItem): void;
	/** The live items (not deleted), sorted by id. */
	liveItems(): StoredItem[];
	findByUrl(url: string): StoredItem | undefined;
	close(): Promise<void>;
}

/** Open-pocket style and v3-bridge style API roots. */
const API_PREFIXES = ['/api/v1', '/v3'];

type ActionError = { message: string; type: string; code: number };
type ActionOutcome = { result: boolean | Record<string, unknown>; error: ActionError | null };

/** The `drip` fault: the headers, then one byte of `text` every `everyMs`. */
function drip(res: ServerResponse, everyMs: number, text: string): void {
	res.writeHead(200, { 'Content-Type': 'application/json' });
	let sent = 0;
	const timer = setInterval(() => {
		if (res.destroyed || sent >= text.length) {
			clearInterval(timer);
			if (!res.destroyed) res.end();
			return;
		}
		res.write(text[sent++]);
	}, everyMs);
}

function emptyState(): ServerState {
	return { nextId: 1001, items: {} };
}

function notFound(what: string): ActionOutcome {
	return { result: false, error: { message: `${what} not found`, type: 'Not Found', code: 5200 } };
}

function itemView(item: StoredItem): Record<string, unknown> {
	return {
		...savedItem(item),
		tags: item.tags,
		status: String(item.status),
		favorite: String(item.favorite),
	};
}

export async function startPocketServer(options: PocketServerOptions): Promise<PocketServer> {
	const host = options.host ?? '127.0.0.1';
	const userLimit = options.userLimit ?? 320;
	let state: ServerState = emptyState();
	if (options.stateFile) {
		try {
			state = JSON.parse(readFileSync(options.stateFile, 'utf8')) as ServerState;
		} catch {
			state = emptyState();
		}
	}
	const requests: RecordedRequest[] = [];
	const faults: Fault[] = [];
	const applied: Array<Record<string, unknown>> = [];
	let callsThisWindow = 0;
	// Bumped by whatever may change the items or how /get selects them (get-route.ts reuses a selection only while it stands).
	let revision = 0;
	const sockets = new Set<Socket>();
	const signIn = startSignIn(options, send);
	const startKind = serverKind(options.kind ?? process.env[SERVER_KIND_ENV]);
	let kind = startKind;
	const profile = () => SERVER_KINDS[kind];

	// Pocket looks items up by URL on every add; an index keeps a 100,000-action batch linear.
	const urlIndex = new Map<string, string>();
	const reindex = () => {
		urlIndex.clear();
		for (const item of Object.values(state.items)) if (item.status !== 2) urlIndex.set(item.given_url, item.item_id);
	};
	reindex();

	const save = () => {
		if (options.stateFile) writeFileSync(options.stateFile, JSON.stringify(state, null, 2));
	};

	const live = (id: string): StoredItem | undefined => {
		const item = state.items[id];
		return item && item.status !== 2 ? item : undefined;
	};

	const liveItems = () =>
		Object.values(state.items)
			.filter((i) => i.status !== 2)
			.sort((a, b) => Number(a.item_id) - Number(b.item_id));

	const findByUrl = (url: string): StoredItem | undefined => {
		const id = urlIndex.get(url);
		if (id === undefined) return undefined;
		return live(id);
	};

	function withItem(a: Record<string, unknown>, change: (item: StoredItem, now: number) => void): ActionOutcome {
		const item = live(String(a.item_id));
		if (!item) return notFound(`Item ${String(a.item_id)}`);
		const now = Number(a.time ?? Math.floor(Date.now() / 1000));
		change(item, now);
		item.time_updated = now;
		return { result: true, error: null };
	}

	/** Saves an `add`: a new item, or the saved one re-added where this kind re-adds a known URL. */
	function addItem(a: Record<string, unknown>, storeTags: boolean): StoredItem {
		const now = Number(a.time ?? Math.floor(Date.now() / 1000));
		const url = String(a.url);
		const tags = storeTags ? parseTags(a.tags, false) : [];
		const copies = options.keepDuplicates || profile().addedAgain === 'copy';
		let item = (a.item_id !== undefined ? live(String(a.item_id)) : undefined) ?? (copies ? undefined : findByUrl(url));
		if (item) {
			// Pocket re-adds an existing URL instead of duplicating it.
			item.status = 0;
			item.time_updated = now;
			for (const t of tags) if (!item.tags.includes(t)) item.tags.push(t);
			if (typeof a.title === 'string') item.title = a.title;
			return item;
		}
		const id = String(state.nextId++);
		item = {
			item_id: id,
			given_url: url,
			normal_url: url,
			resolved_url: url,
			title: typeof a.title === 'string' ? a.title : '',
			tags,
			status: 0,
			favorite: 0,
			time_added: now,
			time_updated: now,
			...(a.ref_id !== undefined ? { ref_id: String(a.ref_id) } : {}),
		};
		state.items[id] = item;
		urlIndex.set(url, id);
		return item;
	}

	function apply(a: Record<string, unknown>): ActionOutcome {
		switch (a.action) {
			case 'add': {
				const item = addItem(a, profile().sendAddStoresTags);
				return { result: profile().sendAddAnswers === 'item' ? itemView(item) : true, error: null };
			}
			case 'archive':
				return withItem(a, (i, time) => Object.assign(i, { status: 1, time_read: time }));
			case 'readd':
				return withItem(a, (i) => Object.assign(i, { status: 0, time_read: 0 }));
			case 'favorite':
				return withItem(a, (i, time) => Object.assign(i, { favorite: 1, time_favorited: time }));
			case 'unfavorite':
				return withItem(a, (i) => Object.assign(i, { favorite: 0, time_favorited: 0 }));
			case 'delete':
				return withItem(a, (i) => (i.status = 2));
			case 'tags_add':
				return withItem(a, (i) => {
					for (const t of parseTags(a.tags, true)) if (!i.tags.includes(t)) i.tags.push(t);
				});
			case 'tags_remove':
				return withItem(a, (i) => {
					const remove = parseTags(a.tags, true);
					i.tags = i.tags.filter((t) => !remove.includes(t));
				});
			case 'tags_replace':
				return withItem(a, (i) => (i.tags = [...new Set(parseTags(a.tags, true))]));
			case 'tags_clear':
				return withItem(a, (i) => (i.tags = []));
			case 'tag_rename': {
				const from = String(a.old_tag);
				const to = String(a.new_tag);
				const tagged = liveItems().filter((i) => i.tags.includes(from));
				if (tagged.length === 0) return notFound(`Tag ${from}`);
				for (const i of tagged) i.tags = [...new Set(i.tags.map((t) => (t === from ? to : t)))];
				return { result: true, error: null };
			}
			case 'tag_delete': {
				const tag = String(a.tag);
				const tagged = liveItems().filter((i) => i.tags.includes(tag));
				if (tagged.length === 0) return notFound(`Tag ${tag}`);
				for (const i of tagged) i.tags = i.tags.filter((t) => t !== tag);
				return { result: true, error: null };
			}
			default:
				throw new BadRequest('unknown action');
		}
	}

	function rateHeaders(): Record<string, string> {
		return {
			'X-Limit-User-Limit': String(userLimit),
			'X-Limit-User-Remaining': String(Math.max(0, userLimit - callsThisWindow)),
			'X-Limit-User-Reset': '3600',
			'X-Limit-Key-Limit': '10000',
			'X-Limit-Key-Remaining': String(Math.max(0, 10000 - callsThisWindow)),
			'X-Limit-Key-Reset': '3600',
		};
	}

	function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
		res.writeHead(status, { 'Content-Type': 'application/json', 'Set-Cookie': 'session=ignored', ...headers });
		res.end(body);
	}

	function error(res: ServerResponse, status: number, code: number, message: string) {
		send(res, status, JSON.stringify({ status: 1 }), { 'X-Error': message, 'X-Error-Code': String(code) });
	}

	function unauthorized(res: ServerResponse) {
		res.writeHead(401, { 'Content-Type': 'text/plain', 'X-Error': 'Unauthorized', 'X-Error-Code': '107' });
		res.end('Unauthorized');
	}

	/**
	 * What /send, /add and /get check before anything else: the exact content type, JSON, the keys (a
	 * sign-in token too) and the rate limit. The request's body, or undefined once answered.
	 */
	function admit(req: IncomingMessage, res: ServerResponse, raw: string): Record<string, unknown> | undefined {
		// One compatible server compares the header with the literal, so we do too.
		if (req.headers['content-type'] !== 'application/json') {
			error(res, 400, 130, 'Content-Type must be application/json');
			return;
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw) as Record<string, unknown>;
		} catch {
			error(res, 400, 130, 'Invalid request, please make sure you follow the documentation for proper syntax');
			return;
		}
		if (typeof body.consumer_key !== 'string' || body.consumer_key === '') {
			error(res, 400, 138, 'Missing consumer key.');
			return;
		}
		if (faults[0]?.type === 'expire-tokens') {
			faults.shift();
			for (const token of signIn.state.accessTokens.keys()) signIn.state.accessTokens.set(token, 0);
		}
		if (faults[0]?.type === 'reject-credentials') {
			faults.shift();
			unauthorized(res);
			return;
		}
		if (body.consumer_key !== options.consumerKey || !signIn.acceptsToken(body.access_token)) {
			unauthorized(res);
			return;
		}
		callsThisWindow++;
		if (callsThisWindow > userLimit) {
			send(res, 403, JSON.stringify({ status: 0 }), {
				...rateHeaders(),
				'X-Error': 'User rate limit exceeded',
				'X-Error-Code': '199',
			});
			return;
		}
		return body;
	}

	/** The faults that replace the whole answer; false for a fault that changes it otherwise. */
	function answerFault(res: ServerResponse, fault: Fault | undefined): boolean {
		if (fault?.type === 'http') {
			res.writeHead(fault.status, { 'Content-Type': 'application/json', ...rateHeaders(), ...fault.headers });
			res.end(fault.body ?? '');
			return true;
		}
		if (fault?.type === 'redirect') {
			res.writeHead(fault.status, { Location: fault.location, 'Content-Type': 'text/plain' });
			res.end('Moved');
			return true;
		}
		if (fault?.type === 'gzip-bomb') {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
			res.end(gzipSync(Buffer.alloc(fault.megabytes * 1024 * 1024, 0x20), { level: 9 }));
			return true;
		}
		if (fault?.type === 'html') {
			res.writeHead(fault.status, { 'Content-Type': 'text/html' });
			res.end('<html><body><h1>Internal Server Error</h1></body></html>');
			return true;
		}
		return false;
	}

	/** Sends a 200 answer, broken as the fault says (cut in half, dropped, late). */
	async function answer(req: IncomingMessage, res: ServerResponse, fault: Fault | undefined, payload: string) {
		if (fault?.type === 'invalid-json') {
			send(res, 200, payload.slice(0, Math.floor(payload.length / 2)), rateHeaders());
			return;
		}
		if (fault?.type === 'drop-after-apply') {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length + 100) });
			res.write(payload.slice(0, 5));
			setTimeout(() => req.socket.destroy(), 20);
			return;
		}
		if (fault?.type === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
		send(res, 200, payload, rateHeaders());
	}

	async function handleSend(req: IncomingMessage, res: ServerResponse, raw: string) {
		const body = admit(req, res, raw);
		if (!body) return;
		if (!Array.isArray(body.actions)) {
			error(res, 400, 130, 'actions must be an array');
			return;
		}
		let actions: Array<Record<string, unknown>>;
		try {
			actions = body.actions.map(validateAction);
		} catch (e) {
			error(res, 400, 130, `Invalid request: ${(e as Error).message}`);
			return;
		}

		const fault = faults.shift();
		if (answerFault(res, fault)) return;
		if (fault?.type === 'drip') {
			drip(res, fault.everyMs, JSON.stringify({ status: 1, action_results: actions.map(() => true) }));
			return;
		}

		const outcomes = actions.map((a) => {
			const outcome = apply(a);
			if (outcome.result !== false) applied.push(a);
			return outcome;
		});
		save();

		let results: unknown[] = outcomes.map((o) => o.result);
		let errors: unknown[] = outcomes.map((o) => o.error);
		if (fault?.type === 'echo-secrets') {
			const echo = { consumer_key: body.consumer_key, access_token: body.access_token };
			results = results.map((r, i) => (i === 0 ? false : { ...(typeof r === 'object' ? r : {}), request: echo }));
			errors = errors.map((e, i) =>
				i === 0 ? { message: `Rejected for consumer key ${String(body.consumer_key)} and token ${String(body.access_token)}`, type: 'Forbidden', code: 5200 } : e,
			);
		}
		let status = outcomes.every((o) => o.result !== false) ? 1 : 0;
		switch (fault?.type) {
			case 'results-too-short':
				results = results.slice(0, -1);
				break;
			case 'results-too-long':
				results = [...results, true];
				break;
			case 'status-0-all-true':
				status = 0;
				break;
			case 'status-1-false-results':
				status = 1;
				break;
		}
		await answer(req, res, fault, JSON.stringify({ status, action_results: results, action_errors: errors }));
	}

	let getVariant: GetVariant = { ...profile().get };
	const addRoute: AddRouteContext = {
		profile,
		save(action) {
			const item = addItem(action, true);
			applied.push(action);
			save();
			return item;
		},
		faults,
		answerFault,
		drip,
		answer,
		error,
	};
	const getRoute: GetRouteContext = {
		items: () => Object.values(state.items),
		revision: () => revision,
		paging: {},
		variant: () => getVariant,
		faults,
		answerFault,
		answer,
		error,
	};

	const handle: RequestListener = (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			revision++;
			const raw = Buffer.concat(chunks).toString('utf8');
			const path = (req.url ?? '/').split('?')[0];
			let parsedBody: unknown = raw;
			try {
				parsedBody = JSON.parse(raw);
			} catch {
				// Kept raw: the request log shows what arrived even when it is not JSON.
			}
			requests.push({ method: req.method ?? '', path, rawUrl: req.url ?? '', contentType: req.headers['content-type'], body: parsedBody });

			if (req.method === 'GET' && path === '/__state') {
				send(res, 200, JSON.stringify({ items: liveItems(), all: state.items }));
				return;
			}
			const route = API_PREFIXES.map((p) => (path.startsWith(`${p}/`) ? path.slice(p.length) : undefined)).find(Boolean);
			if (req.method === 'POST' && route === '/send') {
				handleSend(req, res, raw).catch((e: unknown) => error(res, 500, 199, String(e)));
				return;
			}
			if (req.method === 'POST' && route === '/add') {
				const body = admit(req, res, raw);
				if (body) answerAdd(addRoute, req, res, body).catch((e: unknown) => error(res, 500, 199, String(e)));
				return;
			}
			if (req.method === 'POST' && route === '/get') {
				const body = admit(req, res, raw);
				if (body) answerGet(getRoute, req, res, body).catch((e: unknown) => error(res, 500, 199, String(e)));
				return;
			}
			if (req.method === 'POST' && route === '/login') {
				signIn.login(req, res, raw);
				return;
			}
			if (req.method === 'POST' && route === '/refresh') {
				signIn.refresh(req, res, raw);
				return;
			}
			res.writeHead(404, { 'Content-Type': 'text/html' });
			res.end('<html><body>Not Found</body></html>');
		});
	};
	const server = options.https ? createTlsServer(selfSignedCertificate(host), handle) : createServer(handle);
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
	const { port } = server.address() as AddressInfo;
	const origin = `${options.https ? 'https' : 'http'}://${host}:${port}`;

	const api: PocketServer = {
		url: `${origin}/api/v1`,
		origin,
		get state() {
			return state;
		},
		requests,
		faults,
		applied,
		signIn: signIn.state,
		get tokenLifetimeSeconds() {
			return signIn.tokenLifetimeSeconds;
		},
		set tokenLifetimeSeconds(seconds: number) {
			signIn.tokenLifetimeSeconds = seconds;
		},
		get kind() {
			return kind;
		},
		set kind(value: ServerKind) {
			revision++;
			kind = serverKind(value);
			getVariant = { ...profile().get };
		},
		get getVariant() {
			return getVariant;
		},
		set getVariant(variant: GetVariant) {
			revision++;
			getVariant = variant;
		},
		reset() {
			revision++;
			state = emptyState();
			urlIndex.clear();
			requests.length = 0;
			faults.length = 0;
			applied.length = 0;
			callsThisWindow = 0;
			signIn.reset();
			kind = startKind;
			getVariant = { ...profile().get };
			save();
		},
		put(item) {
			revision++;
			state.items[item.item_id] = item;
			state.nextId = Math.max(state.nextId, Number(item.item_id) + 1);
			urlIndex.set(item.given_url, item.item_id);
		},
		liveItems,
		findByUrl,
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
	return api;
}
