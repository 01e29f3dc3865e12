// @ts-check
'use strict';
/**
 * CPU profiles of the benchmark's runs: where the node under test spends its time, by function
 * and by origin (our package, n8n, their libraries).
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {import('./measure').Config} Config
 * @typedef {import('node:inspector').Profiler.Profile} CpuProfile
 * @typedef {import('node:inspector').Runtime.CallFrame} CallFrame
 *
 * @typedef {ReturnType<typeof summarizeProfile>} ProfileSummary
 * @typedef {{ config: Config, n: number }} ProfileRequest
 * @typedef {(ProfileRequest & { error: string }) | (ProfileRequest & { wallMsUnderProfiler: number, nodeMsUnderProfiler: number } & ProfileSummary)} ProfileEntry
 */

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

module.exports = { summarizeProfile, printProfile };
