#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: the Pocket node against n8n's own HTTP Request node and a plain POST, in
 * n8n's real execution engine (n8n-core WorkflowExecute of the pinned n8n, under the Node.js it
 * needs), against the loopback Pocket-compatible test server.
 *
 * Every configuration at every N runs in its own child process (bench/measure.js), the server in
 * another (bench/server-child.js). Prints a table and writes docs/bench-results.json.
 *
 * Options:
 *   --sizes 100,1000,10000,100000     item counts
 *   --configs pocket-define,pocket-automap,http-request,floor,get-many,rss-rules
 *   --limit-seconds 120               skip a configuration at N when the previous N extrapolates beyond this
 *   --profile CONFIG:N[,CONFIG:N]     also run that configuration under `node --cpu-prof` and print
 *                                     its top self-time functions (profile files in <cache>/bench/profiles)
 *   --profile-missed                  profile every configuration that misses a target
 *   --out FILE                        JSON output (default docs/bench-results.json)
 *   --report FILE                     only print the tables of an earlier JSON output
 *   --markdown                        print the tables as Markdown (for the README)
 *   --server-kind pocket|open-pocket  which server the test server is (default POCKET_SERVER_KIND, else
 *                                     pocket); pair it with --out to keep the Pocket-like results
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');

const { cacheDir, log } = require('../scripts/runtime/config');
const { installPackage, packPackage, prepare } = require('../scripts/runtime/install');

/**
 * @typedef {import('./measure').Config} Config
 * @typedef {import('./measure').MeasureRequest} MeasureRequest
 * @typedef {import('node:inspector').Profiler.Profile} CpuProfile
 * @typedef {import('node:inspector').Runtime.CallFrame} CallFrame
 *
 * What bench/measure.js answers for one configuration at one N.
 * @typedef {object} Measurement
 * @property {number} wallMs workflow wall time (the floor: the POST)
 * @property {number} nodeMs the node under test, nodeExecuteBefore..After (the floor: the POST)
 * @property {number} httpMs client-side HTTP exchange time
 * @property {number} clientRequests
 * @property {number} outputItems
 * @property {number} maxRssMB
 * @property {number} heapUsedMB
 * @property {number} [startNodeMs]
 * @property {number} [paramMs] n8n's parameter reads, expressions included
 * @property {number} [paramCalls]
 * @property {number} [exprMs] expression evaluation
 * @property {string} [sample] the first output item, shortened
 * @property {number} [rssBeforeRunMB]
 * @property {number} [nodeTypeVersion]
 *
 * @typedef {object} TimeSplit
 * @property {number} nodeMs
 * @property {number} httpExchangeMs
 * @property {number} parameterReadsMs
 * @property {number} expressionEvalMs
 * @property {number} ownWorkMs
 * @property {number} ownWorkPct
 * @property {number} [expressionEstimateMs]
 *
 * @typedef {object} Derived computed by derive() from all results
 * @property {number} [itemsPerSecond]
 * @property {number} [nodeItemsPerSecond]
 * @property {number} [quotaHours]
 * @property {number} [httpRequestOverPocketWall]
 * @property {number} [httpRequestOverPocketNode]
 * @property {number} [pocketOverFloorWall]
 * @property {number} [pocketOverFloorNode]
 * @property {TimeSplit} [split]
 *
 * @typedef {{ config: Config, n: number, skipped?: undefined, error?: undefined, httpCalls: number, serverStoredItems: number } & Measurement & Derived} MeasuredResult
 * @typedef {{ config: Config, n: number, skipped: true, error?: undefined, estimatedMs: number, extrapolatedFrom?: number }} SkippedResult
 * @typedef {{ config: Config, n: number, skipped?: undefined, error: string, reason: string, httpCallsBeforeFailure?: number, serverStoredItems?: number }} FailedResult
 * @typedef {MeasuredResult | SkippedResult | FailedResult} Result
 *
 * @typedef {object} Target
 * @property {string} target
 * @property {Config} config
 * @property {number} n
 * @property {string} value
 * @property {boolean} met
 * @property {number} [valueWall]
 * @property {number} [valueNode]
 * @property {string} [note]
 *
 * @typedef {ReturnType<typeof summarizeProfile>} ProfileSummary
 * @typedef {{ config: Config, n: number }} ProfileRequest
 * @typedef {(ProfileRequest & { error: string }) | (ProfileRequest & { wallMsUnderProfiler: number, nodeMsUnderProfiler: number } & ProfileSummary)} ProfileEntry
 *
 * @typedef {object} BenchData what --out writes and --report reads
 * @property {number} limitSeconds
 * @property {Result[]} results
 * @property {Target[]} targets
 * @property {ProfileEntry[]} profiles
 *
 * @typedef {object} Context
 * @property {string} nodeBin
 * @property {string} n8nModules
 * @property {string} userFolder
 * @property {string} packageDir
 * @property {string} serverUrl
 */

