// @ts-check
'use strict';
/**
 * The benchmark's results: what each run measured, the comparisons derived from them, and the
 * performance targets met or missed.
 */
const { fmt } = require('./format');

/**
 * @typedef {import('./measure').Config} Config
 * @typedef {import('./profile').ProfileEntry} ProfileEntry
 *
 * What bench/measure.js answers for one configuration at one N.
 * @typedef {object} Measurement
 * @property {number} wallMs workflow wall time (the floor: the POST)
 * @property {number} nodeMs the node under test, nodeExecuteBefore..After (the floor: the POST)
 * @property {number} httpMs client-side HTTP exchange time
 * @property {number} clientRequests
 * @property {number} outputItems
 * @property {number} maxRssMB
 * @property {number} heapUsedMB
 * @property {number} [startNodeMs]
 * @property {number} [paramMs] n8n's parameter reads, expressions included
 * @property {number} [paramCalls]
 * @property {number} [exprMs] expression evaluation
 * @property {string} [sample] the first output item, shortened
 * @property {number} [rssBeforeRunMB]
 * @property {number} [nodeTypeVersion]
 *
 * @typedef {object} TimeSplit
 * @property {number} nodeMs
 * @property {number} httpExchangeMs
 * @property {number} parameterReadsMs
 * @property {number} expressionEvalMs
 * @property {number} ownWorkMs
 * @property {number} ownWorkPct
 * @property {number} [expressionEstimateMs]
 *
 * @typedef {object} Derived computed by derive() from all results
 * @property {number} [itemsPerSecond]
 * @property {number} [nodeItemsPerSecond]
 * @property {number} [quotaHours]
 * @property {number} [httpRequestOverPocketWall]
 * @property {number} [httpRequestOverPocketNode]
 * @property {number} [pocketOverFloorWall]
 * @property {number} [pocketOverFloorNode]
 * @property {TimeSplit} [split]
 *
 * @typedef {{ config: Config, n: number, skipped?: undefined, error?: undefined, httpCalls: number, serverStoredItems: number } & Measurement & Derived} MeasuredResult
 * @typedef {{ config: Config, n: number, skipped: true, error?: undefined, estimatedMs: number, extrapolatedFrom?: number }} SkippedResult
 * @typedef {{ config: Config, n: number, skipped?: undefined, error: string, reason: string, httpCallsBeforeFailure?: number, serverStoredItems?: number }} FailedResult
 * @typedef {MeasuredResult | SkippedResult | FailedResult} Result
 *
 * @typedef {object} Target
 * @property {string} target
 * @property {Config} config
 * @property {number} n
 * @property {string} value
 * @property {boolean} met
 * @property {number} [valueWall]
 * @property {number} [valueNode]
 * @property {string} [note]
 *
 * @typedef {object} BenchData what --out writes and --report reads
 * @property {number} limitSeconds
 * @property {Result[]} results
 * @property {Target[]} targets
 * @property {ProfileEntry[]} profiles
 */

const QUOTA_PER_HOUR = 320;

/**
 * @param {Result | undefined} r
 * @returns {r is MeasuredResult}
 */
function isMeasured(r) {
	return r !== undefined && !r.skipped && !r.error;
}

/**
 * @param {Result[]} results
 * @returns {(config: Config, n: number) => MeasuredResult | undefined}
 */
function measuredAt(results) {
	return (config, n) => results.filter(isMeasured).find((r) => r.config === config && r.n === n);
}

/**
 * Adds the comparisons and the time split to each measured result.
 * @param {Result[]} results
 */
