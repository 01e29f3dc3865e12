/**
 * Runs workflow JSON through n8n's own execution engine (n8n-core's WorkflowExecute), with
 * this package loaded from its built `dist/` the way n8n loads a community package: through
 * the `n8n` block of package.json (PackageDirectoryLoader).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core writes its instance settings under N8N_USER_FOLDER when first used.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'pocket-n8n-'));

import {
	Credentials,
	ExecuteContext,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	INodeCredentialsDetails,
	INodeProperties,
} from 'n8n-workflow';
import { executeAdditionalData } from './additional-data';
import { createDeferredPromise, createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

/** Feeds fixed items into a workflow, as pinned data on a trigger would; test plumbing only. */
class ItemsSource implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits the items given in its parameter',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getNodeParameter('items', 0) as unknown;
		const list = (typeof items === 'string' ? JSON.parse(items) : items) as Array<Record<string, unknown>>;
		return [list.map((json, i) => ({ json: json as INodeExecutionData['json'], pairedItem: { item: i } }))];
	}
}

export interface LoadedPackage {
	nodeTypes: INodeTypes;
	credentialTypes: Record<string, ICredentialType>;
	/** Node type names as n8n registers them: `<package>.<node>`. */
	nodeTypeNames: string[];
}

let loaded: Promise<LoadedPackage> | undefined;

export function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		const types: Record<string, INodeType | IVersionedNodeType> = { 'harness.items': new ItemsSource() };
		for (const [name, data] of Object.entries(loader.nodeTypes)) types[`${loader.packageName}.${name}`] = data.type;
		const credentialTypes: Record<string, ICredentialType> = {};
		for (const [name, data] of Object.entries(loader.credentialTypes)) credentialTypes[name] = data.type;
		const nodeTypes: INodeTypes = {
			getByName: (type) => types[type],
			getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
			getKnownTypes: () => ({}),
		};
		return { nodeTypes, credentialTypes, nodeTypeNames: Object.keys(types) };
	})();
	return loaded;
}

/** Credentials by type; applies each type's `authenticate` as n8n's CLI does. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.types[typeName]?.authenticate;
		if (typeof authenticate !== 'function') throw new Error(`harness: ${typeName} has no authenticate function`);
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication() {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails): Promise<Credentials> {
		return new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, '', '');
	}

	async getDecrypted(_a: IWorkflowExecuteAdditionalData, _n: INodeCredentialsDetails, type: string) {
		const data = this.data[type];
		if (!data) throw new Error(`harness: no credentials of type ${type}`);
		return data;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}

export interface RunOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's first run, per output (main[0] is the success output). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The run's error message, if the run failed. */
	errorMessage: string | undefined;
	error: IRun['data']['resultData']['error'];
}

/** Runs a workflow from its first node without inputs (its trigger), like a manual execution. */
export async function runWorkflow(workflowJson: IWorkflowBase, options: RunOptions = {}): Promise<RunResult> {
	const { nodeTypes, credentialTypes } = await loadPackage();
	const workflow = new Workflow({
		id: 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		nodeTypes,
		settings: workflowJson.settings,
		active: false,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowJson);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => done.resolve(fullRunData));
	const helper = new CredentialsHelper(credentialTypes, options.credentials ?? {});

	const startNode = workflowJson.nodes.find((n) => {
		const type = nodeTypes.getByNameAndVersion(n.type, n.typeVersion);
		return type.description.inputs.length === 0;
	});
	if (!startNode) throw new Error('harness: the workflow needs a node without inputs to start from');
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }] },
	});
	const execute = new WorkflowExecute(executeAdditionalData(helper, hooks), 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done.promise;
	const error = run.data.resultData.error;
	return {
		run,
		error,
		errorMessage: error?.message,
		output(nodeName, outputIndex = 0) {
			return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [];
		},
	};
}

/**
 * Tests a credential the way n8n's CLI does for a declarative `test`: a temporary node whose
 * only parameter routes the test request, run through n8n-core's RoutingNode, then the
 * test's rules applied to the answer or the error.
 */
export async function testCredential(type: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const { credentialTypes } = await loadPackage();
	const credentialType = credentialTypes[type];
	const testRequest = credentialType.test as ICredentialTestRequest;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'harness.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'test-credential', name: 'Test credential' } },
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'harness.credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' },
			],
		} as unknown as INodeType['description'],
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', { nodes: [node], connections: {} } as unknown as IWorkflowBase);
	const helper = new CredentialsHelper(credentialTypes, { [type]: data });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		executeAdditionalData(helper, hooks),
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const credentialsDecrypted = { id: 'test-credential', name: 'Test credential', type, data };
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (e) {
		const error = e as {
			cause?: { response?: { status: number; statusText: string }; code?: string };
			httpCode?: string | null;
			message: string;
		};
		// n8n's CLI reads error.cause.response; n8n-workflow 2.8's NodeApiError loses `cause` (a
		// class field shadows it; later versions fixed that), so fall back to its httpCode. The
		// e2e suite checks the same rules through a real n8n.
		const status = error.cause?.response?.status ?? (error.httpCode ? Number(error.httpCode) : undefined);
		if (status !== undefined) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: error.cause?.response?.statusText || `Received HTTP status code: ${status}` };
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: error.message };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const json = response?.[0]?.[0]?.json ?? {};
			const value = rule.properties.key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], json);
			if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
