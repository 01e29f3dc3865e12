// @ts-check
'use strict';
/**
 * One benchmark configuration, in its own process (so `process.resourceUsage().maxRSS` is this
 * configuration's peak alone). Started by bench/run.js with child_process.fork under the
 * Node.js that runs the pinned n8n (24), with NODE_PATH pointing at that n8n's node_modules
 * (n8n's own trick in load-nodes-and-credentials: community packages resolve n8n-workflow and
 * zod from n8n itself).
 *
 * Receives one MeasureRequest message and answers { ok, result } or { ok: false, error }. The n8n
 * engine configurations run through the workflow tests' harness (test/harness/n8n-engine.js),
 * handed the pinned n8n's own n8n-core and n8n-workflow.
 *
 * Configurations:
 *   pocket-define   Pocket node, Define Below, url/tags/title as expressions
 *   pocket-automap  Pocket node, dataMode autoMapInputData
 *   http-request    n8n's HTTP Request node, one send call per item, JSON body from expressions
 *   floor           one plain HTTP POST of the prebuilt actions array, no n8n loaded
 *   get-many        Pocket node, Item → Get Many with Return All and the default page size, reading
 *                   the N items the server holds (bench/run.js seeds them); one input item
 *   rss-rules       Pocket node, Add auto-mapped from N RSS entries as RSS Feed Read gives them,
 *                   with 50 Tag Rules, Fixed Tags and Tags From Categories
 */
const path = require('node:path');
const http = require('node:http');
const dc = require('node:diagnostics_channel');
const { performance } = require('node:perf_hooks');
const { createEngine } = require('../test/harness/n8n-engine');

/**
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {'pocket-define' | 'pocket-automap' | 'http-request' | 'floor' | 'get-many' | 'rss-rules'} Config
 * @typedef {object} MeasureRequest
 * @property {Config} config
 * @property {number} n the number of items
 * @property {string} sendUrl the test server's send endpoint
 * @property {string} baseUrl the test server's API root (the credential's Base URL)
 * @property {string} consumerKey
 * @property {string} accessToken
 * @property {string} n8nModules the pinned n8n's node_modules
 * @property {string} packageDir this package, installed as n8n installs a community package
 * @property {string} [profileFile] write a CPU profile of the node under test here
 */

/** The node under test's name. */
const TARGET = 'Target';

const now = () => performance.now();

/**
 * The same add actions for every configuration.
 * @param {number} n
 */
function makeActions(n) {
	/** @type {Array<{ url: string, tags: string, title: string }>} */
	const actions = new Array(n);
	for (let i = 0; i < n; i++) {
		actions[i] = { url: `https://example.com/${i}`, tags: `t${i % 5},bench`, title: `Item ${i}` };
	}
	return actions;
}

/** Words the RSS entries and the rules are made of: each rule matches about one entry in ten. */
const VOCABULARY = Array.from({ length: 500 }, (_, i) => `word${i}`);

/** 50 rules of one to three words, as a user auto-tagging a few feeds might write them. */
const RULES = Array.from({ length: 50 }, (_, r) => ({
	tag: `topic-${r}`,
	matches: [VOCABULARY[r * 7], `${VOCABULARY[r * 3 + 1]} ${VOCABULARY[r * 3 + 2]}`, `${VOCABULARY[r]} ${VOCABULARY[r + 1]} ${VOCABULARY[r + 2]}`].join(', '),
}));

/**
 * N entries as n8n's RSS Feed Read gives them: link, title, categories (one with attributes)
 * and a 40-word snippet.
 * @param {number} n
 */
function makeEntries(n) {
	const word = (/** @type {number} */ k) => VOCABULARY[k % VOCABULARY.length];
	return Array.from({ length: n }, (_, i) => ({
		link: `https://example.com/entry/${i}`,
		title: `Entry ${i}: ${word(i * 13)} and ${word(i * 17)} ${word(i * 17 + 1)}`,
		categories: ['News', { _: `Section ${i % 7}`, $: { domain: 'https://example.com/sections' } }],
		contentSnippet: Array.from({ length: 40 }, (_, k) => word(i * 31 + k * 11)).join(' '),
		isoDate: '2026-11-30T10:00:00.000Z',
	}));
}

