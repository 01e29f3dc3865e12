// @ts-check
'use strict';
/**
 * The benchmark's child processes: the test server (bench/server-child.js), called over IPC, and
 * one measurement (bench/measure.js) per configuration and N under the n8n Node.js.
 */
const path = require('node:path');
const { fork } = require('node:child_process');

/**
 * @typedef {import('./measure').Config} Config
 * @typedef {import('./measure').MeasureRequest} MeasureRequest
 * @typedef {import('./results').Measurement} Measurement
 * @typedef {import('./server-child').ServerResults} ServerResults
 * @typedef {import('./server-child').ServerAnswer} ServerAnswer
 *
 * @typedef {object} Context
 * @property {string} nodeBin
 * @property {string} n8nModules
 * @property {string} userFolder
 * @property {string} packageDir
 * @property {string} serverUrl
 */

const CONSUMER_KEY = 'bench-consumer-key';
const ACCESS_TOKEN = 'bench-access-token';

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
 * @param {{ profileDir?: string, warm?: boolean }} [options]
 * @returns {Promise<Measurement>}
 */
function measure(ctx, config, n, { profileDir, warm = false } = {}) {
	return new Promise((resolve, reject) => {
		// --expose-gc: measure.js settles the heap before the measured run.
		const execArgv = ['--max-old-space-size=8192', '--expose-gc', ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : [])];
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
			warm,
		};
		child.send(request);
	});
}

module.exports = { CONSUMER_KEY, ACCESS_TOKEN, startServerChild, measure };
