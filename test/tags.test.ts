/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * Item → Add's tags land, or the node says they did not (issue 18): on both kinds of test server,
 * in n8n's engine, the tags each saved item really holds afterwards, the calls made, and what the
 * output items and the run's hints say, for every Save Tags way, Define Below, auto-mapped and
 * RSS entries with the example's Tag Rules, duplicates, and a completion step that fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INode, INodeParameters, IWorkflowBase, NodeExecutionHint } from 'n8n-workflow';

import { urlKey } from '../nodes/Pocket/actions/send/tags';
import type { RunResult } from './harness/engine';
import { runWorkflow } from './harness/engine';
import { seedItem, useServer } from './harness/pocket-fixture';
import { expectNoSecrets } from './harness/secrets';
import { ACCESS_TOKEN, ACCOUNT, CONSUMER_KEY, loadWorkflow, pocketCredentials, signInCredentials, withItems, withPocket } from './harness/workflows';
import type { ServerKind } from './server/server-kind';

const server = useServer();

const calls = (endpoint: string) => server.current.requests.filter((r) => r.path.endsWith(`/${endpoint}`));
const callCounts = () => ({ send: calls('send').length, get: calls('get').length, add: calls('add').length });
const sentActions = () => calls('send').map((r) => ((r.body as { actions: IDataObject[] }).actions ?? []).map((a) => a.action));
const stored = () => server.current.liveItems().map((i) => [i.given_url, i.tags]);
const hints = (result: RunResult): NodeExecutionHint[] => result.run.data.resultData.runData.Pocket?.[0]?.hints ?? [];
const tagReports = (result: RunResult) => result.output('Pocket').map((o) => o.json.tags);

const run = (workflow: IWorkflowBase) => runWorkflow(workflow, { credentials: pocketCredentials(server.current) });

type Settings = Parameters<typeof withPocket>[2];

const autoMapped = (items: unknown[], parameters: INode['parameters'] = {}, settings: Settings = {}) =>
	run(withPocket(withItems(loadWorkflow('auto-map'), items), { operation: 'add', ...parameters }, settings));

const ENTRIES = [
	{ link: 'https://example.com/a', title: 'A', categories: ['news', 'Tech'] },
	{ link: 'https://example.com/b', title: 'B', categories: ['news'] },
];

/** The RSS example's own Save to Pocket node: its Tag Rules and fixed tag, as users import it. */
function exampleTagging(): INodeParameters {
	const example = JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', 'rss-auto-tag.json'), 'utf8')) as IWorkflowBase;
	const node = example.nodes.find((n) => n.type === 'n8n-nodes-pocket.pocket');
	if (!node) throw new Error('the RSS example has no Pocket node');
	return node.parameters.tagging as INodeParameters;
}

/** Entries as RSS Feed Read gives them, for the example's rules (web for javascript or typescript, build-tools, rust, long-read, …). */
const FEED = [
	{ title: 'Faster TypeScript builds', link: 'https://example.com/ts', categories: ['Programming'], contentSnippet: 'Project references for typescript.' },
	{ title: 'A tour of Rust', link: 'https://example.com/rust', categories: [], contentSnippet: 'Ownership for JavaScript developers.' },
	{ title: 'Weekend reading', link: 'https://example.com/weekend', contentSnippet: 'Nothing in particular.' },
];

const FEED_TAGS = [
	['https://example.com/ts', ['Programming', 'rss', 'web', 'build-tools']],
	['https://example.com/rust', ['rss', 'rust', 'web']],
	['https://example.com/weekend', ['rss', 'long-read']],
];

/** What Check and Complete costs on each kind: Pocket's answer lists the tags; open-pocket needs a read and a tags_add. */
const CHECK_COST: Record<ServerKind, { counts: ReturnType<typeof callCounts>; how: string; actions: string[][] }> = {
	pocket: { counts: { send: 1, get: 0, add: 0 }, how: 'answer', actions: [['add', 'add', 'add']] },
	'open-pocket': { counts: { send: 2, get: 1, add: 0 }, how: 'tags_add', actions: [['add', 'add', 'add'], ['tags_add', 'tags_add', 'tags_add']] },
};

