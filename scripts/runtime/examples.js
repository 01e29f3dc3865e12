// @ts-check
'use strict';
/** The example workflows in examples/*.json, imported into a running n8n. */

const fs = require('node:fs');
const path = require('node:path');
const { REPO_DIR, CREDENTIAL_TYPE } = require('./config');

/**
 * @typedef {import('./rest-client').N8nClient} N8nClient
 * @typedef {import('./rest-client').CredentialRef} CredentialRef
 * @typedef {import('./rest-client').WorkflowJson} WorkflowJson
 * @typedef {{ file: string, id: string, name: string, imported: boolean }} ImportedExample
 */

function exampleFiles() {
	const dir = path.join(REPO_DIR, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
}

/**
 * Reads an example workflow, replacing text (such as the feed URL) and pointing every Pocket
 * credential reference at the given credential.
 * @param {string} file
 * @param {CredentialRef} credential
 * @param {Record<string, string>} replacements
 */
function loadExample(file, credential, replacements) {
	let text = fs.readFileSync(file, 'utf8');
	for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
	const wf = /** @type {WorkflowJson} */ (JSON.parse(text));
	for (const node of wf.nodes) {
		if (node.credentials && node.credentials[CREDENTIAL_TYPE]) {
			node.credentials[CREDENTIAL_TYPE] = { id: String(credential.id), name: credential.name };
		}
	}
	return wf;
}

/**
 * Imports every examples/*.json workflow, skipping names already present.
 * @param {N8nClient} client
 * @param {CredentialRef} credential
 * @param {Record<string, string>} replacements text to replace in the files, e.g. the feed URL
 * @returns {Promise<ImportedExample[]>}
 */
async function importExamples(client, credential, replacements) {
	const existing = await client.listWorkflows();
	/** @type {ImportedExample[]} */
	const results = [];
	for (const file of exampleFiles()) {
		const wf = loadExample(file, credential, replacements);
		const found = existing.find((w) => w.name === wf.name);
		if (found) {
			results.push({ file, id: found.id, name: found.name, imported: false });
			continue;
		}
		const created = await client.createWorkflow(wf);
		results.push({ file, id: created.id, name: created.name, imported: true });
	}
	return results;
}

module.exports = { importExamples };
