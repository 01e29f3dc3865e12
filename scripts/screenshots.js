#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run docs:screenshots` (by hand, not CI): PNGs of the Pocket node in a real n8n editor.
 *
 * Uses Debian's Chromium and playwright-core as scripts/runtime/browser.js provides them.
 * Talks to a running `npm start` at N8N_URL (default http://127.0.0.1:5678); if none answers,
 * it starts the same stack itself and stops it afterwards.
 *
 * Writes docs/pocket-node-operations.png, docs/rss-tag-rules.png (the RSS example's Pocket node with
 * its tag rules), docs/rss-example-canvas.png, docs/get-many-simplify.png (Get Many's Simplify and
 * Sort), docs/item-id-from-list.png (Item ID's From List), and the import example's form and
 * result page (docs/import-form.png, docs/import-result.png: the example published, a small
 * export uploaded).
 */

const fs = require('node:fs');
const path = require('node:path');
const { REPO_DIR, log } = require('./runtime/config');
const { launchBrowser, signIn } = require('./runtime/browser');
const { DEFAULT_OWNER, N8nClient } = require('./runtime/rest-client');
const { exportItems, exportZip } = require('../test/fixtures/pocket-export');

/** @typedef {import('./runtime/browser').Page} Page */

const DOCS = path.join(REPO_DIR, 'docs');
const RSS_WORKFLOW = 'Pocket: save RSS entries with automatic tags';
const IMPORT_WORKFLOW = 'Pocket: move your Pocket export to your server';
const POCKET_NODE = 'Save to Pocket';
const ARCHIVE_WORKFLOW = 'Pocket: archive what you have read';

/** @param {string} name a node's name on the canvas */
const canvasNode = (name) => `[data-test-id="canvas-node"][data-node-name="${name}"], [data-node-name="${name}"]`;

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
	const archive = workflows.find((w) => w.name === ARCHIVE_WORKFLOW);
	const importer = workflows.find((w) => w.name === IMPORT_WORKFLOW);
	if (!rss || !archive || !importer) throw new Error(`workflows "${RSS_WORKFLOW}", "${ARCHIVE_WORKFLOW}" and "${IMPORT_WORKFLOW}" not found in ${url}; run npm start once`);

	const { browser, page } = await launchBrowser();
	try {
		await signIn(page, url, DEFAULT_OWNER);

		// The RSS example on the canvas.
		await page.goto(`${url}/workflow/${rss.id}`);
		const nodeOnCanvas = page.locator(canvasNode(POCKET_NODE)).first();
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

		// The archive example: Get Many's Simplify and Sort, then Archive's Item ID picked from the list.
		await page.goto(`${url}/workflow/${archive.id}`);
		const getMany = page.locator(canvasNode('Unread items tagged read')).first();
		await getMany.waitFor();
		await page.keyboard.press('Escape');
		await getMany.dblclick();
		await page.locator('[data-test-id="parameter-input-simplify"]').first().waitFor();
		await page.waitForTimeout(1000);
		await shot(page, 'get-many-simplify.png');
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
		await page.locator(canvasNode('Archive them')).first().dblclick();
		const itemId = page.locator('[data-test-id="resource-locator-itemId"]').first();
		// The example holds an expression; From List needs a fixed value.
		await page.locator('[data-test-id="itemId-parameter-input-options-container"] [data-test-id="radio-button-fixed"]').first().click();
		await itemId.locator('[data-test-id="rlc-mode-selector"]').first().click();
		await page.locator('[data-test-id="mode-list"]').first().click();
		await itemId.locator('[data-test-id="rlc-input"]').first().click();
		await page.waitForTimeout(2000);
		await shot(page, 'item-id-from-list.png');
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
