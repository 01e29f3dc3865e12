// @ts-check
'use strict';
/**
 * End-to-end, Item → Get Many in a real n8n against an open-pocket style server (issue 18's
 * "Done when"): it sends no tags and ignores every filter, refuses a numeric `since` and a page
 * above 100 with an HTTP 500 whose JSON body holds the reason. A Tag filter stops the run naming
 * the filter, or returns the items marked unchecked when the user asks; Changed Since returns only
 * the changed items after one refused call; the server's reason reaches the error. The refusal is
 * remembered within a run and, through static data, across production runs; n8n saves no static
 * data from a manual run, so each manual run pays for one refused call. Every test checks the
 * output and the requests the server received.
 */
const { CREDENTIAL_TYPE, NODE_TYPE } = require('../../scripts/runtime/config');
const { nodeOutput } = require('../../scripts/runtime/executions');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('./setup').E2eStack} E2eStack
 * @typedef {import('../server/pocket-server').StoredItem} StoredItem
 * @typedef {import('../../scripts/runtime/rest-client').CredentialRef} CredentialRef
 * @typedef {import('../../scripts/runtime/rest-client').FinishedExecution} FinishedExecution
 * @typedef {import('../../scripts/runtime/rest-client').WorkflowJson} WorkflowJson
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {{ message?: string, description?: string | null }} RunError
 */

const CONSUMER_KEY = 'e2e-get-many-consumer-key';
const ACCESS_TOKEN = 'e2e-get-many-access-token';
/** Seeded items were saved in 2020; Changed Since asks from 2024 on, so only items changed during the test match. */
const SEEDED_AT = Date.UTC(2020, 0, 1) / 1000;
const CHANGED_SINCE = '2024-01-01T00:00:00.000Z';

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {CredentialRef} */
let credential;

/**
 * A saved item as the server stores it, last changed at `SEEDED_AT` plus `offset` seconds.
 * @param {string} id
 * @param {string} url
 * @param {string[]} tags
 * @param {number} offset
 * @returns {StoredItem}
 */
function stored(id, url, tags, offset) {
	const at = SEEDED_AT + offset;
	return { item_id: id, given_url: url, normal_url: url, resolved_url: url, title: `Item ${id}`, tags, status: 0, favorite: 0, time_added: at, time_updated: at };
}

/** Four items saved long ago: two tagged, two not. */
function seedLibrary() {
	stack.pocket.put(stored('1001', 'https://example.com/one', ['read'], 0));
	stack.pocket.put(stored('1002', 'https://example.com/two', ['read', 'dev'], 60));
	stack.pocket.put(stored('1003', 'https://example.com/three', [], 120));
	stack.pocket.put(stored('1004', 'https://example.com/four', [], 180));
}

/** @param {IDataObject[]} actions sent as any client of the server would */
async function pocketSend(...actions) {
	const res = await fetch(`${stack.pocket.url}/send`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN, actions }),
	});
	expect(res.status).toBe(200);
}

/** The bodies of the /get calls the server received, in order. */
const getCalls = () => stack.pocket.requests.filter((r) => r.path.endsWith('/get')).map((r) => /** @type {IDataObject} */ (r.body));
const sendCalls = () => stack.pocket.requests.filter((r) => r.path.endsWith('/send'));

/**
 * The Pocket node on Item → Get Many (Return All) with the file's credential.
 * @param {INodeParameters} parameters filters and options
 * @returns {INode}
 */
function getManyNode(parameters) {
	return {
		parameters: { resource: 'item', operation: 'getAll', returnAll: true, filters: {}, options: {}, ...parameters },
		id: 'e2e-get-many-2',
		name: 'Pocket',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [240, 0],
		credentials: { [CREDENTIAL_TYPE]: { id: String(credential.id), name: credential.name } },
	};
}

/**
 * Manual Trigger → Get Many, saved and run as the editor's Execute Workflow does.
 * @param {string} name
 * @param {INodeParameters} parameters
 */
