// @ts-check
'use strict';
/**
 * End-to-end: the import example (examples/pocket-import.json) published in a real n8n, its form
 * used the way a browser uses it (scripts/runtime/form-client.js: the form page, a multipart
 * upload, the waiting page's status polls, the completion page and its resume POST), with real
 * Pocket exports: the ZIP of CSV files, one CSV file, and the legacy ril_export.html
 * (test/fixtures/pocket-export.js). Every upload is checked three ways: what n8n's own nodes
 * read from the file (the execution's run data), what the result page says, and what the server holds afterwards, exactly; the ZIP is
 * then uploaded again and must add nothing (issue 21).
 */
const path = require('node:path');
const { REPO_DIR } = require('../../scripts/runtime/config');
const { loadExample } = require('../../scripts/runtime/examples');
const { nodeOutput } = require('../../scripts/runtime/executions');
const { formPage: readFormPage, submitForm } = require('../../scripts/runtime/form-client');
const { startPocketServer } = require('../../scripts/runtime/process');
const { exportCsv, exportItems, exportZip, expectedItem, isArchived, legacyHtml } = require('../fixtures/pocket-export');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('./setup').E2eStack} E2eStack
 * @typedef {import('../server/pocket-server').PocketServer} PocketServer
 * @typedef {import('../server/pocket-server').PocketServerOptions} PocketServerOptions
 * @typedef {import('../server/pocket-server').StoredItem} StoredItem
 * @typedef {import('../fixtures/pocket-export').ExportItem} ExportItem
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('../../scripts/runtime/form-client').Upload} Upload
 * @typedef {import('../../scripts/runtime/form-client').Submission} Submission
 * @typedef {{ label: string, options: Partial<PocketServerOptions> }} ServerVariant
 */

/**
 * The test server's variants the import must work on; one line each.
 * @type {ServerVariant[]}
 */
const SERVER_VARIANTS = [
	{ label: 'Pocket-like', options: {} },
	{ label: 'open-pocket-like', options: { kind: 'open-pocket' } },
];

const CONSUMER_KEY = 'e2e-import-consumer-key';
const ACCESS_TOKEN = 'e2e-import-access-token';
const EXAMPLE = path.join(REPO_DIR, 'examples', 'pocket-import.json');
const FORM_PATH = 'pocket-import';
/** The form's file field: n8n names the upload's binary after the field's label. */
const FILE_FIELD_LABEL = 'Export file';

/** A row a server refuses: Pocket items are web pages, and the node says which row and why. */
const REFUSED = /** @type {ExportItem} */ ({
	url: 'ftp://files.example.com/report.pdf',
	title: 'A file, not a page',
	time_added: 1600000000,
	tags: ['files'],
	status: 'unread',
});

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {Array<{ variant: ServerVariant, server: PocketServer, formPath: string, workflowId: string }>} */
const targets = [];

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @param {string} formPath */
const formPage = (formPath) => readFormPage(stack.n8n.url, formPath);

/**
 * Uploads a file through the form as a browser does (scripts/runtime/form-client.js), checking
 * each step: the page's file input, the waiting page's status before the completion page.
 * @param {string} formPath
 * @param {Upload} upload
 * @returns {Promise<Submission>}
 */
async function submit(formPath, upload) {
	const submission = await submitForm({ client: stack.client, n8nUrl: stack.n8n.url, formPath, upload });
	expect(submission.fileInput).toEqual({ name: 'field-0', accept: '.zip, .csv, .html, .htm' });
	expect({ executionId: submission.executionId, status: submission.waitingStatus }).toEqual({ executionId: submission.executionId, status: 'form-waiting' });
	return submission;
}

/** @param {ExportItem[]} items */
const expectedState = (items) => items.map(expectedItem).sort((a, b) => a.given_url.localeCompare(b.given_url));

/** @param {PocketServer} server */
const serverState = (server) =>
	server
		.liveItems()
		.map((i) => ({ given_url: i.given_url, title: i.title, tags: i.tags, status: i.status, time_added: i.time_added }))
		.sort((a, b) => a.given_url.localeCompare(b.given_url));

/**
 * An export row as n8n's Extract From File reads it from the CSV: every value a string, and an
 * empty cell left out.
 * @param {ExportItem} item
 * @param {number} cursor
 */
