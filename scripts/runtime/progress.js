// @ts-check
'use strict';
/**
 * Live progress for the long steps of `npm start` and `npm test` (installing n8n, building
 * sqlite3, starting n8n): what runs, how much of it is done, the time elapsed and an estimate
 * of the time left.
 *
 * On a terminal one line is rewritten in place every second. Anywhere else (CI logs, pipes,
 * jest workers) a carriage return would pile up as one unreadable line, so a full line is
 * printed when the step starts, every POCKET_PROGRESS_INTERVAL seconds (default 15) and when
 * it ends.
 *
 * Estimates come from how long the same step took last time on this machine (kept in the
 * cache as progress-history.json) or, on a first run, from the typical time measured on the
 * project's CI machine kind (2 cores), which each caller passes. Where a step can say how much
 * is done out of a total, the rate of the current phase gives the estimate instead.
 *
 * Plain Node.js on purpose: it runs before the dev dependencies exist (see scripts/prepare.js).
 */

const fs = require('node:fs');
const path = require('node:path');
const { cacheDir } = require('./config');

/**
 * How much of a step is done. `total` is omitted when unknown; `phase` names the part of the
 * step in progress (the rate estimate restarts with each phase).
 * @typedef {{ phase?: string, done?: number, total?: number, unit?: string }} Measure
 */

/**
 * @typedef {object} StepOptions
 * @property {string} id stable key of this step in the history (e.g. `npm install n8n@2.41.1`)
 * @property {string} what what the user sees, e.g. `installing n8n 2.41.1`
 * @property {number} typicalSeconds measured on the CI machine kind, used without history
 * @property {() => Measure} [measure] called at each update; must be cheap
 */

const HISTORY_FILE = 'progress-history.json';
const TTY_INTERVAL_MS = 1000;

/** @returns {number} milliseconds between two plain lines */
function plainIntervalMs() {
	const seconds = Number(process.env.POCKET_PROGRESS_INTERVAL);
	return (Number.isFinite(seconds) && seconds > 0 ? seconds : 15) * 1000;
}

