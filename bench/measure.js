'use strict';
/**
 * One benchmark configuration, in its own process (so `process.resourceUsage().maxRSS` is this
 * configuration's peak alone). Started by bench/run.js with child_process.fork under the
 * Node.js that runs the pinned n8n (24), with NODE_PATH pointing at that n8n's node_modules
 * (n8n's own trick in load-nodes-and-credentials: community packages resolve n8n-workflow and
 * zod from n8n itself).
 *
 * Receives one message { config, n, sendUrl, baseUrl, consumerKey, accessToken, n8nModules,
 * packageDir, profile } and answers { ok, result } or { ok: false, error }.
 *
 * Configurations:
 *   pocket-define   Pocket node, Define Below, url/tags/title as expressions
 *   pocket-automap  Pocket node, dataMode autoMapInputData
 *   http-request    n8n's HTTP Request node, one send call per item, JSON body from expressions
 *   floor           one plain HTTP POST of the prebuilt actions array, no n8n loaded
 */
const path = require('node:path');
const http = require('node:http');
const dc = require('node:diagnostics_channel');
const { performance } = require('node:perf_hooks');
const { executeAdditionalData } = require('../test/harness/additional-data.js');

const now = () => performance.now();

/** The same add actions for every configuration. */
function makeActions(n) {
	const actions = new Array(n);
	for (let i = 0; i < n; i++) {
		actions[i] = { url: `https://example.com/${i}`, tags: `t${i % 5},bench`, title: `Item ${i}` };
	}
	return actions;
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
	const onResponse = ({ response }) => {
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

function post(url, bodyText) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(bodyText) } },
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(bodyText);
	});
}