describe.each<ServerKind>(['pocket', 'open-pocket'])('on the %s kind', (kind) => {
	beforeEach(() => (server.current.kind = kind));

	test('the RSS example with its Tag Rules stores the exact tags on every entry, in a bounded number of calls', async () => {
		const result = await autoMapped(FEED, { tagging: exampleTagging() });
		expect(result.errorMessage).toBeUndefined();
		expect(stored()).toEqual(FEED_TAGS);
		expect(callCounts()).toEqual(CHECK_COST[kind].counts);
		expect(sentActions()).toEqual(CHECK_COST[kind].actions);
		expect(tagReports(result)).toEqual(FEED_TAGS.map(([, sent]) => ({ sent, confirmed: true, how: CHECK_COST[kind].how })));
		expect(hints(result)).toEqual([]);
	});

	test('Define Below: the Tags field lands', async () => {
		const workflow = withPocket(withItems(loadWorkflow('item-add'), ENTRIES), { additionalFields: { tags: '={{ $json.categories }}', title: '={{ $json.title }}' } });
		const result = await run(workflow);
		expect(result.errorMessage).toBeUndefined();
		expect(stored()).toEqual([
			['https://example.com/a', ['news', 'Tech']],
			['https://example.com/b', ['news']],
		]);
		expect(tagReports(result)).toEqual([
			{ sent: ['news', 'Tech'], confirmed: true, how: CHECK_COST[kind].how },
			{ sent: ['news'], confirmed: true, how: CHECK_COST[kind].how },
		]);
	});

	test('auto-mapped items with their own tags, mixed with another action, under Max Actions Per Call', async () => {
		seedItem(server.current, { item_id: '7', status: 0 });
		const items = [{ url: 'https://example.com/a', tags: 'x, y' }, { action: 'archive', item_id: '7' }, { url: 'https://example.com/b', tags: ['z'] }];
		const result = await autoMapped(items, { options: { maxActionsPerCall: 2 } });
		expect(result.errorMessage).toBeUndefined();
		expect(server.current.liveItems().map((i) => [i.item_id, i.status, i.tags])).toEqual([
			['7', 1, []],
			['1001', 0, ['x', 'y']],
			['1002', 0, ['z']],
		]);
		expect(tagReports(result)).toEqual([{ sent: ['x', 'y'], confirmed: true, how: CHECK_COST[kind].how }, undefined, { sent: ['z'], confirmed: true, how: CHECK_COST[kind].how }]);
		// Two add calls; on open-pocket one read and one tags_add call for both.
		expect(callCounts()).toEqual(kind === 'pocket' ? { send: 2, get: 0, add: 0 } : { send: 3, get: 1, add: 0 });
	});

	test('an add without tags costs nothing more, and says none were sent', async () => {
		const result = await autoMapped([{ url: 'https://example.com/a' }]);
		expect(callCounts()).toEqual({ send: 1, get: 0, add: 0 });
		expect(tagReports(result)).toEqual([{ sent: [], confirmed: true, how: 'none sent' }]);
	});

	test('One /add Call per Item: every item saved through /add with its tags, the answer confirming them or one tags_add call', async () => {
		const result = await autoMapped(FEED, { tagging: exampleTagging(), options: { tagLanding: 'addEndpoint' } });
		expect(result.errorMessage).toBeUndefined();
		expect(stored()).toEqual(FEED_TAGS);
		expect(calls('add').map((r) => (r.body as IDataObject).url)).toEqual(FEED.map((e) => e.link));
		// Neither kind's /add answer lists tags: one tags_add call confirms them, no read is needed.
		expect(callCounts()).toEqual({ send: 1, get: 0, add: 3 });
		expect(tagReports(result).map((t) => (t as IDataObject).how)).toEqual(['tags_add', 'tags_add', 'tags_add']);
		expect(result.output('Pocket').map((o) => (o.json.item as IDataObject).item_id)).toEqual(['1001', '1002', '1003']);
	});
});

