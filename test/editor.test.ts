/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * Issue 20's editor frictions, in n8n's engine against the test server: the node's version 1.1
 * (one time unit, Simplify, Sort, Add's item in the node's item shape) next to version 1 as
 * saved workflows hold it, and Item ID as a resource locator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RunResult } from './harness/engine';
import { loadPackage, runWorkflow, searchList } from './harness/engine';
import { seedItem, sendCalls, useServer } from './harness/pocket-fixture';
import { CONSUMER_KEY, loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

const LINK = 'https://example.com/editor';

function run(workflow: string, parameters: INodeParameters, typeVersion: number, items: IDataObject[] = [{ link: LINK }]): Promise<RunResult> {
	return runWorkflow(withPocket(withItems(loadWorkflow(workflow), items), parameters, { typeVersion }), { credentials: pocketCredentials(server.current) });
}

describe('one time unit: Timeout in seconds from version 1.1, milliseconds kept for nodes saved as version 1', () => {
	test('the labels name the unit; version 1.1 offers Timeout (Seconds), version 1 keeps Timeout (Milliseconds)', async () => {
		const { nodeTypes } = await loadPackage();
		const description = nodeTypes.getByNameAndVersion('n8n-nodes-pocket.pocket', 1.1).description;
		expect(description.defaultVersion).toBe(1.1);
		const options = description.properties.filter((p) => p.name === 'options').flatMap((p) => (p.options ?? []) as Array<{ displayName: string; name: string; displayOptions?: unknown }>);
		const labels = new Map(options.map((o) => [o.name, o.displayName]));
		expect(labels.get('maxWait')).toBe('Max Wait (Seconds)');
		expect(labels.get('timeoutSeconds')).toBe('Timeout (Seconds)');
		expect(labels.get('timeout')).toBe('Timeout (Milliseconds)');
	});

	test('version 1.1: Timeout (Seconds) 1 against a server that answers after 1.5 s', async () => {
		server.current.faults.push({ type: 'slow', ms: 1500 });
		const result = await run('item-add', { url: '={{ $json.link }}', additionalFields: {}, options: { timeoutSeconds: 1 } }, 1.1);
		expect(result.errorMessage).toBe('The server did not answer within 1 s');
		expect(sendCalls(server.current)).toHaveLength(1);
	});

	test('version 1: a saved Timeout of 1000 (milliseconds) still means one second, and a saved timeoutSeconds is not read', async () => {
		server.current.faults.push({ type: 'slow', ms: 1500 });
		const result = await run('item-add', { url: '={{ $json.link }}', additionalFields: {}, options: { timeout: 1000, timeoutSeconds: 60 } }, 1);
		expect(result.errorMessage).toBe('The server did not answer within 1 s');
	});

	test('version 1.1 ignores a leftover millisecond Timeout: the default 30 s applies, so a 1.5 s answer arrives', async () => {
		server.current.faults.push({ type: 'slow', ms: 1500 });
		const result = await run('item-add', { url: '={{ $json.link }}', additionalFields: {}, options: { timeout: 300 } }, 1.1);
		expect(result.errorMessage).toBeUndefined();
		expect(server.current.applied.map((a) => a.url)).toEqual([LINK]);
	});
});

describe('Add takes no Item ID (the protocol deprecates item_id on add)', () => {
	test('Add offers no Item ID under Additional Fields', async () => {
		const { nodeTypes } = await loadPackage();
		const properties = nodeTypes.getByNameAndVersion('n8n-nodes-pocket.pocket', 1.1).description.properties;
		const forAdd = properties.filter((p) => p.name === 'additionalFields' && (p.displayOptions?.show?.operation ?? []).includes('add'));
		expect(forAdd).toHaveLength(1);
		expect((forAdd[0].options ?? []).map((o) => o.name)).toEqual(['tags', 'time', 'title', 'refId']);
	});

	test('an auto-mapped item from Get Many is added without its item_id', async () => {
		const result = await run('auto-map', { operation: 'add' }, 1.1, [{ item_id: '1001', url: LINK, tags: ['a'] }]);
		expect(result.errorMessage).toBeUndefined();
		expect(sendCalls(server.current)[0].body).toEqual(expect.objectContaining({ actions: [{ action: 'add', url: LINK, tags: 'a' }] }));
	});
});

describe("placeholders in n8n's form", () => {
	type Property = { name?: string; type?: string; placeholder?: string; options?: unknown[]; values?: unknown[]; modes?: unknown[]; displayName: string };
	// A resource locator's text modes are inputs too (its From List shows n8n's "Select …").
	const inputs = (properties: unknown[]): Property[] =>
		(properties as Property[]).flatMap((p) => [p, ...inputs(p.options ?? []), ...inputs(p.values ?? []), ...inputs(p.modes ?? [])]).filter((p) => p.type === 'string');

	test('every text input of the node and the trigger shows an example as "e.g. …"', async () => {
		const { nodeTypes } = await loadPackage();
		// n8n adds the trigger's Poll Times (with its Cron Expression) itself.
		const ownProperties = (name: string) => nodeTypes.getByNameAndVersion(`n8n-nodes-pocket.${name}`).description.properties.filter((p) => p.name !== 'pollTimes');
		const texts = ['pocket', 'pocketTrigger'].flatMap((name) => inputs(ownProperties(name)));
		expect(texts.length).toBeGreaterThan(10);
		expect(texts.filter((p) => !p.placeholder?.startsWith('e.g. ')).map((p) => p.displayName)).toEqual([]);
	});
});

describe('the RSS example and the auto-map notice', () => {
	test("the example's Tag Rules map words to a tag the entry need not name", () => {
		const example = JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', 'rss-auto-tag.json'), 'utf8')) as { nodes: Array<{ name: string; parameters: IDataObject }> };
		const pocket = example.nodes.find((n) => n.name === 'Save to Pocket');
		const rules = ((pocket?.parameters.tagging as IDataObject).tagRules as { rule: Array<{ tag: string; matches: string }> }).rule;
		expect(rules).toContainEqual({ tag: 'ai', matches: expect.stringContaining('machine learning, LLM') });
		expect(rules.filter((r) => r.matches === r.tag)).toEqual([]);
	});

	test('the auto-map notice is one short sentence pointing at the README', async () => {
		const { nodeTypes } = await loadPackage();
		const notice = nodeTypes.getByNameAndVersion('n8n-nodes-pocket.pocket', 1.1).description.properties.find((p) => p.name === 'autoMapNotice');
		expect(notice?.displayName.length).toBeLessThanOrEqual(200);
		expect(notice?.displayName).toMatch(/README, Input mode/);
	});
});

describe("one item shape: Add's item is Get Many's item (version 1.1); version 1 keeps the server's", () => {
	const getManyOf = () => run('item-get-many', { returnAll: true, filters: { state: 'all' }, simplify: false }, 1.1, [{}]);

	test('Add then Get Many: the same fields for the same saved item, status "unread" and favorite false', async () => {
		const added = await run('item-add', { url: '={{ $json.link }}', additionalFields: { tags: 'news', title: 'Editor' } }, 1.1);
		const item = added.output('Pocket')[0].json.item as IDataObject;
		const same = { item_id: '1001', url: LINK, title: 'Editor', status: 'unread', favorite: false, tags: ['news'], domain: 'example.com' };
		expect(item).toMatchObject(same);
		const read = (await getManyOf()).output('Pocket').map((o) => o.json);
		expect(read).toEqual([expect.objectContaining(same)]);
		// The add answer carries fewer of the server's fields (no times yet): the shape is the same.
		expect(Object.keys(read[0])).toEqual(Object.keys(item));
	});

	test('version 1: the item as the server sent it ("status": "0")', async () => {
		const added = await run('item-add', { url: '={{ $json.link }}', additionalFields: {} }, 1);
		expect(added.output('Pocket')[0].json.item).toMatchObject({ item_id: '1001', status: '0', favorite: '0', given_url: LINK });
	});
});

describe('Get Many: Simplify (on by default from version 1.1) and Sort in its own collection', () => {
	const getCalls = () => server.current.requests.filter((r) => r.path.endsWith('/get')).map((r) => r.body as IDataObject);
	beforeEach(() => {
		seedItem(server.current, { item_id: '1001', given_url: 'https://example.com/one', title: 'One', tags: ['read'], time_added: 1000, time_updated: 1000 });
		seedItem(server.current, { item_id: '1002', given_url: 'https://example.com/two', title: 'Two', time_added: 2000, time_updated: 2000 });
	});

	test('version 1.1, Simplify by default: at most 10 fields, no raw', async () => {
		const result = await run('item-get-many', { returnAll: true }, 1.1, [{}]);
		const items = result.output('Pocket').map((o) => o.json);
		expect(items.map((i) => i.item_id)).toEqual(['1002', '1001']);
		for (const item of items) expect(Object.keys(item)).toEqual(['item_id', 'url', 'title', 'excerpt', 'status', 'favorite', 'tags', 'time_added', 'time_updated', 'domain']);
		expect(items[1]).toMatchObject({ url: 'https://example.com/one', status: 'unread', favorite: false, tags: ['read'] });
	});

	test('Simplify off gives everything, as version 1 does', async () => {
		const off = await run('item-get-many', { returnAll: true, simplify: false }, 1.1, [{}]);
		const v1 = await run('item-get-many', { returnAll: true }, 1, [{}]);
		for (const result of [off, v1]) {
			const [item] = result.output('Pocket').map((o) => o.json);
			expect(Object.keys(item)).toEqual(expect.arrayContaining(['time_read', 'time_favorited', 'word_count', 'raw']));
		}
	});

	test('Sort → Order is what the server is asked; version 1 keeps Filters → Sort', async () => {
		await run('item-get-many', { returnAll: true, sort: { order: 'oldest' } }, 1.1, [{}]);
		await run('item-get-many', { returnAll: true, filters: { sort: 'title' } }, 1, [{}]);
		expect(getCalls().map((b) => b.sort)).toEqual(['oldest', 'title']);
	});
});

describe('Item ID as a resource locator on every item operation (version 1.1); plain IDs still read', () => {
	const archive = (itemId: unknown, typeVersion = 1.1, items: IDataObject[] = [{}]) => run('item-archive', { itemId: itemId as string }, typeVersion, items);
	const locator = (mode: string, value: string) => ({ __rl: true, mode, value });
	const statusOf = (id: string) => server.current.liveItems().find((i) => i.item_id === id)?.status;

	test('every item operation with an Item ID shows From List, By ID and By URL from 1.1, a text input for version 1', async () => {
		const { nodeTypes } = await loadPackage();
		const properties = nodeTypes.getByNameAndVersion('n8n-nodes-pocket.pocket', 1.1).description.properties.filter((p) => p.name === 'itemId');
		expect(properties.map((p) => p.type).sort()).toEqual(['resourceLocator', 'string']);
		const rl = properties.find((p) => p.type === 'resourceLocator');
		expect(rl?.modes?.map((m) => m.displayName)).toEqual(['From List', 'By ID', 'By URL']);
		expect([...(rl?.displayOptions?.show?.operation ?? [])].sort()).toEqual(['addTags', 'archive', 'clearTags', 'delete', 'favorite', 'removeTags', 'replaceTags', 'unarchive', 'unfavorite']);
		expect(rl?.displayOptions?.show?.['@version']).toEqual([1.1]);
	});

	test.each([
		['From List', locator('list', '1001')],
		['By ID', locator('id', ' 1001 ')],
		['By URL', locator('url', 'https://getpocket.com/read/1001')],
		['By URL, with a query', locator('url', 'https://app.example.com/read/1001/?from=list')],
		['an expression in By ID', locator('id', '={{ $json.id }}')],
		['a plain string (a version 1 value)', '1001'],
		['a plain expression', '={{ $json.id }}'],
	])('%s archives item 1001', async (_, itemId) => {
		seedItem(server.current, { item_id: '1001' });
		const result = await archive(itemId, 1.1, [{ id: 1001 }]);
		expect(result.errorMessage).toBeUndefined();
		expect(sendCalls(server.current)[0].body).toEqual(expect.objectContaining({ actions: [{ action: 'archive', item_id: '1001' }] }));
		expect(statusOf('1001')).toBe(1);
	});

	test('version 1 with its saved plain expression still archives', async () => {
		seedItem(server.current, { item_id: '1001' });
		const result = await archive('={{ $json.id }}', 1, [{ id: '1001' }]);
		expect(result.errorMessage).toBeUndefined();
		expect(statusOf('1001')).toBe(1);
	});

	test("a link without an ID at its end: n8n refuses a typed one (the mode's check), and the node names item and field for one from an expression", async () => {
		await expect(archive(locator('url', 'https://example.com/article'))).rejects.toThrow(/workflow has issues/);
		const result = await archive(locator('url', '={{ $json.link }}'), 1.1, [{ link: 'https://example.com/article' }]);
		expect(result.errorMessage).toMatch(/^Item 0: Item ID \(item_id\) .*https:\/\/example\.com\/article/);
		expect(sendCalls(server.current)).toHaveLength(0);
	});

	test("From List searches the account through /get: newest first, by title or URL, a page at a time", async () => {
		for (let i = 0; i < 35; i++) seedItem(server.current, { item_id: String(2000 + i), given_url: `https://example.com/${i}`, title: i === 7 ? 'Rust ownership' : `Item ${i}`, time_added: 100 + i, time_updated: 100 + i });
		const workflow = withPocket(loadWorkflow('item-archive'), {}, { typeVersion: 1.1 });
		const credentials = pocketCredentials(server.current);
		const first = await searchList(workflow, 'Pocket', 'searchItems', { credentials });
		expect(first.results).toHaveLength(30);
		expect(first.results[0]).toEqual({ name: 'Item 34', value: '2034', url: 'https://example.com/34' });
		const second = await searchList(workflow, 'Pocket', 'searchItems', { credentials, paginationToken: first.paginationToken as string });
		expect(second.results.map((r) => r.value)).toEqual(['2004', '2003', '2002', '2001', '2000']);
		expect(second.paginationToken).toBeUndefined();
		const found = await searchList(workflow, 'Pocket', 'searchItems', { credentials, filter: 'rust' });
		expect(found.results).toEqual([{ name: 'Rust ownership', value: '2007', url: 'https://example.com/7' }]);
		const gets = server.current.requests.filter((r) => r.path.endsWith('/get')).map((r) => r.body as IDataObject);
		expect(gets.map((b) => [b.state, b.sort, b.search, b.offset])).toEqual([
			['all', 'newest', undefined, 0],
			['all', 'newest', undefined, 30],
			['all', 'newest', 'rust', 0],
		]);
	});

	test('From List with a wrong token: the node\'s own 401 message, no secret in it', async () => {
		const workflow = withPocket(loadWorkflow('item-archive'), {}, { typeVersion: 1.1 });
		const search = searchList(workflow, 'Pocket', 'searchItems', { credentials: pocketCredentials(server.current, { accessToken: 'wrong-token' }) });
		await expect(search).rejects.toThrow(/401/);
		await search.catch((error: Error) => expect(`${error.message} ${(error as { description?: string }).description}`).not.toContain(CONSUMER_KEY));
	});
});
