/** The Pocket-compatible test server as a fixture of a test file: started, reset, seeded and inspected. */
import type { PocketServerOptions, StoredItem, PocketServer } from '../server/pocket-server';
import { startPocketServer } from '../server/pocket-server';
import { ACCESS_TOKEN, ACCOUNT, CONSUMER_KEY } from './workflows';

/**
 * One server per test file, fresh state per test; it also has the sign-in account. Its kind is
 * `options.kind`, else POCKET_SERVER_KIND, else Pocket; a test may switch `server.current.kind`,
 * and the next test starts on the file's kind again.
 */
export function useServer(options: Partial<PocketServerOptions> = {}): { readonly current: PocketServer } {
	const holder: { current?: PocketServer } = {};
	beforeAll(async () => {
		holder.current = await startPocketServer({ consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, account: ACCOUNT, ...options });
	});
	afterAll(async () => await holder.current?.close());
	beforeEach(() => holder.current?.reset());
	return {
		get current() {
			if (!holder.current) throw new Error('server not started');
			return holder.current;
		},
	};
}

/** Puts an item straight into the server's state: the precondition of a test, not what it checks. */
export function seedItem(server: PocketServer, item: Partial<StoredItem> & { item_id: string }): StoredItem {
	const stored: StoredItem = {
		given_url: `https://example.com/${item.item_id}`,
		normal_url: `https://example.com/${item.item_id}`,
		resolved_url: `https://example.com/${item.item_id}`,
		title: '',
		tags: [],
		status: 0,
		favorite: 0,
		time_added: 1,
		time_updated: 1,
		...item,
	};
	server.put(stored);
	return stored;
}

/** The /send calls the server received. */
export function sendCalls(server: PocketServer) {
	return server.requests.filter((r) => r.path.endsWith('/send'));
}
