#!/usr/bin/env node
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
 *   --configs pocket-define,pocket-automap,http-request,floor
 *   --limit-seconds 120               skip a configuration at N when the previous N extrapolates beyond this
 *   --profile CONFIG:N[,CONFIG:N]     also run that configuration under `node --cpu-prof` and print
 *                                     its top self-time functions (profile files in <cache>/bench/profiles)
 *   --profile-missed                  profile every configuration that misses a target
 *   --out FILE                        JSON output (default docs/bench-results.json)
 *   --report FILE                     only print the tables of an earlier JSON output
 *   --markdown                        print the tables as Markdown (for the README)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');

const runtime = require('../scripts/n8n-runtime.js');

const REPO_DIR = path.resolve(__dirname, '..');
const CONSUMER_KEY = 'bench-consumer-key';
const ACCESS_TOKEN = 'bench-access-token';
const QUOTA_PER_HOUR = 320;
const ALL_CONFIGS = ['pocket-define', 'pocket-automap', 'http-request', 'floor'];
const LABELS = {
	'pocket-define': 'Pocket, Define Below (expressions)',
	'pocket-automap': 'Pocket, auto-mapped',
	'http-request': 'n8n HTTP Request, 1 call/item',
	floor: 'floor: one plain POST, no n8n',
};

function parseArgs(argv) {
	const args = {
		sizes: [100, 1000, 10000, 100000],
		configs: ALL_CONFIGS,
		limitSeconds: 120,
		profile: [],
		profileMissed: false,
		out: path.join(REPO_DIR, 'docs', 'bench-results.json'),
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => argv[++i];
		if (a === '--sizes') args.sizes = next().split(',').map(Number);
		else if (a === '--configs') args.configs = next().split(',');
		else if (a === '--limit-seconds') args.limitSeconds = Number(next());
		else if (a === '--profile') args.profile = next().split(',').map((s) => {
			const [config, n] = s.split(':');
			return { config, n: Number(n) };
		});
		else if (a === '--markdown') markdown = true;
		else if (a === '--profile-missed') args.profileMissed = true;
		else if (a === '--out') args.out = path.resolve(next());
		else if (a === '--report') args.report = path.resolve(next());
		else throw new Error(`unknown option ${a}`);
	}
	for (const c of args.configs) if (!ALL_CONFIGS.includes(c)) throw new Error(`unknown configuration ${c}`);
	return args;
}

// ---------------------------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------------------------

function startServerChild() {
	const child = fork(path.join(__dirname, 'server-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let nextId = 1;
	const pending = new Map();
	child.on('message', (m) => {
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
	const call = (cmd, extra = {}) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve, reject });
			child.send({ id, cmd, ...extra });
		});
	return { child, call };
}