function csvRow(item, cursor) {
	/** @type {IDataObject} */
	const row = { title: item.title, url: item.url, time_added: String(item.time_added), cursor: String(cursor) };
	if (item.tags.length) row.tags = item.tags.join('|');
	row.status = item.status;
	return row;
}

/** What the Pocket node received from the unpacking and parsing nodes. */
const pocketInput = (/** @type {Submission} */ s, /** @type {string} */ parser) => nodeOutput(s.runData, parser);

beforeAll(async () => {
	stack = await startE2eStack('import', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	for (const variant of SERVER_VARIANTS) {
		// One Pocket server, credential and published copy of the example (its own form path) per variant.
		const server = await startPocketServer({ consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, ...variant.options });
		const slug = variant.label.toLowerCase().replace(/\W+/g, '-');
		const credential = await stack.client.createCredential({ name: `Pocket ${variant.label}`, baseUrl: server.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
		const formPath = `${FORM_PATH}-${slug}`;
		const wf = loadExample(EXAMPLE, credential, { [`"path": "${FORM_PATH}"`]: `"path": "${formPath}"` });
		const created = await stack.client.createWorkflow({ ...wf, name: `${wf.name} (${variant.label})` });
		await stack.client.activateWorkflow(created.id);
		targets.push({ variant, server, formPath, workflowId: created.id });
		for (let i = 0; i < 40 && (await formPage(formPath)).status !== 200; i++) await sleep(250);
	}
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	for (const { server, workflowId } of targets) {
		await stack.client.deactivateWorkflow(workflowId).catch(() => undefined);
		await server.close();
	}
	if (stack) await stack.stop();
});

test('the example is the form a user opens: a title, one required file field for the ZIP, a CSV or the HTML', async () => {
	for (const { formPath } of targets) {
		const page = await formPage(formPath);
		expect(page.status).toBe(200);
		expect(page.html).toContain('Move your Pocket export to your server');
		expect(page.html).toContain(FILE_FIELD_LABEL);
		expect(page.html).toMatch(/<input[^>]*type='file'[^>]*name='field-0'[^>]*accept='\.zip, \.csv, \.html, \.htm'/);
	}
});

describe.each(SERVER_VARIANTS.map((v, i) => /** @type {[string, number]} */ ([v.label, i])))('%s server', (_label, index) => {
	const target = () => targets[index];

	describe('pocket.zip: three CSV files and a stray .DS_Store, one row the server refuses', () => {
		// 25 items in files of 10 rows: part_000000.csv to part_000002.csv.
		const items = exportItems(25);
		const rows = [...items.slice(0, 13), REFUSED, ...items.slice(13)];
		const zip = exportZip(rows, { rowsPerFile: 10, extraEntries: [{ name: '.DS_Store', data: '\u0000\u0000\u0000\u0001Bud1' }] });
		/** @type {Submission} */
		let first;
		/** @type {Submission} */
		let second;
		/** @type {ReturnType<typeof serverState>} */
		let afterFirst;
		/** @type {StoredItem[]} */
		let storedAfterFirst;
		let appliedByFirst = 0;
		let appliedBySecond = 0;

		beforeAll(async () => {
			const { server, formPath } = target();
			server.reset();
			first = await submit(formPath, { name: 'pocket.zip', type: 'application/zip', data: zip });
			afterFirst = serverState(server);
			storedAfterFirst = JSON.parse(JSON.stringify(server.liveItems()));
			appliedByFirst = server.applied.length;
			second = await submit(formPath, { name: 'pocket.zip', type: 'application/zip', data: zip });
			appliedBySecond = server.applied.length - appliedByFirst;
		});

		test("n8n's own nodes unpack the ZIP and read every row of every CSV file as it is in the file", () => {
			expect(first.status).toBe('success');
			const read = pocketInput(first, 'Read the CSV rows');
			expect(read).toEqual(rows.map((row, i) => csvRow(row, i + 1)));
			// The .DS_Store was unpacked and left out.
			expect(nodeOutput(first.runData, 'One item per file')).toHaveLength(4);
			expect(nodeOutput(first.runData, 'Only CSV files')).toHaveLength(3);
		});

		test('the refused row fails alone: it is counted, named on the result page and downloadable with its reason', () => {
			expect(first.page.counts.failed).toBe(1);
			expect(first.page.title).toBe('Import finished, some rows failed');
			expect(first.page.message).toContain(`${REFUSED.url}: Item 13: URL (url) must be an absolute http(s) URL`);
			expect(first.page.files.map((f) => f.fileName)).toEqual(['failed-rows.csv']);
			const [header, line, ...rest] = first.page.files[0].text.trim().split('\n');
			expect(header).toBe('title,url,time_added,tags,status,error');
			expect(line).toBe(
				`"${REFUSED.title}",${REFUSED.url},${REFUSED.time_added},files,unread,"Item 13: URL (url) must be an absolute http(s) URL such as https://example.com/article (got ""${REFUSED.url}"")"`,
			);
			expect(rest).toEqual([]);
		});

		test('the result page counts every other row as saved, the archived ones as archived, none skipped', () => {
			expect(first.page.counts).toEqual({ saved: items.length, archived: items.filter(isArchived).length, skipped: 0, failed: 1 });
		});

		test('the server holds every item once, with its title, tags, archive state and save time', () => {
			expect(afterFirst).toEqual(expectedState(items));
		});

		test('a second upload adds nothing, changes nothing, and says so', () => {
			expect(second.status).toBe('success');
			expect(second.page.counts).toEqual({ saved: 0, archived: 0, skipped: items.length, failed: 1 });
			expect(appliedBySecond).toBe(0);
			expect(target().server.liveItems()).toEqual(storedAfterFirst);
		});
	});

	/**
	 * An upload without failures, checked for what n8n's nodes read, the result page and the server.
	 * @param {string} title
	 * @param {{ items: ExportItem[], upload: Upload, parser: string, rows: IDataObject[] }} upload
	 */
	const describeUpload = (title, { items, upload, parser, rows }) =>
		describe(title, () => {
			/** @type {Submission} */
			let run;

			beforeAll(async () => {
				target().server.reset();
				run = await submit(target().formPath, upload);
			});

			test(`${parser} gives every row as it is in the file; the result page has no download`, () => {
				expect(run.status).toBe('success');
				expect(pocketInput(run, parser)).toEqual(rows);
				expect(nodeOutput(run.runData, 'Unzip')).toBeUndefined();
				expect(run.page.title).toBe('Import finished');
				expect(run.page.files).toEqual([]);
			});

			test('the result page counts and the server holds every item with its tags, archive state and time', () => {
				expect(run.page.counts).toEqual({ saved: items.length, archived: items.filter(isArchived).length, skipped: 0, failed: 0 });
				expect(serverState(target().server)).toEqual(expectedState(items));
			});
		});

	const csvItems = exportItems(12, { first: 100 });
	describeUpload('one CSV file of the export', {
		items: csvItems,
		upload: { name: 'part_000000.csv', type: 'text/csv', data: exportCsv(csvItems) },
		parser: 'Read the CSV rows',
		rows: csvItems.map((row, i) => csvRow(row, i + 1)),
	});

	const htmlItems = exportItems(14, { first: 200 });
	describeUpload('the legacy ril_export.html', {
		items: htmlItems,
		upload: { name: 'ril_export.html', type: 'text/html', data: legacyHtml(htmlItems) },
		// The HTML lists the unread items first, then the archive ("Read Archive": read or archive),
		// and the workflow gives its links the CSV's row shape.
		parser: 'Rows like the CSV export',
		rows: [...htmlItems.filter((i) => !isArchived(i)), ...htmlItems.filter(isArchived)].map((i) => ({
			title: i.title,
			url: i.url,
			time_added: String(i.time_added),
			tags: i.tags.join('|'),
			status: isArchived(i) ? 'archive' : 'unread',
		})),
	});

	test('a file that is no export gets a page that says what to upload, and nothing reaches the server', async () => {
		const { server, formPath } = target();
		server.reset();
		const run = await submit(formPath, { name: 'notes.txt', type: 'text/plain', data: 'not an export' });
		expect(run.status).toBe('success');
		expect(run.page.title).toBe('Nothing was imported');
		expect(run.page.message).toBe(
			'Upload the pocket.zip Pocket sent you, one of the CSV files inside it, or ril_export.html (got "notes.txt").',
		);
		expect(server.requests).toEqual([]);
	});
});
