// @ts-check
'use strict';
/** Reading a finished execution as n8n's REST API returns it. */

const { parse } = require('flatted');

/**
 * @typedef {import('n8n-workflow').IRunData} IRunData
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 */

/**
 * The run data (node name -> runs) of an execution's `data`, which n8n stores and returns
 * "flatted" (a JSON array of values with string-index references; n8n's own `flatted`).
 * @param {unknown} data
 * @returns {IRunData}
 */
function readRunData(data) {
	if (!data) return {};
	/** @type {{ resultData?: { runData?: IRunData } }} */
	let parsed;
	try {
		parsed = typeof data === 'string' ? parse(data) : data;
	} catch {
		return {}; // not flatted JSON: an execution without readable data has no node output
	}
	return parsed?.resultData?.runData ?? {};
}

/**
 * Output items (json only) of a node's first run, main output 0; undefined if it did not run.
 * @param {IRunData} runData
 * @param {string} nodeName
 * @returns {IDataObject[] | undefined}
 */
function nodeOutput(runData, nodeName) {
	const runs = runData[nodeName];
	if (!runs || !runs.length) return undefined;
	const main = runs[0].data && runs[0].data.main;
	if (!main) return [];
	return (main[0] || []).map((i) => i.json);
}

module.exports = { readRunData, nodeOutput };
