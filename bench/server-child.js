'use strict';
/**
 * The Pocket-compatible test server (test/server/pocket-server.ts, compiled by
 * scripts/n8n-runtime.js) in its own process, so its CPU and memory are not counted in the
 * measured configuration. Driven by bench/run.js over IPC:
 *   { cmd: 'start', consumerKey, accessToken } -> { url }
 *   { cmd: 'reset' }                                     -> {}
 *   { cmd: 'stats' }  -> { sendCalls, otherCalls, storedItems, appliedActions }
 *   { cmd: 'stop' }   -> {} and exit
 */
const { compilePocketServer, setQuiet } = require('../scripts/n8n-runtime.js');

setQuiet(true);
let server;

async function handle(msg) {
	switch (msg.cmd) {
		case 'start': {
			const { startPocketServer } = require(compilePocketServer());
			server = await startPocketServer({
				host: '127.0.0.1',
				port: 0,
				consumerKey: msg.consumerKey,
				accessToken: msg.accessToken,
				userLimit: 1e12, // the benchmark counts calls; the 320/hour quota is computed, not enforced
			});
			return { url: server.url };
		}
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
			throw new Error(`unknown command ${msg.cmd}`);
	}
}

process.on('message', (msg) => {
	handle(msg).then(
		(result) => {
			process.send({ id: msg.id, ok: true, result }, () => {
				if (msg.cmd === 'stop') process.exit(0);
			});
		},
		(err) => process.send({ id: msg.id, ok: false, error: err && err.stack ? err.stack : String(err) }),
	);
});
process.on('disconnect', () => process.exit(0));