/** @param {number} seconds */
function duration(seconds) {
	const s = Math.max(0, Math.round(seconds));
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	return `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/** @returns {Record<string, { seconds: number }>} */
function readHistory() {
	try {
		return JSON.parse(fs.readFileSync(path.join(cacheDir(), HISTORY_FILE), 'utf8'));
	} catch {
		return {}; // no history yet (first run) or unreadable: the typical times apply
	}
}

/**
 * @param {string} id
 * @param {number} seconds
 */
function remember(id, seconds) {
	const history = readHistory();
	history[id] = { seconds: Math.round(seconds) };
	try {
		fs.writeFileSync(path.join(cacheDir(), HISTORY_FILE), `${JSON.stringify(history, null, 2)}\n`);
	} catch {
		// Only estimates are lost; the step itself succeeded.
	}
}

/**
 * The estimated time left: from the current phase's rate when the step reports a total and
 * enough is done to trust the rate, otherwise from the expected duration.
 * @param {number} elapsedS
 * @param {number} expectedS
 * @param {Measure | undefined} m
 * @param {number} phaseElapsedS
 */
function estimate(elapsedS, expectedS, m, phaseElapsedS) {
	if (m && m.total && m.done && m.done / m.total >= 0.05 && phaseElapsedS >= 3) {
		return `about ${duration((phaseElapsedS * (m.total - m.done)) / m.done)} left`;
	}
	const left = expectedS - elapsedS;
	return left > 0 ? `about ${duration(left)} left` : `longer than the usual ${duration(expectedS)}`;
}

/** @param {Measure | undefined} m */
function amount(m) {
	if (!m || m.done === undefined) return m && m.phase ? `${m.phase}, ` : '';
	const phase = m.phase ? `${m.phase}, ` : '';
	const of = m.total ? `/${m.total}` : '';
	const pct = m.total ? ` (${Math.floor((100 * m.done) / m.total)}%)` : '';
	return `${phase}${m.done}${of} ${m.unit || ''}${pct}, `.replace(/ ,/, ',');
}

/**
 * Runs `fn` while showing the step's progress; remembers its duration when it succeeds.
 * @template T
 * @param {StepOptions} options
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withProgress({ id, what, typicalSeconds, measure }, fn) {
	const start = Date.now();
	const remembered = readHistory()[id];
	const expectedS = remembered ? remembered.seconds : typicalSeconds;
	const tty = Boolean(process.stdout.isTTY);
	const prefix = '[n8n-runtime]';
	let phase = '';
	let phaseStart = start;

	const line = () => {
		/** @type {Measure | undefined} */
		let m;
		try {
			m = measure ? measure() : undefined;
		} catch {
			m = undefined; // a measure that fails (a file being replaced) only costs this update
		}
		if (m && (m.phase || '') !== phase) {
			phase = m.phase || '';
			phaseStart = Date.now();
		}
		const elapsedS = (Date.now() - start) / 1000;
		const eta = estimate(elapsedS, expectedS, m, (Date.now() - phaseStart) / 1000);
		return `${prefix} ${what}: ${amount(m)}${duration(elapsedS)} elapsed, ${eta}`;
	};

	process.stdout.write(`${prefix} ${what} (usually ${duration(expectedS)})\n`);
	const timer = setInterval(
		() => process.stdout.write(tty ? `\r\x1b[K${line()}` : `${line()}\n`),
		tty ? TTY_INTERVAL_MS : plainIntervalMs(),
	);
	try {
		const result = await fn();
		const seconds = (Date.now() - start) / 1000;
		remember(id, seconds);
		process.stdout.write(`${tty ? '\r\x1b[K' : ''}${prefix} ${what}: done in ${duration(seconds)}\n`);
		return result;
	} catch (err) {
		process.stdout.write(`${tty ? '\r\x1b[K' : ''}${prefix} ${what}: FAILED after ${duration((Date.now() - start) / 1000)}\n`);
		throw err;
	} finally {
		clearInterval(timer);
	}
}

/**
 * How far an `npm install` / `npm ci` into `dir` is, from what it leaves on disk and in its
 * log (run with --loglevel=http): first it resolves the tree, fetching one manifest per
 * package (counted in the log); then it creates every package folder at once and unpacks
 * into them, so the folders are the total and those with a package.json are done.
 * @param {string} dir the folder that gets node_modules
 * @param {string} logFile npm's output
 * @returns {() => Measure}
 */
function npmInstallMeasure(dir, logFile) {
	let logOffset = 0;
	let fetched = 0;
	const modules = path.join(dir, 'node_modules');
	return () => {
		/** @type {string[]} */
		const packages = [];
		for (const name of safeReaddir(modules)) {
			if (name.startsWith('.')) continue;
			if (name.startsWith('@')) for (const sub of safeReaddir(path.join(modules, name))) packages.push(path.join(modules, name, sub));
			else packages.push(path.join(modules, name));
		}
		if (packages.length > 0) {
			const unpacked = packages.filter((p) => fs.existsSync(path.join(p, 'package.json'))).length;
			return { phase: 'unpacking', done: unpacked, total: packages.length, unit: 'packages' };
		}
		const size = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
		if (size > logOffset) {
			const fd = fs.openSync(logFile, 'r');
			const buf = Buffer.alloc(size - logOffset);
			fs.readSync(fd, buf, 0, buf.length, logOffset);
			fs.closeSync(fd);
			logOffset = size;
			fetched += (buf.toString('utf8').match(/http fetch/g) || []).length;
		}
		return { phase: 'resolving', done: fetched, unit: 'manifests fetched' };
	};
}

/** @param {string} dir */
function safeReaddir(dir) {
	try {
		return fs.readdirSync(dir);
	} catch {
		return []; // not created yet
	}
}

module.exports = { withProgress, npmInstallMeasure, duration };
