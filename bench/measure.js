// @ts-check
'use strict';
/**
 * One benchmark configuration, in its own process (so `process.resourceUsage().maxRSS` is this
 * configuration's peak alone). Forked for bench/run.js by bench/child-processes.js under the
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
 *   exchange        one send call of N actions taken apart, its parts timed side by side
 *                   (bench/exchange.js)
 */
const path = require('node:path');
const http = require('node:http');
const { createEngine } = require('../test/harness/n8n-engine');
const { httpMeter, memory, now, postInspector, timeMethod } = require('./meters');
const { TARGET, WARM_UP_SITE, makeActions, pinnedItems, targetNode } = require('./workloads');
const { measureExchange } = require('./exchange');

/**
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {'pocket-define' | 'pocket-automap' | 'http-request' | 'floor' | 'get-many' | 'rss-rules' | 'exchange'} Config
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
 * @property {boolean} [warm] measure the second execution: the first, of the same N items at other
 *   URLs (the server saves them as other items), warms V8's compiler and grows the heap as in an
 *   n8n that has run the workflow before
 */

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

/**
 * A full collection before the measured run (the process runs with --expose-gc). A fresh process
 * has just loaded n8n and built the input: without it, the collector's catching up on that
 * start-up garbage, more than half of the node's CPU time at 10,000 items, was charged to the
 * node, while a long-running n8n pays it once.
 */
function settleHeap() {
	if (typeof global.gc !== 'function') throw new Error('bench/measure.js needs --expose-gc');
	global.gc();
}

/** @param {MeasureRequest} msg */
async function runFloor(msg) {
	const meter = httpMeter();
	const actions = makeActions(msg.n).map((a) => ({ action: 'add', ...a }));
	if (msg.warm) {
		const warmUp = makeActions(msg.n, WARM_UP_SITE).map((a) => ({ action: 'add', ...a }));
		const answer = await post(msg.sendUrl, JSON.stringify({ consumer_key: msg.consumerKey, access_token: msg.accessToken, actions: warmUp }));
		if (answer.status !== 200) throw new Error(`floor warm-up: HTTP ${answer.status}`);
		JSON.parse(answer.text);
	}
	settleHeap();
	meter.start();
	const cpuBefore = process.cpuUsage();
	const t0 = now();
	const body = JSON.stringify({ consumer_key: msg.consumerKey, access_token: msg.accessToken, actions });
	const answer = await post(msg.sendUrl, body);
	const parsed = /** @type {{ action_results: unknown[] }} */ (JSON.parse(answer.text));
	const wallMs = now() - t0;
	const cpu = process.cpuUsage(cpuBefore);
	meter.stop();
	if (answer.status !== 200 || parsed.action_results.length !== msg.n) {
		throw new Error(`floor: HTTP ${answer.status}, ${parsed.action_results && parsed.action_results.length} results`);
	}
	return { wallMs, nodeMs: wallMs, nodeCpuMs: (cpu.user + cpu.system) / 1000, httpMs: meter.busyMs, clientRequests: meter.requests, outputItems: parsed.action_results.length, ...memory() };
}

/** @param {MeasureRequest} msg */
async function runExchange(msg) {
	const meter = httpMeter();
	meter.start();
	const t0 = now();
	const { parts, answerBytes, requestBytes } = await measureExchange(msg);
	const wallMs = now() - t0;
	meter.stop();
	return { wallMs, nodeMs: parts['node exchange'], httpMs: meter.busyMs, clientRequests: meter.requests, outputItems: msg.n, exchangeParts: parts, answerBytes, requestBytes, ...memory() };
}

