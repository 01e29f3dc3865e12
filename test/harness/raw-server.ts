/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * Bare `node:http` servers on loopback, for what the Pocket test server cannot do (another host
 * a redirect points to, a gateway, an echo in some encoding): each records what reaches it and
 * answers as a test needs, and is closed after each test.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	method: string;
	url: string;
	body: string;
}

export interface RawServer {
	origin: string;
	/** host:port, as a message names it */
	host: string;
	received: Received[];
}

export type Respond = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

const rawServers: Server[] = [];

afterEach(async () => {
	await Promise.all(
		rawServers.splice(0).map(
			(s) =>
				new Promise<void>((resolve) => {
					s.closeAllConnections();
					s.close(() => resolve());
				}),
		),
	);
});

export async function rawServer(respond: Respond): Promise<RawServer> {
	const received: Received[] = [];
	const http = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			received.push({ method: req.method ?? '', url: req.url ?? '', body });
			Promise.resolve(respond(req, res, body)).catch(() => res.destroy());
		});
	});
	rawServers.push(http);
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const { port } = http.address() as AddressInfo;
	return { origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, received };
}
