/**
 * Issue 21 in n8n's engine: Add in Map Input Fields Automatically reads Pocket export rows as
 * Extract From File gives them (every value a string, an empty cell left out), archives the rows
 * that say so, keeps the save time, and Skip URLs Already Saved makes a second run add nothing,
 * on both test server kinds; the server's state is asserted exactly.
 */
import type { IDataObject, NodeExecutionHint } from 'n8n-workflow';

import type { RunResult } from './harness/engine';
import { runWorkflow } from './harness/engine';
import { seedItem, sendCalls, useServer } from './harness/pocket-fixture';
import { loadWorkflow, pocketCredentials, withItems, withPocket } from './harness/workflows';
import type { ServerKind } from './server/server-kind';
import type { ExportItem } from './fixtures/pocket-export';
import { expectedItem, exportItems, isArchived } from './fixtures/pocket-export';

const server = useServer();

/** A row of an export CSV file as n8n's Extract From File reads it. */
function csvRow(item: ExportItem, cursor: number): IDataObject {
	return {
		title: item.title,
		url: item.url,
		time_added: String(item.time_added),
		cursor: String(cursor),
		...(item.tags.length ? { tags: item.tags.join('|') } : {}),
		status: item.status,
	};
}

const rowsOf = (items: ExportItem[]) => items.map((item, i) => csvRow(item, i + 1));

const run = (items: unknown[], options: { skipExisting?: boolean; maxActionsPerCall?: number } = {}, settings = {}) =>
	runWorkflow(withPocket(withItems(loadWorkflow('auto-map'), items), { options }, settings), {
		credentials: pocketCredentials(server.current),
	});

const hints = (result: RunResult): NodeExecutionHint[] => result.run.data.resultData.runData.Pocket?.[0]?.hints ?? [];

const byUrl = (a: { given_url: string }, b: { given_url: string }) => a.given_url.localeCompare(b.given_url);

/** What the server holds, in the fixture's terms; `tags` left out where the kind cannot land them yet. */
const state = (withTags: boolean) =>
	server.current
		.liveItems()
		.map(({ given_url, title, tags, status, time_added }) => ({ given_url, title, status, time_added, ...(withTags ? { tags } : {}) }))
		.sort(byUrl);

const expected = (items: ExportItem[], withTags: boolean) =>
	items
		.map(expectedItem)
		.map(({ tags, ...rest }) => ({ ...rest, ...(withTags ? { tags } : {}) }))
		.sort(byUrl);

const paths = () => server.current.requests.map((r) => r.path.replace(/^\/api\/v1/, ''));

test('an export row becomes an add with its tags split on "|", its title and its time_added as the time, then an archive by id', async () => {
	const items = exportItems(7);
	const result = await run(rowsOf(items));
	expect(result.errorMessage).toBeUndefined();
	const [adds, archives] = sendCalls(server.current).map((c) => (c.body as { actions: IDataObject[] }).actions);
	expect(adds).toEqual(
		items.map((item) => ({
			action: 'add',
			url: item.url,
			title: item.title,
			time: String(item.time_added),
			...(item.tags.length ? { tags: item.tags.join(',') } : {}),
		})),
	);
	expect(adds[4]).toMatchObject({ tags: 'news,tech,weekend reading' });
	expect(adds[3]).toMatchObject({ tags: 'café,日本,ünïcode tag', title: 'Café, naïveté & 日本語 3 🚀' });
	const archivedIds = items.flatMap((item, i) => (isArchived(item) ? [String(1001 + i)] : []));
	expect(archives).toEqual(archivedIds.map((id) => ({ action: 'archive', item_id: id })));
	expect(state(true)).toEqual(expected(items, true));
	expect(result.output('Pocket').map((o) => o.json.archived ?? false)).toEqual(items.map(isArchived));
});

