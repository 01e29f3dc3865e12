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
 * @property {number} [nodeCpuMs] CPU time of the measuring process while the node (the floor: the POST) ran
 * @property {number} httpMs client-side HTTP exchange time
 * @property {number} clientRequests
 * @property {number} outputItems
 * @property {number} maxRssMB
 * @property {number} heapUsedMB
 * @property {number} [startNodeMs]
 * @property {number} [paramMs] n8n's parameter reads, expressions included
 * @property {number} [paramCalls]
 * @property {number} [exprMs] expression evaluation
 * @property {number} [exprEvaluations] expressions evaluated (n8n's resolveSimpleParameterValue calls)
 * @property {string} [sample] the first output item, shortened
 * @property {Record<string, number>} [exchangeParts] `exchange`: median ms per part of one call
 * @property {number} [answerBytes]
 * @property {number} [requestBytes]
 * @property {number} [rssBeforeRunMB]
 * @property {number} [nodeTypeVersion]
 * @property {number[]} [nodeMsRuns] with --repeat: the node time of every run, the result being the median one
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
 * @property {boolean} [warm] each workflow's second execution in its process was measured (--warm)
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

/** Issue 22's targets, as data: the bench judges each from the results of one run. */
const TARGETS = {
	/** The node's own work (node time less the HTTP exchange and n8n's parameter reads), auto-mapped. */
	ownWorkMicrosPerItem: { max: 3, sizes: [10000, 100000] },
	/** Auto-mapped node time over the floor's (one bare POST of the same actions). */
	overFloor: [
		{ n: 10000, max: 2 },
		{ n: 100000, max: 1.3 },
	],
	/**
	 * Get Many: node time per 1,000 items at every larger N at most this many times that at the
	 * smallest N measured. Linear reading keeps it flat (fixed costs make it fall); a cost that
	 * grows with N per call multiplies it by about 10 per tenfold N.
	 */
	getManyPerThousandGrowth: 1.5,
};

/**
 * The performance targets, met or missed (a target whose N was not measured is not listed).
 * @param {Result[]} results
 * @returns {Target[]}
 */
function evaluateTargets(results) {
	const at = measuredAt(results);
	/** @type {Target[]} */
	const targets = [];
	for (const n of TARGETS.ownWorkMicrosPerItem.sizes) {
		const auto = at('pocket-automap', n);
		if (!auto?.split) continue;
		const micros = (1000 * auto.split.ownWorkMs) / n;
		const floor = at('floor', n);
		// The floor's own work (serialising the request, parsing the answer) is part of the node's too.
		const floorMicros = floor ? (1000 * (floor.wallMs - floor.httpMs)) / n : undefined;
		targets.push({
			target: `own work <= ${TARGETS.ownWorkMicrosPerItem.max} µs per item, ${fmt.n(n)} auto-mapped`,
			config: 'pocket-automap',
			n,
			value: `${micros.toFixed(2)} µs per item (${fmt.s(auto.split.ownWorkMs)} s of ${fmt.s(auto.nodeMs)} s node time)`,
			met: micros <= TARGETS.ownWorkMicrosPerItem.max,
			note: `own work = node time - HTTP exchange - parameter reads${floorMicros === undefined ? '' : `; the floor's own work (serialise, parse) alone is ${floorMicros.toFixed(2)} µs per item`}`,
		});
	}
	for (const { n, max } of TARGETS.overFloor) {
		const auto = at('pocket-automap', n);
		const floor = at('floor', n);
		if (!auto || !floor) continue;
		const ratio = auto.nodeMs / floor.wallMs;
		targets.push({
			target: `${fmt.n(n)} auto-mapped within ${max}x the floor (node time)`,
			config: 'pocket-automap',
			n,
			valueNode: ratio,
			valueWall: auto.wallMs / floor.wallMs,
			value: `${fmt.x(ratio)} (${fmt.s(auto.nodeMs)} s node against ${fmt.s(floor.wallMs)} s floor; workflow wall ${fmt.x(auto.wallMs / floor.wallMs)})`,
			met: ratio <= max,
		});
	}
	const reads = results.filter(isMeasured).filter((r) => r.config === 'get-many').sort((a, b) => a.n - b.n);
	if (reads.length >= 2) {
		const perThousand = (/** @type {MeasuredResult} */ r) => (1000 * r.nodeMs) / r.n;
		const base = perThousand(reads[0]);
		const growth = Math.max(...reads.slice(1).map((r) => perThousand(r) / base));
		const largest = reads[reads.length - 1];
		targets.push({
			target: `Get Many linear in N: time per 1,000 items at every N within ${TARGETS.getManyPerThousandGrowth}x that at ${fmt.n(reads[0].n)}`,
			config: 'get-many',
			n: largest.n,
			value: `${reads.map((r) => `${fmt.n(r.n)}: ${fmt.s(perThousand(r))} s and ${fmt.n((1000 * r.httpCalls) / r.n, 1)} calls per 1,000`).join('; ')} (largest growth ${fmt.x(growth)})`,
			met: growth <= TARGETS.getManyPerThousandGrowth,
		});
	}
	return targets;
}

module.exports = { QUOTA_PER_HOUR, isMeasured, derive, evaluateTargets };
