// @ts-check
'use strict';
/**
 * n8n in queue mode on loopback, for the queue test (test/queue/): PostgreSQL and Redis
 * (database-servers.js), one `n8n start` main and `n8n worker` processes sharing them, each with
 * this package installed into its own user folder the way n8n installs a community package.
 */

const fs = require('node:fs');
const path = require('node:path');
const { installPackage } = require('./install');
const { startN8n } = require('./process');
const { ensureDatabaseServers, startPostgres, startRedis } = require('./database-servers');

/**
 * @typedef {import('./process').N8nInstance} N8nInstance
 * @typedef {import('./database-servers').Service} Service
 *
 * @typedef {object} QueueCluster
 * @property {N8nInstance} main `n8n start`: the editor, the REST API and the webhooks
 * @property {N8nInstance[]} workers `n8n worker` processes
 * @property {Service} postgres
 * @property {Service} redis
 * @property {NodeJS.ProcessEnv} env what every n8n process of the cluster shares
 * @property {() => Promise<void>} stop stops everything, in reverse order of start
 */

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

module.exports = { startQueueCluster };
