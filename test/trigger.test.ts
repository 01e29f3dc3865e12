/**
 * The Pocket Trigger in n8n's own poll machinery (n8n-core's ActiveWorkflows and PollContext,
 * the harness standing in for the cron): a workflow with one trigger per event is activated,
 * items are saved, archived, favorited and tagged through the send protocol between polls,
 * and every event must come out once, whatever the server does with `since`, in both
 * authentication modes. A manual run shows the latest matching item.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IWorkflowBase } from 'n8n-workflow';

import type { ActiveRun, PollResult } from './harness/engine';
import { activate, runWorkflow } from './harness/engine';
import { seedItem, useServer } from './harness/pocket-fixture';
import { POCKET_GET } from './server/get-route';
import type { GetVariant } from './server/get-route';
import { ACCESS_TOKEN, CONSUMER_KEY, loadWorkflow, pocketCredentials, signInCredentials } from './harness/workflows';

const server = useServer();

const TRIGGERS = ['Item Saved', 'Item Archived', 'Item Favorited', 'Item Tagged read', 'Item Tagged (any)'];

/** Sends actions as any client of the server would. */
async function send(...actions: IDataObject[]) {
	const answer = await fetch(`${server.current.url}/send`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ consumer_key: CONSUMER_KEY, access_token: ACCESS_TOKEN, actions }),
	});
	const body = (await answer.json()) as { action_results: Array<boolean | { item_id: string }> };
	expect(body.action_results.every((r) => r !== false)).toBe(true);
	return body.action_results.map((r) => (typeof r === 'object' ? r.item_id : undefined));
}

/** Every trigger's emitted item ids (or its error), by trigger name. */
function emitted(result: PollResult): Record<string, string[] | string> {
	const byTrigger: Record<string, string[] | string> = {};
	for (const name of TRIGGERS) {
		if (result.errors[name]) byTrigger[name] = result.errors[name].message;
		else byTrigger[name] = (result.emitted[name] ?? []).map((item) => String(item.json.url));
	}
	return byTrigger;
}

const nothing = Object.fromEntries(TRIGGERS.map((name) => [name, []]));

const MODES: Array<{ name: string; variant?: Partial<GetVariant>; credentials: () => Record<string, ICredentialDataDecryptedObject> }> = [
	{ name: 'a Pocket server, access token', credentials: () => pocketCredentials(server.current) },
	{ name: 'a server that ignores since (sends every item each time)', variant: { ignores: ['since'] }, credentials: () => pocketCredentials(server.current) },
	{ name: 'a server that answers as others do (array, booleans, ISO times)', variant: { list: 'array', flags: 'booleans', times: 'iso', tags: 'array' }, credentials: () => pocketCredentials(server.current) },
	{ name: 'Email and Password sign-in', credentials: () => signInCredentials(server.current) },
];

describe.each(MODES)('three polls on $name: each event once', ({ variant, credentials }) => {
	let active: ActiveRun | undefined;
	afterEach(async () => await active?.deactivate());

	test('activation, then items added, archived, favorited and tagged between polls', async () => {
		if (variant) server.current.getVariant = { ...POCKET_GET, ...variant };
		seedItem(server.current, { item_id: '1001', given_url: 'https://example.com/old', tags: ['read'], time_added: 100, time_updated: 100 });
		seedItem(server.current, { item_id: '1002', given_url: 'https://example.com/old-favorite', favorite: 1, status: 1, time_added: 100, time_updated: 100, time_read: 100, time_favorited: 100 });

		// Saved just before activation, most likely in the same second: still an old event.
		await send({ action: 'add', url: 'https://example.com/just-before', tags: 'read' });
		active = await activate(loadWorkflow('trigger-events'), { credentials: credentials() });
		// n8n's convention: the activation poll emits nothing old.
		expect(emitted(active.first)).toEqual(nothing);
		expect(active.workflow.staticData['node:Item Saved']).toEqual({ cursor: expect.objectContaining({ eventTime: expect.any(Number) }) });

		const [b, c] = await send({ action: 'add', url: 'https://example.com/b', tags: 'read' }, { action: 'add', url: 'https://example.com/c' });
		expect(emitted(await active.poll())).toEqual({
			...nothing,
			'Item Saved': ['https://example.com/b', 'https://example.com/c'],
			'Item Tagged read': ['https://example.com/b'],
			'Item Tagged (any)': ['https://example.com/b'],
		});

		await send(
			{ action: 'archive', item_id: '1001' },
			{ action: 'favorite', item_id: c },
			{ action: 'tags_add', item_id: c, tags: 'read' },
			{ action: 'add', url: 'https://example.com/d' },
		);
		expect(emitted(await active.poll())).toEqual({
			'Item Saved': ['https://example.com/d'],
			'Item Archived': ['https://example.com/old'],
			'Item Favorited': ['https://example.com/c'],
			'Item Tagged read': ['https://example.com/c'],
			'Item Tagged (any)': ['https://example.com/c'],
		});

		await send({ action: 'tags_add', item_id: '1001', tags: 'dev' }, { action: 'archive', item_id: b }, { action: 'unfavorite', item_id: c });
		expect(emitted(await active.poll())).toEqual({
			...nothing,
			'Item Archived': ['https://example.com/b'],
			'Item Tagged (any)': ['https://example.com/old'],
		});

		// Nothing changed: nothing is emitted, even by a server that sends everything again.
		expect(emitted(await active.poll())).toEqual(nothing);

		// A tag removed and added again is a new event.
		await send({ action: 'tags_remove', item_id: c, tags: 'read' });
		expect(emitted(await active.poll())).toEqual(nothing);
		await send({ action: 'tags_add', item_id: c, tags: 'read' });
		expect(emitted(await active.poll())).toEqual({ ...nothing, 'Item Tagged read': ['https://example.com/c'], 'Item Tagged (any)': ['https://example.com/c'] });
	});
});

