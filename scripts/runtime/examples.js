// @ts-check
'use strict';
/** The example workflows in examples/*.json, imported into a running n8n. */

const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { REPO_DIR, CREDENTIAL_TYPE } = require('./config');

/**
 * @typedef {import('./rest-client').N8nClient} N8nClient
 * @typedef {import('./rest-client').CredentialRef} CredentialRef
 * @typedef {import('./rest-client').WorkflowJson} WorkflowJson
 * @typedef {{ file: string, id: string, name: string, imported: boolean }} ImportedExample
 * @typedef {{ credential: CredentialRef, header: string, secret: string }} WebhookSecret
 */

/**
 * The webhook example's caller authentication: n8n's Webhook node with Header Auth, so a call
 * must carry this header with the credential's secret (n8n answers 403 otherwise).
 */
const WEBHOOK_AUTH = Object.freeze({ type: 'httpHeaderAuth', name: 'Pocket webhook secret', header: 'X-Webhook-Secret' });

/**
 * Creates the webhook example's Header Auth credential, or gives the existing one (same name) a
 * new secret, so that the imported example keeps pointing at it.
 * @param {N8nClient} client
 * @param {string} [secret] default: a fresh random one
 * @returns {Promise<WebhookSecret>}
 */
async function saveWebhookSecret(client, secret = randomBytes(24).toString('base64url')) {
	const credential = await client.saveHeaderAuthCredential({ name: WEBHOOK_AUTH.name, header: WEBHOOK_AUTH.header, value: secret });
	return { credential, header: WEBHOOK_AUTH.header, secret };
}

function exampleFiles() {
	const dir = path.join(REPO_DIR, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
}

/**
 * Reads an example workflow, replacing text (such as the feed URL) and pointing every Pocket
 * credential reference at the given credential, and every Header Auth reference (the webhook
 * example's) at `webhookAuth` when given.
 * @param {string} file
 * @param {CredentialRef} credential
 * @param {Record<string, string>} replacements
 * @param {CredentialRef} [webhookAuth]
 */
function loadExample(file, credential, replacements, webhookAuth) {
	let text = fs.readFileSync(file, 'utf8');
	for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
	const wf = /** @type {WorkflowJson} */ (JSON.parse(text));
	/** @type {Array<[string, CredentialRef | undefined]>} */
	const references = [
		[CREDENTIAL_TYPE, credential],
		[WEBHOOK_AUTH.type, webhookAuth],
	];
	for (const node of wf.nodes) {
		for (const [type, ref] of references) {
			if (ref && node.credentials && node.credentials[type]) node.credentials[type] = { id: String(ref.id), name: ref.name };
		}
	}
	return wf;
}

/** @param {WorkflowJson} wf */
const usesWebhookAuth = (wf) => wf.nodes.some((node) => node.credentials && node.credentials[WEBHOOK_AUTH.type]);

/**
 * Imports every examples/*.json workflow, skipping names already present.
 * @param {N8nClient} client
 * @param {CredentialRef} credential
 * @param {Record<string, string>} replacements text to replace in the files, e.g. the feed URL
 * @param {CredentialRef} [webhookAuth] the webhook example's Header Auth credential (see
 *   saveWebhookSecret); without one, it gets one with a random secret nobody was told, so the
 *   example is never imported open
 * @returns {Promise<ImportedExample[]>}
 */
async function importExamples(client, credential, replacements, webhookAuth) {
	const existing = await client.listWorkflows();
	/** @type {ImportedExample[]} */
	const results = [];
	let auth = webhookAuth;
	for (const file of exampleFiles()) {
		let wf = loadExample(file, credential, replacements, auth);
		const found = existing.find((w) => w.name === wf.name);
		if (found) {
			results.push({ file, id: found.id, name: found.name, imported: false });
			continue;
		}
		if (!auth && usesWebhookAuth(wf)) {
			auth = (await saveWebhookSecret(client)).credential;
			wf = loadExample(file, credential, replacements, auth);
		}
		const created = await client.createWorkflow(wf);
		results.push({ file, id: created.id, name: created.name, imported: true });
	}
	return results;
}

module.exports = { WEBHOOK_AUTH, importExamples, loadExample, saveWebhookSecret };
