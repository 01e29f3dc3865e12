// @ts-check
'use strict';
/**
 * Runs workflow JSON through n8n's own execution engine (n8n-core's WorkflowExecute), with a
 * package loaded from its folder the way n8n loads a community package: through the `n8n`
 * block of its package.json (PackageDirectoryLoader).
 *
 * One harness for two engines, hence plain JavaScript that is handed the n8n modules:
 * test/harness/engine.ts binds the dev-dependency n8n-core 2.8 / n8n-workflow 2.8 for the
 * workflow tests, bench/measure.js the pinned n8n's own modules under the Node.js it needs.
 */

/**
 * @typedef {typeof import('n8n-core')} N8nCore
 * @typedef {typeof import('n8n-workflow')} N8nWorkflow
 * @typedef {import('n8n-core').ExecutionLifecycleHooks} ExecutionLifecycleHooks
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').ICredentialsHelper} ICredentialsHelper
 * @typedef {import('n8n-workflow').ICredentialsDecrypted} ICredentialsDecrypted
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeCredentialsDetails} INodeCredentialsDetails
 * @typedef {import('n8n-workflow').INodeCredentialTestResult} INodeCredentialTestResult
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeProperties} INodeProperties
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').Workflow} Workflow
 */

/**
 * @typedef {object} EngineOptions
 * @property {N8nCore} core
 * @property {N8nWorkflow} workflow
 * @property {string} packageDir the package to load: a folder whose package.json has an `n8n` block
 * @property {Record<string, INodeType | IVersionedNodeType>} [nodeTypes] the other node types the
 *   workflows use, by full type name (such as `n8n-nodes-base.manualTrigger`)
 * @property {typeof import('@n8n/di')} [di] the dependency container n8n-core itself uses (the
 *   copy its `require('@n8n/di')` finds): needed to activate workflows
 */

/**
 * What the polling triggers of an active workflow emitted in one poll, by node name: the items
 * of their main output, or the error n8n would report.
 * @typedef {{ emitted: Record<string, INodeExecutionData[]>, errors: Record<string, Error> }} PollResult
 */

/**
 * An active workflow: what the activation poll emitted, and the next scheduled poll on demand.
 * @typedef {object} ActiveRun
 * @property {Workflow} workflow its static data holds what the triggers keep between polls
 * @property {PollResult} first the poll n8n runs when it activates the workflow
 * @property {() => Promise<PollResult>} poll runs every polling trigger once, as their Poll Times would
 * @property {() => Promise<void>} deactivate
 */

/**
 * The part of n8n-core's ScheduledTaskManager that ActiveWorkflows calls for polling triggers.
 * @typedef {{ registerCron(ctx: { workflowId: string }, onTick: () => Promise<void>): void, deregisterCrons(workflowId: string): void }} Scheduler
 */

/**
 * @typedef {object} LoadedPackage
 * @property {INodeTypes} nodeTypes the package's node types (`<package>.<node>`) and the other ones
 * @property {Record<string, ICredentialType>} credentialTypes the package's credential types
 */

/**
 * A workflow as n8n exports it; the run starts from its node without inputs (its trigger), with
 * the workflow's pinData as that trigger's output, like a manual execution in the editor.
 * @typedef {Pick<IWorkflowBase, 'nodes' | 'connections'> & Partial<Pick<IWorkflowBase, 'id' | 'name' | 'settings' | 'pinData'>>} WorkflowJson
 */

/**
 * @typedef {object} RunOptions
 * @property {Record<string, ICredentialDataDecryptedObject>} [credentials] credential data by credential type
 */

/**
 * @typedef {object} RunResult
 * @property {IRun} run
 * @property {(nodeName: string, outputIndex?: number) => INodeExecutionData[]} output Output items
 *   of a node's first run, per output (main[0] is the success output).
 * @property {string | undefined} errorMessage The run's error message, if the run failed.
 * @property {IRun['data']['resultData']['error']} error
 */

