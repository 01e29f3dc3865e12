// @ts-check
'use strict';
/**
 * The benchmark's tables: results, the Pocket node's time split, the targets and the profiles.
 */
const { fmt, table } = require('./format');
const { isMeasured } = require('./results');
const { printProfile } = require('./profile');

/**
 * @typedef {import('./measure').Config} Config
 * @typedef {import('./results').BenchData} BenchData
 */

/** @type {Record<Config, string>} */
const LABELS = {
	'pocket-define': 'Pocket, Define Below (expressions)',
	'pocket-automap': 'Pocket, auto-mapped',
	'http-request': 'n8n HTTP Request, 1 call/item',
	floor: 'floor: one plain POST, no n8n',
	'get-many': 'Pocket Get Many, Return All (page 30)',
	'rss-rules': 'Pocket, RSS entries + 50 tag rules',
	exchange: 'one send call taken apart',
};

/**
 * @param {BenchData} data
 * @param {boolean} markdown
 */
function report(data, markdown) {
	const { results, targets } = data;
	const sizes = [...new Set(results.map((r) => r.n))];
	console.log('\n=== Results (workflow wall = Manual Trigger with pinned items + node under test; node = nodeExecuteBefore..After) ===');
	/** @type {string[][]} */
	const rows = [];
	/** @type {string[]} */
	const notes = [];
	for (const n of sizes) {
		for (const r of results.filter((x) => x.n === n)) {
			if (r.skipped) {
				notes.push(`[${notes.length + 1}] ${LABELS[r.config]} at ${fmt.n(n)}: skipped, extrapolated ${fmt.n(r.estimatedMs / 1000, 0)} s > ${data.limitSeconds} s`);
				rows.push([fmt.n(n), LABELS[r.config], `skipped [${notes.length}]`, `~${fmt.n(r.estimatedMs / 1000, 0)}`, '', '', '', '', '', '', '']);
				continue;
			}
			if (!isMeasured(r)) {
				notes.push(`[${notes.length + 1}] ${LABELS[r.config]} at ${fmt.n(n)}: FAILED after ${fmt.n(r.httpCallsBeforeFailure)} calls: ${r.reason}`);
				rows.push([fmt.n(n), LABELS[r.config], `FAILED [${notes.length}]`, '', '', '', '', '', '', '', '']);
				continue;
			}
			rows.push([
				fmt.n(n),
				LABELS[r.config],
				fmt.n(r.httpCalls),
				fmt.s(r.wallMs),
				r.config === 'floor' ? '-' : fmt.s(r.nodeMs),
				fmt.n(r.itemsPerSecond),
				fmt.n(r.maxRssMB),
				r.httpRequestOverPocketWall ? `${fmt.x(r.httpRequestOverPocketWall)} / ${fmt.x(r.httpRequestOverPocketNode)}` : '-',
				r.pocketOverFloorWall ? `${fmt.x(r.pocketOverFloorWall)} / ${fmt.x(r.pocketOverFloorNode)}` : '-',
				r.quotaHours !== undefined && r.quotaHours < 0.01 ? r.quotaHours.toFixed(4) : fmt.n(r.quotaHours, 2),
				fmt.s(r.httpMs),
			]);
		}
	}
	table(
		['N', 'configuration', 'HTTP calls', 'wall s', 'node s', 'items/s', 'peak RSS MB', 'HTTPReq÷Pocket wall/node', 'Pocket÷floor wall/node', 'quota h', 'HTTP exch s'],
		rows,
		markdown,
	);
	for (const note of notes) console.log(note);
	const versions = [...new Set(results.filter(isMeasured).filter((r) => r.config.startsWith('pocket')).map((r) => r.nodeTypeVersion))];
	if (versions.length) console.log(`Pocket node version: ${versions.join(', ')} (the version a new node gets)`);
	console.log(
		`Execution measured: ${data.warm ? "each workflow's second in its process (--warm: V8 and the heap warmed by a first of N other items)" : "each workflow's first in its process (cold)"}; \`exchange\` always leaves out its first round`,
	);

	console.log("\n=== Pocket node time split (HTTP exchange measured client-side via diagnostics_channel; parameter reads = n8n's getNodeParameter incl. expression evaluation, timed directly) ===");
	const splitRows = results.filter(isMeasured).flatMap(({ n, config, split, nodeCpuMs, paramCalls, exprEvaluations }) =>
		split
			? [
					[
						fmt.n(n),
						LABELS[config],
						fmt.s(split.nodeMs),
						fmt.s(nodeCpuMs),
						fmt.s(split.httpExchangeMs),
						fmt.s(split.parameterReadsMs),
						fmt.s(split.expressionEvalMs),
						paramCalls === undefined ? '-' : fmt.n(paramCalls / n, 2),
						exprEvaluations === undefined ? '-' : fmt.n(exprEvaluations / n, 2),
						split.expressionEstimateMs === undefined ? '-' : fmt.s(split.expressionEstimateMs),
						fmt.s(split.ownWorkMs),
						`${split.ownWorkPct.toFixed(1)}%`,
						((1000 * split.ownWorkMs) / n).toFixed(2),
					],
				]
			: [],
	);
	table(['N', 'configuration', 'node s', 'node CPU s', 'HTTP exch s', 'param reads s', 'expr eval s', 'reads/item', 'evals/item', 'define-auto s', 'own work s', 'own %', 'own µs/item'], splitRows, markdown);

	for (const r of results.filter(isMeasured)) {
		if (!r.exchangeParts) continue;
		console.log(
			`\n=== One send call of ${fmt.n(r.n)} actions taken apart (median of rounds in one process; request ${fmt.n((r.requestBytes ?? 0) / 1024)} KB, answer ${fmt.n((r.answerBytes ?? 0) / 1024)} KB) ===`,
		);
		table(['part', 'ms', 'µs per action'], Object.entries(r.exchangeParts).map(([part, ms]) => [part, ms.toFixed(1), ((1000 * ms) / r.n).toFixed(2)]), markdown);
	}

	console.log('\n=== Targets ===');
	for (const t of targets) console.log(`  [${t.met ? 'MET   ' : 'MISSED'}] ${t.target}: ${t.value}${t.note ? ` (${t.note})` : ''}`);
}

/**
 * @param {BenchData} data
 * @param {boolean} markdown the tables as Markdown, for the README
 */
function printAll(data, markdown) {
	report(data, markdown);
	for (const p of data.profiles) {
		if ('error' in p) console.log(`\nprofile ${p.config} ${p.n}: FAILED ${p.error}`);
		else printProfile(`${LABELS[p.config]}, N=${fmt.n(p.n)}`, p);
	}
}

module.exports = { printAll };
