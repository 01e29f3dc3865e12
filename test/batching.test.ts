/**
 * How items become one batched call and come back out: one request for N items, pairing,
 * per-item expressions, partial failures and invalid input, with and without continue-on-fail.
 */
import { runWorkflow } from './harness/engine';
import { seedItem, sendCalls, useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

const run = (workflow: Parameters<typeof runWorkflow>[0]) =>
	runWorkflow(workflow, { credentials: pocketCredentials(server.current) });

const archive = (items: unknown[], settings = {}, parameters = {}) =>
	withPocket(withItems(loadWorkflow('item-archive'), items), parameters, settings);

const add = (items: unknown[], settings = {}, parameters = {}) =>
	withPocket(withItems(loadWorkflow('item-add'), items), parameters, settings);

test('N input items make exactly one request, and every output item pairs with its input', async () => {
	const items = Array.from({ length: 250 }, (_, i) => ({ link: `https://example.com/${i}`, categories: [`t${i % 3}`], title: `T${i}` }));
	const result = await run(add(items));
	expect(result.errorMessage).toBeUndefined();
	expect(sendCalls(server.current)).toHaveLength(1);
	expect((sendCalls(server.current)[0].body as { actions: unknown[] }).actions).toHaveLength(250);
	const output = result.output('Pocket');
	expect(output).toHaveLength(250);
	output.forEach((item, i) => {
		expect(item.pairedItem).toEqual({ item: i });
		expect(item.json.action).toMatchObject({ url: `https://example.com/${i}`, tags: `t${i % 3}`, title: `T${i}` });
		expect(server.current.findByUrl(`https://example.com/${i}`)?.item_id).toBe((item.json.item as { item_id: string }).item_id);
	});
	expect(server.current.liveItems()).toHaveLength(250);
});

test('credentials travel in the JSON body only, with the exact Content-Type', async () => {
	await run(add([{ link: 'https://example.com/x' }]));
	const [call] = sendCalls(server.current);
	expect(call.rawUrl).toBe('/api/v1/send');
	expect(call.contentType).toBe('application/json');
	expect(call.body).toMatchObject({ consumer_key: expect.any(String), access_token: expect.any(String) });
});

test('per-item expressions: each item gets its own id, numbers are sent as digit strings', async () => {
	seedItem(server.current, { item_id: '1001' });
	seedItem(server.current, { item_id: '1002' });
	seedItem(server.current, { item_id: '1003' });
	const result = await run(archive([{ id: 1001 }, { id: '1003' }]));
	expect(result.errorMessage).toBeUndefined();
	expect((sendCalls(server.current)[0].body as { actions: unknown[] }).actions).toEqual([
		{ action: 'archive', item_id: '1001' },
		{ action: 'archive', item_id: '1003' },
	]);
	expect(server.current.liveItems().map((i) => [i.item_id, i.status])).toEqual([
		['1001', 1],
		['1002', 0],
		['1003', 1],
	]);
});

test('Max Actions Per Call splits the batch into consecutive calls, output still paired in order', async () => {
	const items = Array.from({ length: 7 }, (_, i) => ({ link: `https://example.com/${i}` }));
	const result = await run(add(items, {}, { options: { maxActionsPerCall: 3 } }));
	expect(result.errorMessage).toBeUndefined();
	expect(sendCalls(server.current).map((c) => (c.body as { actions: unknown[] }).actions.length)).toEqual([3, 3, 1]);
	expect(result.output('Pocket').map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
	expect(server.current.liveItems()).toHaveLength(7);
});

describe('mixed success and failure in one batch', () => {
	beforeEach(() => {
		seedItem(server.current, { item_id: '1001' });
		seedItem(server.current, { item_id: '1003' });
	});

	test('without continue-on-fail the run fails naming the failed item, and says the others were applied', async () => {
		const result = await run(archive([{ id: 1001 }, { id: 1002 }, { id: 1003 }]));
		expect(result.errorMessage).toMatch(/rejected 1 of 3 actions \(items 1\).*item 1 \(archive\): Item 1002 not found/);
		expect((result.error as { description?: string }).description).toMatch(/other 2 actions of the batch were applied/);
		expect(server.current.state.items['1001'].status).toBe(1);
		expect(server.current.state.items['1003'].status).toBe(1);
	});

	test('with continue-on-fail every item comes out once: results and an error item for the failure', async () => {
		const result = await run(archive([{ id: 1001 }, { id: 1002 }, { id: 1003 }], { onError: 'continueRegularOutput' }));
		expect(result.errorMessage).toBeUndefined();
		const output = result.output('Pocket');
		expect(output.map((o) => [o.pairedItem, o.json.success ?? o.json.error])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, 'Item 1: the server rejected the archive action: Item 1002 not found (Not Found, code 5200)'],
			[{ item: 2 }, true],
		]);
		// n8n keeps only the message in an error item's JSON; the details ride on its error.
		expect(output[1].error?.context).toMatchObject({
			itemIndex: 1,
			serverError: { message: 'Item 1002 not found', type: 'Not Found', code: 5200 },
			action: { action: 'archive', item_id: '1002' },
		});
		expect(server.current.liveItems().map((i) => i.status)).toEqual([1, 1]);
	});

	test('with the error output, failed items go to the second output, the rest to the first', async () => {
		const result = await run(archive([{ id: 1001 }, { id: 1002 }, { id: 1003 }], { onError: 'continueErrorOutput' }));
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Pocket', 0).map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		const errors = result.output('Pocket', 1);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		// n8n reduces an error item's JSON to its message; the details ride on its error.
		expect(errors[0].json).toEqual({ error: expect.stringContaining('Item 1002 not found') });
		expect(errors[0].error?.context).toMatchObject({ action: { action: 'archive', item_id: '1002' } });
	});
});

