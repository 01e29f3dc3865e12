// @ts-check
'use strict';
/**
 * PostgreSQL and Redis on loopback for n8n in queue mode (queue-cluster.js): the servers from the
 * system's packages (Debian's `postgresql` and `redis-server`, installed with apt-get when
 * missing), each with its data in a temporary folder.
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { log, elapsed } = require('./config');
const { run } = require('./install');
const { freePort } = require('./process');

/**
 * @typedef {object} Service a database server started by this module
 * @property {string} name
 * @property {number | undefined} pid
 * @property {number} port on 127.0.0.1
 * @property {string} logFile
 * @property {() => Promise<void>} stop
 */

/** How long a database server may take to accept connections. */
const SERVICE_READY_MS = 60000;

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

module.exports = { ensureDatabaseServers, startPostgres, startRedis };
