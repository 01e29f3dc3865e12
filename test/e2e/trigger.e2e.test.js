// @ts-check
'use strict';
/**
 * End-to-end, the read side in a real n8n: an active workflow with the Pocket Trigger fires when
 * an item is saved through the send side (once per event), and the examples that read or that
 * must not save twice run as `npm start` imports them: archive what you have read, new
 * favorites to a webhook, and the RSS example run twice on an unchanged feed against a server
 * that keeps duplicates. Every test checks what the Pocket server received and holds.
 */
const http = require('node:http');
const path = require('node:path');
const { CREDENTIAL_TYPE } = require('../../scripts/runtime/config');
const { importExamples } = require('../../scripts/runtime/examples');
const { nodeOutput } = require('../../scripts/runtime/executions');
const { startFeedServer } = require('../../scripts/start');
const { parse } = require('flatted');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('./setup').E2eStack} E2eStack
 * @typedef {import('../../scripts/runtime/rest-client').CredentialRef} CredentialRef
 * @typedef {import('../../scripts/runtime/rest-client').ExecutionSummary} ExecutionSummary
 * @typedef {import('../../scripts/start').FeedServer} FeedServer
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {{ url: string, bodies: unknown[], close: () => Promise<void> }} Receiver
 */

const CONSUMER_KEY = 'e2e-read-consumer-key';
const ACCESS_TOKEN = 'e2e-read-access-token';
const EXAMPLE_FEED_URL = 'https://hnrss.org/frontpage';
const EXAMPLE_WEBHOOK_URL = 'https://hooks.example.com/pocket-favorites';
const TRIGGER_TYPE = 'n8n-nodes-pocket.pocketTrigger';

/**
 * Poll Times that fire at the given offsets (seconds) from now, then once a minute each. n8n
 * refuses a cron that polls more often than once a minute (its seconds field must be a single
 * number), but Poll Times take several entries: one per offset gives polls seconds apart, the
 * fastest reliable way to watch a trigger poll in a real n8n.
 * @param {number[]} offsets
 */
function pollTimesAt(offsets) {
	const second = new Date().getSeconds();
	return { item: offsets.map((offset) => ({ mode: 'custom', cronExpression: `${(second + offset) % 60} * * * * *` })) };
}

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {FeedServer} */
let feed;
/** @type {Receiver} */
let receiver;
/** @type {CredentialRef} */
let credential;
/** @type {Record<string, string>} workflow id by example file name */
const examples = {};

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const sleepUntil = (/** @type {number} */ time) => sleep(Math.max(0, time - Date.now()));
const started = Date.now();
/** Seconds since the file started, for the timeline. */
const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** A stand-in for the webhook the favorites example posts to: records each JSON body. */
function startReceiver() {
	/** @type {unknown[]} */
	const bodies = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	return /** @type {Promise<Receiver>} */ (
		new Promise((resolve) =>
			server.listen(0, '127.0.0.1', () => {
				const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
				resolve({ url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((r) => server.close(() => r(undefined))) });
			}),
		)
	);
}

/** @param {IDataObject[]} actions */
async function pocketSend(...actions) {
	const res = await fetch(`${stack.pocket.url}/send`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN, actions }),
	});
	const body = /** @type {{ action_results: Array<boolean | { item_id: string }> }} */ (await res.json());
	return body.action_results.map((r) => (typeof r === 'object' ? r.item_id : String(r)));
}

const calls = (/** @type {string} */ endpoint) => stack.pocket.requests.filter((r) => r.path.endsWith(`/${endpoint}`));

/**
 * Waits until the workflow has at least `count` finished executions.
 * @param {string} workflowId
 * @param {number} count
 * @param {number} timeoutMs
 * @returns {Promise<ExecutionSummary[]>}
 */
async function waitForExecutions(workflowId, count, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = (await stack.client.listExecutions(workflowId)).filter((e) => e.stoppedAt);
		if (done.length >= count || Date.now() > deadline) return done;
		await sleep(500);
	}
}

