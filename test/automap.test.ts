/** "Map Input Fields Automatically": each item's own JSON is the action, validated the same way. */
import { runWorkflow } from './harness/engine';
import { seedItem, sendCalls, useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

const run = (items: unknown[], settings = {}, parameters = {}) =>
	runWorkflow(withPocket(withItems(loadWorkflow('auto-map'), items), parameters, settings), {
		credentials: pocketCredentials(server.current),
	});

test('items are added from their own url, tags and title fields', async () => {
	const result = await run([
		{ url: 'https://example.com/a', tags: ['news', ' tech '], title: 'A', unrelated: 'ignored' },
		{ url: 'https://example.com/b', tags: 'x,,y', time: 1714564800 },
	]);
	expect(result.errorMessage).toBeUndefined();
	expect((sendCalls(server.current)[0].body as { actions: unknown[] }).actions).toEqual([
		{ action: 'add', url: 'https://example.com/a', tags: 'news,tech', title: 'A' },
		{ action: 'add', url: 'https://example.com/b', tags: 'x,y', time: '1714564800' },
	]);
	expect(server.current.liveItems().map((i) => [i.given_url, i.tags, i.title])).toEqual([
		['https://example.com/a', ['news', 'tech'], 'A'],
		['https://example.com/b', ['x', 'y'], ''],
	]);
});

test('an "action" field mixes actions in one call; items without it use the selected operation', async () => {
	seedItem(server.current, { item_id: '1001', tags: ['old'] });
	seedItem(server.current, { item_id: '1002', tags: ['old'] });
	const result = await run(
		[
			{ action: 'archive', item_id: 1001 },
			{ action: 'tags_add', item_id: '1002', tags: ['new'] },
			{ action: 'tag_rename', old_tag: 'old', new_tag: 'legacy' },
			{ item_id: 1002 },
		],
		{},
		{ operation: 'favorite' },
	);
	expect(result.errorMessage).toBeUndefined();
	expect(sendCalls(server.current)).toHaveLength(1);
	expect(server.current.state.items['1001']).toMatchObject({ status: 1, tags: ['legacy'] });
	expect(server.current.state.items['1002']).toMatchObject({ status: 0, favorite: 1, tags: ['legacy', 'new'] });
	expect(result.output('Pocket').map((o) => (o.json.action as { action: string }).action)).toEqual([
		'archive',
		'tags_add',
		'tag_rename',
		'favorite',
	]);
});

test('the same validation applies: errors name the item and the field', async () => {
	const items = [{ url: 'https://example.com/ok' }, { url: 'not a url' }, { action: 'explode', item_id: 1 }, { action: 'archive' }];
	const failed = await run(items);
	expect(failed.errorMessage).toMatch(/^Item 1: URL \(url\) must be an absolute http\(s\) URL/);
	expect(sendCalls(server.current)).toHaveLength(0);

	const continued = await run(items, { onError: 'continueRegularOutput' });
	expect(continued.output('Pocket').map((o) => o.json.success ?? o.json.error)).toEqual([
		true,
		expect.stringMatching(/^Item 1: URL \(url\)/),
		expect.stringMatching(/^Item 2: action \(action\) must be one of add, archive, readd/),
		'Item 3: Item ID (item_id) is required but empty',
	]);
	expect(server.current.liveItems().map((i) => i.given_url)).toEqual(['https://example.com/ok']);
});
