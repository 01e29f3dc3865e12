/**
 * Every operation, run as a workflow file through n8n's engine against the stateful server;
 * each test checks the server's state afterwards, not only the request.
 */
import { runWorkflow } from './harness/engine';
import { seedItem, sendCalls, useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials } from './harness/workflows';

const server = useServer();

async function run(name: string) {
	const result = await runWorkflow(loadWorkflow(name), { credentials: pocketCredentials(server.current) });
	expect(result.errorMessage).toBeUndefined();
	expect(sendCalls(server.current)).toHaveLength(1);
	const output = result.output('Pocket');
	for (const item of output) expect(item.json.success).toBe(true);
	return output;
}

test('Item: Add saves each URL with its title, normalised tags and time, and returns the item', async () => {
	const output = await run('item-add');
	const [a, b] = server.current.liveItems();
	expect(a).toMatchObject({ given_url: 'https://example.com/a', title: 'A', tags: ['news', 'tech'], time_added: 1714564800 });
	expect(b).toMatchObject({ given_url: 'https://example.com/b', title: 'B', tags: ['tech'] });
	expect(output.map((o) => (o.json.item as { item_id: string }).item_id)).toEqual([a.item_id, b.item_id]);
	expect(output[0].json.action).toEqual({
		action: 'add',
		url: 'https://example.com/a',
		title: 'A',
		tags: 'news,tech',
		time: '1714564800',
	});
});

test('Item: Archive moves the item to the archive', async () => {
	seedItem(server.current, { item_id: '1001' });
	await run('item-archive');
	expect(server.current.state.items['1001'].status).toBe(1);
});

test('Item: Unarchive (readd) moves it back to the list', async () => {
	seedItem(server.current, { item_id: '1001', status: 1 });
	await run('item-unarchive');
	expect(server.current.state.items['1001'].status).toBe(0);
});

test('Item: Favorite marks the item', async () => {
	seedItem(server.current, { item_id: '1001' });
	await run('item-favorite');
	expect(server.current.state.items['1001'].favorite).toBe(1);
});

test('Item: Unfavorite unmarks the item', async () => {
	seedItem(server.current, { item_id: '1001', favorite: 1 });
	await run('item-unfavorite');
	expect(server.current.state.items['1001'].favorite).toBe(0);
});

test('Item: Delete removes the item from the account', async () => {
	seedItem(server.current, { item_id: '1001' });
	seedItem(server.current, { item_id: '1002' });
	await run('item-delete');
	expect(server.current.liveItems().map((i) => i.item_id)).toEqual(['1002']);
});

test('Item: Add Tags adds an array of tags and keeps existing ones', async () => {
	seedItem(server.current, { item_id: '1001', tags: ['a', 'b'] });
	await run('item-add-tags');
	expect(server.current.state.items['1001'].tags).toEqual(['a', 'b', 'c']);
});

test('Item: Remove Tags removes only the named tags', async () => {
	seedItem(server.current, { item_id: '1001', tags: ['a', 'b', 'c'] });
	await run('item-remove-tags');
	expect(server.current.state.items['1001'].tags).toEqual(['b']);
});

test('Item: Replace Tags replaces all tags, de-duplicated', async () => {
	seedItem(server.current, { item_id: '1001', tags: ['a', 'b'] });
	await run('item-replace-tags');
	expect(server.current.state.items['1001'].tags).toEqual(['x', 'y']);
	expect(sendCalls(server.current)[0].body).toMatchObject({ actions: [{ action: 'tags_replace', item_id: '1001', tags: 'x,y' }] });
});

test('Item: Clear Tags removes every tag of the item', async () => {
	seedItem(server.current, { item_id: '1001', tags: ['a', 'b'] });
	await run('item-clear-tags');
	expect(server.current.state.items['1001'].tags).toEqual([]);
});

test('Tag: Rename renames the tag on every item that has it', async () => {
	seedItem(server.current, { item_id: '1001', tags: ['to-read', 'x'] });
	seedItem(server.current, { item_id: '1002', tags: ['to-read'] });
	seedItem(server.current, { item_id: '1003', tags: ['other'] });
	await run('tag-rename');
	expect(server.current.liveItems().map((i) => i.tags)).toEqual([['reading', 'x'], ['reading'], ['other']]);
});

test('Tag: Delete removes the tag from every item', async () => {
	seedItem(server.current, { item_id: '1001', tags: ['to-read', 'x'] });
	seedItem(server.current, { item_id: '1002', tags: ['to-read'] });
	await run('tag-delete');
	expect(server.current.liveItems().map((i) => i.tags)).toEqual([['x'], []]);
});