describe('invalid input items', () => {
	const items = [{ link: 'https://example.com/ok' }, { link: 'example.com/no-scheme' }, { link: 'https://example.com/ok2' }];

	test('without continue-on-fail nothing is sent and the error names the item and the field', async () => {
		const result = await run(add(items));
		expect(result.errorMessage).toBe(
			'Item 1: URL (url) must be an absolute http(s) URL such as https://example.com/article (got "example.com/no-scheme")',
		);
		expect(sendCalls(server.current)).toHaveLength(0);
		expect(server.current.liveItems()).toHaveLength(0);
	});

	test('with continue-on-fail the invalid item becomes an error item and the valid ones are sent', async () => {
		const result = await run(add(items, { onError: 'continueRegularOutput' }));
		expect(result.errorMessage).toBeUndefined();
		const output = result.output('Pocket');
		expect(output.map((o) => o.json.success ?? o.json.error)).toEqual([
			true,
			'Item 1: URL (url) must be an absolute http(s) URL such as https://example.com/article (got "example.com/no-scheme")',
			true,
		]);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].error?.context).toMatchObject({ itemIndex: 1, field: 'url' });
		expect((sendCalls(server.current)[0].body as { actions: unknown[] }).actions).toHaveLength(2);
		expect(server.current.liveItems().map((i) => i.given_url)).toEqual(['https://example.com/ok', 'https://example.com/ok2']);
	});

	test('every field is checked: tags that are empty after trimming, a non-numeric id, a bad time', async () => {
		seedItem(server.current, { item_id: '1001' });
		const tagsWf = withPocket(withItems(loadWorkflow('item-add-tags'), [{ id: 1001, tags: ' , ,' }]), {}, {});
		expect((await run(tagsWf)).errorMessage).toBe('Item 0: Tags (tags) must name at least one tag');
		expect((await run(archive([{ id: 'abc' }]))).errorMessage).toMatch(/^Item 0: Item ID \(item_id\) must be a whole number/);
		const timeWf = add([{ link: 'https://example.com/a' }], {}, { additionalFields: { time: 'yesterday' } });
		expect((await run(timeWf)).errorMessage).toMatch(/^Item 0: Time \(time\) must be a date and time/);
		expect(sendCalls(server.current)).toHaveLength(0);
	});
});
