// @ts-check
'use strict';
/**
 * What a benchmark run (bench/measure.js) measures besides wall time: the client-side HTTP
 * exchange time, the process's memory, the time spent in chosen n8n methods, and CPU profiles
 * through the inspector.
 */
const dc = require('node:diagnostics_channel');
const { performance } = require('node:perf_hooks');

const now = () => performance.now();

/**
 * Client-side HTTP exchange time: the union of the intervals during which at least one HTTP
 * request is in flight (from `http.client.request.start` to the response's 'end'), so that
 * concurrent requests (n8n's HTTP Request node starts all of an execution's requests at once)
 * are not counted twice.
 */
function httpMeter() {
	let inFlight = 0;
	let busySince = 0;
	let busyMs = 0;
	let requests = 0;
	let active = false;
	const begin = () => {
		if (!active) return;
		requests++;
		if (inFlight++ === 0) busySince = now();
	};
	const end = () => {
		if (!active) return;
		if (--inFlight === 0) busyMs += now() - busySince;
	};
	const onStart = () => begin();
	/** @param {unknown} message `{ request, response }` of http.client.response.finish */
	const onResponse = (message) => {
		const { response } = /** @type {{ response: import('node:http').IncomingMessage }} */ (message);
		let done = false;
		const finish = () => {
			if (!done) {
				done = true;
				end();
			}
		};
		response.once('end', finish);
		response.once('close', finish);
		response.once('error', finish);
	};
	const onError = () => end();
	dc.subscribe('http.client.request.start', onStart);
	dc.subscribe('http.client.response.finish', onResponse);
	dc.subscribe('http.client.request.error', onError);
	return {
		start() {
			active = true;
		},
		stop() {
			active = false;
		},
		get busyMs() {
			return busyMs;
		},
		get requests() {
			return requests;
		},
	};
}

function memory() {
	const mu = process.memoryUsage();
	return {
		maxRssMB: process.resourceUsage().maxRSS / 1024, // maxRSS is in KiB
		heapUsedMB: mu.heapUsed / 1048576,
	};
}

/**
 * @param {import('node:inspector').Session} session
 * @param {string} method
 * @param {object} [params]
 * @returns {Promise<unknown>} the inspector's answer
 */
function postInspector(session, method, params = {}) {
	return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

/**
 * Times the calls to a prototype method, outermost call only (it may call itself). The
 * methods timed are n8n internals, absent from its types: hence the plain object.
 * @param {object} prototype
 * @param {string} method
 */
function timeMethod(prototype, method) {
	const proto = /** @type {Record<string, unknown>} */ (prototype);
	const original = /** @type {(...args: unknown[]) => unknown} */ (proto[method]);
	const timing = { ms: 0, calls: 0 };
	let depth = 0;
	proto[method] = function (/** @type {unknown[]} */ ...args) {
		if (depth++ > 0) {
			try {
				return original.apply(this, args);
			} finally {
				depth--;
			}
		}
		const t = now();
		try {
			return original.apply(this, args);
		} finally {
			timing.ms += now() - t;
			timing.calls++;
			depth--;
		}
	};
	return timing;
}

module.exports = { now, httpMeter, memory, postInspector, timeMethod };