// ---------------------------------------------------------------------------------------------
// n8n engine
// ---------------------------------------------------------------------------------------------

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
	const { Pocket } = /** @type {{ Pocket: new () => INodeType }} */ (require(path.join(msg.packageDir, 'dist', 'nodes', 'Pocket', 'Pocket.node.js')));
	const target = targetNode(msg, {
		pocket: Number(new Pocket().description.defaultVersion ?? 1),
		httpRequest: httpRequestType.description.defaultVersion ?? 1,
	});
	/** @type {INode} */
	const startNode = {
		id: 'start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	/** @param {boolean} warmUp */
	const prepare = (warmUp) =>
		engine.prepareRun(
			{
				id: warmUp ? 'bench-warm-up' : 'bench',
				name: `bench ${msg.config} ${msg.n}${warmUp ? ' (warm-up)' : ''}`,
				nodes: [startNode, target],
				connections: { Start: { main: [[{ node: TARGET, type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
				pinData: { Start: pinnedItems(msg, warmUp).map((json) => ({ json: /** @type {import('n8n-workflow').IDataObject} */ (json) })) },
			},
			{
				credentials: {
					pocketApi: { baseUrl: msg.baseUrl, consumerKey: msg.consumerKey, accessToken: msg.accessToken, allowUnencryptedHttp: false },
				},
			},
		);
	const warmUp = msg.warm ? await prepare(true) : undefined;
	const prepared = await prepare(false);

	// n8n parameter reading (ctx.getNodeParameter -> _getNodeParameter, which evaluates
	// expressions with workflow.expression.getParameterValue): timed directly, outermost call only.
	// Wrapped before any execution: replacing a method after the warm-up would throw away the code
	// V8 optimised on it, and the measured execution would pay to optimise it again.
	const params = timeMethod(core.ExecuteContext.prototype, '_getNodeParameter');
	const expressions = timeMethod(Object.getPrototypeOf(prepared.workflow.expression), 'getParameterValue');
	// Each call evaluates one expression (a collection's read makes one per expression inside it).
	const evaluations = timeMethod(Object.getPrototypeOf(prepared.workflow.expression), 'resolveSimpleParameterValue');
	if (warmUp) {
		const { run } = await warmUp.execute();
		if (run.data.resultData.error) throw new Error(`warm-up execution failed: ${run.data.resultData.error.message}`);
		for (const timing of [params, expressions, evaluations]) Object.assign(timing, { ms: 0, calls: 0 });
	}

	// ---- timing: node time (hooks), HTTP exchange (diagnostics_channel), parameter reads ----
	const meter = httpMeter();
	/** @type {Record<string, number>} */
	const nodeStart = {};
	/** @type {Record<string, number>} */
	const nodeMs = {};
	// CPU time of this process while the node under test runs: unlike its wall time, barely moved
	// by other processes sharing the cores (the server's own work is in its own process).
	let cpuBefore = process.cpuUsage();
	let nodeCpuMs = 0;
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
		if (name === TARGET) {
			meter.start();
			cpuBefore = process.cpuUsage();
		}
	});
	prepared.hooks.addHandler('nodeExecuteAfter', async (name) => {
		nodeMs[name] = now() - nodeStart[name];
		if (name === TARGET) {
			const cpu = process.cpuUsage(cpuBefore);
			nodeCpuMs = (cpu.user + cpu.system) / 1000;
			meter.stop();
		}
		if (name === TARGET && session && profileFile) {
			const { profile } = /** @type {import('node:inspector').Profiler.StopReturnType} */ (await postInspector(session, 'Profiler.stop'));
			require('node:fs').writeFileSync(profileFile, JSON.stringify(profile));
		}
	});

	settleHeap();
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
		nodeCpuMs,
		startNodeMs: nodeMs.Start,
		httpMs: meter.busyMs,
		clientRequests: meter.requests,
		paramMs: params.ms,
		paramCalls: params.calls,
		exprMs: expressions.ms,
		exprEvaluations: evaluations.calls,
		outputItems: items.length,
		sample: JSON.stringify(sample).slice(0, 300),
		rssBeforeRunMB: rssBefore,
		nodeTypeVersion: target.typeVersion,
		...memory(),
	};
}

process.once('message', async (/** @type {MeasureRequest} */ msg) => {
	try {
		const result = msg.config === 'floor' ? await runFloor(msg) : msg.config === 'exchange' ? await runExchange(msg) : await runEngine(msg);
		process.send?.({ ok: true, result }, () => process.exit(0));
	} catch (err) {
		process.send?.({ ok: false, error: err instanceof Error ? err.stack : String(err) }, () => process.exit(1));
	}
});