const REPO_DIR = path.resolve(__dirname, '..');
const CONSUMER_KEY = 'bench-consumer-key';
const ACCESS_TOKEN = 'bench-access-token';
const QUOTA_PER_HOUR = 320;
/** @type {Config[]} */
const ALL_CONFIGS = ['pocket-define', 'pocket-automap', 'http-request', 'floor', 'get-many', 'rss-rules'];
/** @type {Record<Config, string>} */
const LABELS = {
	'pocket-define': 'Pocket, Define Below (expressions)',
	'pocket-automap': 'Pocket, auto-mapped',
	'http-request': 'n8n HTTP Request, 1 call/item',
	floor: 'floor: one plain POST, no n8n',
	'get-many': 'Pocket Get Many, Return All (page 30)',
	'rss-rules': 'Pocket, RSS entries + 50 tag rules',
};

/** @param {string} name */
function config(name) {
	const found = ALL_CONFIGS.find((c) => c === name);
	if (!found) throw new Error(`unknown configuration ${name}`);
	return found;
}

/** @param {string[]} argv */
function parseArgs(argv) {
	const args = {
		sizes: [100, 1000, 10000, 100000],
		configs: ALL_CONFIGS,
		limitSeconds: 120,
		/** @type {ProfileRequest[]} */
		profile: [],
		profileMissed: false,
		markdown: false,
		out: path.join(REPO_DIR, 'docs', 'bench-results.json'),
		/** @type {string | undefined} */
		report: undefined,
		/** @type {string | undefined} which server the test server is (test/server/server-kind.ts) */
		serverKind: undefined,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => argv[++i];
		if (a === '--sizes') args.sizes = next().split(',').map(Number);
		else if (a === '--configs') args.configs = next().split(',').map(config);
		else if (a === '--limit-seconds') args.limitSeconds = Number(next());
		else if (a === '--profile') args.profile = next().split(',').map((s) => {
			const [name, n] = s.split(':');
			return { config: config(name), n: Number(n) };
		});
		else if (a === '--markdown') args.markdown = true;
		else if (a === '--profile-missed') args.profileMissed = true;
		else if (a === '--out') args.out = path.resolve(next());
		else if (a === '--report') args.report = path.resolve(next());
		else if (a === '--server-kind') args.serverKind = next();
		else throw new Error(`unknown option ${a}`);
	}
	return args;
}

/**
 * @param {Result | undefined} r
 * @returns {r is MeasuredResult}
 */
function isMeasured(r) {
	return r !== undefined && !r.skipped && !r.error;
}

// ---------------------------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {import('./server-child').ServerResults} ServerResults
 * @typedef {import('./server-child').ServerAnswer} ServerAnswer
 */

/** The test server in its own process (bench/server-child.js), called over IPC. */
function startServerChild() {
	const child = fork(path.join(__dirname, 'server-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let nextId = 1;
	/** @type {Map<number, { resolve: (result: unknown) => void, reject: (err: Error) => void }>} */
	const pending = new Map();
	child.on('message', (/** @type {ServerAnswer} */ m) => {
		const p = pending.get(m.id);
		if (!p) return;
		pending.delete(m.id);
		if (m.ok) p.resolve(m.result);
		else p.reject(new Error(m.error));
	});
	child.on('exit', (code) => {
		for (const p of pending.values()) p.reject(new Error(`server child exited (${code})`));
		pending.clear();
	});
	/**
	 * @template {keyof ServerResults} C
	 * @param {C} cmd
	 * @param {object} [extra]
	 * @returns {Promise<ServerResults[C]>}
	 */
	const call = (cmd, extra = {}) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve: (result) => resolve(/** @type {ServerResults[C]} */ (result)), reject });
			child.send({ id, cmd, ...extra });
		});
	return { child, call };
}

/**
 * Runs one configuration in a fresh process under the n8n Node.js; resolves with its result.
 * @param {Context} ctx
 * @param {Config} config
 * @param {number} n
 * @param {{ profileDir?: string }} [options]
 * @returns {Promise<Measurement>}
 */
