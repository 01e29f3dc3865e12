// @ts-check
'use strict';
/** A client of n8n's REST API (the one its editor uses), logged in through a cookie. */

const { CREDENTIAL_TYPE } = require('./config');
const { readRunData } = require('./executions');

/**
 * @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase
 * @typedef {import('n8n-workflow').IRunData} IRunData
 * @typedef {import('n8n-workflow').ExecutionStatus} ExecutionStatus
 * @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').INodeCredentialTestResult} INodeCredentialTestResult
 *
 * @typedef {{ email: string, firstName: string, lastName: string, password: string }} Owner
 * @typedef {{ id: string, name: string }} CredentialRef
 * @typedef {CredentialRef & { type: string }} CredentialEntry
 * @typedef {{ baseUrl: string, consumerKey: string, allowUnencryptedHttp?: boolean, ignoreSSLIssues?: boolean }
 *   & ({ authentication?: 'accessToken', accessToken: string } | { authentication: 'emailPassword', email: string, password: string })} PocketCredentialData
 * @typedef {Pick<IWorkflowBase, 'name' | 'nodes' | 'connections'> & Partial<Pick<IWorkflowBase, 'settings' | 'pinData'>>} WorkflowJson
 * @typedef {Pick<IWorkflowBase, 'id' | 'name' | 'nodes' | 'active' | 'activeVersionId' | 'versionId'>} SavedWorkflow
 * @typedef {{ finished?: boolean, status?: ExecutionStatus, stoppedAt?: string | null, data?: string }} Execution
 * @typedef {{ status: ExecutionStatus | undefined, runData: IRunData }} FinishedExecution
 * @typedef {{ id: string, status: ExecutionStatus, mode: string, startedAt: string | null, stoppedAt: string | null }} ExecutionSummary
 */

/** @type {Readonly<Owner>} */
const DEFAULT_OWNER = Object.freeze({
	email: 'owner@pocket.test',
	firstName: 'Pocket',
	lastName: 'Owner',
	password: 'PocketDemo1234',
});

const BROWSER_ID = 'n8n-nodes-pocket-runtime';

/** @param {PocketCredentialData} data */
function credentialData(data) {
	const { baseUrl, allowUnencryptedHttp } = data;
	return { ...data, allowUnencryptedHttp: allowUnencryptedHttp === undefined ? baseUrl.startsWith('http:') : allowUnencryptedHttp };
}

/** @param {unknown} json */
function hasData(json) {
	return typeof json === 'object' && json !== null && Object.prototype.hasOwnProperty.call(json, 'data');
}

class N8nClient {
	/** @param {string} url n8n's base URL */
	constructor(url) {
		this.url = url.replace(/\/$/, '');
		this.cookie = '';
	}

