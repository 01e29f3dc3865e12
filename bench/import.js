#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `node bench/import.js`: the import example (examples/pocket-import.json) in a real n8n (the
 * packed package installed as a community package, as the e2e tests do), with a Pocket export
 * of 25,000 rows (pocket.zip: three CSV files of 10,000, 10,000 and 5,000 rows) uploaded through
 * its form as a browser uploads it, then uploaded again; on each kind of test server.
 *
 * For each upload it prints the wall time from the upload's POST to the completion page, each
 * node's execution time as n8n recorded it, the calls the server received by endpoint, the
 * n8n process's peak memory (VmHWM, reset before each upload where the kernel allows it), what
 * the result page said and whether the server holds every row as the export says.
 *
 * Options:
 *   --rows 25000                         rows in the export
 *   --server-kinds pocket,open-pocket    the test server's kinds (test/server/server-kind.ts)
 *   --markdown                           print the table as Markdown (for docs/performance.md)
 */
const fs = require('node:fs');
const path = require('node:path');

const { loadExample } = require('../scripts/runtime/examples');
const { submitForm, formPage } = require('../scripts/runtime/form-client');
const { startPocketServer } = require('../scripts/runtime/process');
const { startE2eStack } = require('../test/e2e/setup');
const { expectedItem, exportItems, exportZip } = require('../test/fixtures/pocket-export');
const { fmt, table } = require('./format');
const { REPO_DIR } = require('./options');

/**
 * @typedef {import('../test/server/pocket-server').PocketServer} PocketServer
 * @typedef {import('../test/server/server-kind').ServerKind} ServerKind
 * @typedef {import('../scripts/runtime/form-client').Submission} Submission
 */

const CONSUMER_KEY = 'bench-import-consumer-key';
const ACCESS_TOKEN = 'bench-import-access-token';
const FORM_PATH = 'pocket-import';

/**
 * @param {string[]} argv
 * @returns {{ rows: number, kinds: ServerKind[], markdown: boolean }}
 */
function parseArgs(argv) {
	/** @type {{ rows: number, kinds: ServerKind[], markdown: boolean }} */
	const args = { rows: 25000, kinds: ['pocket', 'open-pocket'], markdown: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--rows') args.rows = Number(argv[++i]);
		else if (a === '--server-kinds') args.kinds = /** @type {ServerKind[]} */ (argv[++i].split(','));
		else if (a === '--markdown') args.markdown = true;
		else throw new Error(`unknown option ${a}`);
	}
	return args;
}

/** @param {number} pid */
function peakMemoryMB(pid) {
	const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Resets the peak to the current use (Linux clear_refs "5"); false where the kernel refuses.
 * @param {number} pid
 */
function resetPeakMemory(pid) {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** @param {PocketServer} server */
function callsByPath(server) {
	/** @type {Record<string, number>} */
	const calls = {};
	for (const r of server.requests) {
		const endpoint = r.path.replace(/^\/(api\/v1|v3)/, '');
		calls[endpoint] = (calls[endpoint] ?? 0) + 1;
	}
	return calls;
}

/**
 * Whether the server holds every export item once, with its title, tags, archive state and time.
 * @param {PocketServer} server
 * @param {ReturnType<typeof expectedItem>[]} expected by URL
 */
function mismatches(server, expected) {
	const held = server.liveItems();
	const byUrl = new Map(held.map((i) => [i.given_url, i]));
	/** @type {Record<string, number>} */
	const wrong = { missing: 0, copies: held.length - byUrl.size, title: 0, tags: 0, status: 0, time_added: 0 };
	for (const item of expected) {
		const h = byUrl.get(item.given_url);
		if (!h) {
			wrong.missing++;
			continue;
		}
		if (h.title !== item.title) wrong.title++;
		if (JSON.stringify(h.tags) !== JSON.stringify(item.tags)) wrong.tags++;
		if (h.status !== item.status) wrong.status++;
		if (h.time_added !== item.time_added) wrong.time_added++;
	}
	return Object.entries(wrong).filter(([, n]) => n > 0).map(([what, n]) => `${what} ${n}`).join(', ') || 'none';
}

/**
 * Each node's execution time in the run, slowest first.
 * @param {Submission} run
 */
function nodeTimes(run) {
	return Object.entries(run.runData)
		.map(([name, runs]) => ({ name, ms: runs.reduce((sum, r) => sum + (r.executionTime ?? 0), 0) }))
		.filter((n) => n.ms > 0)
		.sort((a, b) => b.ms - a.ms);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const items = exportItems(args.rows);
	const zip = exportZip(items);
	const expected = items.map(expectedItem);
	console.log(`pocket.zip: ${fmt.n(args.rows)} rows in ${Math.ceil(args.rows / 10000)} CSV files, ${fmt.n(zip.length / 1024)} KB`);

	const stack = await startE2eStack('bench-import', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	const pid = /** @type {number} */ (stack.n8n.process.pid);
	/** @type {string[][]} */
	const rows = [];
	try {
		for (const kind of args.kinds) {
			// No rate limit: the second upload's read of 25,000 saved items is ~834 calls on a server of 30-item pages.
			const server = await startPocketServer({ consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, kind, userLimit: Number.MAX_SAFE_INTEGER });
			try {
				const credential = await stack.client.createCredential({ name: `Pocket ${kind}`, baseUrl: server.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
				const formPath = `${FORM_PATH}-${kind}`;
				const wf = loadExample(path.join(REPO_DIR, 'examples', 'pocket-import.json'), credential, { [`"path": "${FORM_PATH}"`]: `"path": "${formPath}"` });
				const created = await stack.client.createWorkflow({ ...wf, name: `${wf.name} (${kind})` });
				await stack.client.activateWorkflow(created.id);
				for (let i = 0; i < 40 && (await formPage(stack.n8n.url, formPath)).status !== 200; i++) await new Promise((r) => setTimeout(r, 250));
				for (const upload of ['first', 'second']) {
					server.requests.length = 0;
					const applied = server.applied.length;
					const reset = resetPeakMemory(pid);
					const run = await submitForm({
						client: stack.client,
						n8nUrl: stack.n8n.url,
						formPath,
						upload: { name: 'pocket.zip', type: 'application/zip', data: zip },
						timeoutMs: 30 * 60 * 1000,
					});
					const calls = callsByPath(server);
					const { saved, archived, skipped, failed } = run.page.counts;
					const slowest = nodeTimes(run).slice(0, 4).map((n) => `${n.name} ${fmt.s(n.ms)}`).join('; ');
					rows.push([
						kind,
						upload,
						fmt.s(run.completionMs),
						Object.entries(calls).map(([p, n]) => `${p} ${n}`).join(', '),
						fmt.n(server.applied.length - applied),
						`${fmt.n(peakMemoryMB(pid))}${reset ? '' : ' (since start)'}`,
						`${saved}/${archived}/${skipped}/${failed}`,
						mismatches(server, expected),
						slowest,
					]);
					console.log(`${kind}, ${upload} upload: ${run.status}, ${rows[rows.length - 1].slice(2).join(' | ')}`);
				}
				await stack.client.deactivateWorkflow(created.id);
			} finally {
				await server.close();
			}
		}
	} finally {
		await stack.stop();
	}
	console.log('');
	table(
		['server', 'upload', 'wall s', 'calls', 'actions applied', 'n8n peak MB', 'saved/archived/skipped/failed', 'server differs', 'slowest nodes (s)'],
		rows,
		args.markdown,
	);
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
