// @ts-check
'use strict';
/** jest globalSetup of the `unit-1.x` project: the 1.x n8n-core/n8n-workflow in the cache. */
const { ensureInProcess1x } = require('../scripts/runtime/install');

module.exports = async () => {
	await ensureInProcess1x();
};
