// @ts-check
'use strict';
/**
 * End-to-end: the packed package installed as a community package into a real n8n
 * (scripts/runtime/), driven only through n8n's REST API and webhooks, against the
 * Pocket-compatible test server on loopback.
 */
const fs = require('node:fs');
const path = require('node:path');
const { CREDENTIAL_TYPE, NODE_TYPE, PACKAGE_NAME, cacheDir } = require('../../scripts/runtime/config');
const { importExamples, loadExample } = require('../../scripts/runtime/examples');
const { nodeOutput } = require('../../scripts/runtime/executions');
const { installPackage, packPackage, prepare } = require('../../scripts/runtime/install');
const { startN8n, startPocketServer } = require('../../scripts/runtime/process');
const { N8nClient } = require('../../scripts/runtime/rest-client');
const { startFeedServer } = require('../../scripts/start');

/**
 * @typedef {import('../server/pocket-server').PocketServer} PocketServer
 * @typedef {import('../../scripts/runtime/process').N8nInstance} N8nInstance
 * @typedef {import('../../scripts/runtime/rest-client').CredentialRef} CredentialRef
 * @typedef {import('../../scripts/runtime/rest-client').FinishedExecution} FinishedExecution
 * @typedef {import('../../scripts/runtime/rest-client').WorkflowJson} WorkflowJson
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').INodePropertyOptions} INodePropertyOptions
 * @typedef {{ status: number, action_results: Array<{ item_id: string }> }} SendAnswer
 * @typedef {{ method: string, path: string, body: { actions: Array<Record<string, string>> } }} SendRequest
 */

const CONSUMER_KEY = 'e2e-consumer-key';
const ACCESS_TOKEN = 'e2e-access-token';
const EXAMPLE_FEED_URL = 'https://hnrss.org/frontpage';

// Cold: Node.js 24 + n8n install and sqlite3 build can take ~10 minutes.
jest.setTimeout(30 * 60 * 1000);

/** @type {PocketServer} */
let pocket;
/** @type {import('../../scripts/start').FeedServer} */
let feed;
/** @type {N8nInstance} */
let n8n;
/** @type {N8nClient} */
let client;
/** @type {CredentialRef} */
let credential;
/** @type {string} */
let userFolder;
/** @type {Record<string, string>} workflow id by example file name */
const workflows = {};

/** @param {Array<Record<string, string>>} actions */
async function pocketSend(actions) {
	const res = await fetch(`${pocket.url}/send`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN, actions }),
	});
	const body = /** @type {SendAnswer} */ (await res.json());
	expect(body.status).toBe(1);
	return body;
}

