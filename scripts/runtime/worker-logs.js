// @ts-check
'use strict';
/**
 * What the workers of a queue-mode n8n (queue-cluster.js) did, read from their logs: which worker
 * took and finished which execution, afterwards or live.
 */

const fs = require('node:fs');

/** @typedef {import('./process').N8nInstance} N8nInstance */

/**
 * One line of an n8n log written with N8N_LOG_FORMAT=json (see queueEnv in queue-cluster.js);
 * nothing for other lines (what n8n prints before its logger is set up).
 * @param {string} line
 * @returns {Array<{ time: number, message: string }>} none or one entry; time in Unix milliseconds
 */
function logEntry(line) {
	if (!line.startsWith('{')) return [];
	try {
		const entry = /** @type {{ message?: unknown, metadata?: { timestamp?: unknown } }} */ (JSON.parse(line));
		const time = Date.parse(String(entry.metadata?.timestamp));
		return typeof entry.message === 'string' && Number.isFinite(time) ? [{ time, message: entry.message }] : [];
	} catch {
		return []; // a line that only starts like JSON
	}
}

/**
 * The entries of an n8n log file (see logEntry).
 * @param {string} file
 */
function readLog(file) {
	const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	return text.split('\n').flatMap(logEntry);
}

/** What a worker's job processor logs when it takes a job and once it saved the result. */
const WORKER_LINE = /^Worker (started|finished) execution (\d+) \(job /;

/**
 * The executions a worker is running now, followed live from its log ("Worker started
 * execution <id>" until "Worker finished execution <id>", see executionsByWorker).
 * @param {N8nInstance} worker
 * @returns {{ running: () => string[], stop: () => void }}
 */
function followWorker(worker) {
	/** @type {Set<string>} */
	const running = new Set();
	let partial = '';
	/** @param {Buffer} chunk */
	const onData = (chunk) => {
		const lines = (partial + chunk.toString('utf8')).split('\n');
		partial = lines.pop() ?? '';
		for (const { message } of lines.flatMap(logEntry)) {
			const m = WORKER_LINE.exec(message);
			if (m && m[1] === 'started') running.add(m[2]);
			else if (m) running.delete(m[2]);
		}
	};
	worker.process.stdout?.on('data', onData);
	return { running: () => [...running], stop: () => void worker.process.stdout?.off('data', onData) };
}

/**
 * Which worker took and which finished each execution, from each worker's own log. n8n's database
 * does not record the worker (an execution row has no host column), but each worker's job
 * processor logs "Worker started execution <id> (job <job>)" when it takes the job and "Worker
 * finished execution <id> (job <job>)" once the result is saved; each process writes its own log.
 * @param {string[]} logFiles one per worker
 * @returns {{ started: Map<string, number[]>, finished: Map<string, number[]> }} execution id → the
 *   indexes (in `logFiles`) of the workers that logged it, once per line
 */
function executionsByWorker(logFiles) {
	/** @type {Map<string, number[]>} */
	const started = new Map();
	/** @type {Map<string, number[]>} */
	const finished = new Map();
	logFiles.forEach((file, worker) => {
		for (const { message } of readLog(file)) {
			const m = WORKER_LINE.exec(message);
			if (!m) continue;
			const map = m[1] === 'started' ? started : finished;
			map.set(m[2], [...(map.get(m[2]) ?? []), worker]);
		}
	});
	return { started, finished };
}

module.exports = { readLog, executionsByWorker, followWorker };
