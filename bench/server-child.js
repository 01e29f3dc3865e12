// @ts-check
'use strict';
/**
 * The Pocket-compatible test server (test/server/pocket-server.ts, compiled into the cache by
 * scripts/runtime/install.js) in its own process, so its CPU and memory are not counted in the
 * measured configuration. Driven by bench/run.js over IPC (bench/child-processes.js):
 *   { cmd: 'start', consumerKey, accessToken } -> { url } (the kind of server: POCKET_SERVER_KIND,
 *                                               else pocket; see test/server/server-kind.ts)
 *   { cmd: 'reset' }                           -> {}
 *   { cmd: 'seed', n }                         -> {} (n saved items, for Get Many to read)
 *   { cmd: 'stats' }  -> { sendCalls, addCalls, getCalls, otherCalls, storedItems, untaggedItems, appliedActions }
 *   { cmd: 'stop' }   -> {} and exit
 */
const { setQuiet } = require('../scripts/runtime/config');
const { startPocketServer } = require('../scripts/runtime/process');

/**
 * @typedef {{ id: number, cmd: 'start', consumerKey: string, accessToken: string } | { id: number, cmd: 'seed', n: number } | { id: number, cmd: 'reset' | 'stats' | 'stop' }} ServerCommand
 * @typedef {{ id: number, ok: true, result: unknown } | { id: number, ok: false, error: string }} ServerAnswer
 * @typedef {{ sendCalls: number, addCalls: number, getCalls: number, otherCalls: number, storedItems: number, untaggedItems: number, appliedActions: number }} ServerStats
 * @typedef {{ start: { url: string }, reset: {}, seed: {}, stats: ServerStats, stop: {} }} ServerResults what each command answers
 */

setQuiet(true);
/** @type {import('../test/server/pocket-server').PocketServer | undefined} */
let server;

/**
 * @param {ServerCommand} msg
 * @returns {Promise<ServerResults[ServerCommand['cmd']]>}
 */
async function handle(msg) {
	if (msg.cmd === 'start') {
		server = await startPocketServer({
			consumerKey: msg.consumerKey,
			accessToken: msg.accessToken,
			userLimit: 1e12, // the benchmark counts calls; the 320/hour quota is computed, not enforced
		});
		return { url: server.url };
	}
	if (!server) throw new Error(`${msg.cmd}: the server is not started`);
	switch (msg.cmd) {
		case 'reset':
			server.reset();
			if (global.gc) global.gc();
			return {};
		case 'seed':
			for (let i = 0; i < msg.n; i++) {
				const url = `https://example.com/${i}`;
				const time = 1_700_000_000 + i;
				server.put({ item_id: String(1001 + i), given_url: url, normal_url: url, resolved_url: url, title: `Item ${i}`, tags: [`t${i % 5}`, 'bench'], status: 0, favorite: 0, time_added: time, time_updated: time });
			}
			return {};
		case 'stats': {
			const calls = (/** @type {string} */ endpoint) => server?.requests.filter((r) => r.method === 'POST' && r.path.endsWith(endpoint)).length ?? 0;
			const [send, add, get] = [calls('/send'), calls('/add'), calls('/get')];
			return {
				sendCalls: send,
				addCalls: add,
				getCalls: get,
				otherCalls: server.requests.length - send - add - get,
				storedItems: server.liveItems().length,
				untaggedItems: server.liveItems().filter((i) => i.tags.length === 0).length,
				appliedActions: server.applied.length,
			};
		}
		case 'stop':
			await server.close();
			return {};
		default:
			throw new Error(`unknown command ${/** @type {{ cmd: string }} */ (msg).cmd}`);
	}
}

/**
 * @param {ServerAnswer} message
 * @param {() => void} [then] once the message is sent
 */
function reply(message, then = () => {}) {
	process.send?.(message, then);
}

process.on('message', (/** @type {ServerCommand} */ msg) => {
	handle(msg).then(
		(result) =>
			reply({ id: msg.id, ok: true, result }, () => {
				if (msg.cmd === 'stop') process.exit(0);
			}),
		(err) => reply({ id: msg.id, ok: false, error: err instanceof Error ? String(err.stack) : String(err) }),
	);
});
process.on('disconnect', () => process.exit(0));
