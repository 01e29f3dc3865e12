// @ts-check
'use strict';
/**
 * Running things on loopback: `n8n start` in a child process (its port, environment and log
 * file), and the Pocket-compatible test server.
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { N8N_VERSION, log, elapsed, envWithNode } = require('./config');
const { compilePocketServer } = require('./install');
const { withProgress } = require('./progress');

/** How long `n8n start` may take to answer its readiness check and REST API. */
const READY_TIMEOUT_MS = 180000;

/**
 * The preferred port if it is free, otherwise any free port.
 * @param {number} [preferred]
 * @returns {Promise<number>}
 */
function freePort(preferred = 0) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => {
			if (preferred) resolve(freePort(0));
			else resolve(0);
		});
		srv.listen(preferred, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (srv.address());
			srv.close(() => resolve(port));
		});
	});
}

/**
 * @param {string} userFolder
 * @param {number} port
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(userFolder, port) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_AI_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		N8N_USER_MANAGEMENT_JWT_SECRET: 'pocket-local-dev-jwt-secret',
		N8N_ENCRYPTION_KEY: 'pocket-local-dev-encryption-key',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
	};
}

/**
 * How far an n8n start is, from its log: the database migrations it has finished, then the
 * last thing it said.
 * @param {string} logFile
 * @returns {() => import('./progress').Measure}
 */
function startupMeasure(logFile) {
	return () => {
		const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
		const migrations = (text.match(/Finished migration/g) || []).length;
		const last = text.trimEnd().split('\n').pop() || '';
		if (/migration/i.test(last)) return { phase: 'migrating the database', done: migrations, unit: 'migrations' };
		return { phase: migrations ? `${migrations} migrations done, loading` : 'loading' };
	};
}

/**
 * @typedef {object} N8nStartOptions
 * @property {string} nodeBin the Node.js that runs n8n
 * @property {string} n8nFolder the installed n8n (see install.js prepare())
 * @property {string} userFolder N8N_USER_FOLDER; the log is written to <userFolder>/n8n.log
 * @property {number} [port] default: a free port
 * @property {boolean} [echo] also copy n8n's output to this process's stdout
 * @property {'start' | 'worker'} [command] `n8n start` (default) or a queue-mode `n8n worker`,
 *   whose only HTTP server is its health check, on `port`
 * @property {NodeJS.ProcessEnv} [env] on top of the defaults (e.g. queue mode's settings)
 */

/**
 * @typedef {object} N8nInstance
 * @property {string} url e.g. http://127.0.0.1:5678
 * @property {string} logFile
 * @property {import('node:child_process').ChildProcess} process
 * @property {(signal: NodeJS.Signals) => void} kill signals n8n's process group (SIGKILL: a crash)
 * @property {() => Promise<void>} stop
 */

/**
 * Starts `n8n start` in a child process and waits until it is ready.
 * @param {N8nStartOptions} options
 * @returns {Promise<N8nInstance>}
 */
async function startN8n({ nodeBin, n8nFolder, userFolder, port, echo = false, command = 'start', env: extraEnv = {} }) {
	port = port || (await freePort());
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, 'n8n.log');
	const start = Date.now();
	log(`starting n8n ${N8N_VERSION} ${command} on http://127.0.0.1:${port} (user folder ${userFolder}, log ${logFile})`);
	const out = fs.openSync(logFile, 'a');
	const bin = path.join(n8nFolder, 'node_modules', 'n8n', 'bin', 'n8n');
	// A worker serves only its health check, on loopback like everything else.
	const health = command === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {};
	// n8n 2.x opens its task broker (on 5679) even with runners off: a free port for each
	// process, so that several n8n processes (queue mode, another n8n on the machine) coexist.
	const broker = { N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	const env = envWithNode(nodeBin, { ...n8nEnv(userFolder, port), ...health, ...broker, ...extraEnv });
	// Under jest NODE_ENV is 'test', which makes n8n refuse to load nodes ("Not available in tests").
	for (const key of ['NODE_ENV', 'JEST_WORKER_ID', 'NODE_OPTIONS']) delete env[key];
	const child = spawn(nodeBin, [bin, command], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: process.platform !== 'win32',
	});
	let outOpen = true;
	/** @param {Buffer} chunk */
	const onData = (chunk) => {
		if (outOpen) fs.writeSync(out, chunk);
		if (echo) process.stdout.write(chunk);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	/** @param {NodeJS.Signals} signal */
	const kill = (signal) => {
		try {
			if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, signal);
			else child.kill(signal);
		} catch {
			/* already gone */
		}
	};
	/** @type {{ code: number | null, signal: NodeJS.Signals | null } | undefined} */
	let exited;
	// If this process goes away without stop() (a crash, process.exit), take n8n with it.
	const killOnExit = () => kill('SIGKILL');
	process.on('exit', killOnExit);
	child.on('exit', (code, signal) => {
		exited = { code, signal };
		process.removeListener('exit', killOnExit);
	});
	const url = `http://127.0.0.1:${port}`;
	/** @type {N8nInstance} */
	const handle = {
		url,
		logFile,
		process: child,
		kill,
		async stop() {
			if (exited) return;
			const done = new Promise((r) => child.once('exit', r));
			kill('SIGTERM');
			const t = setTimeout(() => kill('SIGKILL'), 15000);
			await done;
			clearTimeout(t);
			try {
				outOpen = false;
				fs.closeSync(out);
			} catch {
				/* closed */
			}
		},
	};
	// Wait for /healthz/readiness, then for the REST API (settings) to answer, showing progress:
	// a first start migrates a new database for most of a minute.
	const step = { id: `n8n ${command} ${N8N_VERSION}`, what: `starting n8n ${N8N_VERSION}${command === 'start' ? '' : ` ${command}`}`, typicalSeconds: 30, measure: startupMeasure(logFile) };
	await withProgress(step, async () => {
		/** @type {unknown} */
		let lastErr;
		while (Date.now() - start < READY_TIMEOUT_MS) {
			if (exited) {
				const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
				throw new Error(`n8n exited early (${JSON.stringify(exited)}); log ${logFile}:\n${tail}`);
			}
			try {
				// /healthz answers while migrations still run; /healthz/readiness only once n8n is
				// connected, migrated and fully started.
				const h = await fetch(`${url}/healthz/readiness`);
				if (h.ok && command === 'worker') return;
				if (h.ok) {
					const s = await fetch(`${url}/rest/settings`);
					if (s.ok) return;
					lastErr = new Error(`/rest/settings ${s.status}`);
				} else {
					lastErr = new Error(`/healthz/readiness ${h.status}`);
				}
			} catch (err) {
				lastErr = err;
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		await handle.stop();
		const reason = lastErr instanceof Error ? lastErr.message : String(lastErr);
		throw new Error(`n8n did not become ready within ${READY_TIMEOUT_MS} ms (${reason}); log ${logFile}`);
	});
	log(command === 'worker' ? `n8n worker ready (health check ${url}, ${elapsed(start)})` : `n8n ready at ${url} (${elapsed(start)})`);
	return handle;
}

/**
 * Starts the Pocket-compatible test server (test/server/pocket-server.ts), compiled into the
 * cache, in this process.
 * @param {import('../../test/server/pocket-server').PocketServerOptions} options
 */
async function startPocketServer(options) {
	const mod = /** @type {typeof import('../../test/server/pocket-server')} */ (require(compilePocketServer()));
	return mod.startPocketServer(options);
}

module.exports = { freePort, startN8n, startPocketServer };