function measure(ctx, config, n, { profileDir } = {}) {
	return new Promise((resolve, reject) => {
		const execArgv = ['--max-old-space-size=8192'];
		// The floor has no node: profile the whole process with --cpu-prof. The engine
		// configurations profile the node under test only (inspector Profiler between hooks).
		const profileFile = profileDir ? path.join(profileDir, `${config}-${n}.cpuprofile`) : undefined;
		if (profileDir && config === 'floor') execArgv.push('--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${config}-${n}.cpuprofile`);
		/** @type {NodeJS.ProcessEnv} */
		const env = { ...process.env, NODE_PATH: ctx.n8nModules, N8N_USER_FOLDER: ctx.userFolder, NODE_ENV: 'production' };
		delete env.NODE_OPTIONS;
		const child = fork(path.join(__dirname, 'measure.js'), [], {
			execPath: ctx.nodeBin,
			execArgv,
			env,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		/** @type {{ ok: true, result: Measurement } | { ok: false, error: string } | undefined} */
		let answer;
		const timer = setTimeout(() => {
			answer = { ok: false, error: 'timed out after 10 minutes' };
			child.kill('SIGKILL');
		}, 10 * 60 * 1000);
		child.on('message', (/** @type {NonNullable<typeof answer>} */ m) => (answer = m));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (answer && answer.ok) resolve(answer.result);
			else reject(new Error((answer && answer.error) || `measure child exited (${code ?? signal}) without an answer`));
		});
		/** @type {MeasureRequest} */
		const request = {
			config,
			n,
			sendUrl: `${ctx.serverUrl}/send`,
			baseUrl: ctx.serverUrl,
			consumerKey: CONSUMER_KEY,
			accessToken: ACCESS_TOKEN,
			n8nModules: ctx.n8nModules,
			packageDir: ctx.packageDir,
			profileFile: config === 'floor' ? undefined : profileFile,
		};
		child.send(request);
	});
}

// ---------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------

/** @param {string} url */
function classify(url) {
	if (!url) return 'v8/native';
	if (url.includes('/node_modules/n8n-nodes-pocket/')) return 'ours';
	if (url.includes('/node_modules/n8n-core/')) return 'n8n-core';
	if (url.includes('/node_modules/n8n-workflow/')) return 'n8n-workflow';
	if (url.includes('/node_modules/n8n-nodes-base/')) return 'n8n-nodes-base';
	if (url.includes('/node_modules/')) {
		const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
		return `dep:${m ? m[1] : '?'}`;
	}
	if (url.startsWith('node:')) return 'node';
	if (url.includes('/bench/')) return 'bench';
	return 'other';
}

const OWNERS = new Set(['ours', 'n8n-core', 'n8n-workflow', 'n8n-nodes-base']);
/** @param {CallFrame} cf */
const IGNORED = (cf) => cf.url === 'node:inspector' || cf.functionName === 'postInspector';

/**
 * Self time per function and per origin, and "attributed" time: each sample charged to the
 * nearest frame on its stack that belongs to our package or to n8n (so zod or axios work done
 * for our node counts as ours, and for n8n's helpers as n8n's). Samples of the profiler's own
 * stop call are left out.
 * @param {string} file a .cpuprofile
 * @param {number} [top] how many functions to list
 */
function summarizeProfile(file, top = 20) {
	const prof = /** @type {CpuProfile} */ (JSON.parse(fs.readFileSync(file, 'utf8')));
	const byId = new Map(prof.nodes.map((n) => [n.id, n]));
	/** @param {number} id */
	const frame = (id) => {
		const node = byId.get(id);
		if (!node) throw new Error(`${file}: no profile node ${id}`);
		return node.callFrame;
	};
	/** @type {Map<number, number>} */
	const parent = new Map();
	for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
	const ignoredIds = new Set();
	for (const n of prof.nodes) {
		for (let id = /** @type {number | undefined} */ (n.id); id !== undefined; id = parent.get(id)) {
			if (IGNORED(frame(id))) {
				ignoredIds.add(n.id);
				break;
			}
		}
	}
	const samples = prof.samples || [];
	const timeDeltas = prof.timeDeltas || [];
	/** @type {Map<number, number>} */
	const self = new Map();
	for (let i = 0; i < samples.length; i++) {
		const id = samples[i];
		if (ignoredIds.has(id)) continue;
		self.set(id, (self.get(id) || 0) + (timeDeltas[i] || 0) / 1000);
	}
	/** @type {Map<string, { function: string, group: string, selfMs: number }>} */
	const fns = new Map();
	/** @type {Map<string, number>} */
	const groups = new Map();
	/** @type {Map<string, number>} */
	const attributed = new Map();
	/** @type {Map<string, number>} */
	const ownFns = new Map();
	let totalMs = 0;
	/** @type {(map: Map<string, number>, key: string, ms: number) => void} */
	const add = (map, key, ms) => {
		map.set(key, (map.get(key) || 0) + ms);
	};
	for (const [id, ms] of self) {
		const cf = frame(id);
		totalMs += ms;
		const group = cf.url ? classify(cf.url) : cf.functionName.startsWith('(') ? cf.functionName : 'v8/native';
		const key = `${cf.functionName || '(anonymous)'} ${cf.url ? `${path.basename(cf.url)}:${cf.lineNumber + 1}` : ''}`.trim();
		const entry = fns.get(key) || { function: key, group, selfMs: 0 };
		entry.selfMs += ms;
		fns.set(key, entry);
		add(groups, group, ms);
		let owner = cf.url ? undefined : cf.functionName; // (garbage collector), (program), (idle)
		/** @type {CallFrame | undefined} */
		let ownerFrame;
		for (let p = /** @type {number | undefined} */ (id); p !== undefined && !ownerFrame; p = parent.get(p)) {
			const pcf = frame(p);
			const g = classify(pcf.url);
			if (OWNERS.has(g)) {
				ownerFrame = pcf;
				owner = g;
			}
		}
		add(attributed, owner || `unattributed (${group})`, ms);
		if (owner === 'ours' && ownerFrame) {
			add(ownFns, `${ownerFrame.functionName || '(anonymous)'} ${path.basename(ownerFrame.url)}:${ownerFrame.lineNumber + 1}`, ms);
		}
	}
	/** @param {number} ms */
	const pct = (ms) => (100 * ms) / totalMs;
	/** @param {{ function: string }} f */
	const special = (f) => ['(idle)', '(program)', '(garbage collector)'].some((x) => f.function.startsWith(x));
	return {
		file,
		totalMs,
		groups: [...groups.entries()].map(([group, ms]) => ({ group, selfMs: ms, pct: pct(ms) })).sort((a, b) => b.selfMs - a.selfMs),
		attributed: [...attributed.entries()].map(([owner, ms]) => ({ owner, ms, pct: pct(ms) })).sort((a, b) => b.ms - a.ms),
		oursByFunction: [...ownFns.entries()].map(([fn, ms]) => ({ function: fn, ms, pct: pct(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 12),
		top: [...fns.values()].filter((f) => !special(f)).sort((a, b) => b.selfMs - a.selfMs).slice(0, top).map((f) => ({ ...f, pct: pct(f.selfMs) })),
		special: [...fns.values()].filter(special).map((f) => ({ ...f, pct: pct(f.selfMs) })),
	};
}

/**
 * @param {string} label
 * @param {ProfileSummary} p
 */
function printProfile(label, p) {
	console.log(`\nCPU profile: ${label} (${(p.totalMs / 1000).toFixed(2)} s sampled; ${p.file})`);
	console.log('  self time by origin (idle = waiting for the server):');
	for (const g of p.groups.slice(0, 14)) console.log(`    ${g.group.padEnd(28)} ${g.selfMs.toFixed(0).padStart(8)} ms ${g.pct.toFixed(1).padStart(5)}%`);
	console.log('  time attributed to the nearest frame of our package or n8n on the stack (zod/axios/JSON work charged to whoever called it):');
	for (const a of p.attributed) console.log(`    ${a.owner.padEnd(28)} ${a.ms.toFixed(0).padStart(8)} ms ${a.pct.toFixed(1).padStart(5)}%`);
	if (p.oursByFunction.length) {
		console.log('  ours, by our innermost function (inclusive of the libraries it calls):');
		for (const f of p.oursByFunction) console.log(`    ${f.ms.toFixed(0).padStart(7)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.function}`);
	}
	console.log('  top self-time functions:');
	for (const f of p.top) console.log(`    ${f.selfMs.toFixed(0).padStart(7)} ms ${f.pct.toFixed(1).padStart(5)}%  [${f.group}] ${f.function}`);
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const fmt = {
	/** @param {number | undefined} ms as seconds */
	s: (ms) => (ms === undefined ? '-' : (ms / 1000).toFixed(ms < 10000 ? 3 : 1)),
	/** @param {number | undefined} x @param {number} [d] decimals */
	n: (x, d = 0) => (x === undefined || !Number.isFinite(x) ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })),
	/** @param {number | undefined} x as a factor */
	x: (x) => (x === undefined || !Number.isFinite(x) ? '-' : `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`),
};

/** Set by --markdown: print tables as Markdown, for the README's performance section. */
let markdown = false;

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 */
function table(headers, rows) {
	if (markdown) {
		console.log(`| ${headers.join(' | ')} |`);
		console.log(`|${headers.map(() => '---').join('|')}|`);
		for (const r of rows) console.log(`| ${r.join(' | ')} |`);
		return;
	}
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	/** @param {string[]} cells */
	const line = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
	console.log(line(headers));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const r of rows) console.log(line(r));
}

function fdLimit() {
	try {
		return require('node:child_process').execSync('ulimit -n', { encoding: 'utf8', shell: '/bin/sh' }).trim();
	} catch {
		return '?';
	}
}

/**
 * @param {Result[]} results
 * @returns {(config: Config, n: number) => MeasuredResult | undefined}
 */
function measuredAt(results) {
	return (config, n) => results.filter(isMeasured).find((r) => r.config === config && r.n === n);
}

/**
 * Adds the comparisons and the time split to each measured result.
 * @param {Result[]} results
 */
function derive(results) {
	const at = measuredAt(results);
	for (const r of results) {
		if (!isMeasured(r)) continue;
		r.itemsPerSecond = r.n / (r.wallMs / 1000);
		r.nodeItemsPerSecond = r.n / (r.nodeMs / 1000);
		r.quotaHours = r.httpCalls / QUOTA_PER_HOUR;
		const http = at('http-request', r.n);
		const floor = at('floor', r.n);
		if (r.config.startsWith('pocket')) {
			if (http) {
				r.httpRequestOverPocketWall = http.wallMs / r.wallMs;
				r.httpRequestOverPocketNode = http.nodeMs / r.nodeMs;
			}
			if (floor) {
				r.pocketOverFloorWall = r.wallMs / floor.wallMs;
				r.pocketOverFloorNode = r.nodeMs / floor.wallMs;
			}
			// The engine configurations always report their parameter reads and expression time.
			const paramMs = r.paramMs ?? 0;
			r.split = {
				nodeMs: r.nodeMs,
				httpExchangeMs: r.httpMs,
				parameterReadsMs: paramMs,
				expressionEvalMs: r.exprMs ?? 0,
				ownWorkMs: r.nodeMs - r.httpMs - paramMs,
				ownWorkPct: (100 * (r.nodeMs - r.httpMs - paramMs)) / r.nodeMs,
			};
			if (r.config === 'pocket-define') {
				const auto = at('pocket-automap', r.n);
				if (auto) r.split.expressionEstimateMs = r.nodeMs - auto.nodeMs;
			}
		}
	}
}

/**
 * The performance targets, met or missed.
 * @param {Result[]} results
 * @returns {Target[]}
 */
function evaluateTargets(results) {
	const at = measuredAt(results);
	/** @type {Target[]} */
	const targets = [];
	const auto10k = at('pocket-automap', 10000);
	const http10k = results.find((r) => r.config === 'http-request' && r.n === 10000);
	const floor10k = at('floor', 10000);
	if (auto10k) {
		let httpMs = isMeasured(http10k) ? http10k.wallMs : undefined;
		let httpNodeMs = isMeasured(http10k) ? http10k.nodeMs : undefined;
		let note = 'measured';
		if (httpMs === undefined && http10k?.skipped && http10k.estimatedMs) {
			httpMs = http10k.estimatedMs;
			httpNodeMs = http10k.estimatedMs;
			note = 'HTTP Request at 10,000 skipped: extrapolated';
		}
		if (httpMs !== undefined && httpNodeMs !== undefined) {
			targets.push({
				target: '10,000 auto-mapped >= 100x faster than HTTP Request node',
				config: 'pocket-automap',
				n: 10000,
				valueWall: httpMs / auto10k.wallMs,
				valueNode: httpNodeMs / auto10k.nodeMs,
				value: `${fmt.x(httpMs / auto10k.wallMs)} (workflow wall), ${fmt.x(httpNodeMs / auto10k.nodeMs)} (node time); ${note}`,
				met: httpMs / auto10k.wallMs >= 100 && httpNodeMs / auto10k.nodeMs >= 100,
			});
		}
		if (floor10k) {
			targets.push({
				target: '10,000 auto-mapped within 3x the floor',
				config: 'pocket-automap',
				n: 10000,
				valueWall: auto10k.wallMs / floor10k.wallMs,
				valueNode: auto10k.nodeMs / floor10k.wallMs,
				value: `${fmt.x(auto10k.wallMs / floor10k.wallMs)} (workflow wall), ${fmt.x(auto10k.nodeMs / floor10k.wallMs)} (node time)`,
				met: auto10k.nodeMs / floor10k.wallMs <= 3,
				note: 'judged on node time (the node vs the bare POST); workflow wall also shown',
			});
		}
	}
	for (const r of results) {
		if (!isMeasured(r) || !r.split) continue;
		targets.push({
			target: `node's own work < 10% of its time (${r.config}, ${fmt.n(r.n)})`,
			config: r.config,
			n: r.n,
			value: `${r.split.ownWorkPct.toFixed(1)}%`,
			met: r.split.ownWorkPct < 10,
		});
	}
	const auto100k = at('pocket-automap', 100000);
	if (auto100k) {
		targets.push({
			target: '100,000 auto-mapped < 10 s',
			config: 'pocket-automap',
			n: 100000,
			value: `${fmt.s(auto100k.wallMs)} s workflow wall, ${fmt.s(auto100k.nodeMs)} s node time`,
			met: auto100k.wallMs < 10000,
		});
		targets.push({
			target: '100,000 auto-mapped < 600 MB peak RSS',
			config: 'pocket-automap',
			n: 100000,
			value: `${fmt.n(auto100k.maxRssMB)} MB`,
			met: auto100k.maxRssMB < 600,
		});
	}
	return targets;
}

/** @param {BenchData} data */
function report(data) {
	const { results, targets } = data;
	const sizes = [...new Set(results.map((r) => r.n))];
	console.log('\n=== Results (workflow wall = Manual Trigger with pinned items + node under test; node = nodeExecuteBefore..After) ===');
	/** @type {string[][]} */
	const rows = [];
	/** @type {string[]} */
	const notes = [];
	for (const n of sizes) {
		for (const r of results.filter((x) => x.n === n)) {
			if (r.skipped) {
				notes.push(`[${notes.length + 1}] ${LABELS[r.config]} at ${fmt.n(n)}: skipped, extrapolated ${fmt.n(r.estimatedMs / 1000, 0)} s > ${data.limitSeconds} s`);
				rows.push([fmt.n(n), LABELS[r.config], `skipped [${notes.length}]`, `~${fmt.n(r.estimatedMs / 1000, 0)}`, '', '', '', '', '', '', '']);
				continue;
			}
			if (!isMeasured(r)) {
				notes.push(`[${notes.length + 1}] ${LABELS[r.config]} at ${fmt.n(n)}: FAILED after ${fmt.n(r.httpCallsBeforeFailure)} calls: ${r.reason}`);
				rows.push([fmt.n(n), LABELS[r.config], `FAILED [${notes.length}]`, '', '', '', '', '', '', '', '']);
				continue;
			}
			rows.push([
				fmt.n(n),
				LABELS[r.config],
				fmt.n(r.httpCalls),
				fmt.s(r.wallMs),
				r.config === 'floor' ? '-' : fmt.s(r.nodeMs),
				fmt.n(r.itemsPerSecond),
				fmt.n(r.maxRssMB),
				r.httpRequestOverPocketWall ? `${fmt.x(r.httpRequestOverPocketWall)} / ${fmt.x(r.httpRequestOverPocketNode)}` : '-',
				r.pocketOverFloorWall ? `${fmt.x(r.pocketOverFloorWall)} / ${fmt.x(r.pocketOverFloorNode)}` : '-',
				r.quotaHours !== undefined && r.quotaHours < 0.01 ? r.quotaHours.toFixed(4) : fmt.n(r.quotaHours, 2),
				fmt.s(r.httpMs),
			]);
		}
	}
	table(
		['N', 'configuration', 'HTTP calls', 'wall s', 'node s', 'items/s', 'peak RSS MB', 'HTTPReq÷Pocket wall/node', 'Pocket÷floor wall/node', 'quota h', 'HTTP exch s'],
		rows,
	);
	for (const note of notes) console.log(note);

	console.log("\n=== Pocket node time split (HTTP exchange measured client-side via diagnostics_channel; parameter reads = n8n's getNodeParameter incl. expression evaluation, timed directly) ===");
	const splitRows = results.filter(isMeasured).flatMap(({ n, config, split }) =>
		split
			? [
					[
						fmt.n(n),
						LABELS[config],
						fmt.s(split.nodeMs),
						fmt.s(split.httpExchangeMs),
						fmt.s(split.parameterReadsMs),
						fmt.s(split.expressionEvalMs),
						split.expressionEstimateMs === undefined ? '-' : fmt.s(split.expressionEstimateMs),
						fmt.s(split.ownWorkMs),
						`${split.ownWorkPct.toFixed(1)}%`,
					],
				]
			: [],
	);
	table(['N', 'configuration', 'node s', 'HTTP exch s', 'param reads s', 'expr eval s', 'define-auto s', 'own work s', 'own %'], splitRows);

	console.log('\n=== Targets ===');
	for (const t of targets) console.log(`  [${t.met ? 'MET   ' : 'MISSED'}] ${t.target}: ${t.value}${t.note ? ` (${t.note})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/** @param {BenchData} data */
function printAll(data) {
	report(data);
	for (const p of data.profiles) {
		if ('error' in p) console.log(`\nprofile ${p.config} ${p.n}: FAILED ${p.error}`);
		else printProfile(`${LABELS[p.config]}, N=${fmt.n(p.n)}`, p);
	}
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.report) {
		printAll(/** @type {BenchData} */ (JSON.parse(fs.readFileSync(args.report, 'utf8'))));
		return;
	}
	markdown = args.markdown;
	const started = new Date();
	const distNode = path.join(REPO_DIR, 'dist', 'nodes', 'Pocket', 'Pocket.node.js');
	if (!fs.existsSync(distNode)) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
	const autoMapBuilt = fs
		.readdirSync(path.dirname(distNode), { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.js'))
		.some((f) => fs.readFileSync(path.join(path.dirname(distNode), f), 'utf8').includes('autoMapInputData'));
	if (!autoMapBuilt && args.configs.includes('pocket-automap')) {
		console.warn('[bench] dist/ has no autoMapInputData: skipping pocket-automap');
		args.configs = args.configs.filter((c) => c !== 'pocket-automap');
	}

	const { nodeBin, n8nFolder } = await prepare();
	const n8nModules = path.join(n8nFolder, 'node_modules');
	const userFolder = path.join(cacheDir(), 'bench', 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	const tarball = packPackage({ build: false });
	const packageDir = installPackage(userFolder, tarball);
	/** @param {string} dir */
	const versionOf = (dir) => /** @type {{ version: string }} */ (require(path.join(dir, 'package.json'))).version;
	const n8nVersion = versionOf(path.join(n8nModules, 'n8n'));
	const versions = {
		n8n: n8nVersion,
		'n8n-core': versionOf(path.join(n8nModules, 'n8n-core')),
		'n8n-workflow': versionOf(path.join(n8nModules, 'n8n-workflow')),
		'n8n-nodes-base': versionOf(path.join(n8nModules, 'n8n-nodes-base')),
		package: versionOf(packageDir),
	};
	const engineNode = require('node:child_process').execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();

	// The server child reads its kind from the environment it inherits; the server refuses a misspelt one.
	if (args.serverKind) process.env.POCKET_SERVER_KIND = args.serverKind;
	const serverKind = process.env.POCKET_SERVER_KIND || 'pocket';
	const server = startServerChild();
	const { url: serverUrl } = await server.call('start', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	log(`test server at ${serverUrl} (own process, ${serverKind} kind)`);
	const ctx = { nodeBin, n8nModules, userFolder, packageDir, serverUrl };
	/**
	 * A fresh server for one measurement: Get Many reads N saved items, the others save N.
	 * @param {Config} config
	 * @param {number} n
	 */
	const prepareServer = async (config, n) => {
		await server.call('reset');
		if (config === 'get-many') await server.call('seed', { n });
	};
	const profileDir = path.join(cacheDir(), 'bench', 'profiles');

	/** @type {Result[]} */
	const results = [];
	/** @type {ProfileEntry[]} */
	const profiles = [];
	try {
		/**
		 * The last result per configuration, or its extrapolation once it got too slow.
		 * @type {Partial<Record<Config, MeasuredResult | FailedResult>>}
		 */
		const previous = {};
		for (const n of args.sizes) {
			for (const config of args.configs) {
				const prev = previous[config];
				if (isMeasured(prev)) {
					const estimatedMs = prev.wallMs * (n / prev.n);
					if (estimatedMs > args.limitSeconds * 1000) {
						log(`${config} at ${n}: skipped (extrapolated ${(estimatedMs / 1000).toFixed(0)} s from ${prev.n})`);
						results.push({ config, n, skipped: true, estimatedMs, extrapolatedFrom: prev.n });
						previous[config] = { ...prev, wallMs: estimatedMs, n };
						continue;
					}
				}
				await prepareServer(config, n);
				const t = Date.now();
				/** @type {MeasuredResult | FailedResult} */
				let r;
				try {
					const m = await measure(ctx, config, n);
					const stats = await server.call('stats');
					if (stats.storedItems !== n) throw new Error(`server stored ${stats.storedItems} items, expected ${n}`);
					// A node that saves through /add (a server that drops tags on send) pays for those calls too.
					const httpCalls = config === 'get-many' ? stats.getCalls : stats.sendCalls + stats.addCalls;
					r = { config, n, ...m, httpCalls, serverStoredItems: stats.storedItems };
					log(
						`${config} at ${n}: wall ${(m.wallMs / 1000).toFixed(3)} s, node ${((m.nodeMs || 0) / 1000).toFixed(3)} s, ${httpCalls} calls, peak RSS ${m.maxRssMB.toFixed(0)} MB (process ${((Date.now() - t) / 1000).toFixed(1)} s)`,
					);
				} catch (err) {
					const message = err instanceof Error ? err.message : String(err);
					/** @type {Partial<import('./server-child').ServerStats>} */
					const stats = await server.call('stats').catch(() => ({}));
					let reason = message.split('\n')[0].replace(/^Error: (workflow failed: )?/, '');
					if (/too many open files|EMFILE/.test(message)) {
						reason = `out of file descriptors (EMFILE, ulimit -n ${fdLimit()}): one socket per item, all at once`;
					}
					r = { config, n, error: message, reason, httpCallsBeforeFailure: stats.sendCalls, serverStoredItems: stats.storedItems };
					log(`${config} at ${n}: FAILED ${message.split('\n').slice(0, 3).join(' | ')}`);
				}
				results.push(r);
				previous[config] = r;
			}
		}
		derive(results);
		const targets = evaluateTargets(results);

		const toProfile = [...args.profile];
		if (args.profileMissed) {
			// Each configuration that misses a target once, at the largest N it missed at.
			/** @type {Map<Config, number>} */
			const missed = new Map();
			for (const t of targets) if (!t.met && (missed.get(t.config) ?? -Infinity) < t.n) missed.set(t.config, t.n);
			for (const [config, n] of missed) if (!toProfile.some((p) => p.config === config)) toProfile.push({ config, n });
		}
		for (const p of toProfile) {
			fs.mkdirSync(profileDir, { recursive: true });
			await prepareServer(p.config, p.n);
			log(`profiling ${p.config} at ${p.n} (node --cpu-prof)`);
			try {
				const m = await measure(ctx, p.config, p.n, { profileDir });
				const summary = summarizeProfile(path.join(profileDir, `${p.config}-${p.n}.cpuprofile`));
				profiles.push({ ...p, wallMsUnderProfiler: m.wallMs, nodeMsUnderProfiler: m.nodeMs, ...summary });
			} catch (err) {
				profiles.push({ ...p, error: err instanceof Error ? err.message : String(err) });
			}
		}

		const data = {
			generatedAt: started.toISOString(),
			durationSeconds: (Date.now() - started.getTime()) / 1000,
			machine: {
				cpuModel: os.cpus()[0].model,
				cores: os.cpus().length,
				totalMemoryGB: +(os.totalmem() / 1024 ** 3).toFixed(1),
				os: `${os.type()} ${os.release()} ${os.arch()}`,
				orchestratorNode: process.version,
				engineNode,
			},
			versions,
			setup: {
				engine: `n8n-core ${versions['n8n-core']} WorkflowExecute.processRunExecutionData, mode manual, under Node ${engineNode}`,
				package: `npm pack of this repo installed into ${path.relative(cacheDir(), packageDir)} (cache) and loaded with PackageDirectoryLoader; NODE_PATH = n8n's node_modules, one n8n-workflow instance (checked)`,
				input: 'Manual Trigger with N items pinned (pinData): {url: https://example.com/<i>, tags: t<i%5>,bench, title: Item <i>}',
				server: `test/server/pocket-server.ts (${serverKind} kind) in its own process, userLimit 1e12, reset before each run (and, for get-many, seeded with the N items to read)`,
				isolation: 'each configuration and N in a fresh child process; peak RSS = process.resourceUsage().maxRSS of that process (includes loading n8n-core/n8n-workflow and the node types)',
				httpRequestNode: 'n8n-nodes-base.httpRequest (default version), POST {baseUrl}/send, JSON body template with {{ $json.* }} expressions, no batching option (n8n starts every item request at once)',
				quota: `${QUOTA_PER_HOUR} calls per hour; quota h = HTTP calls / ${QUOTA_PER_HOUR}`,
				limitSeconds: args.limitSeconds,
			},
			limitSeconds: args.limitSeconds,
			results,
			targets,
			profiles,
		};
		printAll(data);
		fs.mkdirSync(path.dirname(args.out), { recursive: true });
		fs.writeFileSync(args.out, `${JSON.stringify(data, null, 2)}\n`);
		console.log(`\nwrote ${path.relative(REPO_DIR, args.out)}`);
		console.log(`machine: ${data.machine.cpuModel}, ${data.machine.cores} cores, ${data.machine.totalMemoryGB} GB; engine Node ${engineNode}; n8n ${n8nVersion}`);
	} finally {
		await server.call('stop').catch(() => server.child.kill());
	}
}

main().catch((err) => {
	console.error(err instanceof Error ? err.stack : err);
	process.exit(1);
});