test('the emitted item is the same normalised item as Get Many returns', async () => {
	const active = await activate(loadWorkflow('trigger-events'), { credentials: pocketCredentials(server.current) });
	try {
		await send({ action: 'add', url: 'https://example.com/shape', tags: 'read,news', title: 'Shape' });
		const [item] = (await active.poll()).emitted['Item Saved'];
		expect(item.json).toEqual({
			item_id: expect.stringMatching(/^\d+$/),
			url: 'https://example.com/shape',
			title: 'Shape',
			excerpt: 'About Shape',
			status: 'unread',
			favorite: false,
			tags: ['read', 'news'],
			time_added: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			time_updated: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			time_read: null,
			time_favorited: null,
			word_count: expect.any(Number),
			domain: 'example.com',
			raw: expect.any(Object),
		});
	} finally {
		await active.deactivate();
	}
});

test('a poll that fails is reported as the poll error, and the next poll catches up', async () => {
	const active = await activate(loadWorkflow('trigger-events'), { credentials: pocketCredentials(server.current) });
	try {
		await send({ action: 'add', url: 'https://example.com/late' });
		server.current.faults.push({ type: 'http', status: 401, headers: { 'X-Error': 'Unauthorized' } });
		const failed = await active.poll();
		expect(failed.errors['Item Saved']?.message).toMatch(/rejected the credentials \(HTTP 401\)/);
		expect(JSON.stringify(failed)).not.toContain(ACCESS_TOKEN);
		expect(emitted(await active.poll())['Item Saved']).toEqual(['https://example.com/late']);
	} finally {
		await active.deactivate();
	}
});

describe('a manual run (the editor\'s "Fetch Test Event")', () => {
	/** The fixture with only the named trigger, so that the run starts from it. */
	function only(name: string): IWorkflowBase {
		const workflow = loadWorkflow('trigger-events');
		workflow.nodes = workflow.nodes.filter((n) => n.name === name);
		return workflow;
	}

	test('shows the latest matching item and leaves the cursor alone', async () => {
		seedItem(server.current, { item_id: '1001', given_url: 'https://example.com/1', status: 1, time_added: 100, time_updated: 300, time_read: 300 });
		seedItem(server.current, { item_id: '1002', given_url: 'https://example.com/2', status: 1, time_added: 200, time_updated: 250, time_read: 250 });
		seedItem(server.current, { item_id: '1003', given_url: 'https://example.com/3', time_added: 400, time_updated: 400 });
		const archived = await runWorkflow(only('Item Archived'), { credentials: pocketCredentials(server.current) });
		expect(archived.errorMessage).toBeUndefined();
		expect(archived.output('Item Archived').map((o) => o.json.item_id)).toEqual(['1001']);
		const saved = await runWorkflow(only('Item Saved'), { credentials: pocketCredentials(server.current) });
		expect(saved.output('Item Saved').map((o) => o.json.item_id)).toEqual(['1003']);
	});

	test('says so when no item matches yet', async () => {
		const result = await runWorkflow(only('Item Tagged read'), { credentials: pocketCredentials(server.current) });
		expect(result.errorMessage).toBe('No item has been tagged with the tag "read" yet');
	});
});
