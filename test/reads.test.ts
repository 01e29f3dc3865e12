/**
 * Reads that stay faithful on servers that differ (issue 18 items 2–5, issue 19 items 3–5), in
 * n8n's engine against both kinds of test server: a server that refuses `since` is read again
 * without it, once per workflow; a filter the node cannot check stops the run unless the user
 * asks for marked items; filter values from expressions are sent exactly or refused; Limit and
 * Page Size refuse what is not a count; the server's own reason reaches the error.
 */
import type { IDataObject, INodeParameters, NodeExecutionHint } from 'n8n-workflow';

import type { RunResult } from './harness/engine';
import { activate, runWorkflow } from './harness/engine';
import { seedItem, useServer } from './harness/pocket-fixture';
import type { PocketServer } from './server/pocket-server';
import { ACCESS_TOKEN, CONSUMER_KEY, loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';

const server = useServer();

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Four live items and a deleted one; 1002 and 1004 changed late. */
function seedLibrary() {
	const s = server.current;
	seedItem(s, { item_id: '1001', given_url: 'https://github.com/a/one', title: 'One', tags: ['read'], time_added: 1000, time_updated: 1000 });
	seedItem(s, { item_id: '1002', given_url: 'https://github.com/b/two', title: 'Two', tags: ['read', 'dev'], status: 1, time_added: 2000, time_updated: 2600, time_read: 2600 });
	seedItem(s, { item_id: '1003', given_url: 'https://example.com/three', title: 'Three', content_type: 'video', time_added: 3000, time_updated: 3000 });
	seedItem(s, { item_id: '1004', given_url: 'https://blog.github.com/four', title: 'Four', tags: ['news'], favorite: 1, time_added: 4000, time_updated: 4500, time_favorited: 4500 });
	seedItem(s, { item_id: '1005', given_url: 'https://example.org/five', title: 'Five', status: 2, time_added: 500, time_updated: 5000 });
}

beforeEach(seedLibrary);

const getCalls = (s: PocketServer = server.current) => s.requests.filter((r) => r.path.endsWith('/get')).map((r) => r.body as IDataObject);

function getMany(parameters: INodeParameters = {}, items: IDataObject[] = [{}], settings: Parameters<typeof withPocket>[2] = {}) {
	const workflow = withPocket(withItems(loadWorkflow('item-get-many'), items), parameters, settings);
	return runWorkflow(workflow, { credentials: pocketCredentials(server.current) });
}

const ids = (result: RunResult) => result.output('Pocket').map((o) => String(o.json.item_id));
const hints = (result: RunResult): NodeExecutionHint[] => result.run.data.resultData.runData.Pocket?.[0]?.hints ?? [];
const description = (result: RunResult) => (result.error as { description?: string } | undefined)?.description ?? '';

describe('Changed Since on a server that refuses since (issue 18.2)', () => {
	test('open-pocket: the refused call is read again without since, Changed Since is applied on the node, and the next read skips the refused call', async () => {
		server.current.kind = 'open-pocket';
		// Two input items, one read each (the filter is an expression): the second knows since is refused.
		const result = await getMany({ filters: { changedSince: `={{ $json.since }}` } }, [{ since: iso(2600) }, { since: iso(4500) }]);
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Pocket').map((o) => [o.json.item_id, o.pairedItem])).toEqual([
			['1004', { item: 0 }],
			['1003', { item: 0 }],
			['1002', { item: 0 }],
			['1004', { item: 1 }],
		]);
		// One refused call (HTTP 500), then pages without since; the second read never sends it.
		const sent = getCalls().map((c) => c.since);
		expect(sent[0]).toBe(2600);
		expect(sent.slice(1)).toEqual(sent.slice(1).map(() => undefined));
		expect(hints(result)).toContainEqual({ type: 'info', message: 'The server refuses Changed Since: the node read without it and checked the times itself.' });
		// Leaving out the unchanged items was the node's plan: no warning blames the server for it.
		expect(hints(result).filter((h) => h.type === 'warning')).toEqual([]);
	});

	test('Pocket: since is sent and honoured, in one call', async () => {
		const result = await getMany({ filters: { changedSince: iso(2600) } });
		expect(ids(result).sort()).toEqual(['1002', '1003', '1004', '1005']);
		expect(getCalls().map((c) => c.since)).toEqual([2600]);
	});

	test('a 500 that does not name since is not taken for a refusal of since', async () => {
		server.current.faults.push({ type: 'http', status: 500, body: '{"message":"database is down"}' }, { type: 'http', status: 500, body: '{"message":"database is down"}' });
		const result = await getMany({ filters: { changedSince: iso(2600) }, options: { maxWait: 1 } });
		expect(result.errorMessage).toMatch(/failed while handling the call \(HTTP 500\)/);
		expect(description(result)).toContain('The server said: "database is down".');
		expect(getCalls().map((c) => c.since)).toEqual([2600, 2600]);
	});
});

