// @ts-check
'use strict';
/**
 * The Pocket-compatible test server (test/server/pocket-server.ts, compiled into the cache by
 * scripts/runtime/install.js) in its own process, so its CPU and memory are not counted in the
 * measured configuration. Driven by bench/run.js over IPC:
 *   { cmd: 'start', consumerKey, accessToken } -> { url }
 *   { cmd: 'reset' }                           -> {}
 *   { cmd: 'stats' }  -> { sendCalls, otherCalls, storedItems, appliedActions }
 *   { cmd: 'stop' }   -> {} and exit
 */
const { setQuiet } = require('../scripts/runtime/config');
const { startPocketServer } = require('../scripts/runtime/process');

/**
 * @typedef {{ id: number, cmd: 'start', consumerKey: string, accessToken: string } | { id: number, cmd: 'reset' | 'stats' | 'stop' }} ServerCommand
 * @typedef {{ id: number, ok: true, result: unknown } | { id: number, ok: false, error: string }} ServerAnswer
 * @typedef {{ sendCalls: number, otherCalls: number, storedItems: number, appliedActions: number }} ServerStats
 * @typedef {{ start: { url: string }, reset: {}, stats: ServerStats, stop: {} }} ServerResults what each command answers
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
		case 'stats': {
			const send = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/send')).length;
			return {
				sendCalls: send,
				otherCalls: server.requests.length - send,
				storedItems: server.liveItems().length,
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