/**
 * A run set up and not started: add hook handlers or instrument the workflow, then execute().
 * @typedef {object} PreparedRun
 * @property {Workflow} workflow
 * @property {ExecutionLifecycleHooks} hooks
 * @property {() => Promise<RunResult>} execute
 */

/** The node type n8n's credential test runs as; its helper runs preAuthentication for it. */
const NO_OP = 'n8n-nodes-base.noOp';

/**
 * The members of n8n's IWorkflowExecuteAdditionalData that the engine reaches for a plain run
 * of regular nodes; the rest (secrets, task runners, sub-workflows) belongs to n8n's server
 * and is absent on purpose.
 * @param {ICredentialsHelper} credentialsHelper
 * @param {ExecutionLifecycleHooks} hooks
 * @returns {IWorkflowExecuteAdditionalData}
 */
function executeAdditionalData(credentialsHelper, hooks) {
	const unsupported = () => {
		throw new Error('not supported outside an n8n server');
	};
	const base = 'http://127.0.0.1:5678';
	/** @type {Partial<IWorkflowExecuteAdditionalData>} */
	const data = {
		credentialsHelper,
		hooks,
		executeWorkflow: unsupported,
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: unsupported,
	};
	return /** @type {IWorkflowExecuteAdditionalData} */ (data);
}

/**
 * The engine bound to one n8n-core and n8n-workflow, with one package loaded (once).
 * @param {EngineOptions} options
 */
