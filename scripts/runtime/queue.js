// @ts-check
'use strict';
/**
 * n8n in queue mode on loopback, for the queue test (test/queue/): PostgreSQL and Redis from the
 * system's packages (Debian's `postgresql` and `redis-server`, installed with apt-get when
 * missing), each with its data in a temporary folder; one `n8n start` main and `n8n worker`
 * processes sharing them, each with this package installed into its own user folder the way n8n
 * installs a community package. Also a bounded HTTP load generator and a reader of which worker
 * ran which execution.
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { log, elapsed } = require('./config');
const { run, installPackage } = require('./install');
const { freePort, startN8n } = require('./process');

/**
 * @typedef {import('./process').N8nInstance} N8nInstance
 *
 * @typedef {object} Service a database server started by this module
 * @property {string} name
 * @property {number | undefined} pid
 * @property {number} port on 127.0.0.1
 * @property {string} logFile
 * @property {() => Promise<void>} stop
 *
 * @typedef {object} QueueCluster
 * @property {N8nInstance} main `n8n start`: the editor, the REST API and the webhooks
 * @property {N8nInstance[]} workers `n8n worker` processes
 * @property {Service} postgres
 * @property {Service} redis
 * @property {NodeJS.ProcessEnv} env what every n8n process of the cluster shares
 * @property {() => Promise<void>} stop stops everything, in reverse order of start
 */

/** How long a database server may take to accept connections. */
const SERVICE_READY_MS = 60000;

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis
// ---------------------------------------------------------------------------------------------

/**
 * The first executable `name` on PATH (plus the sbin folders a non-login root shell may miss).
 * @param {string} name
 */
function onPath(name) {
	const dirs = [...(process.env.PATH || '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
	for (const dir of dirs.filter(Boolean)) {
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			// not here
		}
	}
	return undefined;
}

/**
 * PostgreSQL's server binaries: Debian keeps them off PATH in /usr/lib/postgresql/<major>/bin
 * (the newest wins); elsewhere `postgres` and `initdb` on PATH.
 * @returns {string | undefined} the folder holding `postgres` and `initdb`
 */
function findPostgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	const candidates = [...versions.map((v) => path.join(root, v, 'bin'))];
	const initdb = onPath('initdb');
	if (initdb) candidates.push(path.dirname(initdb));
	return candidates.find((dir) => ['postgres', 'initdb', 'pg_isready'].every((b) => fs.existsSync(path.join(dir, b))));
}

/**
 * The PostgreSQL and Redis servers, installed from Debian's packages when missing (as root; other
 * users get a message saying what to install).
 * @returns {{ postgresBin: string, redisServer: string }}
 */
function ensureDatabaseServers() {
	let postgresBin = findPostgresBin();
	let redisServer = onPath('redis-server');
	const missing = [...(postgresBin ? [] : ['postgresql']), ...(redisServer ? [] : ['redis-server'])];
	if (missing.length > 0) {
		if (process.getuid?.() !== 0 || !onPath('apt-get')) {
			throw new Error(`queue mode needs ${missing.join(' and ')}: install them (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')})`);
		}
		const start = Date.now();
		log(`installing ${missing.join(' and ')} with apt-get (about a minute)`);
		const env = { DEBIAN_FRONTEND: 'noninteractive' };
		run('apt-get', ['update', '-qq'], { env });
		// Waits for another apt-get holding the lock rather than failing at once.
		run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', ...missing], { env });
		log(`installed ${missing.join(' and ')} (${elapsed(start)})`);
		postgresBin = findPostgresBin();
		redisServer = onPath('redis-server');
	}
	if (!postgresBin || !redisServer) throw new Error('PostgreSQL or Redis still missing after apt-get install');
	return { postgresBin, redisServer };
}

/**
 * PostgreSQL refuses to run as root: as root, its processes run as the `postgres` user the
 * Debian package creates.
 * @returns {{ uid?: number, gid?: number }} spawn options
 */
