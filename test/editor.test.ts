/**
 * Issue 20's editor frictions, in n8n's engine against the test server: the node's version 1.1
 * (one time unit, Simplify, Sort, Add's item in the node's item shape) next to version 1 as
 * saved workflows hold it, and Item ID as a resource locator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RunResult } from './harness/engine';
import { loadPackage, runWorkflow } from './harness/engine';
import { seedItem, sendCalls, useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';

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
	type Property = { name?: string; type?: string; placeholder?: string; options?: unknown[]; values?: unknown[]; displayName: string };
	const inputs = (properties: unknown[]): Property[] =>
		(properties as Property[]).flatMap((p) => [p, ...inputs(p.options ?? []), ...inputs(p.values ?? [])]).filter((p) => p.type === 'string' || p.type === 'resourceLocator');

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
		expect(notice?.displayName.length).toBeLessThanOrEqual(180);
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