/**
 * Waits for n8n's activation poll (n8n runs it in the background once activation returns): an
 * event before it is an old one.
 */
async function waitForActivationPoll() {
	const deadline = Date.now() + 10_000;
	while (calls('get').length === 0 && Date.now() < deadline) await sleep(100);
	expect(calls('get')).toHaveLength(1);
}

/**
 * Sets the Poll Times of a saved workflow's Pocket Trigger, through the REST API as the editor does.
 * @param {string} id
 * @param {object} pollTimes
 */
async function setPollTimes(id, pollTimes) {
	const wf = await stack.client.getWorkflow(id);
	const nodes = wf.nodes.map((n) => (n.type === TRIGGER_TYPE ? { ...n, parameters: { ...n.parameters, pollTimes } } : n));
	await stack.client.request('PATCH', `/rest/workflows/${id}`, { nodes, versionId: wf.versionId });
}

/**
 * A Pocket Trigger node on Item Saved with the file's credential, polling at the given offsets.
 * @param {string} id
 * @param {number[]} offsets
 * @returns {import('n8n-workflow').INode}
 */
function itemSavedTrigger(id, offsets) {
	return {
		parameters: { pollTimes: pollTimesAt(offsets), event: 'itemSaved' },
		id,
		name: 'Pocket Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [CREDENTIAL_TYPE]: { id: String(credential.id), name: credential.name } },
	};
}

beforeAll(async () => {
	// Several compatible servers store a second copy of a URL on every add: the RSS example must not rely on Pocket's merging.
	stack = await startE2eStack('read', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, keepDuplicates: true });
	feed = await startFeedServer();
	receiver = await startReceiver();
	credential = await stack.client.createCredential({ name: 'Pocket e2e', baseUrl: stack.pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	const imported = await importExamples(stack.client, credential, { [EXAMPLE_FEED_URL]: feed.url, [EXAMPLE_WEBHOOK_URL]: receiver.url });
	for (const wf of imported) examples[path.basename(wf.file, '.json')] = wf.id;
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	await stack?.stop();
	await feed?.close();
	await receiver?.close();
});

beforeEach(() => stack.pocket.reset());

test('an active workflow with the Pocket Trigger fires once when an item is saved through the send side', async () => {
	const base = Date.now();
	const created = await stack.client.createWorkflow({
		name: 'Pocket Trigger e2e',
		nodes: [
			itemSavedTrigger('e2e-trigger-1', [10, 16, 22, 28, 34]),
			{ parameters: {}, id: 'e2e-trigger-2', name: 'Saved', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0] },
		],
		connections: { 'Pocket Trigger': { main: [[{ node: 'Saved', type: 'main', index: 0 }]] } },
	});
	const [old] = await pocketSend({ action: 'add', url: 'https://example.com/before-activation' });
	/** @type {string[]} */
	const timeline = [`${at()} item ${old} saved before activation`];
	await stack.client.activateWorkflow(created.id);
	timeline.push(`${at()} workflow activated`);
	try {
		await waitForActivationPoll();
		timeline.push(`${at()} n8n's activation poll: the cursor is set, nothing emitted`);
		// The first scheduled poll: the item saved before activation is not an event.
		await sleepUntil(base + 12_000);
		expect(await waitForExecutions(created.id, 1, 0)).toEqual([]);
		timeline.push(`${at()} ${calls('get').length} polls so far, no execution`);

		const [saved] = await pocketSend({ action: 'add', url: 'https://example.com/saved-in-e2e', tags: 'e2e', title: 'Saved in e2e' });
		timeline.push(`${at()} item ${saved} saved through /send`);
		const [execution] = await waitForExecutions(created.id, 1, 20_000);
		expect(execution).toBeDefined();
		timeline.push(`${at()} execution ${execution.id} (${execution.mode}, ${execution.status}) started ${execution.startedAt}, stopped ${execution.stoppedAt}`);
		const result = await stack.client.waitForExecution(execution.id);
		expect(result.status).toBe('success');
		expect(nodeOutput(result.runData, 'Pocket Trigger')).toEqual([
			expect.objectContaining({ item_id: saved, url: 'https://example.com/saved-in-e2e', title: 'Saved in e2e', tags: ['e2e'], status: 'unread' }),
		]);
		expect(nodeOutput(result.runData, 'Saved')).toHaveLength(1);

		// Three later polls find the same item again (`since` is asked one second early): no second execution.
		await sleepUntil(base + 36_000);
		const after = await waitForExecutions(created.id, 2, 0);
		timeline.push(`${at()} ${calls('get').length} polls in all, ${after.length} execution(s)`);
		expect(after).toHaveLength(1);
	} finally {
		await stack.client.deactivateWorkflow(created.id);
		console.log(`Pocket Trigger timeline (polls 10, 16, 22, 28 and 34 s after the workflow was created):\n  ${timeline.join('\n  ')}`);
	}
});