describe('filters the node cannot check (issues 18.4 and 19.5)', () => {
	beforeEach(() => (server.current.kind = 'open-pocket'));

	test.each([
		['a tag', 'read'],
		['untagged', '_untagged_'],
	])('open-pocket, Tag %s: the run stops naming the filter and why, and returns nothing', async (_, tag) => {
		const result = await getMany({ filters: { tag } });
		expect(result.errorMessage).toBe('The Tag (tag) filter cannot be applied on this server');
		expect(description(result)).toMatch(/^Tag \(tag\): the server sends no tags, so the node cannot tell which items have the tag \(or none\)\. The server returned 4 item\(s\)/);
		expect(result.output('Pocket')).toEqual([]);
	});

	test('open-pocket, Untagged with Return Unchecked Items: every item, each marked, with a hint', async () => {
		const result = await getMany({ filters: { tag: '_untagged_' }, options: { returnUnchecked: true } });
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Pocket').map((o) => [o.json.item_id, o.json.unchecked])).toEqual([
			['1004', ['tag']],
			['1003', ['tag']],
			['1002', ['tag']],
			['1001', ['tag']],
		]);
		expect(hints(result)).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^Tag \(tag\) could not be checked on 4 returned item\(s\)/) }));
	});

	test('under Continue On Fail the refusal is the input item\'s error item', async () => {
		const result = await getMany({ filters: { tag: 'read' } }, [{}], { onError: 'continueRegularOutput' });
		expect(result.output('Pocket')).toEqual([expect.objectContaining({ json: { error: 'The Tag (tag) filter cannot be applied on this server' }, pairedItem: { item: 0 } })]);
	});

	test('Pocket, Untagged: one more page without the tag filter shows the server sends tags, so the untagged items are checked', async () => {
		server.current.kind = 'pocket';
		const result = await getMany({ filters: { tag: '_untagged_' } });
		expect(result.errorMessage).toBeUndefined();
		expect(ids(result)).toEqual(['1003']);
		expect(result.output('Pocket')[0].json).not.toHaveProperty('unchecked');
		expect(getCalls().map((c) => c.tag)).toEqual(['_untagged_', undefined]);
	});

	test.each<[string, INodeParameters, string[]]>([
		['Search (title or URL contains it, any case)', { search: 'THR' }, ['1003']],
		['Search in the URL', { search: 'blog.github' }, ['1004']],
		['Content Type video (from the has_video flag)', { contentType: 'video' }, ['1003']],
		['Content Type article (from is_article)', { contentType: 'article' }, ['1001', '1002', '1004']],
		['State, Favorite and Domain', { state: 'unread', favorite: 'favorite', domain: 'github.com' }, ['1004']],
	])('open-pocket ignores it, the node checks it: %s', async (_, filters, expected) => {
		const result = await getMany({ filters });
		expect(result.errorMessage).toBeUndefined();
		expect(ids(result).sort()).toEqual(expected);
		expect(hints(result)).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/^Left out \d+ item\(s\) the server returned although they contradict the filters/) }));
	});
});

