// @ts-check
'use strict';
/**
 * An n8n form used the way a browser uses it: the form page, a multipart upload of one file, the
 * waiting page's status polls until the completion page is ready, the completion page itself,
 * and its POST that lets the run finish. Shared by the import e2e test and bench/import.js.
 */

/**
 * @typedef {import('./rest-client').N8nClient} N8nClient
 * @typedef {import('n8n-workflow').IRunData} IRunData
 * @typedef {{ name: string, type: string, data: Buffer | string }} Upload
 * @typedef {{ counts: Record<'saved' | 'archived' | 'skipped' | 'failed', number>, title: string, message: string, files: Array<{ fileName: string, text: string }> }} ResultPage
 * @typedef {object} Submission
 * @property {string} executionId
 * @property {ResultPage} page
 * @property {IRunData} runData
 * @property {string | undefined} status the execution's status once it ended
 * @property {{ name: string | undefined, accept: string | undefined }} fileInput the form page's file input
 * @property {string} waitingStatus what the waiting page's status said before the completion page
 * @property {number} completionMs from the upload's POST to the completion page's answer
 */

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A GET that is tried again when the connection drops: while n8n is busy with a large run it
 * closes idle keep-alive connections, and the next poll on one of them fails with ECONNRESET.
 * @param {URL | string} url
 */
async function getText(url) {
	for (let attempt = 1; ; attempt++) {
		try {
			const res = await fetch(url);
			return { status: res.status, text: await res.text() };
		} catch (err) {
			if (attempt === 5) throw err;
			await sleep(500 * attempt);
		}
	}
}

/**
 * The form page, as a browser first loads it.
 * @param {string} n8nUrl
 * @param {string} formPath
 */
async function formPage(n8nUrl, formPath) {
	const res = await getText(`${n8nUrl}/form/${formPath}`);
	return { status: res.status, html: res.text };
}

/**
 * The counts, the text and the downloads of a completion page.
 * @param {string} html
 * @returns {ResultPage}
 */
function readResultPage(html) {
	const title = (/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '').trim();
	const message = (/<p style="white-space: pre-line;">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '').trim();
	/** @param {string} label */
	const count = (label) => {
		const m = new RegExp(`${label}[^:]*: (\\d+)`).exec(message);
		return m ? Number(m[1]) : NaN;
	};
	const encoded = /JSON\.parse\(decodeURIComponent\("([^"]*)"\)\)/.exec(html)?.[1] ?? '';
	/** @type {Array<{ fileName: string, data: string | { type: 'Buffer', data: number[] } }>} */
	const binaries = encoded ? JSON.parse(decodeURIComponent(encoded)) : [];
	const files = binaries.map((b) => ({
		fileName: b.fileName,
		text: typeof b.data === 'string' ? Buffer.from(b.data, 'latin1').toString('utf8') : Buffer.from(b.data.data).toString('utf8'),
	}));
	return { title, message, files, counts: { saved: count('Saved'), archived: count('Archived'), skipped: count('Skipped'), failed: count('Failed') } };
}

/**
 * Uploads a file through the form and follows the run to its end.
 * @param {{ client: N8nClient, n8nUrl: string, formPath: string, upload: Upload, timeoutMs?: number }} request
 * @returns {Promise<Submission>}
 */
async function submitForm({ client, n8nUrl, formPath, upload, timeoutMs = 120000 }) {
	const page = await formPage(n8nUrl, formPath);
	if (page.status !== 200) throw new Error(`the form page /form/${formPath} answered ${page.status}`);
	const input = /<input[^>]*type='file'[^>]*>/.exec(page.html)?.[0] ?? '';
	const fileInput = { name: /name='([^']+)'/.exec(input)?.[1], accept: /accept='([^']*)'/.exec(input)?.[1] };

	const form = new FormData();
	form.append(String(fileInput.name), new Blob([upload.data], { type: upload.type }), upload.name);
	const started = Date.now();
	const posted = await fetch(`${n8nUrl}/form/${formPath}`, { method: 'POST', body: form });
	if (posted.status !== 200) throw new Error(`the upload answered ${posted.status}: ${await posted.text()}`);
	const { formWaitingUrl } = /** @type {{ formWaitingUrl: string }} */ (await posted.json());
	const waiting = new URL(formWaitingUrl);
	const executionId = waiting.pathname.split('/').pop() ?? '';

	const statusUrl = new URL(waiting);
	statusUrl.pathname += '/n8n-execution-status';
	let status = '';
	for (const polling = Date.now(); Date.now() - polling < timeoutMs; await sleep(250)) {
		status = (await getText(statusUrl)).text.trim();
		if (status !== 'running' && status !== 'new' && status !== 'unknown') break;
	}
	const waitingStatus = status;

	const completion = await getText(waiting);
	if (completion.status !== 200) throw new Error(`the completion page answered ${completion.status}`);
	const resultPage = readResultPage(completion.text);
	const completionMs = Date.now() - started;
	// The completion page resumes the paused run with an empty POST, then polls until it ends.
	await fetch(waiting, { method: 'POST', body: '{}' });
	for (const polling = Date.now(); Date.now() - polling < 60000 && ['form-waiting', 'waiting', 'running'].includes(status); await sleep(250)) {
		status = (await getText(statusUrl)).text.trim();
	}
	const finished = await client.waitForExecution(executionId, 60000);
	return { executionId, page: resultPage, runData: finished.runData, status: finished.status, fileInput, waitingStatus, completionMs };
}

module.exports = { formPage, readResultPage, submitForm };