test('on an open-pocket style server (refuses since, ignores filters): fires once per new item over several polls, and a failing server is a failed execution', async () => {
	stack.pocket.kind = 'open-pocket';
	const base = Date.now();
	const created = await stack.client.createWorkflow({
		name: 'Pocket Trigger open-pocket e2e',
		nodes: [
			itemSavedTrigger('e2e-open-1', [10, 18, 26, 34]),
		],
		connections: {},
	});
	/** @type {string[]} */
	const timeline = [];
	await stack.client.activateWorkflow(created.id);
	try {
		// The activation poll: since refused (HTTP 500), read again without it.
		const deadline = Date.now() + 10_000;
		while (calls('get').length < 2 && Date.now() < deadline) await sleep(100);
		expect(calls('get').map((c) => /** @type {IDataObject} */ (c.body).since !== undefined)).toEqual([true, false]);
		timeline.push(`${at()} activation poll: since refused, read without it`);

		await pocketSend({ action: 'add', url: 'https://example.com/open-a' });
		const [first] = await waitForExecutions(created.id, 1, 20_000);
		expect(first).toBeDefined();
		const one = await stack.client.waitForExecution(first.id);
		expect(one.status).toBe('success');
		expect(nodeOutput(one.runData, 'Pocket Trigger')?.map((o) => o.url)).toEqual(['https://example.com/open-a']);
		timeline.push(`${at()} first item saved, execution ${first.id}`);

		await pocketSend({ action: 'add', url: 'https://example.com/open-b' });
		const two = await waitForExecutions(created.id, 2, 20_000);
		expect(two).toHaveLength(2);
		const second = two.find((e) => e.id !== first.id);
		const b = await stack.client.waitForExecution(String(second?.id));
		expect(nodeOutput(b.runData, 'Pocket Trigger')?.map((o) => o.url)).toEqual(['https://example.com/open-b']);
		timeline.push(`${at()} second item saved, execution ${second?.id}`);

		// The poll at 26 s finds both again (the server sends everything): no execution.
		await sleepUntil(base + 29_000);
		expect(await waitForExecutions(created.id, 3, 0)).toHaveLength(2);
		expect(calls('get').slice(2).every((c) => /** @type {IDataObject} */ (c.body).since === undefined)).toBe(true);
		timeline.push(`${at()} ${calls('get').length} /get calls, since sent once`);

		// The server starts refusing every read: the next poll is a failed execution with the node's message.
		for (let i = 0; i < 5; i++) stack.pocket.faults.push({ type: 'http', status: 400, headers: { 'X-Error': 'Service suspended' } });
		const all = await waitForExecutions(created.id, 3, 20_000);
		const failed = all.find((e) => e.status === 'error');
		expect(failed).toBeDefined();
		const res = await stack.client.send('GET', `/rest/executions/${failed?.id}`);
		const data = parse(/** @type {{ data: { data: string } }} */ (res.json).data.data);
		expect(data.resultData.error.message).toBe('The server rejected the call as malformed (HTTP 400). The server said: "Service suspended".');
		timeline.push(`${at()} failed execution ${failed?.id}: ${data.resultData.error.message}`);
	} finally {
		await stack.client.deactivateWorkflow(created.id);
		console.log(`Pocket Trigger on open-pocket (polls 10, 18, 26 and 34 s after the workflow was created):\n  ${timeline.join('\n  ')}`);
	}
});