async function runFloor(msg) {
	const meter = httpMeter();
	const actions = makeActions(msg.n).map((a) => ({ action: 'add', ...a }));
	meter.start();
	const t0 = now();
	const body = JSON.stringify({ consumer_key: msg.consumerKey, access_token: msg.accessToken, actions });
	const answer = await post(msg.sendUrl, body);
	const parsed = JSON.parse(answer.text);
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

function postInspector(session, method, params = {}) {
	return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

async function runEngine(msg) {
	const req = (name) => require(path.join(msg.n8nModules, name));
	const { ExecuteContext, ExecutionLifecycleHooks, PackageDirectoryLoader, WorkflowExecute, Credentials } = req('n8n-core');
	const workflowLib = req('n8n-workflow');
	const { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } = workflowLib;

	// Our package and the engine must share one n8n-workflow instance.
	const engineWorkflow = require.resolve(path.join(msg.n8nModules, 'n8n-workflow'));
	const packageWorkflow = require.resolve('n8n-workflow', { paths: [msg.packageDir] });
	if (engineWorkflow !== packageWorkflow) {
		throw new Error(`two n8n-workflow instances: engine ${engineWorkflow}, package ${packageWorkflow}`);
	}

	const loader = new PackageDirectoryLoader(msg.packageDir);
	await loader.loadAll();
	const types = {};
	for (const [name, data] of Object.entries(loader.nodeTypes)) types[`${loader.packageName}.${name}`] = data.type;
	const credentialTypes = {};
	for (const [name, data] of Object.entries(loader.credentialTypes)) credentialTypes[name] = data.type;
	const { ManualTrigger } = req('n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node.js');
	const { HttpRequest } = req('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js');
	types['n8n-nodes-base.manualTrigger'] = new ManualTrigger();
	const httpRequestType = new HttpRequest();
	types['n8n-nodes-base.httpRequest'] = httpRequestType;
	const nodeTypes = {
		getByName: (type) => types[type],
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
		getKnownTypes: () => ({}),
	};

	class CredentialsHelper extends ICredentialsHelper {
		constructor(data) {
			super();
			this.data = data;
		}
		getParentTypes() {
			return [];
		}
		isCredentialUsableByNode() {
			return true;
		}
		async runPreAuthentication() {
			return undefined;
		}
		async authenticate(credentials, typeName, requestOptions) {
			const authenticate = credentialTypes[typeName] && credentialTypes[typeName].authenticate;
			if (typeof authenticate !== 'function') throw new Error(`bench: ${typeName} has no authenticate function`);
			return await authenticate(credentials, requestOptions);
		}
		async preAuthentication() {
			return undefined;
		}
		async getCredentials(details) {
			return new Credentials({ id: details.id, name: details.name }, '', '');
		}
		async getDecrypted(_additionalData, _details, type) {
			if (!this.data[type]) throw new Error(`bench: no credentials of type ${type}`);
			return this.data[type];
		}
		async updateCredentials() {}
		async updateCredentialsOauthTokenData() {}
		getCredentialsProperties(type) {
			return (credentialTypes[type] && credentialTypes[type].properties) || [];
		}
	}

	// ---- the workflow: Manual Trigger with the N items pinned -> the node under test ----
	const target = 'Target';
	let targetNode;
	if (msg.config === 'pocket-define' || msg.config === 'pocket-automap') {
		const parameters =
			msg.config === 'pocket-define'
				? {
						resource: 'item',
						operation: 'add',
						dataMode: 'defineBelow',
						url: '={{ $json.url }}',
						additionalFields: { tags: '={{ $json.tags }}', title: '={{ $json.title }}' },
						options: {},
					}
				: { resource: 'item', operation: 'add', dataMode: 'autoMapInputData', options: {} };
		targetNode = {
			id: 'target',
			name: target,
			type: 'n8n-nodes-pocket.pocket',
			typeVersion: 1,
			position: [200, 0],
			parameters,
			credentials: { pocketApi: { id: 'bench', name: 'Pocket bench' } },
		};
	} else if (msg.config === 'http-request') {
		const version = httpRequestType.description.defaultVersion;
		targetNode = {
			id: 'target',
			name: target,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: version,
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
	} else {
		throw new Error(`unknown configuration ${msg.config}`);
	}
	const startNode = {
		id: 'start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflowJson = {
		id: 'bench',
		name: `bench ${msg.config} ${msg.n}`,
		nodes: [startNode, targetNode],
		connections: { Start: { main: [[{ node: target, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	};
	const pinItems = makeActions(msg.n).map((json) => ({ json }));
	const workflow = new Workflow({
		id: workflowJson.id,
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		nodeTypes,
		settings: workflowJson.settings,
		active: false,
	});

	// ---- timing: node time (hooks), HTTP exchange (diagnostics_channel), parameter reads ----
	const hooks = new ExecutionLifecycleHooks('manual', `bench-${msg.config}-${msg.n}`, workflowJson);
	let resolveDone;
	const done = { promise: new Promise((r) => (resolveDone = r)) };
	const nodeStart = {};
	const nodeMs = {};
	// --profile: a CPU profile (the data `node --cpu-prof` writes) of the node under test only,
	// taken with the inspector's Profiler between the (awaited) before/after hooks.
	let session;
	if (msg.profileFile) {
		const inspector = require('node:inspector');
		session = new inspector.Session();
		session.connect();
		await postInspector(session, 'Profiler.enable');
		await postInspector(session, 'Profiler.setSamplingInterval', { interval: 200 });
	}
	hooks.addHandler('nodeExecuteBefore', async (name) => {
		if (name === target && session) await postInspector(session, 'Profiler.start');
		nodeStart[name] = now();
		if (name === target) meter.start();
	});
	hooks.addHandler('nodeExecuteAfter', async (name) => {
		nodeMs[name] = now() - nodeStart[name];
		if (name === target) meter.stop();
		if (name === target && session) {
			const { profile } = await postInspector(session, 'Profiler.stop');
			require('node:fs').writeFileSync(msg.profileFile, JSON.stringify(profile));
		}
	});
	hooks.addHandler('workflowExecuteAfter', (run) => resolveDone(run));
	const meter = httpMeter();

	// n8n parameter reading (ctx.getNodeParameter -> _getNodeParameter, which evaluates
	// expressions with workflow.expression.getParameterValue): timed directly, outermost call only.
	let paramMs = 0;
	let paramCalls = 0;
	let exprMs = 0;
	let depth = 0;
	let exprDepth = 0;
	const originalGet = ExecuteContext.prototype._getNodeParameter;
	ExecuteContext.prototype._getNodeParameter = function (...args) {
		if (depth++ > 0) {
			try {
				return originalGet.apply(this, args);
			} finally {
				depth--;
			}
		}
		const t = now();
		try {
			return originalGet.apply(this, args);
		} finally {
			paramMs += now() - t;
			paramCalls++;
			depth--;
		}
	};
	const expressionProto = Object.getPrototypeOf(workflow.expression);
	const originalEval = expressionProto.getParameterValue;
	expressionProto.getParameterValue = function (...args) {
		if (exprDepth++ > 0) {
			try {
				return originalEval.apply(this, args);
			} finally {
				exprDepth--;
			}
		}
		const t = now();
		try {
			return originalEval.apply(this, args);
		} finally {
			exprMs += now() - t;
			exprDepth--;
		}
	};

	const helper = new CredentialsHelper({
		pocketApi: { baseUrl: msg.baseUrl, consumerKey: msg.consumerKey, accessToken: msg.accessToken, allowUnencryptedHttp: false },
	});
	const additionalData = executeAdditionalData(helper, hooks);
	const runExecutionData = createRunExecutionData({
		resultData: { pinData: { Start: pinItems } },
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }] },
	});

	const rssBefore = memory().maxRssMB;
	const t0 = now();
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done.promise;
	const wallMs = now() - t0;

	const error = run.data.resultData.error;
	if (error) throw new Error(`workflow failed: ${error.message}${error.description ? ` (${error.description})` : ''}`);
	const out = (run.data.resultData.runData[target] || [])[0];
	const items = (out && out.data && out.data.main && out.data.main[0]) || [];
	if (items.length !== msg.n) throw new Error(`${target} returned ${items.length} items for ${msg.n} inputs`);
	const sample = items[0].json;
	return {
		wallMs,
		nodeMs: nodeMs[target],
		startNodeMs: nodeMs.Start,
		httpMs: meter.busyMs,
		clientRequests: meter.requests,
		paramMs,
		paramCalls,
		exprMs,
		outputItems: items.length,
		sample: JSON.stringify(sample).slice(0, 300),
		rssBeforeRunMB: rssBefore,
		nodeTypeVersion: targetNode.typeVersion,
		...memory(),
	};
}

process.once('message', async (msg) => {
	try {
		const result = msg.config === 'floor' ? await runFloor(msg) : await runEngine(msg);
		process.send({ ok: true, result }, () => process.exit(0));
	} catch (err) {
		process.send({ ok: false, error: err && err.stack ? err.stack : String(err) }, () => process.exit(1));
	}
});