describe('Trust the Send Call', () => {
	test('on Pocket the answer confirms the tags in one call', async () => {
		const result = await autoMapped(ENTRIES, { options: { tagLanding: 'trust' } });
		expect(callCounts()).toEqual({ send: 1, get: 0, add: 0 });
		expect(tagReports(result)).toEqual([
			{ sent: ['news', 'Tech'], confirmed: true, how: 'answer' },
			{ sent: ['news'], confirmed: true, how: 'answer' },
		]);
	});

	test('on a server that drops them: one call, the items saved untagged, every output item and a hint say the tags are not confirmed', async () => {
		server.current.kind = 'open-pocket';
		const result = await autoMapped(ENTRIES, { options: { tagLanding: 'trust' } });
		expect(result.errorMessage).toBeUndefined();
		expect(callCounts()).toEqual({ send: 1, get: 0, add: 0 });
		expect(stored()).toEqual([
			['https://example.com/a', []],
			['https://example.com/b', []],
		]);
		expect(result.output('Pocket').map((o) => [o.json.success, (o.json.tags as IDataObject).confirmed, (o.json.tags as IDataObject).how])).toEqual([
			[true, false, 'not confirmed'],
			[true, false, 'not confirmed'],
		]);
		expect(hints(result)).toEqual([
			{
				type: 'warning',
				message:
					'The tags of 2 saved item(s) are not confirmed by the server (items 0-1). Set Options → Save Tags to "Check and Complete" to have the node add them, or check them on the server.',
			},
		]);
	});
});

describe('duplicates on the open-pocket kind', () => {
	beforeEach(() => (server.current.kind = 'open-pocket'));

	test('a URL saved before: the new copy gets the tags, the old one keeps its own', async () => {
		seedItem(server.current, { item_id: '500', given_url: 'https://example.com/a', tags: ['old'], time_added: 1000 });
		const result = await autoMapped([{ url: 'https://example.com/a', tags: 'new' }]);
		expect(result.errorMessage).toBeUndefined();
		expect(server.current.liveItems().map((i) => [i.item_id, i.given_url, i.tags])).toEqual([
			['500', 'https://example.com/a', ['old']],
				['1001', 'https://example.com/a', ['new']],
		]);
		expect(calls('send')[1].body).toMatchObject({ actions: [{ action: 'tags_add', item_id: '1001', tags: 'new' }] });
	});

	test('one URL twice in a batch: each add tags its own copy', async () => {
		const result = await autoMapped([
			{ url: 'https://example.com/a', tags: 'first' },
			{ url: 'https://example.com/a', tags: 'second' },
		]);
		expect(result.errorMessage).toBeUndefined();
		expect(server.current.liveItems().map((i) => [i.item_id, i.tags])).toEqual([
			['1001', ['first']],
			['1002', ['second']],
		]);
	});

	test('a URL is matched as servers give it back: another scheme, "www.", case in the host, a trailing slash, a fragment', () => {
		const key = urlKey('https://www.Example.com/path/#top');
		expect(['http://example.com/path', 'https://EXAMPLE.com/path/', 'https://example.com/path#x'].map(urlKey)).toEqual([key, key, key]);
		expect(urlKey('https://example.com/Path')).not.toBe(key);
		expect(urlKey('https://example.com/path?q=1')).not.toBe(key);
	});
});