describe('filter values from expressions (issue 19.3)', () => {
	test.each<[string, string, IDataObject]>([
		['a number tag', '={{ 2024 }}', { tag: '2024' }],
		['a number search', '={{ 42 }}', { search: '42' }],
	])('%s is sent as its digits', async (_, value, sent) => {
		const [name] = Object.keys(sent);
		await getMany({ filters: { [name]: value } });
		expect(getCalls()[0]).toMatchObject(sent);
	});

	test.each([
		['a JS Date', '={{ new Date(2600 * 1000) }}'],
		['a luxon DateTime', '={{ DateTime.fromSeconds(2600) }}'],
		['Unix seconds as a number', '={{ 2600 }}'],
	])('Changed Since from %s is its seconds', async (_, value) => {
		const result = await getMany({ filters: { changedSince: value } });
		expect(result.errorMessage).toBeUndefined();
		expect(getCalls()[0]).toMatchObject({ since: 2600 });
		expect(ids(result).sort()).toEqual(['1002', '1003', '1004', '1005']);
	});

	test.each<[string, INodeParameters, RegExp]>([
		['a list as the Tag', { tag: '={{ ["read", "dev"] }}' }, /^Item 0: Tag \(tag\) must be a text value \(got \["read","dev"\]\)/],
		['a boolean as the Tag', { tag: '={{ true }}' }, /^Item 0: Tag \(tag\) must be a text value \(got true\)/],
		['an object as Changed Since', { changedSince: '={{ {} }}' }, /^Item 0: Changed Since \(changedSince\) must be a date and time.*\(got \{\}\)/],
		['a boolean as Changed Since', { changedSince: '={{ false }}' }, /^Item 0: Changed Since \(changedSince\) must be a date and time.*\(got false\)/],
		['an unknown State', { state: '={{ "archived" }}' }, /^Item 0: State \(state\) must be one of unread, archive, all \(got "archived"\)/],
		['an unknown Sort', { sort: '={{ 1 }}' }, /^Item 0: Sort \(sort\) must be one of newest, oldest, title, site \(got 1\)/],
		['a list as the Domain', { domain: '={{ ["github.com"] }}' }, /^Item 0: Domain \(domain\) must be a text value/],
		['an object as the Search', { search: '={{ { q: 1 } }}' }, /^Item 0: Search \(search\) must be a text value/],
	])('%s is refused naming the filter, and nothing is read', async (_, filters, message) => {
		const result = await getMany({ filters });
		expect(result.errorMessage).toMatch(message);
		expect(description(result)).toBe('Nothing was read.');
		expect(getCalls()).toHaveLength(0);
	});

	test('an expression that yields nothing leaves the filter out', async () => {
		const result = await getMany({ filters: { tag: '={{ $json.missing }}', changedSince: '={{ null }}' } });
		expect(result.errorMessage).toBeUndefined();
		expect(getCalls()[0]).not.toHaveProperty('tag');
		expect(getCalls()[0]).not.toHaveProperty('since');
	});
});

describe('Limit and Page Size (issue 19.4)', () => {
	test.each<[string, INodeParameters, RegExp]>([
		['Limit -5', { returnAll: false, limit: -5 }, /^Item 0: Limit \(limit\) must be a whole number of at least 1 \(got -5\)/],
		['Limit 0', { returnAll: false, limit: 0 }, /^Item 0: Limit \(limit\) must be a whole number of at least 1 \(got 0\)/],
		['Limit 1.5', { returnAll: false, limit: 1.5 }, /^Item 0: Limit \(limit\) must be a whole number of at least 1 \(got 1\.5\)/],
		['Limit NaN', { returnAll: false, limit: '={{ NaN }}' }, /^Item 0: Limit \(limit\) must be a whole number of at least 1/],
		['Limit from an expression, as text', { returnAll: false, limit: '={{ "ten" }}' }, /^Item 0: Limit \(limit\) must be a whole number of at least 1 \(got "ten"\)/],
		['Page Size 0', { options: { pageSize: 0 } }, /^Item 0: Page Size \(pageSize\) must be a whole number of at least 1 \(got 0\)/],
		['Page Size -30', { options: { pageSize: -30 } }, /^Item 0: Page Size \(pageSize\) must be a whole number of at least 1 \(got -30\)/],
	])('%s is refused, and nothing is read', async (_, parameters, message) => {
		const result = await getMany(parameters);
		expect(result.errorMessage).toMatch(message);
		expect(getCalls()).toHaveLength(0);
	});

	test('Limit 2 returns two items', async () => {
		const result = await getMany({ returnAll: false, limit: 2, filters: { sort: 'oldest' } });
		expect(ids(result)).toEqual(['1001', '1002']);
	});
});