/** Runs one configuration in a fresh process under the n8n Node.js; resolves with its result. */
function measure(ctx, config, n, { profileDir } = {}) {
	return new Promise((resolve, reject) => {
		const execArgv = ['--max-old-space-size=8192'];
		// The floor has no node: profile the whole process with --cpu-prof. The engine
		// configurations profile the node under test only (inspector Profiler between hooks).
		const profileFile = profileDir ? path.join(profileDir, `${config}-${n}.cpuprofile`) : undefined;
		if (profileDir && config === 'floor') execArgv.push('--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${config}-${n}.cpuprofile`);
		const env = { ...process.env, NODE_PATH: ctx.n8nModules, N8N_USER_FOLDER: ctx.userFolder, NODE_ENV: 'production' };
		delete env.NODE_OPTIONS;
		const child = fork(path.join(__dirname, 'measure.js'), [], {
			execPath: ctx.nodeBin,
			execArgv,
			env,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		let answer;
		const timer = setTimeout(() => {
			answer = { ok: false, error: 'timed out after 10 minutes' };
			child.kill('SIGKILL');
		}, 10 * 60 * 1000);
		child.on('message', (m) => (answer = m));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (answer && answer.ok) resolve(answer.result);
			else reject(new Error((answer && answer.error) || `measure child exited (${code ?? signal}) without an answer`));
		});
		child.send({
			config,
			n,
			sendUrl: `${ctx.serverUrl}/send`,
			baseUrl: ctx.serverUrl,
			consumerKey: CONSUMER_KEY,
			accessToken: ACCESS_TOKEN,
			n8nModules: ctx.n8nModules,
			packageDir: ctx.packageDir,
			profileFile: config === 'floor' ? undefined : profileFile,
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------

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
const IGNORED = (cf) => cf.url === 'node:inspector' || cf.functionName === 'postInspector';

/**
 * Self time per function and per origin, and "attributed" time: each sample charged to the
 * nearest frame on its stack that belongs to our package or to n8n (so zod or axios work done
 * for our node counts as ours, and for n8n's helpers as n8n's). Samples of the profiler's own
 * stop call are left out.
 */
function summarizeProfile(file, top = 20) {
	const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(prof.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
	const ignoredIds = new Set();
	for (const n of prof.nodes) {
		for (let id = n.id; id !== undefined; id = parent.get(id)) {
			if (IGNORED(byId.get(id).callFrame)) {
				ignoredIds.add(n.id);
				break;
			}
		}
	}
	const self = new Map();
	for (let i = 0; i < prof.samples.length; i++) {
		const id = prof.samples[i];
		if (ignoredIds.has(id)) continue;
		self.set(id, (self.get(id) || 0) + (prof.timeDeltas[i] || 0) / 1000);
	}
	const fns = new Map();
	const groups = new Map();
	const attributed = new Map();
	const ownFns = new Map();
	let totalMs = 0;
	const add = (map, key, ms) => map.set(key, (map.get(key) || 0) + ms);
	for (const [id, ms] of self) {
		const cf = byId.get(id).callFrame;
		totalMs += ms;
		const group = cf.url ? classify(cf.url) : cf.functionName.startsWith('(') ? cf.functionName : 'v8/native';
		const key = `${cf.functionName || '(anonymous)'} ${cf.url ? `${path.basename(cf.url)}:${cf.lineNumber + 1}` : ''}`.trim();
		const entry = fns.get(key) || { function: key, group, selfMs: 0 };
		entry.selfMs += ms;
		fns.set(key, entry);
		add(groups, group, ms);
		let owner = cf.url ? undefined : cf.functionName; // (garbage collector), (program), (idle)
		let ownerFrame;
		for (let p = id; p !== undefined && !ownerFrame; p = parent.get(p)) {
			const pcf = byId.get(p).callFrame;
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
	const pct = (ms) => (100 * ms) / totalMs;
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
	s: (ms) => (ms === undefined ? '-' : (ms / 1000).toFixed(ms < 10000 ? 3 : 1)),
	n: (x, d = 0) => (x === undefined || !Number.isFinite(x) ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })),
	x: (x) => (x === undefined || !Number.isFinite(x) ? '-' : `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`),
};

/** Set by --markdown: print tables as Markdown, for the README's performance section. */
let markdown = false;

function table(headers, rows) {
	if (markdown) {
		console.log(`| ${headers.join(' | ')} |`);
		console.log(`|${headers.map(() => '---').join('|')}|`);
		for (const r of rows) console.log(`| ${r.join(' | ')} |`);
		return;
	}
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
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

function derive(results) {
	const at = (config, n) => results.find((r) => r.config === config && r.n === n && !r.skipped && !r.error);
	for (const r of results) {
		if (r.skipped || r.error) continue;
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
			r.split = {
				nodeMs: r.nodeMs,
				httpExchangeMs: r.httpMs,
				parameterReadsMs: r.paramMs,
				expressionEvalMs: r.exprMs,
				ownWorkMs: r.nodeMs - r.httpMs - r.paramMs,
				ownWorkPct: (100 * (r.nodeMs - r.httpMs - r.paramMs)) / r.nodeMs,
			};
			if (r.config === 'pocket-define') {
				const auto = at('pocket-automap', r.n);
				if (auto) r.split.expressionEstimateMs = r.nodeMs - auto.nodeMs;
			}
		}
	}
}

function evaluateTargets(results) {
	const at = (config, n) => results.find((r) => r.config === config && r.n === n && !r.skipped && !r.error);
	const targets = [];
	const auto10k = at('pocket-automap', 10000);
	const http10k = results.find((r) => r.config === 'http-request' && r.n === 10000);
	const floor10k = at('floor', 10000);
	if (auto10k) {
		let httpMs = http10k && !http10k.skipped && !http10k.error ? http10k.wallMs : undefined;
		let httpNodeMs = http10k && !http10k.skipped && !http10k.error ? http10k.nodeMs : undefined;
		let note = 'measured';
		if (httpMs === undefined && http10k && http10k.estimatedMs) {
			httpMs = http10k.estimatedMs;
			httpNodeMs = http10k.estimatedMs;
			note = 'HTTP Request at 10,000 skipped: extrapolated';
		}
		if (httpMs !== undefined) {
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
		if (!r.split) continue;
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

function report(data) {
	const { results, targets } = data;
	const sizes = [...new Set(results.map((r) => r.n))];
	console.log('\n=== Results (workflow wall = Manual Trigger with pinned items + node under test; node = nodeExecuteBefore..After) ===');
	const rows = [];
	const notes = [];
	for (const n of sizes) {
		for (const r of results.filter((x) => x.n === n)) {
			if (r.skipped) {
				notes.push(`[${notes.length + 1}] ${LABELS[r.config]} at ${fmt.n(n)}: skipped, extrapolated ${fmt.n(r.estimatedMs / 1000, 0)} s > ${data.limitSeconds} s`);
				rows.push([fmt.n(n), LABELS[r.config], `skipped [${notes.length}]`, `~${fmt.n(r.estimatedMs / 1000, 0)}`, '', '', '', '', '', '', '']);
				continue;
			}
			if (r.error) {
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
				r.quotaHours < 0.01 ? r.quotaHours.toFixed(4) : fmt.n(r.quotaHours, 2),
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
	const splitRows = results
		.filter((r) => r.split)
		.map((r) => [
			fmt.n(r.n),
			LABELS[r.config],
			fmt.s(r.split.nodeMs),
			fmt.s(r.split.httpExchangeMs),
			fmt.s(r.split.parameterReadsMs),
			fmt.s(r.split.expressionEvalMs),
			r.split.expressionEstimateMs === undefined ? '-' : fmt.s(r.split.expressionEstimateMs),
			fmt.s(r.split.ownWorkMs),
			`${r.split.ownWorkPct.toFixed(1)}%`,
		]);
	table(['N', 'configuration', 'node s', 'HTTP exch s', 'param reads s', 'expr eval s', 'define-auto s', 'own work s', 'own %'], splitRows);

	console.log('\n=== Targets ===');
	for (const t of targets) console.log(`  [${t.met ? 'MET   ' : 'MISSED'}] ${t.target}: ${t.value}${t.note ? ` (${t.note})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function printAll(data) {
	report(data);
	for (const p of data.profiles) {
		if (p.error) console.log(`\nprofile ${p.config} ${p.n}: FAILED ${p.error}`);
		else printProfile(`${LABELS[p.config]}, N=${fmt.n(p.n)}`, p);
	}
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.report) {
		printAll(JSON.parse(fs.readFileSync(args.report, 'utf8')));
		return;
	}
	const started = new Date();
	const distNode = path.join(REPO_DIR, 'dist', 'nodes', 'Pocket', 'Pocket.node.js');
	if (!fs.existsSync(distNode)) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
	const autoMapBuilt = fs
		.readdirSync(path.dirname(distNode))
		.filter((f) => f.endsWith('.js'))
		.some((f) => fs.readFileSync(path.join(path.dirname(distNode), f), 'utf8').includes('autoMapInputData'));
	if (!autoMapBuilt && args.configs.includes('pocket-automap')) {
		console.warn('[bench] dist/ has no autoMapInputData: skipping pocket-automap');
		args.configs = args.configs.filter((c) => c !== 'pocket-automap');
	}

	const { nodeBin, n8nFolder } = await runtime.prepare();
	const n8nModules = path.join(n8nFolder, 'node_modules');
	const userFolder = path.join(runtime.cacheDir(), 'bench', 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	const tarball = runtime.packPackage({ build: false });
	const packageDir = runtime.installPackage(userFolder, tarball);
	const n8nVersion = require(path.join(n8nModules, 'n8n', 'package.json')).version;
	const versions = {
		n8n: n8nVersion,
		'n8n-core': require(path.join(n8nModules, 'n8n-core', 'package.json')).version,
		'n8n-workflow': require(path.join(n8nModules, 'n8n-workflow', 'package.json')).version,
		'n8n-nodes-base': require(path.join(n8nModules, 'n8n-nodes-base', 'package.json')).version,
		package: require(path.join(packageDir, 'package.json')).version,
	};
	const engineNode = require('node:child_process').execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();

	const server = startServerChild();
	const { url: serverUrl } = await server.call('start', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	runtime.log(`test server at ${serverUrl} (own process)`);
	const ctx = { nodeBin, n8nModules, userFolder, packageDir, serverUrl };
	const profileDir = path.join(runtime.cacheDir(), 'bench', 'profiles');

	const results = [];
	const profiles = [];
	try {
		let previous = {};
		for (const n of args.sizes) {
			for (const config of args.configs) {
				const prev = previous[config];
				if (prev && !prev.skipped && !prev.error) {
					const estimatedMs = prev.wallMs * (n / prev.n);
					if (estimatedMs > args.limitSeconds * 1000) {
						runtime.log(`${config} at ${n}: skipped (extrapolated ${(estimatedMs / 1000).toFixed(0)} s from ${prev.n})`);
						const r = { config, n, skipped: true, estimatedMs, extrapolatedFrom: prev.n };
						results.push(r);
						previous[config] = { ...prev, wallMs: estimatedMs, n, skipped: false, extrapolated: true };
						continue;
					}
				} else if (prev && prev.skipped) {
					results.push({ config, n, skipped: true, estimatedMs: prev.estimatedMs * (n / prev.n) });
					continue;
				}
				await server.call('reset');
				const t = Date.now();
				let r;
				try {
					const m = await measure(ctx, config, n);
					const stats = await server.call('stats');
					if (stats.storedItems !== n) throw new Error(`server stored ${stats.storedItems} items, expected ${n}`);
					r = { config, n, ...m, httpCalls: stats.sendCalls, serverStoredItems: stats.storedItems };
					runtime.log(
						`${config} at ${n}: wall ${(m.wallMs / 1000).toFixed(3)} s, node ${((m.nodeMs || 0) / 1000).toFixed(3)} s, ${stats.sendCalls} calls, peak RSS ${m.maxRssMB.toFixed(0)} MB (process ${((Date.now() - t) / 1000).toFixed(1)} s)`,
					);
				} catch (err) {
					const stats = await server.call('stats').catch(() => ({}));
					let reason = err.message.split('\n')[0].replace(/^Error: (workflow failed: )?/, '');
					if (/too many open files|EMFILE/.test(err.message)) {
						reason = `out of file descriptors (EMFILE, ulimit -n ${fdLimit()}): one socket per item, all at once`;
					}
					r = { config, n, error: err.message, reason, httpCallsBeforeFailure: stats.sendCalls, serverStoredItems: stats.storedItems };
					runtime.log(`${config} at ${n}: FAILED ${err.message.split('\n').slice(0, 3).join(' | ')}`);
				}
				results.push(r);
				previous[config] = r;
			}
		}
		derive(results);
		let targets = evaluateTargets(results);

		const toProfile = [...args.profile];
		if (args.profileMissed) {
			// Each configuration that misses a target once, at the largest N it missed at.
			const missed = new Map();
			for (const t of targets) if (!t.met && (!missed.has(t.config) || missed.get(t.config) < t.n)) missed.set(t.config, t.n);
			for (const [config, n] of missed) if (!toProfile.some((p) => p.config === config)) toProfile.push({ config, n });
		}
		for (const p of toProfile) {
			fs.mkdirSync(profileDir, { recursive: true });
			await server.call('reset');
			runtime.log(`profiling ${p.config} at ${p.n} (node --cpu-prof)`);
			try {
				const m = await measure(ctx, p.config, p.n, { profileDir });
				const summary = summarizeProfile(path.join(profileDir, `${p.config}-${p.n}.cpuprofile`));
				profiles.push({ ...p, wallMsUnderProfiler: m.wallMs, nodeMsUnderProfiler: m.nodeMs, ...summary });
			} catch (err) {
				profiles.push({ ...p, error: err.message });
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
				package: `npm pack of this repo installed into ${path.relative(runtime.cacheDir(), packageDir)} (cache) and loaded with PackageDirectoryLoader; NODE_PATH = n8n's node_modules, one n8n-workflow instance (checked)`,
				input: 'Manual Trigger with N items pinned (pinData): {url: https://example.com/<i>, tags: t<i%5>,bench, title: Item <i>}',
				server: 'test/server/pocket-server.ts in its own process, userLimit 1e12, reset before each run',
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
	console.error(err && err.stack ? err.stack : err);
	process.exit(1);
});
