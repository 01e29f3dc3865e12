// @ts-check
'use strict';
/**
 * End-to-end: the webhook example (examples/webhook.json) imported and published in a real n8n
 * the way `npm start` does it, called over HTTP like any client would. It authenticates callers
 * with n8n's Header Auth, only adds links, and answers invalid input with 400 and the Pocket
 * node's own message (issue 10, finding 8). Every test checks what the Pocket server received
 * and holds afterwards.
 */
const path = require('node:path');
const { importExamples, saveWebhookSecret } = require('../../scripts/runtime/examples');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('./setup').E2eStack} E2eStack
 * @typedef {import('../../scripts/runtime/examples').WebhookSecret} WebhookSecret
 * @typedef {{ status: number, text: string }} Answer
 */

const CONSUMER_KEY = 'e2e-webhook-consumer-key';
const ACCESS_TOKEN = 'e2e-webhook-access-token';

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {WebhookSecret} */
let secret;
/** @type {string} */
let workflowId;

/**
 * POSTs a JSON body to the example's production webhook.
 * @param {unknown} body
 * @param {Record<string, string>} [headers] default: the right secret
 * @returns {Promise<Answer>}
 */
async function callWebhook(body, headers = { [secret.header]: secret.secret }) {
	const res = await fetch(`${stack.n8n.url}/webhook/pocket`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	return { status: res.status, text: await res.text() };
}

function sendRequests() {
	return stack.pocket.requests.filter((r) => r.path.endsWith('/send'));
}

beforeAll(async () => {
	stack = await startE2eStack('webhook', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	const { client, pocket } = stack;
	const credential = await client.createCredential({ name: 'Pocket e2e', baseUrl: pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	secret = await saveWebhookSecret(client);
	const imported = await importExamples(client, credential, {}, secret.credential);
	const example = imported.find((wf) => path.basename(wf.file) === 'webhook.json');
	if (!example) throw new Error('examples/webhook.json was not imported');
	workflowId = example.id;
	await client.activateWorkflow(workflowId);
	// Registration of the production webhook can lag its activation: wait for n8n to answer
	// something other than 404, without the secret so that nothing runs.
	for (let i = 0; i < 40 && (await callWebhook({}, {})).status === 404; i++) await new Promise((r) => setTimeout(r, 250));
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	if (stack) {
		await stack.client.deactivateWorkflow(workflowId).catch(() => undefined);
		await stack.stop();
	}
});

beforeEach(() => stack.pocket.reset());

test('a caller without the header, or with a wrong secret, gets n8n\'s 403 and nothing reaches the server', async () => {
	const link = { url: 'https://example.com/intruder' };
	const answers = [
		await callWebhook(link, {}),
		await callWebhook(link, { [secret.header]: `${secret.secret}x` }),
		await callWebhook(link, { [secret.header]: '' }),
		await callWebhook(link, { 'X-Other-Header': secret.secret }),
	];
	expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403]);
	expect(answers[0].text).toBe('Authorization data is wrong!');
	expect(stack.pocket.requests).toEqual([]);
	expect(stack.pocket.liveItems()).toEqual([]);
});

test('actions other than adding a link are refused with 400, and nothing changes on the server', async () => {
	stack.pocket.put({
		item_id: '1001',
		given_url: 'https://example.com/kept',
		normal_url: 'https://example.com/kept',
		resolved_url: 'https://example.com/kept',
		title: 'Kept',
		tags: ['keep'],
		status: 0,
		favorite: 0,
		time_added: 1,
		time_updated: 1,
	});
	const before = JSON.stringify(stack.pocket.state);
	const attempts = [
		{ action: 'tag_delete', tag: 'keep' },
		{ item_id: 1001, action: 'archive' },
		{ item_id: '1001', action: 'delete', url: 'https://example.com/kept' },
		{ action: 'tag_rename', old_tag: 'keep', new_tag: 'gone' },
	];
	for (const body of attempts) {
		const answer = await callWebhook(body);
		expect({ body, status: answer.status }).toEqual({ body, status: 400 });
		expect(JSON.parse(answer.text)).toEqual({
			error: `This webhook only adds links: send url, and optionally tags and title, without an action (got action ${JSON.stringify(body.action)})`,
		});
		expect(answer.text).not.toContain(secret.secret);
	}
	expect(sendRequests()).toEqual([]);
	expect(JSON.stringify(stack.pocket.state)).toBe(before);
});

test("invalid input is answered with 400 and the Pocket node's message naming the field; nothing is sent", async () => {
	const cases = [
		[{ url: 'not a url' }, 'Item 0: URL (url) must be an absolute http(s) URL such as https://example.com/article (got "not a url")'],
		[{ url: 'ftp://example.com/file' }, 'Item 0: URL (url) must be an absolute http(s) URL such as https://example.com/article (got "ftp://example.com/file")'],
		[{ tags: ['no url'] }, 'Item 0: URL (url) is required but empty'],
		[{ url: 'https://example.com/a', tags: [{ not: 'a tag' }] }, expect.stringMatching(/^Item 0: Tags \(tags\) /)],
	];
	for (const [body, error] of cases) {
		const answer = await callWebhook(body);
		expect({ body, status: answer.status, json: JSON.parse(answer.text) }).toEqual({ body, status: 400, json: { error } });
		expect(answer.text).not.toContain(secret.secret);
	}
	expect(sendRequests()).toEqual([]);
	expect(stack.pocket.liveItems()).toEqual([]);
});

test('a valid link is answered with 200 and the saved item, and is saved exactly once', async () => {
	const answer = await callWebhook({ url: 'https://example.com/from-webhook', tags: ['inbox', ' webhook ', 'inbox'], title: 'From a webhook' });
	expect(answer.status).toBe(200);
	const body = JSON.parse(answer.text);
	expect(body).toEqual(
		expect.objectContaining({
			success: true,
			action: { action: 'add', url: 'https://example.com/from-webhook', tags: 'inbox,webhook', title: 'From a webhook' },
			item: expect.objectContaining({ url: 'https://example.com/from-webhook', status: 'unread', tags: ['inbox', 'webhook'] }),
		}),
	);

	expect(sendRequests()).toHaveLength(1);
	expect(stack.pocket.applied).toHaveLength(1);
	const saved = stack.pocket.liveItems();
	expect(saved.map((i) => [i.item_id, i.given_url, i.title, i.tags])).toEqual([
		[body.item.item_id, 'https://example.com/from-webhook', 'From a webhook', ['inbox', 'webhook']],
	]);

	// An explicit "add" is the same action.
	const explicit = await callWebhook({ action: 'add', url: 'https://example.com/explicit' });
	expect(explicit.status).toBe(200);
	expect(stack.pocket.findByUrl('https://example.com/explicit')).toBeDefined();
	expect(sendRequests()).toHaveLength(2);
});