test("Pocket's own names win: time over time_added, url over link; a status the export never writes names the item and the field", async () => {
	const rows = [
		{ url: 'https://example.com/own', link: 'https://example.com/rss', time: '1700000000', time_added: '1500000000', status: 'ARCHIVE ' },
		{ url: 'https://example.com/bad-status', status: 'favourite' },
		{ url: 'https://example.com/bad-time', time_added: 'yesterday' },
	];
	const failed = await run(rows);
	expect(failed.errorMessage).toBe('Item 1: status (status) must be unread, archive or read, as in a Pocket export (got "favourite")');
	expect(server.current.requests).toEqual([]);

	const continued = await run(rows, {}, { onError: 'continueRegularOutput' });
	expect(continued.output('Pocket').map((o) => o.json.error ?? o.json.archived)).toEqual([
		true,
		'Item 1: status (status) must be unread, archive or read, as in a Pocket export (got "favourite")',
		expect.stringMatching(/^Item 2: Time \(time\) must be a date and time, .* \(got "yesterday"\), read from the item's "time_added" field$/),
	]);
	expect(server.current.liveItems().map(({ given_url, status, time_added }) => ({ given_url, status, time_added }))).toEqual([
		{ given_url: 'https://example.com/own', status: 1, time_added: 1700000000 },
	]);
});

describe.each<ServerKind>(['pocket', 'open-pocket'])('on the %s kind', (kind) => {
	beforeEach(() => (server.current.kind = kind));
	// Both kinds store the tags: open-pocket's with a tags_add after the add (Save Tags, issue 18).
	const withTags = true;

	test('every row lands with its archive state and save time; a second run with Skip URLs Already Saved adds nothing', async () => {
		const items = exportItems(20);
		const rows = rowsOf(items);
		const first = await run(rows, { skipExisting: true });
		expect(first.errorMessage).toBeUndefined();
		expect(state(withTags)).toEqual(expected(items, withTags));
		// The saved URLs (none yet), the adds, then the archives: by the ids in the add's answer (Pocket).
		// Where the server answers an add with `true`, a read finds the tagged items for tags_add, and
		// another the untagged ones to archive (the tagged ones keep the id the first read found).
		expect(paths()).toEqual(['/get', '/send', ...(kind === 'pocket' ? [] : ['/get', '/send', '/get']), '/send']);
		expect(first.output('Pocket').filter((o) => o.json.archived === true)).toHaveLength(items.filter(isArchived).length);
		expect(hints(first)).toContainEqual({ type: 'info', message: 'Skipped 0 of 20 items: 0 already saved, 0 with the URL of an earlier item (0 saved items read).' });

		const stored = JSON.parse(JSON.stringify(server.current.liveItems())) as unknown;
		const applied = server.current.applied.length;
		const second = await run(rows, { skipExisting: true });
		expect(second.errorMessage).toBeUndefined();
		expect(server.current.applied.length).toBe(applied);
		expect(server.current.liveItems()).toEqual(stored);
		expect(second.output('Pocket').map((o) => [o.json.skipped, o.json.reason])).toEqual(items.map(() => [true, 'already saved']));
		expect(hints(second)).toContainEqual({
			type: 'info',
			message: 'Skipped 20 of 20 items: 20 already saved, 0 with the URL of an earlier item (20 saved items read).',
		});
	});

	test('a URL repeated in the input is sent once; a saved URL whose row says archived, still in the list, is archived: a half-finished run completes', async () => {
		seedItem(server.current, { item_id: '500', given_url: 'https://example.com/half', status: 0, time_added: 1500000000 });
		const rows = [
			{ url: 'https://example.com/half', status: 'archive' },
			{ url: 'https://EXAMPLE.com/new', status: 'unread' },
			{ url: 'https://example.com/new', status: 'archive' },
		];
		const result = await run(rows, { skipExisting: true });
		expect(result.errorMessage).toBeUndefined();
		expect(result.output('Pocket').map((o) => ({ skipped: o.json.skipped, reason: o.json.reason, archived: o.json.archived, sameAs: o.json.sameAs }))).toEqual([
			{ skipped: true, reason: 'already saved', archived: true, sameAs: undefined },
			{ skipped: undefined, reason: undefined, archived: undefined, sameAs: undefined },
			{ skipped: true, reason: 'earlier in the input', archived: undefined, sameAs: 1 },
		]);
		expect(server.current.liveItems().map(({ item_id, given_url, status }) => ({ item_id, given_url, status }))).toEqual([
			{ item_id: '500', given_url: 'https://example.com/half', status: 1 },
			{ item_id: '1001', given_url: 'https://EXAMPLE.com/new', status: 0 },
		]);
	});

	test('an archive step that fails leaves the item saved and says so; the next run with Skip URLs Already Saved archives it', async () => {
		const rows = [{ url: 'https://example.com/a', status: 'archive' }, { url: 'https://example.com/b', status: 'unread' }];
		// The add call is answered; the archive call is refused.
		const reads = kind === 'pocket' ? [] : [{ type: 'slow' as const, ms: 1 }];
		server.current.faults.push({ type: 'slow', ms: 1 }, ...reads, { type: 'http', status: 400, headers: { 'X-Error': 'Invalid request' } });
		const first = await run(rows, {}, { onError: 'continueRegularOutput' });
		expect(first.output('Pocket').map((o) => o.json.error ?? o.json.success)).toEqual([
			expect.stringMatching(/^Item 0: saved, but not archived: the archive call failed: /),
			true,
		]);
		expect(hints(first)).toContainEqual({ type: 'warning', message: 'Items 0 were saved but not archived: run again with Skip URLs Already Saved on to archive them.' });
		expect(server.current.liveItems().map((i) => [i.given_url, i.status])).toEqual([
			['https://example.com/a', 0],
			['https://example.com/b', 0],
		]);

		server.current.faults.length = 0;
		const again = await run(rows, { skipExisting: true });
		expect(again.errorMessage).toBeUndefined();
		expect(server.current.liveItems().map((i) => [i.given_url, i.status])).toEqual([
			['https://example.com/a', 1],
			['https://example.com/b', 0],
		]);
	});

	test('under Max Actions Per Call, an archive call that fails stops the later ones: each item says whether its call failed or was not sent', async () => {
		const rows = [{ url: 'https://example.com/a', status: 'archive' }, { url: 'https://example.com/b', status: 'archive' }];
		// Both add calls are answered; the first archive call is refused.
		const reads = kind === 'pocket' ? [] : [{ type: 'slow' as const, ms: 1 }];
		server.current.faults.push({ type: 'slow', ms: 1 }, { type: 'slow', ms: 1 }, ...reads, { type: 'http', status: 400, headers: { 'X-Error': 'Invalid request' } });
		const result = await run(rows, { maxActionsPerCall: 1 }, { onError: 'continueRegularOutput' });
		expect(result.output('Pocket').map((o) => o.json.error)).toEqual([
			expect.stringMatching(/^Item 0: saved, but not archived: the archive call failed: /),
			'Item 1: saved, but not archived: not archived, because an archive call failed before it',
		]);
		expect(server.current.liveItems().map((i) => [i.given_url, i.status])).toEqual([
			['https://example.com/a', 0],
			['https://example.com/b', 0],
		]);
		expect(paths().filter((p) => p === '/send')).toHaveLength(3);
	});
});
