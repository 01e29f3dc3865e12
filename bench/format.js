// @ts-check
'use strict';
/**
 * How the benchmark prints: numbers, seconds and factors, and tables (plain or Markdown).
 */

const fmt = {
	/** @param {number | undefined} ms as seconds */
	s: (ms) => (ms === undefined ? '-' : (ms / 1000).toFixed(ms < 10000 ? 3 : 1)),
	/** @param {number | undefined} x @param {number} [d] decimals */
	n: (x, d = 0) => (x === undefined || !Number.isFinite(x) ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })),
	/** @param {number | undefined} x as a factor */
	x: (x) => (x === undefined || !Number.isFinite(x) ? '-' : `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`),
};

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 * @param {boolean} markdown as Markdown, for the README's performance section
 */
function table(headers, rows, markdown) {
	if (markdown) {
		console.log(`| ${headers.join(' | ')} |`);
		console.log(`|${headers.map(() => '---').join('|')}|`);
		for (const r of rows) console.log(`| ${r.join(' | ')} |`);
		return;
	}
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	/** @param {string[]} cells */
	const line = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
	console.log(line(headers));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const r of rows) console.log(line(r));
}

module.exports = { fmt, table };