	/**
	 * One call; keeps the auth cookie n8n sets.
	 * @param {string} method
	 * @param {string} p path, e.g. /rest/workflows
	 * @param {unknown} [body]
	 * @returns {Promise<{ ok: boolean, status: number, text: string, json: unknown }>}
	 */
	async send(method, p, body) {
		/** @type {Record<string, string>} */
		const headers = { 'browser-id': BROWSER_ID, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.url}${p}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
		for (const c of setCookie) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		const text = await res.text();
		/** @type {unknown} */
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined; // not JSON: callers get the text
		}
		return { ok: res.ok, status: res.status, text, json };
	}

	/**
	 * One call that must succeed; returns the answer's `data` (or the whole JSON without one).
	 * @param {string} method
	 * @param {string} p
	 * @param {unknown} [body]
	 * @returns {Promise<unknown>}
	 */
	async request(method, p, body) {
		const res = await this.send(method, p, body);
		if (!res.ok) throw new Error(`n8n ${method} ${p} -> ${res.status}: ${res.text.slice(0, 1000)}`);
		const { json } = res;
		return hasData(json) ? /** @type {{ data: unknown }} */ (json).data : json;
	}

	/**
	 * Creates the instance owner (first run) or, if one exists, logs in.
	 * @param {Owner} [owner]
	 */
	async setupOwner(owner = DEFAULT_OWNER) {
		const res = await this.send('POST', '/rest/owner/setup', owner);
		if (res.status < 200 || res.status >= 300) await this.login(owner);
	}

	/** @param {Owner} [owner] */
	async login(owner = DEFAULT_OWNER) {
		await this.request('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		});
	}

	/** The node types the editor loads (logged-in users only). */
	async nodeTypes() {
		return /** @type {INodeTypeDescription[]} */ (await this.request('GET', '/types/nodes.json'));
	}

	/** The credential types the editor loads (logged-in users only). */
	async credentialTypes() {
		return /** @type {ICredentialType[]} */ (await this.request('GET', '/types/credentials.json'));
	}

	/**
	 * A Pocket credential; allowUnencryptedHttp defaults to whether the base URL is http.
	 * @param {PocketCredentialData & { name?: string }} credential
	 */
	async createCredential({ name = 'Pocket account', ...data }) {
		const body = { name, type: CREDENTIAL_TYPE, data: credentialData(data) };
		return /** @type {CredentialRef} */ (await this.request('POST', '/rest/credentials', body));
	}

	/**
	 * @param {string} id
	 * @param {PocketCredentialData & { name: string }} credential
	 */
	async updateCredential(id, { name, ...data }) {
		await this.request('PATCH', `/rest/credentials/${id}`, { name, type: CREDENTIAL_TYPE, data: credentialData(data) });
	}

	/**
	 * An n8n Header Auth credential, as a Webhook node's authentication uses: requests must carry
	 * the header with exactly this value.
	 * @param {{ name: string, header: string, value: string }} credential
	 */
	async createHeaderAuthCredential({ name, header, value }) {
		const body = { name, type: 'httpHeaderAuth', data: { name: header, value } };
		return /** @type {CredentialRef} */ (await this.request('POST', '/rest/credentials', body));
	}

	/**
	 * The Header Auth credential of this name with a new header and value, or a new one: a
	 * workflow that already points at it keeps working with the new value.
	 * @param {{ name: string, header: string, value: string }} credential
	 * @returns {Promise<CredentialRef>}
	 */
	async saveHeaderAuthCredential({ name, header, value }) {
		const existing = await this.findCredential(name, 'httpHeaderAuth');
		if (!existing) return await this.createHeaderAuthCredential({ name, header, value });
		await this.request('PATCH', `/rest/credentials/${existing.id}`, { name, type: 'httpHeaderAuth', data: { name: header, value } });
		return { id: existing.id, name };
	}

	/**
	 * @param {string} name
	 * @param {string} [type] default: the Pocket credential type
	 */
	async findCredential(name, type = CREDENTIAL_TYPE) {
		const list = /** @type {CredentialEntry[]} */ (await this.request('GET', '/rest/credentials'));
		return list.find((c) => c.name === name && c.type === type);
	}

	/**
	 * n8n's credential test. id '' tests unsaved data (allowed for the owner); a saved
	 * credential's id merges its stored data.
	 * @param {{ name?: string, data: PocketCredentialData, id?: string }} credential
	 * @returns {Promise<INodeCredentialTestResult>}
	 */
	async testCredential({ name = 'Pocket test', data, id = '' }) {
		const body = { credentials: { id, name, type: CREDENTIAL_TYPE, data } };
		const res = await this.send('POST', '/rest/credentials/test', body);
		if (res.status === 403 && id === '') {
			// n8n 1.x tests saved credentials only (its editor saves before testing): do the same
			// with a scratch copy.
			const scratch = await this.createCredential({ ...data, name: `${name} (test)` });
			try {
				return await this.testCredential({ name: scratch.name, data, id: String(scratch.id) });
			} finally {
				await this.request('DELETE', `/rest/credentials/${scratch.id}`);
			}
		}
		if (!res.ok) throw new Error(`n8n POST /rest/credentials/test -> ${res.status}: ${res.text.slice(0, 1000)}`);
		return /** @type {INodeCredentialTestResult} */ (/** @type {{ data: unknown }} */ (res.json).data);
	}

	/** @param {WorkflowJson} workflow */
	async createWorkflow(workflow) {
		/** @type {WorkflowJson & { active: boolean }} */
		const body = {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings || { executionOrder: 'v1' },
			active: false,
		};
		if (workflow.pinData) body.pinData = workflow.pinData;
		return /** @type {SavedWorkflow} */ (await this.request('POST', '/rest/workflows', body));
	}

	/** @param {string} id */
	async getWorkflow(id) {
		return /** @type {SavedWorkflow} */ (await this.request('GET', `/rest/workflows/${id}`));
	}

	async listWorkflows() {
		return /** @type {SavedWorkflow[]} */ (await this.request('GET', '/rest/workflows'));
	}

	/**
	 * Publishes a workflow (n8n 2.x), or sets it active where there is no activate route.
	 * @param {string} id
	 */
	async activateWorkflow(id) {
		const wf = await this.getWorkflow(id);
		const res = await this.send('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId });
		if (res.status < 300) return;
		if (res.status !== 404) throw new Error(`activate ${id} -> ${res.status}: ${JSON.stringify(res.json ?? res.text).slice(0, 800)}`);
		await this.request('PATCH', `/rest/workflows/${id}`, { active: true, versionId: wf.versionId });
	}

	/** @param {string} id */
	async deactivateWorkflow(id) {
		const res = await this.send('POST', `/rest/workflows/${id}/deactivate`, {});
		if (res.status < 300) return;
		const wf = await this.getWorkflow(id);
		await this.request('PATCH', `/rest/workflows/${id}`, { active: false, versionId: wf.versionId });
	}

	/**
	 * Starts a manual run of a saved workflow from its Manual Trigger; returns the execution id.
	 * @param {string} id
	 */
	async runWorkflow(id) {
		const wf = await this.getWorkflow(id);
		const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
		if (!trigger) throw new Error(`workflow ${id} has no Manual Trigger to run it from`);
		return await this.runManually(wf, { triggerToStartFrom: { name: trigger.name } });
	}

	/**
	 * A manual run of a saved workflow, as the editor starts one; returns the execution id.
	 * n8n 2.x runs the saved workflow and takes the rest of the body as its ManualRunDto; n8n
	 * 1.x runs the `workflowData` the editor sends along, which 2.x ignores.
	 * @param {SavedWorkflow} wf
	 * @param {Record<string, unknown>} payload e.g. `{ triggerToStartFrom: { name } }`
	 */
	async runManually(wf, payload) {
		const body = { workflowData: wf, ...payload };
		const data = /** @type {{ executionId?: string } | undefined} */ (await this.request('POST', `/rest/workflows/${wf.id}/run`, body));
		if (!data || !data.executionId) throw new Error(`run ${wf.id} returned no executionId: ${JSON.stringify(data)}`);
		return data.executionId;
	}

	/**
	 * Waits for an execution to finish.
	 * @param {string} executionId
	 * @param {number} [timeoutMs]
	 * @returns {Promise<FinishedExecution>}
	 */
	async waitForExecution(executionId, timeoutMs = 60000) {
		const start = Date.now();
		while (Date.now() - start < timeoutMs) {
			const res = await this.send('GET', `/rest/executions/${executionId}`);
			if (res.status === 200 && hasData(res.json)) {
				const exec = /** @type {{ data: Execution }} */ (res.json).data;
				if (exec.finished || (exec.status && !['new', 'running', 'waiting', 'unknown'].includes(exec.status)) || exec.stoppedAt) {
					return { status: exec.status, runData: readRunData(exec.data) };
				}
			}
			await new Promise((r) => setTimeout(r, 300));
		}
		throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
	}

	/**
	 * Every execution n8n recorded for a workflow (finished or not), page by page (n8n 2.x: at
	 * most 100 per page, then its `nextCursor`).
	 *
	 * n8n 2.x orders the pages by start time but continues each below the previous page's
	 * lowest id, so an execution that started out of id order (queue mode's workers do that)
	 * can fall between two pages. The ids between the lowest and the highest found are read one
	 * by one: this assumes the workflow's executions have consecutive ids, as when it is the
	 * only one running.
	 * @param {string} workflowId
	 * @param {number} [maxPages] a bound on the paging loop
	 */
	async listExecutions(workflowId, maxPages = 100) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		/** @type {Map<string, ExecutionSummary>} */
		const found = new Map();
		/** @type {string | null | undefined} */
		let cursor;
		for (let page = 0; page < maxPages && cursor !== null; page++) {
			const query = `filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			const data = /** @type {{ results: ExecutionSummary[], nextCursor?: string | null }} */ (
				await this.request('GET', `/rest/executions?${query}`)
			);
			// The first page also lists the running ones, which later pages may list again.
			for (const e of data.results) found.set(String(e.id), { ...e, id: String(e.id) });
			cursor = data.nextCursor ?? null;
		}
		const ids = [...found.keys()].map(Number);
		for (let id = Math.min(...ids); id < Math.max(...ids); id++) {
			if (found.has(String(id))) continue;
			const res = await this.send('GET', `/rest/executions/${id}`);
			const e = /** @type {{ data?: ExecutionSummary & { workflowId?: string } } | undefined} */ (res.json)?.data;
			if (res.ok && e && String(e.workflowId) === String(workflowId)) found.set(String(id), { ...e, id: String(id) });
		}
		return [...found.values()];
	}

	/** @param {string} id */
	async runWorkflowAndWait(id) {
		return this.waitForExecution(await this.runWorkflow(id));
	}
}

module.exports = { N8nClient, DEFAULT_OWNER };