test('example "archive what you have read": exactly the unread items tagged read are archived, in one call', async () => {
	const [a, b, news, done] = await pocketSend(
		{ action: 'add', url: 'https://example.com/read-a', tags: 'read' },
		{ action: 'add', url: 'https://example.com/read-b', tags: 'read,dev' },
		{ action: 'add', url: 'https://example.com/news', tags: 'news' },
		{ action: 'add', url: 'https://example.com/done', tags: 'read' },
	);
	await pocketSend({ action: 'archive', item_id: done });
	stack.pocket.requests.length = 0;

	const result = await stack.client.runWorkflowAndWait(examples['archive-read']);
	expect(result.status).toBe('success');
	expect(nodeOutput(result.runData, 'Unread items tagged read')?.map((o) => o.item_id).sort()).toEqual([a, b].sort());
	expect(nodeOutput(result.runData, 'Archive them')?.map((o) => o.success)).toEqual([true, true]);
	const status = Object.fromEntries(stack.pocket.liveItems().map((i) => [i.item_id, i.status]));
	expect(status).toEqual({ [a]: 1, [b]: 1, [news]: 0, [done]: 1 });
	expect(calls('send')).toHaveLength(1);

	// Run again: nothing left to archive, nothing sent.
	const again = await stack.client.runWorkflowAndWait(examples['archive-read']);
	expect(again.status).toBe('success');
	expect(nodeOutput(again.runData, 'Unread items tagged read')).toEqual([]);
	expect(calls('send')).toHaveLength(1);
});

test('example "new favorites to a webhook": a favorite made after activation is posted once', async () => {
	const id = examples['favorites-to-webhook'];
	const [item, other] = await pocketSend(
		{ action: 'add', url: 'https://example.com/to-favorite', title: 'To favorite', tags: 'keep' },
		{ action: 'add', url: 'https://example.com/old-favorite' },
	);
	await pocketSend({ action: 'favorite', item_id: other });
	receiver.bodies.length = 0;
	const base = Date.now();
	await setPollTimes(id, pollTimesAt([8, 14, 20]));
	await stack.client.activateWorkflow(id);
	try {
		await waitForActivationPoll();
		await pocketSend({ action: 'favorite', item_id: item });
		const [execution] = await waitForExecutions(id, 1, 20_000);
		expect(execution).toBeDefined();
		expect((await stack.client.waitForExecution(execution.id)).status).toBe('success');
		expect(receiver.bodies).toEqual([
			{ item_id: item, url: 'https://example.com/to-favorite', title: 'To favorite', tags: ['keep'], favorited_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
		]);
		await sleepUntil(base + 22_000);
		expect(receiver.bodies).toHaveLength(1);
	} finally {
		await stack.client.deactivateWorkflow(id);
	}
});

test('RSS example run twice on an unchanged feed, on a server that keeps duplicates: one copy of each entry', async () => {
	const first = await stack.client.runWorkflowAndWait(examples['rss-auto-tag']);
	expect(first.status).toBe('success');
	expect(calls('send')).toHaveLength(1);
	const second = await stack.client.runWorkflowAndWait(examples['rss-auto-tag']);
	expect(second.status).toBe('success');
	// The feed's entries were all seen in the first run: nothing reaches the Pocket node.
	expect(nodeOutput(second.runData, 'Save to Pocket')).toBeUndefined();
	expect(calls('send')).toHaveLength(1);
	expect(stack.pocket.liveItems().map((i) => i.given_url).sort()).toEqual([
		'https://blog.example.com/posts/rust-ownership-tour',
		'https://blog.example.com/posts/small-models',
		'https://blog.example.com/posts/typescript-project-references',
		'https://blog.example.com/posts/weekend-reading',
	]);
});
