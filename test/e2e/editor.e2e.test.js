// @ts-check
'use strict';
/**
 * End-to-end in a browser: n8n's editor driven through Debian's Chromium as a new user would use
 * it (issue 20). The credential is created and tested through its dialog, the Pocket node is
 * added from the nodes panel, Add runs from the node's window, and the output panel is read;
 * then the Item ID's From List, which searches the account through the node's listSearch.
 * Every step also checks what the Pocket server received or holds.
 *
 * Selectors are n8n's own `data-test-id`s (those its own end-to-end tests use). On a failure
 * the page is saved as a PNG in the cache folder, named in the error.
 */
const path = require('node:path');
const { cacheDir } = require('../../scripts/runtime/config');
const { launchBrowser, signIn } = require('../../scripts/runtime/browser');
const { DEFAULT_OWNER } = require('../../scripts/runtime/rest-client');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('./setup').E2eStack} E2eStack
 * @typedef {import('../../scripts/runtime/browser').Page} Page
 * @typedef {import('../../scripts/runtime/browser').Browser} Browser
 */

const CONSUMER_KEY = 'e2e-editor-consumer-key';
const ACCESS_TOKEN = 'e2e-editor-access-token';
const LINK = 'https://example.com/from-the-browser';

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {Browser} */
let browser;
/** @type {Page} */
let page;

/** @param {string} id n8n's data-test-id */
const byTestId = (id) => `[data-test-id="${id}"]`;

/**
 * Runs a step of the test; on failure saves the page and says where.
 * @template T
 * @param {string} name
 * @param {() => Promise<T>} step
 * @returns {Promise<T>}
 */
async function step(name, step) {
	try {
		return await step();
	} catch (error) {
		const file = path.join(cacheDir(), `editor-e2e-${name.replace(/\W+/g, '-')}.png`);
		await page.screenshot({ path: file }).catch(() => undefined);
		throw new Error(`${name}: ${/** @type {Error} */ (error).message}\n(the page is in ${file})`);
	}
}

/**
 * The JSON view of the output panel, as the panel shows it, once it shows the action sent.
 * @param {string} action
 */
async function outputJson(action) {
	const panel = page.locator(`${byTestId('output-panel')} ${byTestId('ndv-data-container')}`);
	await panel.getByText(`"${action}"`).first().waitFor();
	const text = await panel.innerText();
	// The JSON view renders each token on its own line.
	return JSON.parse(text.slice(text.indexOf('[')).replace(/\n\s*/g, ''));
}