function derive(results) {
	const at = measuredAt(results);
	for (const r of results) {
		if (!isMeasured(r)) continue;
		r.itemsPerSecond = r.n / (r.wallMs / 1000);
		r.nodeItemsPerSecond = r.n / (r.nodeMs / 1000);
		r.quotaHours = r.httpCalls / QUOTA_PER_HOUR;
		const http = at('http-request', r.n);
		const floor = at('floor', r.n);
		if (r.config.startsWith('pocket')) {
			if (http) {
				r.httpRequestOverPocketWall = http.wallMs / r.wallMs;
				r.httpRequestOverPocketNode = http.nodeMs / r.nodeMs;
			}
			if (floor) {
				r.pocketOverFloorWall = r.wallMs / floor.wallMs;
				r.pocketOverFloorNode = r.nodeMs / floor.wallMs;
			}
			// The engine configurations always report their parameter reads and expression time.
			const paramMs = r.paramMs ?? 0;
			r.split = {
				nodeMs: r.nodeMs,
				httpExchangeMs: r.httpMs,
				parameterReadsMs: paramMs,
				expressionEvalMs: r.exprMs ?? 0,
				ownWorkMs: r.nodeMs - r.httpMs - paramMs,
				ownWorkPct: (100 * (r.nodeMs - r.httpMs - paramMs)) / r.nodeMs,
			};
			if (r.config === 'pocket-define') {
				const auto = at('pocket-automap', r.n);
				if (auto) r.split.expressionEstimateMs = r.nodeMs - auto.nodeMs;
			}
		}
	}
}

/**
 * The performance targets, met or missed.
 * @param {Result[]} results
 * @returns {Target[]}
 */
function evaluateTargets(results) {
	const at = measuredAt(results);
	/** @type {Target[]} */
	const targets = [];
	const auto10k = at('pocket-automap', 10000);
	const http10k = results.find((r) => r.config === 'http-request' && r.n === 10000);
	const floor10k = at('floor', 10000);
	if (auto10k) {
		let httpMs = isMeasured(http10k) ? http10k.wallMs : undefined;
		let httpNodeMs = isMeasured(http10k) ? http10k.nodeMs : undefined;
		let note = 'measured';
		if (httpMs === undefined && http10k?.skipped && http10k.estimatedMs) {
			httpMs = http10k.estimatedMs;
			httpNodeMs = http10k.estimatedMs;
			note = 'HTTP Request at 10,000 skipped: extrapolated';
		}
		if (httpMs !== undefined && httpNodeMs !== undefined) {
			targets.push({
				target: '10,000 auto-mapped >= 100x faster than HTTP Request node',
				config: 'pocket-automap',
				n: 10000,
				valueWall: httpMs / auto10k.wallMs,
				valueNode: httpNodeMs / auto10k.nodeMs,
				value: `${fmt.x(httpMs / auto10k.wallMs)} (workflow wall), ${fmt.x(httpNodeMs / auto10k.nodeMs)} (node time); ${note}`,
				met: httpMs / auto10k.wallMs >= 100 && httpNodeMs / auto10k.nodeMs >= 100,
			});
		}
		if (floor10k) {
			targets.push({
				target: '10,000 auto-mapped within 3x the floor',
				config: 'pocket-automap',
				n: 10000,
				valueWall: auto10k.wallMs / floor10k.wallMs,
				valueNode: auto10k.nodeMs / floor10k.wallMs,
				value: `${fmt.x(auto10k.wallMs / floor10k.wallMs)} (workflow wall), ${fmt.x(auto10k.nodeMs / floor10k.wallMs)} (node time)`,
				met: auto10k.nodeMs / floor10k.wallMs <= 3,
				note: 'judged on node time (the node vs the bare POST); workflow wall also shown',
			});
		}
	}
	for (const r of results) {
		if (!isMeasured(r) || !r.split) continue;
		targets.push({
			target: `node's own work < 10% of its time (${r.config}, ${fmt.n(r.n)})`,
			config: r.config,
			n: r.n,
			value: `${r.split.ownWorkPct.toFixed(1)}%`,
			met: r.split.ownWorkPct < 10,
		});
	}
	const auto100k = at('pocket-automap', 100000);
	if (auto100k) {
		targets.push({
			target: '100,000 auto-mapped < 10 s',
			config: 'pocket-automap',
			n: 100000,
			value: `${fmt.s(auto100k.wallMs)} s workflow wall, ${fmt.s(auto100k.nodeMs)} s node time`,
			met: auto100k.wallMs < 10000,
		});
		targets.push({
			target: '100,000 auto-mapped < 600 MB peak RSS',
			config: 'pocket-automap',
			n: 100000,
			value: `${fmt.n(auto100k.maxRssMB)} MB`,
			met: auto100k.maxRssMB < 600,
		});
	}
	return targets;
}

module.exports = { QUOTA_PER_HOUR, isMeasured, derive, evaluateTargets };
