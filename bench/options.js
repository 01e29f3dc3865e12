// @ts-check
'use strict';
/**
 * The benchmark's configurations and its command-line options (documented in bench/run.js).
 */
const path = require('node:path');

/**
 * @typedef {import('./measure').Config} Config
 * @typedef {import('./profile').ProfileRequest} ProfileRequest
 */

const REPO_DIR = path.resolve(__dirname, '..');
/** @type {Config[]} */
const ALL_CONFIGS = ['pocket-define', 'pocket-automap', 'http-request', 'floor', 'get-many', 'rss-rules', 'exchange'];
/** What a run without --configs measures: `exchange` takes one call apart, asked for by name. */
/** @type {Config[]} */
const DEFAULT_CONFIGS = ALL_CONFIGS.filter((c) => c !== 'exchange');

/** @param {string} name */
function config(name) {
	const found = ALL_CONFIGS.find((c) => c === name);
	if (!found) throw new Error(`unknown configuration ${name}`);
	return found;
}

/** @param {string[]} argv */
function parseArgs(argv) {
	const args = {
		sizes: [100, 1000, 10000, 100000],
		configs: DEFAULT_CONFIGS,
		limitSeconds: 120,
		repeat: 1,
		/** Measure each workflow's second execution in its process, not its first (see bench/measure.js). */
		warm: false,
		/** @type {ProfileRequest[]} */
		profile: [],
		profileMissed: false,
		markdown: false,
		out: path.join(REPO_DIR, 'docs', 'bench-results.json'),
		/** @type {string | undefined} */
		report: undefined,
		/** @type {string | undefined} which server the test server is (test/server/server-kind.ts) */
		serverKind: undefined,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => argv[++i];
		if (a === '--sizes') args.sizes = next().split(',').map(Number);
		else if (a === '--configs') args.configs = next().split(',').map(config);
		else if (a === '--limit-seconds') args.limitSeconds = Number(next());
		else if (a === '--repeat') args.repeat = Math.max(1, Math.floor(Number(next())) || 1);
		else if (a === '--profile') args.profile = next().split(',').map((s) => {
			const [name, n] = s.split(':');
			return { config: config(name), n: Number(n) };
		});
		else if (a === '--markdown') args.markdown = true;
		else if (a === '--warm') args.warm = true;
		else if (a === '--profile-missed') args.profileMissed = true;
		else if (a === '--out') args.out = path.resolve(next());
		else if (a === '--report') args.report = path.resolve(next());
		else if (a === '--server-kind') args.serverKind = next();
		else throw new Error(`unknown option ${a}`);
	}
	// On the open-pocket kind an add's tags are landed by reading the whole list: the warm-up's N
	// items would double what the measured execution reads.
	if (args.warm && (args.serverKind ?? process.env.POCKET_SERVER_KIND) === 'open-pocket') {
		throw new Error('--warm measures the pocket server kind only: on open-pocket the warm-up would double the list the tag landing reads');
	}
	return args;
}

module.exports = { REPO_DIR, ALL_CONFIGS, parseArgs };