async function runGetMany(name, parameters) {
	const created = await stack.client.createWorkflow({
		name: `Get Many e2e: ${name}`,
		nodes: [
			{ parameters: {}, id: 'e2e-get-many-1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			getManyNode(parameters),
		],
		connections: { Start: { main: [[{ node: 'Pocket', type: 'main', index: 0 }]] } },
	});
	return { id: created.id, result: await stack.client.runWorkflowAndWait(created.id) };
}

/** @param {FinishedExecution} result */
function pocketRun(result) {
	const [run] = result.runData.Pocket ?? [];
	return { error: /** @type {RunError | undefined} */ (run?.error), hints: run?.hints ?? [], output: nodeOutput(result.runData, 'Pocket') ?? [] };
}

/** @param {IDataObject[]} output */
const idsOf = (output) => output.map((o) => String(o.item_id));

beforeAll(async () => {
	stack = await startE2eStack('get-many', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, kind: 'open-pocket' });
	credential = await stack.client.createCredential({ name: 'Pocket e2e (open-pocket)', baseUrl: stack.pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	await stack?.stop();
});

beforeEach(() => {
	stack.pocket.reset();
	seedLibrary();
});

test.each([
	['a tag', 'read', ['read']],
	// Untagged looks like "no tags sent": one more page without the filter shows whether the server sends tags at all.
	['untagged', '_untagged_', ['_untagged_', undefined]],
])('Tag filter (%s) on a server that sends no tags: the run stops with an error naming the filter, and nothing is output', async (_, tag, asked) => {
	const { result } = await runGetMany(`Tag ${tag}`, { filters: { tag } });
	expect(result.status).toBe('error');
	const { error, output } = pocketRun(result);
	expect(error?.message).toBe('The Tag (tag) filter cannot be applied on this server');
	expect(error?.description).toMatch(
		/^Tag \(tag\): the server sends no tags, so the node cannot tell which items have the tag \(or none\)\. The server returned 4 item\(s\) the node could not check, so none was returned\. Turn on Options → Return Unchecked Items/,
	);
	expect(output).toEqual([]);
	// The filter was asked of the server (which ignored it); nothing else was called.
	expect(getCalls().map((body) => body.tag)).toEqual(asked);
	expect(sendCalls()).toEqual([]);
});

test('Tag filter with Return Unchecked Items on: every item the server returned, each marked unchecked, with a warning hint', async () => {
	const { result } = await runGetMany('Tag read, unchecked returned', { filters: { tag: 'read' }, options: { returnUnchecked: true } });
	expect(result.status).toBe('success');
	const { error, hints, output } = pocketRun(result);
	expect(error).toBeUndefined();
	// Newest first, as the server sorts them; the untagged 1003 and 1004 too, since the node could not tell.
	expect(output.map((o) => [o.item_id, o.unchecked])).toEqual([
		['1004', ['tag']],
		['1003', ['tag']],
		['1002', ['tag']],
		['1001', ['tag']],
	]);
	expect(hints).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^Tag \(tag\) could not be checked on 4 returned item\(s\)/) }));
	expect(getCalls().map((body) => body.tag)).toEqual(['read']);
	expect(sendCalls()).toEqual([]);
});

test('Changed Since: the refused /get is repeated once without since, and only the items changed since are returned', async () => {
	// Changed now, through the server's own send side: 1002 archived, 1004 favorited.
	await pocketSend({ action: 'archive', item_id: '1002' }, { action: 'favorite', item_id: '1004' });
	stack.pocket.requests.length = 0;

	const { result } = await runGetMany('Changed Since', { filters: { changedSince: CHANGED_SINCE } });
	expect(result.status).toBe('success');
	const { hints, output } = pocketRun(result);
	expect(idsOf(output).sort()).toEqual(['1002', '1004']);
	expect(output.find((o) => o.item_id === '1002')?.status).toBe('archived');
	// Exactly one /get with since (refused with HTTP 500), then one without it.
	const gets = getCalls();
	expect(gets.map((body) => body.since)).toEqual([Date.parse(CHANGED_SINCE) / 1000, undefined]);
	expect(gets[1]).not.toHaveProperty('since');
	expect(hints).toContainEqual({ type: 'info', message: 'The server refuses Changed Since: the node read without it and checked the times itself.' });
	// Leaving out the unchanged items was the node's plan: no warning blames the server for it.
	expect(hints.filter((h) => h.type === 'warning')).toEqual([]);
});

test("Changed Since in manual runs: n8n keeps no static data from a manual execution, so each run pays for one refused /get", async () => {
	await pocketSend({ action: 'archive', item_id: '1003' });
	const created = await runGetMany('Changed Since, run twice', { filters: { changedSince: CHANGED_SINCE } });
	expect(idsOf(pocketRun(created.result).output)).toEqual(['1003']);
	stack.pocket.requests.length = 0;

	const again = await stack.client.runWorkflowAndWait(created.id);
	expect(again.status).toBe('success');
	expect(idsOf(pocketRun(again).output)).toEqual(['1003']);
	expect(getCalls().map((body) => body.since)).toEqual([Date.parse(CHANGED_SINCE) / 1000, undefined]);
	const saved = /** @type {{ staticData?: IDataObject | null }} */ (await stack.client.getWorkflow(created.id));
	expect(JSON.stringify(saved.staticData ?? {})).not.toContain('sinceRefusedAt');
});