function createEngine({ core, workflow: n8nWorkflow, packageDir, nodeTypes: otherTypes = {}, di }) {
	const { ActiveWorkflows, Credentials, ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, PackageDirectoryLoader, PollContext, RoutingNode, WorkflowExecute } = core;
	const { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } = n8nWorkflow;

	/** Credentials by type; applies each type's `authenticate` as n8n's CLI does. */
	class CredentialsHelper extends ICredentialsHelper {
		/**
		 * @param {Record<string, ICredentialType>} types
		 * @param {Record<string, ICredentialDataDecryptedObject>} data
		 */
		constructor(types, data) {
			super();
			this.types = types;
			this.data = data;
		}

		/** @returns {string[]} */
		getParentTypes() {
			return [];
		}

		/** Newer n8n-core (the benchmark's) asks this before a node reads a credential. */
		isCredentialUsableByNode() {
			return true;
		}

		/** Newer n8n-core's name for pre-authentication (OAuth); nothing here pre-authenticates. */
		async runPreAuthentication() {
			return undefined;
		}

		/**
		 * @param {ICredentialDataDecryptedObject} credentials
		 * @param {string} typeName
		 * @param {IHttpRequestOptions} requestOptions
		 */
		async authenticate(credentials, typeName, requestOptions) {
			const authenticate = this.types[typeName]?.authenticate;
			if (typeof authenticate !== 'function') throw new Error(`harness: ${typeName} has no authenticate function`);
			return await authenticate(credentials, requestOptions);
		}

		/**
		 * What n8n's CLI does: when a credential type has an expirable hidden field and that
		 * field is empty (or the request just got a 401), it runs the type's preAuthentication
		 * and stores the result with the credential, so later runs read it back; and always when
		 * the credential is being tested.
		 * @param {import('n8n-workflow').IHttpRequestHelper} helpers
		 * @param {ICredentialDataDecryptedObject} credentials
		 * @param {string} typeName
		 * @param {INode} node
		 * @param {boolean} credentialsExpired
		 */
		async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
			const type = this.types[typeName];
			const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
			if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
			const testing = node?.type === NO_OP && node.parameters?.temp === '';
			if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;
			const output = await type.preAuthentication.call(helpers, credentials);
			if (output[expirable.name] === undefined) return undefined;
			/** @type {ICredentialDataDecryptedObject} */
			const stored = { ...this.data[typeName] };
			for (const [key, value] of Object.entries(output)) if (value !== undefined) stored[key] = /** @type {string} */ (value);
			this.data[typeName] = stored;
			return Object.assign(credentials, output);
		}

		/** @param {INodeCredentialsDetails} details */
		async getCredentials(details) {
			return new Credentials({ id: details.id, name: details.name }, '', '');
		}

		/**
		 * @param {IWorkflowExecuteAdditionalData} _additionalData
		 * @param {INodeCredentialsDetails} _details
		 * @param {string} type
		 */
		async getDecrypted(_additionalData, _details, type) {
			const data = this.data[type];
			if (!data) throw new Error(`harness: no credentials of type ${type}`);
			// A fresh copy, as n8n decrypts one from the database on every read.
			return { ...data };
		}

		async updateCredentials() {}

		async updateCredentialsOauthTokenData() {}

		/**
		 * @param {string} type
		 * @returns {INodeProperties[]}
		 */
		getCredentialsProperties(type) {
			return this.types[type]?.properties ?? [];
		}
	}

	/** @type {Promise<LoadedPackage> | undefined} */
	let loaded;

	/** @returns {Promise<LoadedPackage>} */
	function loadPackage() {
		loaded ??= (async () => {
			const loader = new PackageDirectoryLoader(packageDir);
			await loader.loadAll();
			/** @type {Record<string, INodeType | IVersionedNodeType>} */
			const types = { ...otherTypes };
			for (const [name, data] of Object.entries(loader.nodeTypes)) types[`${loader.packageName}.${name}`] = data.type;
			/** @type {Record<string, ICredentialType>} */
			const credentialTypes = {};
			for (const [name, data] of Object.entries(loader.credentialTypes)) credentialTypes[name] = data.type;
			/** @type {INodeTypes} */
			const nodeTypes = {
				getByName: (type) => types[type],
				getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(types[type], version),
				getKnownTypes: () => ({}),
			};
			return { nodeTypes, credentialTypes };
		})();
		return loaded;
	}

	/**
	 * Sets up a manual run of a workflow from its node without inputs, with the workflow's
	 * pinData as that node's output.
	 * @param {WorkflowJson} workflowJson
	 * @param {RunOptions} [options]
	 * @returns {Promise<PreparedRun>}
	 */
	async function prepareRun(workflowJson, options = {}) {
		const { nodeTypes, credentialTypes } = await loadPackage();
		const workflow = new Workflow({
			id: workflowJson.id ?? 'test',
			nodes: workflowJson.nodes,
			connections: workflowJson.connections,
			nodeTypes,
			settings: workflowJson.settings,
			active: false,
		});
		const hooks = new ExecutionLifecycleHooks('manual', `${workflow.id}-execution`, /** @type {IWorkflowBase} */ (workflowJson));
		/** @type {(run: IRun) => void} */
		let finish = () => {};
		/** @type {Promise<IRun>} */
		const done = new Promise((resolve) => (finish = resolve));
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => finish(fullRunData));
		const helper = new CredentialsHelper(credentialTypes, options.credentials ?? {});

		const startNode = workflowJson.nodes.find((n) => {
			const type = nodeTypes.getByNameAndVersion(n.type, n.typeVersion);
			return type.description.inputs.length === 0;
		});
		if (!startNode) throw new Error('harness: the workflow needs a node without inputs to start from');
		const runExecutionData = createRunExecutionData({
			resultData: { pinData: workflowJson.pinData },
			executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }] },
		});
		const additionalData = executeAdditionalData(helper, hooks);
		return {
			workflow,
			hooks,
			async execute() {
				const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
				await execute.processRunExecutionData(workflow);
				const run = await done;
				const error = run.data.resultData.error;
				return {
					run,
					error,
					errorMessage: error?.message,
					output(nodeName, outputIndex = 0) {
						return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [];
					},
				};
			},
		};
	}

	/**
	 * Runs a workflow like a manual execution (see prepareRun).
	 * @param {WorkflowJson} workflowJson
	 * @param {RunOptions} [options]
	 */
	async function runWorkflow(workflowJson, options = {}) {
		return (await prepareRun(workflowJson, options)).execute();
	}

	/**
	 * Tests a credential the way n8n's CLI does for a credential type's declarative `test`
	 * (its CredentialsTester): a temporary node whose one parameter routes the test request,
	 * run by n8n-core's RoutingNode with the credential's preAuthentication and authenticate,
	 * then the test's rules for a failed status, else n8n's own words.
	 * @param {string} type
	 * @param {ICredentialDataDecryptedObject} data
	 * @returns {Promise<INodeCredentialTestResult>}
	 */
	async function testCredential(type, data) {
		const { credentialTypes } = await loadPackage();
		const testRequest = credentialTypes[type]?.test;
		if (!testRequest) throw new Error(`harness: credential type ${type} has no declarative test`);
		/** @type {ICredentialsDecrypted} */
		const credential = { id: 'test-credential', name: 'Test credential', type, data: { ...data } };
		// n8n's CLI tests with a copy of its No Op node; the helper recognises the test by it.
		/** @type {INodeType} */
		const tempType = {
			description: {
				displayName: 'No Operation, do nothing',
				name: NO_OP,
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: ['main'],
				outputs: ['main'],
				credentials: [{ name: type, required: true }],
				properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' }],
			},
		};
		/** @type {INode} */
		const node = { id: 'temp', name: 'Temp-Node', type: NO_OP, typeVersion: 1, position: [0, 0], parameters: {}, credentials: { [type]: { id: credential.id, name: credential.name } } };
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: { getByName: () => tempType, getByNameAndVersion: () => tempType, getKnownTypes: () => ({}) },
		});
		const helper = new CredentialsHelper(credentialTypes, { [type]: credential.data ?? {} });
		const additionalData = executeAdditionalData(helper, new ExecutionLifecycleHooks('internal', 'credential-test', /** @type {IWorkflowBase} */ ({ nodes: [node], connections: {} })));
		const context = new ExecuteContext(workflow, node, additionalData, 'internal', createRunExecutionData({ resultData: { runData: {} } }), 0, [], { main: [[{ json: {} }]] }, { node, data: {}, source: null }, []);
		try {
			await new RoutingNode(context, tempType, credential).runNode();
		} catch (thrown) {
			const error = /** @type {{ message: string, cause?: { code?: string, response?: { status: number, statusText?: string } } }} */ (thrown);
			const response = error.cause?.response;
			if (response) {
				const rule = (testRequest.rules ?? []).find((r) => r.type === 'responseCode' && r.properties.value === response.status);
				if (rule) return { status: 'Error', message: rule.properties.message };
				if (response.status < 199 || response.status > 299) {
					return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
				}
			} else if (error.cause?.code) {
				return { status: 'Error', message: error.cause.code };
			}
			return { status: 'Error', message: String(error.message) };
		}
		return { status: 'OK', message: 'Connection successful!' };
	}

	/**
	 * Calls a node's listSearch method the way n8n's editor does (a resource locator's From List):
	 * with n8n's own load-options context for the node as it stands in the workflow.
	 * @param {WorkflowJson} workflowJson
	 * @param {string} nodeName
	 * @param {string} method
	 * @param {{ filter?: string, paginationToken?: string, credentials?: Record<string, ICredentialDataDecryptedObject> }} [options]
	 * @returns {Promise<import('n8n-workflow').INodeListSearchResult>}
	 */
	async function searchList(workflowJson, nodeName, method, options = {}) {
		const { nodeTypes, credentialTypes } = await loadPackage();
		const workflow = new Workflow({ id: 'test', nodes: workflowJson.nodes, connections: workflowJson.connections, nodeTypes, active: false });
		const node = workflow.getNode(nodeName);
		if (!node) throw new Error(`harness: no node ${nodeName}`);
		const search = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).methods?.listSearch?.[method];
		if (!search) throw new Error(`harness: ${node.type} has no listSearch method ${method}`);
		const hooks = new ExecutionLifecycleHooks('manual', 'list-search', /** @type {IWorkflowBase} */ (workflowJson));
		const additionalData = executeAdditionalData(new CredentialsHelper(credentialTypes, options.credentials ?? {}), hooks);
		return await search.call(new LoadOptionsContext(workflow, node, additionalData, ''), options.filter, options.paginationToken);
	}

	/** Poll functions ActiveWorkflows registered, by workflow id: the harness is the cron. */
	/** @type {Map<string, Array<() => Promise<void>>>} */
	const scheduledPolls = new Map();
	/** @type {Scheduler} */
	const scheduler = {
		registerCron: ({ workflowId }, onTick) => scheduledPolls.set(workflowId, [...(scheduledPolls.get(workflowId) ?? []), onTick]),
		deregisterCrons: (workflowId) => void scheduledPolls.delete(workflowId),
	};
	let activations = 0;

	/**
	 * Activates a workflow the way n8n does: n8n-core's ActiveWorkflows runs each polling
	 * trigger once and registers its poll function for the node's Poll Times. The harness stands
	 * in for the cron: poll() runs that function, which polls through n8n's PollContext and emits
	 * what the trigger returns, as in a running n8n. The workflow keeps its static data from
	 * poll to poll, as n8n saves it after each.
	 * @param {WorkflowJson} workflowJson
	 * @param {RunOptions} [options]
	 * @returns {Promise<ActiveRun>}
	 */
	async function activate(workflowJson, options = {}) {
		if (!di) throw new Error("harness: activating a workflow needs n8n-core's dependency container (the di option)");
		const { nodeTypes, credentialTypes } = await loadPackage();
		const workflow = new Workflow({
			id: `${workflowJson.id ?? 'test'}-active-${++activations}`,
			nodes: workflowJson.nodes,
			connections: workflowJson.connections,
			nodeTypes,
			settings: workflowJson.settings,
			active: true,
		});
		const hooks = new ExecutionLifecycleHooks('trigger', `${workflow.id}-execution`, /** @type {IWorkflowBase} */ (workflowJson));
		const additionalData = executeAdditionalData(new CredentialsHelper(credentialTypes, options.credentials ?? {}), hooks);
		const active = di.Container.get(ActiveWorkflows);
		// Private in n8n-core's types: the one member the harness replaces.
		/** @type {{ scheduledTaskManager: Scheduler }} */ (/** @type {unknown} */ (active)).scheduledTaskManager = scheduler;

		/** @type {PollResult} */
		let current = { emitted: {}, errors: {} };
		/** @param {() => Promise<unknown>} polls */
		const collect = async (polls) => {
			current = { emitted: {}, errors: {} };
			await polls();
			return current;
		};
		/** @type {import('n8n-core').IGetExecutePollFunctions} */
		const pollFunctions = (wf, node, data, mode, activation) =>
			new PollContext(
				wf,
				node,
				data,
				mode,
				activation,
				(items) => (current.emitted[node.name] = items[0] ?? []),
				(error) => (current.errors[node.name] = error),
			);
		const noTriggers = () => {
			throw new Error('harness: only polling triggers can be activated');
		};
		const first = await collect(() => active.add(workflow.id, workflow, additionalData, 'trigger', 'activate', noTriggers, pollFunctions));
		return {
			workflow,
			first,
			poll: () =>
				collect(async () => {
					for (const tick of scheduledPolls.get(workflow.id) ?? []) await tick();
				}),
			deactivate: async () => void (await active.remove(workflow.id)),
		};
	}

	return { loadPackage, prepareRun, runWorkflow, testCredential, activate, searchList };
}

module.exports = { createEngine };