/**
 * The items pinned on the Manual Trigger for a configuration: one empty item for Get Many (it
 * reads N items), RSS entries for the rules, the same add actions for the others.
 * @param {MeasureRequest} msg
 * @returns {object[]}
 */
function pinnedItems(msg) {
	if (msg.config === 'get-many') return [{}];
	return msg.config === 'rss-rules' ? makeEntries(msg.n) : makeActions(msg.n);
}

/**
 * Client-side HTTP exchange time: the union of the intervals during which at least one HTTP
 * request is in flight (from `http.client.request.start` to the response's 'end'), so that
 * concurrent requests (n8n's HTTP Request node starts all of an execution's requests at once)
 * are not counted twice.
 */
function httpMeter() {
	let inFlight = 0;
	let busySince = 0;
	let busyMs = 0;
	let requests = 0;
	let active = false;
	const begin = () => {
		if (!active) return;
		requests++;
		if (inFlight++ === 0) busySince = now();
	};
	const end = () => {
		if (!active) return;
		if (--inFlight === 0) busyMs += now() - busySince;
	};
	const onStart = () => begin();
	/** @param {unknown} message `{ request, response }` of http.client.response.finish */
	const onResponse = (message) => {
		const { response } = /** @type {{ response: import('node:http').IncomingMessage }} */ (message);
		let done = false;
		const finish = () => {
			if (!done) {
				done = true;
				end();
			}
		};
		response.once('end', finish);
		response.once('close', finish);
		response.once('error', finish);
	};
	const onError = () => end();
	dc.subscribe('http.client.request.start', onStart);
	dc.subscribe('http.client.response.finish', onResponse);
	dc.subscribe('http.client.request.error', onError);
	return {
		start() {
			active = true;
		},
		stop() {
			active = false;
		},
		get busyMs() {
			return busyMs;
		},
		get requests() {
			return requests;
		},
	};
}

function memory() {
	const mu = process.memoryUsage();
	return {
		maxRssMB: process.resourceUsage().maxRSS / 1024, // maxRSS is in KiB
		heapUsedMB: mu.heapUsed / 1048576,
	};
}

// ---------------------------------------------------------------------------------------------
// Floor: one POST, no n8n
// ---------------------------------------------------------------------------------------------

/**
 * @param {string} url
 * @param {string} bodyText
 * @returns {Promise<{ status: number | undefined, text: string }>}
 */
function post(url, bodyText) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(bodyText) } },
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(bodyText);
	});
}

/** @param {MeasureRequest} msg */
async function runFloor(msg) {
	const meter = httpMeter();
	const actions = makeActions(msg.n).map((a) => ({ action: 'add', ...a }));
	meter.start();
	const t0 = now();
	const body = JSON.stringify({ consumer_key: msg.consumerKey, access_token: msg.accessToken, actions });
	const answer = await post(msg.sendUrl, body);
	const parsed = /** @type {{ action_results: unknown[] }} */ (JSON.parse(answer.text));
	const wallMs = now() - t0;
	meter.stop();
	if (answer.status !== 200 || parsed.action_results.length !== msg.n) {
		throw new Error(`floor: HTTP ${answer.status}, ${parsed.action_results && parsed.action_results.length} results`);
	}
	return { wallMs, nodeMs: wallMs, httpMs: meter.busyMs, clientRequests: meter.requests, outputItems: parsed.action_results.length, ...memory() };
}

// ---------------------------------------------------------------------------------------------
// n8n engine
// ---------------------------------------------------------------------------------------------

/**
 * @param {import('node:inspector').Session} session
 * @param {string} method
 * @param {object} [params]
 * @returns {Promise<unknown>} the inspector's answer
 */