function postgresUser() {
	if (process.getuid?.() !== 0) return {};
	return { uid: Number(run('id', ['-u', 'postgres']).trim()), gid: Number(run('id', ['-g', 'postgres']).trim()) };
}

/**
 * Starts a long-running server in the background with its output in a log file, and waits until
 * `ready` says it serves.
 * @param {object} options
 * @param {string} options.name
 * @param {string} options.cmd
 * @param {string[]} options.args
 * @param {number} options.port
 * @param {string} options.logFile
 * @param {{ uid?: number, gid?: number }} [options.user]
 * @param {NodeJS.Signals} options.stopSignal the signal that makes it shut down cleanly
 * @param {() => Promise<boolean>} options.ready
 * @returns {Promise<Service>}
 */
async function startService({ name, cmd, args, port, logFile, user = {}, stopSignal, ready }) {
	const start = Date.now();
	const out = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { stdio: ['ignore', out, out], ...user });
	fs.closeSync(out);
	/** @type {string | undefined} */
	let exited;
	const killOnExit = () => child.kill('SIGKILL');
	process.on('exit', killOnExit);
	const gone = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exited = `code ${code}, signal ${signal}`;
			process.removeListener('exit', killOnExit);
			resolve(undefined);
		}),
	);
	/** @type {Service} */
	const service = {
		name,
		pid: child.pid,
		port,
		logFile,
		async stop() {
			if (exited) return;
			child.kill(stopSignal);
			const t = setTimeout(() => child.kill('SIGKILL'), 15000);
			await gone;
			clearTimeout(t);
		},
	};
	while (Date.now() - start < SERVICE_READY_MS) {
		if (exited) throw new Error(`${name} exited (${exited}); log ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
		if (await ready()) {
			log(`${name} ready on 127.0.0.1:${port} (${elapsed(start)})`);
			return service;
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	await service.stop();
	throw new Error(`${name} did not become ready within ${SERVICE_READY_MS} ms; log ${logFile}`);
}

/**
 * A fresh PostgreSQL cluster in `dir`, on a free loopback port, TCP only, no password (trust on
 * loopback: a throwaway test database).
 * @param {string} postgresBin
 * @param {string} dir an empty folder
 */
async function startPostgres(postgresBin, dir) {
	const user = postgresUser();
	const dataDir = path.join(dir, 'data');
	fs.mkdirSync(dir, { recursive: true });
	fs.mkdirSync(dataDir, { mode: 0o700 });
	if (user.uid !== undefined && user.gid !== undefined) fs.chownSync(dataDir, user.uid, user.gid);
	const initdb = [path.join(postgresBin, 'initdb'), '-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'];
	run(user.uid !== undefined ? 'runuser' : initdb[0], user.uid !== undefined ? ['-u', 'postgres', '--', ...initdb] : initdb.slice(1));
	const port = await freePort();
	const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
	return startService({
		name: 'PostgreSQL',
		cmd: path.join(postgresBin, 'postgres'),
		args,
		port,
		logFile: path.join(dir, 'postgres.log'),
		// spawn's uid rather than runuser: the stop signal then reaches postgres itself.
		user,
		// Fast shutdown: rolls back open transactions instead of waiting for clients.
		stopSignal: 'SIGINT',
		ready: async () => {
			try {
				run(path.join(postgresBin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']);
				return true;
			} catch {
				return false;
			}
		},
	});
}

/**
 * Whether a Redis server answers PING on the port.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (/** @type {boolean} */ ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
	});
}

/**
 * A Redis server on a free loopback port, nothing persisted (its folder is `dir`).
 * @param {string} redisServer
 * @param {string} dir
 */
async function startRedis(redisServer, dir) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
	return startService({
		name: 'Redis',
		cmd: redisServer,
		args,
		port,
		logFile: path.join(dir, 'redis.log'),
		stopSignal: 'SIGTERM',
		ready: () => redisPing(port),
	});
}

// ---------------------------------------------------------------------------------------------
// n8n in queue mode
// ---------------------------------------------------------------------------------------------

/**
 * What every process of a queue-mode n8n shares.
 * @param {{ postgresPort: number, redisPort: number }} ports
 * @returns {NodeJS.ProcessEnv}
 */
function queueEnv({ postgresPort, redisPort }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_DATABASE: 'postgres',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		// n8n's default pool of 2 connections per process makes a burst of 50 webhooks wait on
		// the main past pg-pool's 20 s connection timeout: they are answered 500.
		DB_POSTGRESDB_POOL_SIZE: '10',
		// The key every process decrypts the credentials (and the renewed sign-in token) with; the
		// same value as a single process gets (process.js), stated here because it must be shared.
		N8N_ENCRYPTION_KEY: 'pocket-local-dev-encryption-key',
		// A killed worker's jobs are noticed within ~10-20 s instead of n8n's 60 s lock and 30 s
		// check: a job whose lock is not renewed is failed ("stalled") by another worker's check.
		QUEUE_WORKER_LOCK_DURATION: '10000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
		// Manual runs from the editor go to the workers too, as production ones do.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// One JSON object per line, with its time: what the test reads back (readLog).
		N8N_LOG_FORMAT: 'json',
	};
}

/**
 * Starts PostgreSQL, Redis, the main n8n and `workers` n8n workers. The main runs the database
 * migrations, so the workers start once it is ready. Each process gets its own user folder in
 * `dir` with the package installed from `tarball`.
 * @param {object} options
 * @param {string} options.nodeBin
 * @param {string} options.n8nFolder
 * @param {string} options.tarball `npm pack` output of this package
 * @param {string} options.dir a new folder (in a world-readable one such as the temporary folder:
 *   PostgreSQL's own user must reach its data inside); removed by the caller
 * @param {number} [options.workers]
 * @returns {Promise<QueueCluster>}
 */
async function startQueueCluster({ nodeBin, n8nFolder, tarball, dir, workers = 2 }) {
	const { postgresBin, redisServer } = ensureDatabaseServers();
	// PostgreSQL runs as its own user, which must be able to reach its data folder inside.
	fs.mkdirSync(dir, { recursive: true });
	fs.chmodSync(dir, 0o755);
	/** @type {Array<{ stop: () => Promise<void> }>} */
	const started = [];
	const stop = async () => {
		for (const s of started.splice(0).reverse()) await s.stop();
	};
	try {
		const postgres = await startPostgres(postgresBin, path.join(dir, 'postgres'));
		started.push(postgres);
		const redis = await startRedis(redisServer, path.join(dir, 'redis'));
		started.push(redis);
		const env = queueEnv({ postgresPort: postgres.port, redisPort: redis.port });
		/** @param {string} name */
		const userFolder = (name) => {
			const folder = path.join(dir, name);
			installPackage(folder, tarball);
			return folder;
		};
		const main = await startN8n({ nodeBin, n8nFolder, userFolder: userFolder('main'), env });
		started.push(main);
		const folders = Array.from({ length: workers }, (_, i) => userFolder(`worker-${i + 1}`));
		// allSettled: a worker that failed to start must not leave its sibling running.
		const settled = await Promise.allSettled(folders.map((folder) => startN8n({ nodeBin, n8nFolder, userFolder: folder, command: 'worker', env })));
		const workerHandles = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
		started.push(...workerHandles);
		const failed = settled.find((s) => s.status === 'rejected');
		if (failed) throw failed.reason;
		return { main, workers: workerHandles, postgres, redis, env, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// What the workers did
// ---------------------------------------------------------------------------------------------

/**
 * One line of an n8n log written with N8N_LOG_FORMAT=json (see queueEnv); nothing for other
 * lines (what n8n prints before its logger is set up).
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

module.exports = { ensureDatabaseServers, startQueueCluster, queueEnv, mapLimit, runLoad, loadFigures, cpuSeconds, readLog, executionsByWorker, followWorker };