function sendRequests() {
	return /** @type {SendRequest[]} */ (pocket.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/send')));
}

function itemsByUrl() {
	/** @type {Record<string, import('../server/pocket-server').StoredItem>} */
	const map = {};
	for (const item of pocket.liveItems()) map[item.given_url] = item;
	return map;
}

/** @param {FinishedExecution} result */
function describeExecution(result) {
	const errors = Object.entries(result.runData)
		.filter(([, runs]) => runs[0] && runs[0].error)
		.map(([name, runs]) => `${name}: ${runs[0].error?.message}`);
	return `status=${result.status} ${errors.join('; ')}`;
}

beforeAll(async () => {
	const { nodeBin, n8nFolder } = await prepare();
	const tarball = packPackage({ build: process.env.POCKET_SKIP_BUILD !== '1' });
	userFolder = path.join(cacheDir(), `e2e-user-${process.pid}`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	installPackage(userFolder, tarball);

	pocket = await startPocketServer({ consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	feed = await startFeedServer();

	n8n = await startN8n({ nodeBin, n8nFolder, userFolder });
	client = new N8nClient(n8n.url);
	await client.setupOwner();
	credential = await client.createCredential({
		name: 'Pocket e2e',
		baseUrl: pocket.url,
		consumerKey: CONSUMER_KEY,
		accessToken: ACCESS_TOKEN,
		allowUnencryptedHttp: true,
	});
	const imported = await importExamples(client, credential, { [EXAMPLE_FEED_URL]: feed.url });
	for (const wf of imported) workflows[path.basename(wf.file, '.json')] = wf.id;
}, 30 * 60 * 1000);

afterAll(async () => {
	if (n8n) await n8n.stop();
	if (pocket) await pocket.close();
	if (feed) await feed.close();
	if (userFolder && !process.env.POCKET_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
});

beforeEach(() => {
	pocket.reset();
});

test('n8n loads the community package: node and credential types are registered', async () => {
	// The editor's type files (served to logged-in users only).
	const nodes = await client.nodeTypes();
	const node = nodes.find((n) => n.name === NODE_TYPE);
	expect(node).toBeDefined();
	expect(node?.credentials?.map((c) => c.name)).toContain(CREDENTIAL_TYPE);
	const resource = node?.properties.find((p) => p.name === 'resource');
	const resourceOptions = /** @type {INodePropertyOptions[] | undefined} */ (resource?.options);
	expect(resourceOptions?.map((o) => o.value).sort()).toEqual(['item', 'tag']);

	const credentials = await client.credentialTypes();
	const cred = credentials.find((c) => c.name === CREDENTIAL_TYPE);
	expect(cred).toBeDefined();
	expect(cred?.properties.map((p) => p.name)).toEqual(
		expect.arrayContaining(['baseUrl', 'consumerKey', 'accessToken', 'allowUnencryptedHttp']),
	);

	// The package was installed the way n8n installs community packages, without its own n8n-workflow.
	const nodesDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	expect(fs.existsSync(path.join(nodesDir, PACKAGE_NAME, 'package.json'))).toBe(true);
	expect(fs.existsSync(path.join(nodesDir, 'n8n-workflow'))).toBe(false);
});

test("n8n's credential test passes for good credentials and fails clearly for bad ones", async () => {
	const goodData = { baseUrl: pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, allowUnencryptedHttp: true };
	// The saved credential, as the editor tests it (stored id + the form's data).
	const good = await client.testCredential({ id: String(credential.id), name: credential.name, data: goodData });
	expect(good).toEqual(expect.objectContaining({ status: 'OK' }));

	// A saved credential with a wrong access token.
	const badData = { ...goodData, accessToken: 'wrong-token' };
	const bad = await client.createCredential({ name: 'Pocket e2e wrong token', ...badData });
	const badToken = await client.testCredential({ id: String(bad.id), name: bad.name, data: badData });
	expect(badToken.status).toBe('Error');
	expect(typeof badToken.message).toBe('string');
	expect(badToken.message.length).toBeGreaterThan(0);
	expect(badToken.message).not.toMatch(/wrong-token/);

	// Unsaved data (id ''), as the owner tests it before saving: a wrong consumer key.
	const badKey = await client.testCredential({ data: { ...goodData, consumerKey: 'wrong-key' } });
	expect(badKey.status).toBe('Error');

	// Unsaved data pointing at a closed port: a clear connection failure, not a success.
	const unreachable = await client.testCredential({
		data: { ...goodData, baseUrl: 'http://127.0.0.1:9/api/v1' },
	});
	expect(unreachable.status).toBe('Error');

	// The server saw the tests (POST /send) but nothing was written.
	expect(pocket.liveItems()).toHaveLength(0);
	console.log(`credential test messages: wrong token: ${badToken.message} | wrong key: ${badKey.message} | unreachable: ${unreachable.message}`);
});

test('RSS example: RSS Feed Read straight into Pocket, tagged by rules in the node, in one call', async () => {
	const result = await client.runWorkflowAndWait(workflows['rss-auto-tag']);
	expect(describeExecution(result)).toBe('status=success ');

	const out = nodeOutput(result.runData, 'Save to Pocket');
	expect(out).toHaveLength(4);
	expect(out?.every((o) => o.success === true)).toBe(true);

	// The exact tags, in the order sent: the entry's categories, the fixed "rss", then the rules
	// that matched, in the order their words appear (title, categories, snippet).
	const items = itemsByUrl();
	expect(Object.fromEntries(Object.entries(items).map(([url, item]) => [url, [item.title, item.tags]]))).toEqual({
		'https://blog.example.com/posts/typescript-project-references': [
			'Faster builds with TypeScript project references',
			['Programming', 'Tooling', 'rss', 'web', 'build-tools'],
		],
		'https://blog.example.com/posts/rust-ownership-tour': [
			'A tour of Rust ownership for JavaScript developers',
			['Programming', 'rss', 'rust', 'web'],
		],
		// The rules' point: a tag the text never names, from words that mean it (the snippet's "machine learning").
		'https://blog.example.com/posts/small-models': ['Running a small language model on a laptop', ['rss', 'ai']],
		'https://blog.example.com/posts/weekend-reading': ['Weekend reading list', ['rss', 'long-read']],
	});

	// All four adds went to the server in a single /send call.
	const sends = sendRequests();
	expect(sends).toHaveLength(1);
	expect(sends[0].body.actions).toHaveLength(4);
});

test('RSS example on an open-pocket style server (its send add drops tags): the exact tags still land, with one read and one tags_add', async () => {
	// A copy of the example, so that its Remove Duplicates node has seen none of the entries.
	const example = loadExample(path.join(__dirname, '..', '..', 'examples', 'rss-auto-tag.json'), credential, { [EXAMPLE_FEED_URL]: feed.url });
	const copy = await client.createWorkflow({ ...example, name: `${example.name} (open-pocket)` });
	pocket.kind = 'open-pocket';
	const result = await client.runWorkflowAndWait(String(copy.id));
	expect(describeExecution(result)).toBe('status=success ');

	const items = itemsByUrl();
	expect(Object.fromEntries(Object.entries(items).map(([url, item]) => [url, item.tags]))).toEqual({
		'https://blog.example.com/posts/typescript-project-references': ['Programming', 'Tooling', 'rss', 'web', 'build-tools'],
		'https://blog.example.com/posts/rust-ownership-tour': ['Programming', 'rss', 'rust', 'web'],
		'https://blog.example.com/posts/small-models': ['rss', 'ai'],
		'https://blog.example.com/posts/weekend-reading': ['rss', 'long-read'],
	});
	const out = nodeOutput(result.runData, 'Save to Pocket');
	expect(out?.map((o) => /** @type {IDataObject} */ (o.tags))).toEqual(Array(4).fill(expect.objectContaining({ confirmed: true, how: 'tags_add' })));
	// The add, one read of the list, one tags_add for the four.
	expect(sendRequests().map((r) => r.body.actions.map((a) => a.action))).toEqual([Array(4).fill('add'), Array(4).fill('tags_add')]);
	expect(pocket.requests.filter((r) => r.path.endsWith('/get'))).toHaveLength(1);
});

test('tag clean-up example: renames and deletes tags across the account', async () => {
	await pocketSend([
		{ action: 'add', url: 'https://example.com/a', tags: 'js,to-sort' },
		{ action: 'add', url: 'https://example.com/b', tags: 'js,keep' },
		{ action: 'add', url: 'https://example.com/c', tags: 'to-sort' },
	]);
	pocket.requests.length = 0;

	const result = await client.runWorkflowAndWait(workflows['tag-cleanup']);
	expect(describeExecution(result)).toBe('status=success ');
	expect(nodeOutput(result.runData, 'Rename tag js to javascript')?.[0].success).toBe(true);
	expect(nodeOutput(result.runData, 'Delete tag to-sort')?.[0].success).toBe(true);

	const items = itemsByUrl();
	expect(items['https://example.com/a'].tags).toEqual(['javascript']);
	expect(items['https://example.com/b'].tags.slice().sort()).toEqual(['javascript', 'keep']);
	expect(items['https://example.com/c'].tags).toEqual([]);
	const actions = sendRequests().flatMap((r) => r.body.actions.map((a) => a.action));
	expect(actions).toEqual(['tag_rename', 'tag_delete']);
});

/**
 * Manual Trigger -> list -> one item per entry -> Pocket (error output on) -> Saved / Failed.
 * @param {string} name
 * @param {string[]} values
 * @param {INodeParameters} pocketParameters
 * @returns {WorkflowJson}
 */
function errorOutputWorkflow(name, values, pocketParameters) {
	return {
		name: `${name} ${Date.now()}`,
		nodes: [
			{ parameters: {}, id: 'e2e-0001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ values }), options: {} },
				id: 'e2e-0002',
				name: 'List',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
			},
			{
				parameters: { fieldToSplitOut: 'values', options: {} },
				id: 'e2e-0003',
				name: 'One item each',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
			},
			{
				parameters: pocketParameters,
				id: 'e2e-0004',
				name: 'Pocket',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [600, 0],
				onError: 'continueErrorOutput',
				credentials: { [CREDENTIAL_TYPE]: { id: String(credential.id), name: credential.name } },
			},
			{ parameters: {}, id: 'e2e-0005', name: 'Saved', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [800, -100] },
			{ parameters: {}, id: 'e2e-0006', name: 'Failed', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [800, 100] },
		],
		connections: {
			Start: { main: [[{ node: 'List', type: 'main', index: 0 }]] },
			List: { main: [[{ node: 'One item each', type: 'main', index: 0 }]] },
			'One item each': { main: [[{ node: 'Pocket', type: 'main', index: 0 }]] },
			Pocket: {
				main: [[{ node: 'Saved', type: 'main', index: 0 }], [{ node: 'Failed', type: 'main', index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

/** @param {WorkflowJson} wf */
async function runErrorOutputWorkflow(wf) {
	const created = await client.createWorkflow(wf);
	const result = await client.runWorkflowAndWait(created.id);
	expect(describeExecution(result)).toBe('status=success ');
	return { saved: nodeOutput(result.runData, 'Saved') || [], failed: nodeOutput(result.runData, 'Failed') || [] };
}

test('error output: items the node refuses go to the error branch, good ones are still sent', async () => {
	const { saved, failed } = await runErrorOutputWorkflow(
		errorOutputWorkflow(
			'Pocket e2e error output (validation)',
			['https://example.com/good-1', 'not a url', 'https://example.com/good-2', 'ftp://example.com/file'],
			{ resource: 'item', operation: 'add', url: '={{ $json.values }}', additionalFields: {}, options: {} },
		),
	);
	expect(saved.map((o) => /** @type {IDataObject | undefined} */ (o.action)?.url)).toEqual(['https://example.com/good-1', 'https://example.com/good-2']);
	expect(saved.every((o) => o.success === true)).toBe(true);
	expect(failed).toHaveLength(2);
	expect(failed[0].error).toMatch(/not a url/);
	expect(failed[1].error).toMatch(/ftp:\/\/example\.com\/file/);
	// The good items went to the server in one call; the refused ones never did.
	const sends = sendRequests();
	expect(sends).toHaveLength(1);
	expect(sends[0].body.actions.map((a) => a.url)).toEqual(['https://example.com/good-1', 'https://example.com/good-2']);
	expect(Object.keys(itemsByUrl()).sort()).toEqual(['https://example.com/good-1', 'https://example.com/good-2']);
});

test('error output: actions the server rejects (unknown item) go to the error branch', async () => {
	const seeded = await pocketSend([{ action: 'add', url: 'https://example.com/to-archive' }]);
	const id = String(seeded.action_results[0].item_id);
	pocket.requests.length = 0;

	const { saved, failed } = await runErrorOutputWorkflow(
		errorOutputWorkflow('Pocket e2e error output (server)', [id, '999999'], {
			resource: 'item',
			operation: 'archive',
			itemId: '={{ $json.values }}',
			options: {},
		}),
	);
	expect(saved).toHaveLength(1);
	expect(saved[0].success).toBe(true);
	expect(saved[0].action).toEqual(expect.objectContaining({ action: 'archive', item_id: id }));
	expect(failed).toHaveLength(1);
	expect(JSON.stringify(failed[0])).toMatch(/999999/);
	expect(pocket.findByUrl('https://example.com/to-archive')?.status).toBe(1);
	// Both actions travelled in one call; the server answered per action.
	expect(sendRequests()).toHaveLength(1);
});
