'use strict';

// n8n loads the package through the `n8n` block of package.json; this entry lets plain
// `require('n8n-nodes-pocket')` reach the same built classes.
module.exports = {
	nodes: [
		require('./dist/nodes/Pocket/Pocket.node.js').Pocket,
		require('./dist/nodes/PocketTrigger/PocketTrigger.node.js').PocketTrigger,
	],
	credentials: [require('./dist/credentials/PocketApi.credentials.js').PocketApi],
};
