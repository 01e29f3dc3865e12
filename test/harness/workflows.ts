/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, INode, IWorkflowBase } from 'n8n-workflow';

import type { PocketServer } from '../server/pocket-server';

export const CONSUMER_KEY = 'ck-4f1e9a-SECRET-consumer';
export const ACCESS_TOKEN = 'at-77b2c0-SECRET-token';
/** The sign-in account of the test server (Email and Password mode). */
export const ACCOUNT = { email: 'reader@pocket.test', password: 'pw-91c3-SECRET-password' };

export function pocketCredentials(server: Pick<PocketServer, 'url'>, overrides: ICredentialDataDecryptedObject = {}) {
	return {
		pocketApi: { baseUrl: server.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN, ...overrides },
	};
}

/** A credential in Email and Password mode: no token yet, the node signs in. */
export function signInCredentials(server: Pick<PocketServer, 'url'>, overrides: ICredentialDataDecryptedObject = {}) {
	return {
		pocketApi: {
			baseUrl: server.url,
			authentication: 'emailPassword',
			consumerKey: CONSUMER_KEY,
			email: ACCOUNT.email,
			password: ACCOUNT.password,
			sessionToken: '',
			...overrides,
		},
	};
}

/** A workflow file from test/workflows, as n8n exports and imports it. */
export function loadWorkflow(name: string): IWorkflowBase {
	const file = path.join(__dirname, '..', 'workflows', `${name}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as IWorkflowBase;
}

function node(workflow: IWorkflowBase, name: string): INode {
	const found = workflow.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`no node ${name}`);
	return found;
}

/** Replaces the items the workflow starts with: the pinned output of its Manual Trigger. */
export function withItems(workflow: IWorkflowBase, items: unknown[]): IWorkflowBase {
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error(`${workflow.name} has no Manual Trigger`);
	workflow.pinData = { ...workflow.pinData, [trigger.name]: items.map((json) => ({ json: json as IDataObject })) };
	return workflow;
}

/** Changes the Pocket node: its parameters (merged) and node settings such as onError, retryOnFail or typeVersion. */
export function withPocket(
	workflow: IWorkflowBase,
	parameters: INode['parameters'] = {},
	settings: Partial<Pick<INode, 'onError' | 'continueOnFail' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'typeVersion'>> = {},
): IWorkflowBase {
	const pocket = node(workflow, 'Pocket');
	pocket.parameters = { ...pocket.parameters, ...parameters };
	Object.assign(pocket, settings);
	return workflow;
}
