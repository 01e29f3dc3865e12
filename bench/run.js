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
 *   --configs pocket-define,pocket-automap,http-request,floor,get-many,rss-rules (the default), exchange
 *   --repeat 1                        measure each configuration at each N this many times (each in a fresh
 *                                     process) and keep the run with the median node time
 *   --warm                            measure each workflow's second execution in its process (the first, of
 *                                     the same N items at other URLs, warms V8 and the heap as a running n8n
 *                                     has them), not its first; the floor likewise posts twice
 *   --limit-seconds 120               skip a configuration at N when the previous N extrapolates beyond this
 *   --profile CONFIG:N[,CONFIG:N]     also run that configuration under `node --cpu-prof` and print
 *                                     its top self-time functions (profile files in <cache>/bench/profiles)
 *   --profile-missed                  profile every configuration that misses a target
 *   --out FILE                        JSON output (default docs/bench-results.json)
 *   --report FILE                     only print the tables of an earlier JSON output, judged against today's targets
 *   --markdown                        print the tables as Markdown (for docs/performance.md)
 *   --server-kind pocket|open-pocket  which server the test server is (default POCKET_SERVER_KIND, else
 *                                     pocket); pair it with --out to keep the Pocket-like results
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { cacheDir, log } = require('../scripts/runtime/config');
const { installPackage, packPackage, prepare } = require('../scripts/runtime/install');
const { ACCESS_TOKEN, CONSUMER_KEY, measure, startServerChild } = require('./child-processes');
const { REPO_DIR, parseArgs } = require('./options');
const { summarizeProfile } = require('./profile');
const { printAll } = require('./report');
const { QUOTA_PER_HOUR, derive, evaluateTargets, isMeasured } = require('./results');

/**
 * @typedef {import('./measure').Config} Config
 * @typedef {import('./profile').ProfileEntry} ProfileEntry
 * @typedef {import('./results').BenchData} BenchData
 * @typedef {import('./results').Result} Result
 * @typedef {import('./results').MeasuredResult} MeasuredResult
 * @typedef {import('./results').FailedResult} FailedResult
 */

function fdLimit() {
	try {
		return require('node:child_process').execSync('ulimit -n', { encoding: 'utf8', shell: '/bin/sh' }).trim();
	} catch {
		return '?';
	}
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.report) {
		const earlier = /** @type {BenchData} */ (JSON.parse(fs.readFileSync(args.report, 'utf8')));
		// Judged against today's targets, which may be newer than the file.
		printAll({ ...earlier, targets: evaluateTargets(earlier.results) }, args.markdown);
		return;
	}
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
				const t = Date.now();
				/** @type {MeasuredResult | FailedResult} */
				let r;
				try {
					/** @type {MeasuredResult[]} */
					const runs = [];
					for (let k = 0; k < args.repeat; k++) {
						await prepareServer(config, n);
						const m = await measure(ctx, config, n, { warm: args.warm });
						const stats = await server.call('stats');
						// A warm-up execution of an add configuration saved its own N items.
						const stored = args.warm && config !== 'get-many' && config !== 'exchange' ? 2 * n : n;
						if (stats.storedItems !== stored) throw new Error(`server stored ${stats.storedItems} items, expected ${stored}`);
						// Every RSS entry carries the fixed tag "rss": an entry stored untagged means tags did not land.
						if (config === 'rss-rules' && stats.untaggedItems > 0) throw new Error(`server stored ${stats.untaggedItems} of ${n} entries without tags`);
						// Saving through /add, or landing tags with a read and tags_add (a server that drops tags on send), costs calls too.
						// A warm-up execution is the same workload: it made as many calls as the measured one.
						const httpCalls = (stats.sendCalls + stats.addCalls + stats.getCalls) / (args.warm && config !== 'exchange' ? 2 : 1);
						runs.push({ config, n, ...m, httpCalls, serverStoredItems: stats.storedItems });
					}
					// The run with the median node time, whole: its figures belong together.
					runs.sort((a, b) => a.nodeMs - b.nodeMs);
					r = { ...runs[Math.floor((runs.length - 1) / 2)], ...(runs.length > 1 ? { nodeMsRuns: runs.map((x) => x.nodeMs) } : {}) };
					log(
						`${config} at ${n}: wall ${(r.wallMs / 1000).toFixed(3)} s, node ${((r.nodeMs || 0) / 1000).toFixed(3)} s${runs.length > 1 ? ` (median of ${runs.length})` : ''}, ${r.httpCalls} calls, peak RSS ${r.maxRssMB.toFixed(0)} MB (${((Date.now() - t) / 1000).toFixed(1)} s)`,
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
				const m = await measure(ctx, p.config, p.n, { profileDir, warm: args.warm });
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
				isolation: 'each configuration and N in a fresh child process, its heap settled with a full garbage collection before the measured run (so the garbage of loading n8n and building the input is not charged to the node); peak RSS = process.resourceUsage().maxRSS of that process (includes loading n8n-core/n8n-workflow and the node types)',
				httpRequestNode: 'n8n-nodes-base.httpRequest (default version), POST {baseUrl}/send, JSON body template with {{ $json.* }} expressions, no batching option (n8n starts every item request at once)',
				quota: `${QUOTA_PER_HOUR} calls per hour; quota h = HTTP calls / ${QUOTA_PER_HOUR}`,
				limitSeconds: args.limitSeconds,
				repeat: `${args.repeat} run(s) per configuration and N, each in a fresh process; the one with the median node time is reported`,
				execution: args.warm
					? "the workflow's second execution in its process (the first, of the same N items at other URLs, warmed V8's compiler and the heap)"
					: "the workflow's first execution in its process (V8's compiler and the heap cold)",
			},
			limitSeconds: args.limitSeconds,
			warm: args.warm,
			results,
			targets,
			profiles,
		};
		printAll(data, args.markdown);
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