test('Changed Since from an expression, two input items in one manual run: the second read knows since is refused and does not send it', async () => {
	await pocketSend({ action: 'archive', item_id: '1002' });
	const later = new Date(Date.now() + 3600_000).toISOString();
	const created = await stack.client.createWorkflow({
		name: 'Get Many e2e: Changed Since per input item',
		nodes: [
			{ parameters: {}, id: 'e2e-get-many-1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ values: [CHANGED_SINCE, later] }), options: {} },
				id: 'e2e-get-many-3',
				name: 'Times',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [120, 0],
			},
			{ parameters: { fieldToSplitOut: 'values', options: {} }, id: 'e2e-get-many-4', name: 'One each', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [180, 0] },
			getManyNode({ filters: { changedSince: '={{ $json.values }}' } }),
		],
		connections: {
			Start: { main: [[{ node: 'Times', type: 'main', index: 0 }]] },
			Times: { main: [[{ node: 'One each', type: 'main', index: 0 }]] },
			'One each': { main: [[{ node: 'Pocket', type: 'main', index: 0 }]] },
		},
	});
	stack.pocket.requests.length = 0;
	const result = await stack.client.runWorkflowAndWait(created.id);
	expect(result.status).toBe('success');
	// The first input item's read finds 1002; nothing changed after the second one's time.
	expect(pocketRun(result).output.map((o) => o.item_id)).toEqual(['1002']);
	expect(result.runData.Pocket?.[0]?.data?.main[0]?.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
	expect(getCalls().map((body) => body.since)).toEqual([Date.parse(CHANGED_SINCE) / 1000, undefined, undefined]);
});

test('Changed Since in production runs (a webhook): the refusal is remembered in static data, so the next run sends no since', async () => {
	const path = `get-many-e2e-${Date.now()}`;
	const created = await stack.client.createWorkflow({
		name: 'Get Many e2e: Changed Since from a webhook',
		nodes: [
			{
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
				id: 'e2e-get-many-1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `e2e-get-many-${Date.now()}`,
			},
			getManyNode({ filters: { changedSince: CHANGED_SINCE } }),
		],
		connections: { Webhook: { main: [[{ node: 'Pocket', type: 'main', index: 0 }]] } },
	});
	await stack.client.activateWorkflow(created.id);
	const call = () => fetch(`${stack.n8n.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	try {
		// Registration of the production webhook can lag its activation.
		let first = await call();
		for (let i = 0; i < 40 && first.status === 404; i++) {
			await new Promise((r) => setTimeout(r, 250));
			first = await call();
		}
		// 404 answers never reached the workflow: only the run that answered counts.
		expect(first.status).toBe(200);
		expect(getCalls().filter((body) => body.since !== undefined)).toHaveLength(1);
		await pocketSend({ action: 'favorite', item_id: '1001' }, { action: 'archive', item_id: '1004' });
		stack.pocket.requests.length = 0;

		const second = await call();
		expect(second.status).toBe(200);
		const items = /** @type {IDataObject[]} */ (await second.json());
		expect(idsOf(items).sort()).toEqual(['1001', '1004']);
		// The first run's refusal was saved with the workflow: one /get, without since.
		expect(getCalls().map((body) => body.since)).toEqual([undefined]);
		const saved = /** @type {{ staticData?: Record<string, IDataObject> | null }} */ (await stack.client.getWorkflow(created.id));
		expect(saved.staticData?.['node:Pocket']?.sinceRefusedAt).toEqual(expect.any(Number));
	} finally {
		await stack.client.deactivateWorkflow(created.id);
	}
});

test("open-pocket's HTTP 500 with a JSON reason (a page of 150): the reason is in the error's description, and the call is not repeated", async () => {
	const { result } = await runGetMany('page of 150', { options: { pageSize: 150 } });
	expect(result.status).toBe('error');
	const { error, output } = pocketRun(result);
	expect(error?.message).toBe('The server refused the request as invalid (HTTP 500).');
	expect(error?.description).toMatch(/The server said: "Failed to serialize an error\. Error: \\"body\/count\\" must be <= 100\./);
	expect(output).toEqual([]);
	expect(getCalls().map((body) => body.count)).toEqual([150]);
});

test("an HTTP 500 whose JSON reason is not a validation: retried, then the server's reason is in the error's description", async () => {
	const down = { type: /** @type {const} */ ('http'), status: 500, body: '{"statusCode":500,"error":"Internal Server Error","message":"database is down"}' };
	stack.pocket.faults.push(down, down);
	const { result } = await runGetMany('database down', { options: { maxWait: 1 } });
	expect(result.status).toBe('error');
	const { error } = pocketRun(result);
	expect(error?.message).toMatch(/failed while handling the call \(HTTP 500\)/);
	expect(error?.description).toContain('The server said: "database is down".');
	expect(JSON.stringify(error)).not.toContain(ACCESS_TOKEN);
	expect(getCalls().length).toBe(2);
});