beforeAll(async () => {
	stack = await startE2eStack('editor', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	// Tall enough that n8n's JSON view renders a whole output item (it renders what is in view).
	({ browser, page } = await launchBrowser({ width: 1440, height: 2400 }));
	await signIn(page, stack.n8n.url, DEFAULT_OWNER);
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	await browser?.close();
	await stack?.stop();
});

test('a new user: the credential through its dialog and its Test, the node from the nodes panel, Add, the output panel', async () => {
	const { pocket } = stack;

	await step('create the credential', async () => {
		await page.goto(`${stack.n8n.url}/home/credentials`);
		await page.locator(byTestId('add-resource-credential')).first().click();
		const search = page.locator(`${byTestId('new-credential-type-select')} input`);
		await search.click();
		await search.pressSequentially('Pocket');
		await page.locator(byTestId('new-credential-type-select-option'), { hasText: 'Pocket API' }).first().click();
		await page.locator(byTestId('new-credential-type-button')).click();
		const field = (/** @type {string} */ name) => page.locator(`${byTestId(`parameter-input-${name}`)} input`).first();
		await field('baseUrl').fill(pocket.url);
		// An /api/v1 Base URL with the default Access Token: the dialog says which mode fits.
		await page.getByText('issue tokens that expire within minutes: choose Email and Password').first().waitFor();
		await field('consumerKey').fill(CONSUMER_KEY);
		await field('accessToken').fill('not-the-token');
	});

	const testRequests = () => pocket.requests.filter((r) => r.path.endsWith('/send'));
	await step('a wrong token: the Test fails with the node\'s message', async () => {
		// n8n tests a credential when it is saved.
		await page.locator(byTestId('credential-save-button')).click();
		await page.getByText('connect with these settings').first().waitFor();
		await page.getByText('More details').first().click();
		const dialog = page.locator(byTestId('node-credentials-config-container'));
		await dialog.getByText('The server rejected the credentials (HTTP 401)').first().waitFor();
		expect(await dialog.innerText()).toMatch(/The server rejected the credentials \(HTTP 401\)\. The test sent an empty batch, which changes nothing\. With Access Token, check the Access Token and the Consumer Key\./);
		expect(testRequests().length).toBeGreaterThan(0);
	});

	await step('the right token: the Test passes', async () => {
		await page.locator(`${byTestId('parameter-input-accessToken')} input`).first().fill(ACCESS_TOKEN);
		await page.locator(byTestId('credential-save-button')).click();
		await page.locator(byTestId('credentials-config-container-test-success')).waitFor();
		expect(await page.locator(byTestId('credentials-config-container-test-success')).innerText()).toMatch(/Connection tested successfully/);
		// Each Test is an empty batch (n8n may test more than once per save): nothing was saved.
		expect(testRequests().map((r) => r.body)).toEqual(testRequests().map(() => expect.objectContaining({ actions: [] })));
		expect(testRequests().at(-1)?.body).toEqual(expect.objectContaining({ access_token: ACCESS_TOKEN }));
		expect(pocket.liveItems()).toEqual([]);
		await page.keyboard.press('Escape');
	});

	await step('add the node from the nodes panel', async () => {
		await page.goto(`${stack.n8n.url}/workflow/new`);
		await page.locator(byTestId('canvas-add-button')).first().click();
		await page.locator(byTestId('node-creator-search-bar')).fill('manual');
		await page.locator(byTestId('node-creator-item-name'), { hasText: /^Manual Trigger$/ }).first().click();
		await page.keyboard.press('Escape');
		await page.locator(byTestId('node-creator-plus-button')).click();
		await page.locator(byTestId('node-creator-search-bar')).fill('Pocket');
		await page.locator(byTestId('node-creator-item-name'), { hasText: /^Pocket$/ }).first().click();
		await page.locator(byTestId('node-creator-item-name'), { hasText: /^Add an item$/ }).first().click();
		// The node's window opens with the one Pocket credential chosen, at the latest version.
		await page.locator(`${byTestId('parameter-input-url')} input`).first().waitFor();
		expect(await page.locator(`${byTestId('node-credentials-select')} input`).first().inputValue()).toMatch(/Pocket account/);
		expect(await page.locator(byTestId('node-version')).first().textContent()).toMatch(/version 1\.1 \(Latest\)/);
	});

	await step('run Add and read the output panel', async () => {
		await page.locator(`${byTestId('parameter-input-url')} input`).first().fill(LINK);
		await page.locator(byTestId('node-execute-button')).first().click();
		await page.locator(`${byTestId('output-panel')} ${byTestId('radio-button-json')}`).click();
		const [output] = await outputJson('add');
		expect(output).toEqual(
			expect.objectContaining({
				success: true,
				action: { action: 'add', url: LINK },
				item: expect.objectContaining({ item_id: '1001', url: LINK, status: 'unread', favorite: false, tags: [] }),
			}),
		);
		expect(pocket.liveItems().map((i) => [i.item_id, i.given_url])).toEqual([['1001', LINK]]);
	});

	await step("Archive's Item ID: From List finds the saved item through the node's search", async () => {
		await page.locator(`${byTestId('parameter-input-operation')}`).click();
		await page.getByRole('option', { name: /^Archive/ }).first().click();
		const locator = page.locator(byTestId('resource-locator-itemId'));
		await locator.locator(byTestId('rlc-input')).first().click();
		const found = page.getByText(LINK, { exact: true }).first();
		await found.waitFor();
		await found.click();
		// The list came from /get, through the credential, newest first.
		expect(pocket.requests.find((r) => r.path.endsWith('/get'))?.body).toEqual(expect.objectContaining({ state: 'all', sort: 'newest', access_token: ACCESS_TOKEN }));
		await page.locator(byTestId('node-execute-button')).first().click();
		const [output] = await outputJson('archive');
		expect(output).toEqual({ success: true, action: { action: 'archive', item_id: '1001' }, rateLimit: expect.anything() });
		expect(pocket.liveItems()[0]).toMatchObject({ item_id: '1001', status: 1 });
	});
});
