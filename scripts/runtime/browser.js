// @ts-check
'use strict';
/**
 * The browser for `npm run docs:screenshots` and the editor's end-to-end test: Debian's Chromium
 * (`apt-get install -y chromium`, installed here when missing and allowed) driven by
 * playwright-core, which is installed into the cache folder (<cache>/tools) on first use, so
 * the repository needs no dependency for it.
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { cacheDir, log } = require('./config');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * The part of playwright-core this repository uses (playwright-core lives in the cache, not in
 * the repository's dependencies, so its own types are not at hand).
 * @typedef {object} Locator
 * @property {() => Promise<void>} click
 * @property {() => Promise<void>} dblclick
 * @property {(value: string) => Promise<void>} fill
 * @property {(text: string, options?: { delay?: number }) => Promise<void>} pressSequentially
 * @property {(key: string) => Promise<void>} press
 * @property {(options?: { state?: 'visible' | 'attached' | 'hidden', timeout?: number }) => Promise<void>} waitFor
 * @property {() => Locator} first
 * @property {() => Locator} last
 * @property {(index: number) => Locator} nth
 * @property {() => Promise<number>} count
 * @property {() => Promise<string>} innerText
 * @property {() => Promise<string | null>} textContent
 * @property {() => Promise<string>} inputValue
 * @property {() => Promise<boolean>} isVisible
 * @property {(selector: string, options?: { hasText?: string | RegExp }) => Locator} locator
 * @property {(text: string | RegExp, options?: { exact?: boolean }) => Locator} getByText
 * @property {(options: { hasText?: string | RegExp }) => Locator} filter
 * @property {(files: { name: string, mimeType: string, buffer: Buffer }) => Promise<void>} setInputFiles
 * @typedef {object} Page
 * @property {(url: string) => Promise<unknown>} goto
 * @property {(selector: string, options?: { hasText?: string | RegExp }) => Locator} locator
 * @property {(text: string | RegExp, options?: { exact?: boolean }) => Locator} getByText
 * @property {(role: string, options?: { name?: string | RegExp, exact?: boolean }) => Locator} getByRole
 * @property {(text: string | RegExp, options?: { exact?: boolean }) => Locator} getByPlaceholder
 * @property {(testId: string) => Locator} getByTestId
 * @property {{ press(key: string): Promise<void>, type(text: string): Promise<void> }} keyboard
 * @property {(match: (url: URL) => boolean, options: { timeout: number }) => Promise<void>} waitForURL
 * @property {(ms: number) => Promise<void>} waitForTimeout
 * @property {(options: { path: string, fullPage?: boolean }) => Promise<Buffer>} screenshot
 * @property {(ms: number) => void} setDefaultTimeout
 * @property {() => string} url
 * @typedef {{ newContext(options: { viewport: { width: number, height: number }, deviceScaleFactor: number }): Promise<{ newPage(): Promise<Page> }>, close(): Promise<void> }} Browser
 * @typedef {{ chromium: { launch(options: { executablePath: string, headless: boolean, args: string[] }): Promise<Browser> } }} Playwright
 */

/** Debian's Chromium, installed with apt-get when it is missing and this process may (root). */
function chromiumPath() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!process.env.CHROMIUM_PATH && root && fs.existsSync('/usr/bin/apt-get')) {
		log('installing Debian\'s chromium (apt-get install -y chromium)');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
		const res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
		if (res.status === 0 && fs.existsSync(CHROMIUM)) return CHROMIUM;
	}
	throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
}

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

/** Headless Chromium with a page of the given size; playwright gives every launch an empty profile. */
async function launchBrowser({ width = 1440, height = 900 } = {}) {
	const executablePath = chromiumPath();
	const { chromium } = loadPlaywright();
	const browser = await chromium.launch({
		executablePath,
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
	});
	const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	return { browser, page };
}

/**
 * Signs in through n8n's sign-in form, as a person would.
 * @param {Page} page
 * @param {string} url n8n's base URL
 * @param {{ email: string, password: string }} owner
 */
async function signIn(page, url, owner) {
	await page.goto(`${url}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30000 });
}

module.exports = { chromiumPath, launchBrowser, loadPlaywright, signIn };
