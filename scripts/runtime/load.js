// @ts-check
'use strict';
/**
 * Load for the queue test (test/queue/): a bounded HTTP load generator, its throughput and
 * latency figures, and the CPU time the processes under load used.
 */

const fs = require('node:fs');

/**
 * Calls `fn` on every item, at most `limit` at a time; results in the items' order.
 * @template T, R
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T, index: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
async function mapLimit(items, limit, fn) {
	/** @type {R[]} */
	const results = new Array(items.length);
	let next = 0;
	// Each lane takes the next index until none is left: at most items.length iterations in all.
	const lane = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
	return results;
}

/**
 * @typedef {object} Answer what one request of a load got
 * @property {number} index
 * @property {number} startMs when it was sent, from the load's start
 * @property {number} endMs when its answer (or failure) came
 * @property {number} status the HTTP status; 0 when none came (connection error or timeout)
 * @property {string} text the answer's body, or the error's message
 *
 * @typedef {object} Load
 * @property {Answer[]} answers in the order of the bodies
 * @property {number} startedAt Date.now() at the start
 * @property {number} durationMs
 */

/**
 * POSTs each body as JSON to `url`, `concurrency` requests at a time, each given up after
 * `timeoutMs`.
 * @param {object} options
 * @param {string} options.url
 * @param {Record<string, string>} options.headers
 * @param {unknown[]} options.bodies
 * @param {number} options.concurrency
 * @param {number} options.timeoutMs
 * @param {(answer: Answer, answered: number) => void} [options.onAnswer] after each answer
 * @returns {Promise<Load>}
 */
async function runLoad({ url, headers, bodies, concurrency, timeoutMs, onAnswer }) {
	const startedAt = Date.now();
	let answered = 0;
	const answers = await mapLimit(bodies, concurrency, async (body, index) => {
		const startMs = Date.now() - startedAt;
		/** @type {Answer} */
		let answer;
		try {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(timeoutMs),
			});
			answer = { index, startMs, endMs: 0, status: res.status, text: await res.text() };
		} catch (err) {
			answer = { index, startMs, endMs: 0, status: 0, text: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
		}
		answer.endMs = Date.now() - startedAt;
		onAnswer?.(answer, ++answered);
		return answer;
	});
	return { answers, startedAt, durationMs: Date.now() - startedAt };
}

/**
 * Throughput (2xx answers per second over the whole load) and latency percentiles (nearest
 * rank, over every request).
 * @param {Load} load
 */
function loadFigures({ answers, durationMs }) {
	const latencies = answers.map((a) => a.endMs - a.startMs).sort((a, b) => a - b);
	const rank = (/** @type {number} */ p) => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
	const ok = answers.filter((a) => a.status >= 200 && a.status < 300).length;
	return {
		requests: answers.length,
		ok,
		seconds: Number((durationMs / 1000).toFixed(1)),
		perSecond: Number((ok / (durationMs / 1000)).toFixed(1)),
		p50Ms: rank(50),
		p95Ms: rank(95),
	};
}

/**
 * CPU seconds (user + system) a process and all its descendants used so far, those that ended
 * included: n8n's task runner and PostgreSQL's backends are child processes. Linux only (/proc);
 * undefined elsewhere.
 * @param {number | undefined} rootPid
 * @returns {number | undefined}
 */
function cpuSeconds(rootPid) {
	if (rootPid === undefined || !fs.existsSync(`/proc/${rootPid}/stat`)) return undefined;
	/** @type {Map<number, { ppid: number, ticks: number }>} */
	const procs = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // exited meanwhile
		}
		// Fields after the command name (which may hold spaces), from field 3 (state) on.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime, stime, and cutime, cstime: the children that ended (and were waited for).
		const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
		procs.set(Number(entry), { ppid: Number(fields[1]), ticks });
	}
	let ticks = 0;
	const pending = [rootPid];
	// Each pid is visited once: a process has one parent, so the walk ends.
	while (pending.length > 0) {
		const pid = /** @type {number} */ (pending.pop());
		ticks += procs.get(pid)?.ticks ?? 0;
		for (const [child, p] of procs) if (p.ppid === pid) pending.push(child);
	}
	// USER_HZ: 100 on Linux's common configurations.
	return ticks / 100;
}

module.exports = { mapLimit, runLoad, loadFigures, cpuSeconds };