describe('when the completion step fails, the items stay saved and their tags are reported unconfirmed', () => {
	beforeEach(() => (server.current.kind = 'open-pocket'));

	const unconfirmedReasons = (result: RunResult) =>
		result.output('Pocket').map((o) => [o.json.success, (o.json.tags as IDataObject).confirmed, (o.json.tags as IDataObject).reason]);

	test('the read fails: the run fails naming the items and saying they were saved; with Continue On Fail, success items with the reason', async () => {
		server.current.faults.push({ type: 'slow', ms: 0 }, { type: 'http', status: 400, headers: { 'X-Error': 'Bad read' } });
		const failed = await autoMapped(ENTRIES);
		expect(failed.errorMessage).toMatch(/^The tags of 2 saved item\(s\) could not be confirmed \(items 0-1\): item 0 \(news,Tech\): The answer did not name the saved item, and reading the list to find it failed: /);
		expect((failed.error as { description?: string }).description).toMatch(/^The items themselves were saved/);
		expect(stored()).toEqual([
			['https://example.com/a', []],
			['https://example.com/b', []],
		]);
		expect(callCounts()).toEqual({ send: 1, get: 1, add: 0 });

		server.current.reset();
		server.current.kind = 'open-pocket';
		server.current.faults.push({ type: 'slow', ms: 0 }, { type: 'http', status: 400, headers: { 'X-Error': 'Bad read' } });
		const continued = await autoMapped(ENTRIES, {}, { onError: 'continueRegularOutput' });
		expect(unconfirmedReasons(continued)).toEqual([
			[true, false, expect.stringMatching(/reading the list to find it failed: .*Bad read/)],
			[true, false, expect.stringMatching(/reading the list to find it failed: .*Bad read/)],
		]);
		expect(hints(continued)).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^The tags of 2 saved item\(s\) are not confirmed by the server \(items 0-1\)\. Each item's tags\.reason says why/) })]);
	});

	test('the list does not hold the URL: not found, said per item', async () => {
		server.current.faults.push({ type: 'slow', ms: 0 }, { type: 'http', status: 200, body: '{"list": []}' });
		const result = await autoMapped(ENTRIES.slice(0, 1), {}, { onError: 'continueRegularOutput' });
		expect(unconfirmedReasons(result)).toEqual([[true, false, 'The answer did not name the saved item, and none of the 0 items the server lists has this URL.']]);
		expect(callCounts()).toEqual({ send: 1, get: 1, add: 0 });
	});

	test('the tags_add call fails: unconfirmed with the reason, the tags absent on the server', async () => {
		server.current.faults.push({ type: 'slow', ms: 0 }, { type: 'slow', ms: 0 }, { type: 'http', status: 400, headers: { 'X-Error': 'No tags today' } });
		const result = await autoMapped(ENTRIES.slice(0, 1), {}, { onError: 'continueRegularOutput' });
		expect(unconfirmedReasons(result)).toEqual([[true, false, expect.stringMatching(/^The tags_add call on item 1001 failed: .*No tags today/)]]);
		expect(stored()).toEqual([['https://example.com/a', []]]);

		server.current.reset();
		server.current.kind = 'open-pocket';
		server.current.faults.push({ type: 'slow', ms: 0 }, { type: 'slow', ms: 0 }, { type: 'http', status: 400, headers: { 'X-Error': 'No tags today' } });
		const failed = await autoMapped(ENTRIES.slice(0, 1));
		expect(failed.errorMessage).toMatch(/^The tags of 1 saved item\(s\) could not be confirmed \(items 0\): item 0 \(news,Tech\): The tags_add call on item 1001 failed/);
	});

	test('under Max Actions Per Call, a tags_add call that fails stops the later ones: each item says whether its call failed or was not sent', async () => {
		// Two add calls and the read are answered; the first tags_add call is refused.
		server.current.faults.push({ type: 'slow', ms: 0 }, { type: 'slow', ms: 0 }, { type: 'slow', ms: 0 }, { type: 'http', status: 400, headers: { 'X-Error': 'No tags today' } });
		const result = await autoMapped(ENTRIES, { options: { maxActionsPerCall: 1 } }, { onError: 'continueRegularOutput' });
		expect(unconfirmedReasons(result)).toEqual([
			[true, false, expect.stringMatching(/^The tags_add call on item 1001 failed: .*No tags today/)],
			[true, false, expect.stringMatching(/^Not sent: an earlier tags_add call failed \(.*No tags today.*\)\.$/)],
		]);
		expect(stored()).toEqual([
			['https://example.com/a', []],
			['https://example.com/b', []],
		]);
		expect(callCounts()).toEqual({ send: 3, get: 1, add: 0 });
	});

	test('an /add call that fails stops the others; the saved ones are said to be saved', async () => {
		server.current.faults.push({ type: 'http', status: 400, headers: { 'X-Error': 'Refused' } });
		const failed = await autoMapped(FEED, { tagging: exampleTagging(), options: { tagLanding: 'addEndpoint' } });
		expect(failed.errorMessage).toMatch(/^1 of 3 \/add calls failed, the first: /);
		expect((failed.error as { description?: string }).description).toMatch(/Items \d were in the failed calls and were not saved\./);
		// The calls already in flight finish, and their items are tagged.
		expect(stored()).toHaveLength(2);
		for (const [url, tags] of stored()) expect(FEED_TAGS).toContainEqual([url, tags]);
	});
});