function postInspector(session, method, params = {}) {
	return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

/**
 * The node under test, after a Manual Trigger that has the N items pinned.
 * @param {MeasureRequest} msg
 * @param {number} httpRequestVersion n8n's HTTP Request node's default version
 * @returns {INode}
 */
function targetNode(msg, httpRequestVersion) {
	/** @type {Partial<Record<Config, import('n8n-workflow').INodeParameters>>} */
	const pocketParameters = {
		'pocket-define': {
			resource: 'item',
			operation: 'add',
			dataMode: 'defineBelow',
			url: '={{ $json.url }}',
			additionalFields: { tags: '={{ $json.tags }}', title: '={{ $json.title }}' },
			options: {},
		},
		'pocket-automap': { resource: 'item', operation: 'add', dataMode: 'autoMapInputData', options: {} },
		'get-many': { resource: 'item', operation: 'getAll', returnAll: true, filters: {}, options: {} },
		'rss-rules': {
			resource: 'item',
			operation: 'add',
			dataMode: 'autoMapInputData',
			tagging: { fixedTags: 'rss', tagsFromCategories: true, tagRules: { rule: RULES } },
			options: {},
		},
	};
	const parameters = pocketParameters[msg.config];
	if (parameters) {
		return {
			id: 'target',
			name: TARGET,
			type: 'n8n-nodes-pocket.pocket',
			typeVersion: 1,
			position: [200, 0],
			parameters,
			credentials: { pocketApi: { id: 'bench', name: 'Pocket bench' } },
		};
	}
	if (msg.config === 'http-request') {
		return {
			id: 'target',
			name: TARGET,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: httpRequestVersion,
			position: [200, 0],
			parameters: {
				method: 'POST',
				url: msg.sendUrl,
				authentication: 'none',
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				// What a user without this package writes: the send body as JSON with expressions.
				jsonBody:
					`={ "consumer_key": ${JSON.stringify(msg.consumerKey)}, "access_token": ${JSON.stringify(msg.accessToken)}, ` +
					'"actions": [ { "action": "add", "url": "{{ $json.url }}", "tags": "{{ $json.tags }}", "title": "{{ $json.title }}" } ] }',
				options: {},
			},
		};
	}
	throw new Error(`unknown configuration ${msg.config}`);
}

/**
 * Times the calls to a prototype method, outermost call only (it may call itself). The
 * methods timed are n8n internals, absent from its types: hence the plain object.
 * @param {object} prototype
 * @param {string} method
 */
function timeMethod(prototype, method) {
	const proto = /** @type {Record<string, unknown>} */ (prototype);
	const original = /** @type {(...args: unknown[]) => unknown} */ (proto[method]);
	const timing = { ms: 0, calls: 0 };
	let depth = 0;
	proto[method] = function (/** @type {unknown[]} */ ...args) {
		if (depth++ > 0) {
			try {
				return original.apply(this, args);
			} finally {
				depth--;
			}
		}
		const t = now();
		try {
			return original.apply(this, args);
		} finally {
			timing.ms += now() - t;
			timing.calls++;
			depth--;
		}
	};
	return timing;
}

/** @param {MeasureRequest} msg */
async function runEngine(msg) {
	/** @type {(name: string) => unknown} */
	const req = (name) => require(path.join(msg.n8nModules, name));
	const core = /** @type {typeof import('n8n-core')} */ (req('n8n-core'));
	const workflowModule = /** @type {typeof import('n8n-workflow')} */ (req('n8n-workflow'));

	// Our package and the engine must share one n8n-workflow instance.
	const engineWorkflow = require.resolve(path.join(msg.n8nModules, 'n8n-workflow'));
	const packageWorkflow = require.resolve('n8n-workflow', { paths: [msg.packageDir] });
	if (engineWorkflow !== packageWorkflow) {
		throw new Error(`two n8n-workflow instances: engine ${engineWorkflow}, package ${packageWorkflow}`);
	}

	const { ManualTrigger } = /** @type {{ ManualTrigger: new () => INodeType }} */ (req('n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node.js'));
	const { HttpRequest } = /** @type {{ HttpRequest: new () => IVersionedNodeType }} */ (req('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js'));
	const httpRequestType = new HttpRequest();
	const engine = createEngine({
		core,
		workflow: workflowModule,
		packageDir: msg.packageDir,
		nodeTypes: { 'n8n-nodes-base.manualTrigger': new ManualTrigger(), 'n8n-nodes-base.httpRequest': httpRequestType },
	});

	// ---- the workflow: Manual Trigger with the N items pinned -> the node under test ----
	const target = targetNode(msg, httpRequestType.description.defaultVersion ?? 1);
	/** @type {INode} */
	const startNode = {
		id: 'start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const prepared = await engine.prepareRun(
		{
			id: 'bench',
			name: `bench ${msg.config} ${msg.n}`,
			nodes: [startNode, target],
			connections: { Start: { main: [[{ node: TARGET, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
			pinData: { Start: pinnedItems(msg).map((json) => ({ json: /** @type {import('n8n-workflow').IDataObject} */ (json) })) },
		},
		{
			credentials: {
				pocketApi: { baseUrl: msg.baseUrl, consumerKey: msg.consumerKey, accessToken: msg.accessToken, allowUnencryptedHttp: false },
			},
		},
	);

	// ---- timing: node time (hooks), HTTP exchange (diagnostics_channel), parameter reads ----
	const meter = httpMeter();
	/** @type {Record<string, number>} */
	const nodeStart = {};
	/** @type {Record<string, number>} */
	const nodeMs = {};
	// --profile: a CPU profile (the data `node --cpu-prof` writes) of the node under test only,
	// taken with the inspector's Profiler between the (awaited) before/after hooks.
	/** @type {import('node:inspector').Session | undefined} */
	let session;
	if (msg.profileFile) {
		const inspector = require('node:inspector');
		session = new inspector.Session();
		session.connect();
		await postInspector(session, 'Profiler.enable');
		await postInspector(session, 'Profiler.setSamplingInterval', { interval: 200 });
	}
	const { profileFile } = msg;
	prepared.hooks.addHandler('nodeExecuteBefore', async (name) => {
		if (name === TARGET && session) await postInspector(session, 'Profiler.start');
		nodeStart[name] = now();
		if (name === TARGET) meter.start();
	});
	prepared.hooks.addHandler('nodeExecuteAfter', async (name) => {
		nodeMs[name] = now() - nodeStart[name];
		if (name === TARGET) meter.stop();
		if (name === TARGET && session && profileFile) {
			const { profile } = /** @type {import('node:inspector').Profiler.StopReturnType} */ (await postInspector(session, 'Profiler.stop'));
			require('node:fs').writeFileSync(profileFile, JSON.stringify(profile));
		}
	});

	// n8n parameter reading (ctx.getNodeParameter -> _getNodeParameter, which evaluates
	// expressions with workflow.expression.getParameterValue): timed directly, outermost call only.
	const params = timeMethod(core.ExecuteContext.prototype, '_getNodeParameter');
	const expressions = timeMethod(Object.getPrototypeOf(prepared.workflow.expression), 'getParameterValue');

	const rssBefore = memory().maxRssMB;
	const t0 = now();
	const { run } = await prepared.execute();
	const wallMs = now() - t0;

	const error = run.data.resultData.error;
	if (error) {
		const description = /** @type {{ description?: string }} */ (error).description;
		throw new Error(`workflow failed: ${error.message}${description ? ` (${description})` : ''}`);
	}
	const out = (run.data.resultData.runData[TARGET] || [])[0];
	const items = (out && out.data && out.data.main && out.data.main[0]) || [];
	if (items.length !== msg.n) throw new Error(`${TARGET} returned ${items.length} items, expected ${msg.n}`);
	const sample = items[0].json;
	return {
		wallMs,
		nodeMs: nodeMs[TARGET],
		startNodeMs: nodeMs.Start,
		httpMs: meter.busyMs,
		clientRequests: meter.requests,
		paramMs: params.ms,
		paramCalls: params.calls,
		exprMs: expressions.ms,
		outputItems: items.length,
		sample: JSON.stringify(sample).slice(0, 300),
		rssBeforeRunMB: rssBefore,
		nodeTypeVersion: target.typeVersion,
		...memory(),
	};
}

process.once('message', async (/** @type {MeasureRequest} */ msg) => {
	try {
		const result = msg.config === 'floor' ? await runFloor(msg) : await runEngine(msg);
		process.send?.({ ok: true, result }, () => process.exit(0));
	} catch (err) {
		process.send?.({ ok: false, error: err instanceof Error ? err.stack : String(err) }, () => process.exit(1));
	}
});