describe("the server's own reason (issue 18.5)", () => {
	test('open-pocket refuses a page of 150 with a JSON 500: the reason is in the description, and it is not tried again', async () => {
		server.current.kind = 'open-pocket';
		const result = await getMany({ options: { pageSize: 150 } });
		expect(result.errorMessage).toBe('The server refused the request as invalid (HTTP 500).');
		expect(description(result)).toMatch(/^No items were read\. The same request is refused every time, so it was not tried again; .* The server said: "Failed to serialize an error\. Error: \\"body\/count\\" must be <= 100\./);
		expect(getCalls()).toHaveLength(1);
	});

	test.each([
		['error as text', '{"error":"count too large"}', 'count too large'],
		['error.message', '{"error":{"code":7,"message":"quota exceeded for key"}}', 'quota exceeded for key'],
	])('a 4xx whose JSON body has %s', async (_, body, said) => {
		server.current.faults.push({ type: 'http', status: 409, body });
		const result = await getMany();
		expect(result.errorMessage).toBe('The server answered with an unexpected HTTP 409.');
		expect(description(result)).toContain(`The server said: "${said}".`);
	});

	test('the same on /send: a 500 whose JSON reason is a failed validation is one call, not applied, with the reason', async () => {
		server.current.faults.push({ type: 'http', status: 500, body: '{"statusCode":500,"message":"body/actions/0/item_id must be string"}' });
		const workflow = withPocket(withItems(loadWorkflow('item-archive'), [{ id: '1001' }]), { itemId: '={{ $json.id }}' }, { onError: 'continueRegularOutput' });
		const result = await runWorkflow(workflow, { credentials: pocketCredentials(server.current) });
		const [out] = result.output('Pocket');
		expect(out.json.error).toMatch(/The server refused the request as invalid \(HTTP 500\)\.$/);
		expect(out.error?.context.applied).toBe('no');
		expect(out.error?.description).toContain('The server said: "body/actions/0/item_id must be string".');
		expect(server.current.requests.filter((r) => r.path.endsWith('/send'))).toHaveLength(1);
		expect(server.current.state.items['1001'].status).toBe(0);
	});

	test('a reason that echoes the keys is cleaned of them', async () => {
		server.current.faults.push({ type: 'http', status: 400, body: JSON.stringify({ message: `bad key ${CONSUMER_KEY} for token ${ACCESS_TOKEN}` }) });
		const result = await getMany();
		expect(description(result)).toMatch(/The server said: "bad key .* for token .*"\./);
		expect(JSON.stringify(result.run) + description(result)).not.toContain(ACCESS_TOKEN);
		expect(description(result)).not.toContain(CONSUMER_KEY);
	});
});

describe('the trigger on the open-pocket kind', () => {
	/** Sends actions as any client of the server would. */
	async function send(...actions: IDataObject[]) {
		const answer = await fetch(`${server.current.url}/send`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN, actions }),
		});
		expect(answer.status).toBe(200);
	}

	const urls = (items: Array<{ json: IDataObject }> | undefined) => (items ?? []).map((i) => String(i.json.url));

	test('each event once over several polls; since is refused once, then never sent again (issue 18.2)', async () => {
		server.current.kind = 'open-pocket';
		const active = await activate(loadWorkflow('trigger-events'), { credentials: pocketCredentials(server.current) });
		try {
			expect(active.first.errors).toEqual({});
			expect(active.first.emitted).toEqual({});
			// Each trigger's first read: one refused call with since, then the read without.
			const triggers = Object.keys(active.workflow.staticData).length;
			expect(triggers).toBe(5);
			expect(getCalls().filter((c) => c.since !== undefined)).toHaveLength(triggers);

			await send({ action: 'add', url: 'https://example.com/b' }, { action: 'add', url: 'https://example.com/c' });
			let polled = await active.poll();
			expect(urls(polled.emitted['Item Saved'])).toEqual(['https://example.com/b', 'https://example.com/c']);
			const stored = server.current.liveItems();
			const [b, c] = stored.filter((i) => i.given_url.endsWith('/b') || i.given_url.endsWith('/c')).map((i) => i.item_id);

			await send({ action: 'archive', item_id: b }, { action: 'favorite', item_id: c }, { action: 'add', url: 'https://example.com/d' });
			polled = await active.poll();
			expect(urls(polled.emitted['Item Saved'])).toEqual(['https://example.com/d']);
			expect(urls(polled.emitted['Item Archived'])).toEqual(['https://example.com/b']);
			expect(urls(polled.emitted['Item Favorited'])).toEqual(['https://example.com/c']);

			// Nothing changed: the server sends everything again, and nothing is emitted.
			polled = await active.poll();
			expect(polled.emitted).toEqual({});
			expect(polled.errors).toEqual({});
			expect(getCalls().filter((c) => c.since !== undefined)).toHaveLength(triggers);
		} finally {
			await active.deactivate();
		}
	});

	test('a server that fails from the start: activation goes ahead, and the next poll fails with the server\'s reason (issue 18.3)', async () => {
		server.current.kind = 'open-pocket';
		const refusal = { type: 'http' as const, status: 400, headers: { 'X-Error': 'Service suspended' } };
		for (let i = 0; i < 10; i++) server.current.faults.push(refusal);
		const active = await activate(loadWorkflow('trigger-events'), { credentials: pocketCredentials(server.current) });
		try {
			expect(active.first.errors).toEqual({});
			const failed = await active.poll();
			expect(failed.errors['Item Saved']?.message).toBe('The server rejected the call as malformed (HTTP 400). The server said: "Service suspended".');
			// Once the server answers again, items saved since activation are events.
			await send({ action: 'add', url: 'https://example.com/after' });
			expect(urls((await active.poll()).emitted['Item Saved'])).toEqual(['https://example.com/after']);
		} finally {
			await active.deactivate();
		}
	});
});