describe('/add goes through the same transport as /send', () => {
	const viaAdd = (items: unknown[], credentials: ReturnType<typeof pocketCredentials | typeof signInCredentials> = pocketCredentials(server.current)) =>
		runWorkflow(withPocket(withItems(loadWorkflow('auto-map'), items), { operation: 'add', options: { tagLanding: 'addEndpoint' } }), { credentials });

	test('Email and Password: a token the server stops accepting is renewed once and the /add call sent again', async () => {
		const credentials = signInCredentials(server.current);
		expect((await viaAdd([{ url: 'https://example.com/warm', tags: 'w' }], credentials)).errorMessage).toBeUndefined();
		server.current.faults.push({ type: 'expire-tokens' });
		const result = await viaAdd([{ url: 'https://example.com/a', tags: 'x,y' }], credentials);
		expect(result.errorMessage).toBeUndefined();
		expect(server.current.signIn.logins).toBe(2);
		expect(stored()).toEqual([
			['https://example.com/warm', ['w']],
			['https://example.com/a', ['x', 'y']],
		]);
		expectNoSecrets(result, [ACCOUNT.password, CONSUMER_KEY, ...server.current.signIn.accessTokens.keys()]);
	});

	test('Email and Password: /add calls in flight together share one sign-in when the server stops accepting the token', async () => {
		const credentials = signInCredentials(server.current);
		expect((await viaAdd([{ url: 'https://example.com/warm', tags: 'w' }], credentials)).errorMessage).toBeUndefined();
		server.current.faults.push({ type: 'expire-tokens' });
		const before = server.current.signIn.logins;
		const items = ['a', 'b', 'c', 'd'].map((x) => ({ url: `https://example.com/${x}`, tags: x }));
		const result = await viaAdd(items, credentials);
		expect(result.errorMessage).toBeUndefined();
		expect(server.current.signIn.logins - before).toBe(1);
		expect(stored().slice(1)).toEqual(items.map((i) => [i.url, [i.tags]]));
	});

	test('a rate limit is waited for and the call retried', async () => {
		server.current.faults.push({ type: 'http', status: 429, headers: { 'Retry-After': '1' } });
		const result = await viaAdd([{ url: 'https://example.com/a', tags: 'x' }]);
		expect(result.errorMessage).toBeUndefined();
		expect(callCounts()).toEqual({ send: 1, get: 0, add: 2 });
		expect(stored()).toEqual([['https://example.com/a', ['x']]]);
	});

	test('an answer that echoes the keys reaches the output without them', async () => {
		server.current.faults.push({ type: 'echo-secrets' });
		const result = await viaAdd([{ url: 'https://example.com/a', tags: 'x' }]);
		expect(result.errorMessage).toBeUndefined();
		expectNoSecrets(result, [CONSUMER_KEY, ACCESS_TOKEN]);
	});
});
