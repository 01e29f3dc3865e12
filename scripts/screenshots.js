#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run docs:screenshots` (by hand, not CI): PNGs of the Pocket node in a real n8n editor.
 *
 * Uses Debian's Chromium (`apt-get install -y chromium`) and playwright-core, which this script
 * installs into the cache folder (<cache>/tools) on first use, so the repo needs no dependency.
 * Talks to a running `npm start` at N8N_URL (default http://127.0.0.1:5678); if none answers,
 * it starts the same stack itself and stops it afterwards.
 *
 * Writes docs/pocket-node-operations.png, docs/rss-tag-rules.png (the RSS example's Pocket node with
 * its tag rules), docs/rss-example-canvas.png, and the import example's form and result page
 * (docs/import-form.png, docs/import-result.png: the example published, a small export uploaded).
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { REPO_DIR, cacheDir, log } = require('./runtime/config');
const { DEFAULT_OWNER, N8nClient } = require('./runtime/rest-client');
const { exportItems, exportZip } = require('../test/fixtures/pocket-export');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const DOCS = path.join(REPO_DIR, 'docs');
const RSS_WORKFLOW = 'Pocket: save RSS entries with automatic tags';
const IMPORT_WORKFLOW = 'Pocket: move your Pocket export to your server';
const POCKET_NODE = 'Save to Pocket';

/**
 * The part of playwright-core this script uses (playwright-core lives in the cache, not in
 * the repository's dependencies, so its own types are not at hand).
 * @typedef {{ waitFor(options?: { state: 'attached' | 'visible' }): Promise<void>, first(): Locator, click(): Promise<void>, dblclick(): Promise<void>, fill(value: string): Promise<void>,
 *   setInputFiles(files: { name: string, mimeType: string, buffer: Buffer }): Promise<void> }} Locator
 * @typedef {object} Page
 * @property {(url: string) => Promise<unknown>} goto
 * @property {(selector: string) => Locator} locator
 * @property {{ press(key: string): Promise<void> }} keyboard
 * @property {(match: (url: URL) => boolean, options: { timeout: number }) => Promise<void>} waitForURL
 * @property {(ms: number) => Promise<void>} waitForTimeout
 * @property {(options: { path: string }) => Promise<Buffer>} screenshot
 * @property {(ms: number) => void} setDefaultTimeout
 * @typedef {{ newContext(options: { viewport: { width: number, height: number }, deviceScaleFactor: number }): Promise<{ newPage(): Promise<Page> }>, close(): Promise<void> }} Browser
 * @typedef {{ chromium: { launch(options: { executablePath: string, headless: boolean, args: string[] }): Promise<Browser> } }} Playwright
 */

/** @returns {Playwright} */
function loadPlaywright() {
	const tools = path.join(cacheDir(), 'tools');
	const modDir = path.join(tools, 'node_modules', 'playwright-core');
	if (!fs.existsSync(modDir)) {
		log(`installing playwright-core into ${tools}`);
		fs.mkdirSync(tools, { recursive: true });
		if (!fs.existsSync(path.join(tools, 'package.json'))) {
			fs.writeFileSync(path.join(tools, 'package.json'), '{"name":"pocket-tools","private":true}\n');
		}
		const res = spawnSync('npm', ['install', 'playwright-core@1', '--no-audit', '--no-fund'], { cwd: tools, stdio: 'inherit' });
		if (res.status !== 0) throw new Error('npm install playwright-core failed');
	}
	return require(modDir);
}

/** @param {string} url */
async function reachable(url) {
	try {
		const res = await fetch(`${url}/healthz/readiness`);
		return res.ok;
	} catch {
		return false; // nothing listening
	}
}

/**
 * @param {Page} page
 * @param {string} name
 */
async function shot(page, name) {
	const file = path.join(DOCS, name);
	await page.screenshot({ path: file });
	log(`wrote ${path.relative(REPO_DIR, file)}`);
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
	}
	const { chromium } = loadPlaywright();
	fs.mkdirSync(DOCS, { recursive: true });

	let url = (process.env.N8N_URL || 'http://127.0.0.1:5678').replace(/\/$/, '');
	let stack;
	if (!(await reachable(url))) {
		log(`no n8n at ${url}; starting the demo stack (as npm start does)`);
		stack = await require('./start').startStack();
		url = stack.n8n.url;
	}
	const client = new N8nClient(url);
	await client.login(DEFAULT_OWNER);
	const workflows = await client.listWorkflows();
	const rss = workflows.find((w) => w.name === RSS_WORKFLOW);
	if (!rss) throw new Error(`workflow "${RSS_WORKFLOW}" not found in ${url}; run npm start once`);
	const importer = workflows.find((w) => w.name === IMPORT_WORKFLOW);
	if (!importer) throw new Error(`workflow "${IMPORT_WORKFLOW}" not found in ${url}; run npm start once`);

	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		// playwright gives every launch a new, empty user data dir of its own.
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const page = await context.newPage();
		page.setDefaultTimeout(30000);

		// Log in through the sign-in form, as a person would.
		await page.goto(`${url}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(DEFAULT_OWNER.email);
		await page.locator('input[type="password"]').first().fill(DEFAULT_OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30000 });

		// The RSS example on the canvas.
		await page.goto(`${url}/workflow/${rss.id}`);
		const nodeOnCanvas = page.locator(`[data-test-id="canvas-node"][data-node-name="${POCKET_NODE}"], [data-node-name="${POCKET_NODE}"]`).first();
		await nodeOnCanvas.waitFor();
		await page.keyboard.press('Escape');
		await page.waitForTimeout(1500);
		// Fit the workflow to the view (n8n's "zoom to fit" shortcut).
		await page.keyboard.press('1');
		await page.waitForTimeout(800);
		await shot(page, 'rss-example-canvas.png');

		// The Pocket node's parameters (node details view).
		await nodeOnCanvas.dblclick();
		const ndv = page.locator('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]').first();
		await ndv.waitFor();
		await page.waitForTimeout(1500);
		await shot(page, 'rss-tag-rules.png');

		// Its operation list, opened.
		const operation = page.locator('[data-test-id="parameter-input-operation"]').first();
		await operation.click();
		await page.waitForTimeout(1000);
		await shot(page, 'pocket-node-operations.png');
		await page.keyboard.press('Escape');

		// The import example's form, published, then its result page for a small export.
		const current = await client.getWorkflow(importer.id);
		if (!current.active && !current.activeVersionId) await client.activateWorkflow(importer.id);
		await page.goto(`${url}/form/pocket-import`);
		// n8n's form styles a label over the file input, which it hides.
		const fileInput = page.locator("input[type='file']").first();
		await fileInput.waitFor({ state: 'attached' });
		await page.waitForTimeout(800);
		await shot(page, 'import-form.png');
		await fileInput.setInputFiles({ name: 'pocket.zip', mimeType: 'application/zip', buffer: exportZip(exportItems(40, { first: 1000 })) });
		await page.locator("button[type='submit'], #submit-btn").first().click();
		await page.waitForURL((u) => u.pathname.includes('/form-waiting/'), { timeout: 60000 });
		await page.locator('h1').first().waitFor();
		await page.waitForTimeout(3000);
		await shot(page, 'import-result.png');
	} finally {
		await browser.close();
		if (stack) await stack.stop();
	}
}

main().catch((err) => {
	console.error(err instanceof Error ? err.stack : err);
	process.exit(1);
});
