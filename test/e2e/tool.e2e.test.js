// @ts-check
'use strict';
/**
 * End-to-end: the Pocket node as a tool of n8n's AI Agent (`usableAsTool`). A real n8n derives
 * the tool variant `n8n-nodes-pocket.pocketTool` from the node; a workflow gives it to an AI
 * Agent with `$fromAI()` fields, and n8n's own tool-execution path runs it without a language
 * model: a manual run whose destination is the tool node, with the values the model would have
 * chosen in `agentRequest` (what the editor sends when you run a tool node on its own and fill
 * in its $fromAI() values). n8n then swaps the agent for its Tool Executor, which calls the tool
 * as an agent would. The item must land on the test server.
 */
const { CREDENTIAL_TYPE, N8N_VERSION, NODE_TYPE } = require('../../scripts/runtime/config');
const { E2E_SETUP_TIMEOUT_MS, startE2eStack } = require('./setup');

/**
 * @typedef {import('./setup').E2eStack} E2eStack
 * @typedef {import('../../scripts/runtime/rest-client').CredentialRef} CredentialRef
 * @typedef {import('../../scripts/runtime/rest-client').WorkflowJson} WorkflowJson
 * @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription
 */

const CONSUMER_KEY = 'e2e-tool-consumer-key';
const ACCESS_TOKEN = 'e2e-tool-access-token';
const TOOL_TYPE = `${NODE_TYPE}Tool`;
const TOOL_NODE = 'Save to Pocket';
/** n8n names a node's tool after the node, spaces and punctuation as underscores. */
const TOOL_NAME = 'Save_to_Pocket';
/** The node n8n puts in the agent's place on this path (TOOL_EXECUTOR_NODE_NAME in @n8n/constants). */
const TOOL_EXECUTOR = 'PartialExecutionToolExecutor';

jest.setTimeout(E2E_SETUP_TIMEOUT_MS);

/** @type {E2eStack} */
let stack;
/** @type {CredentialRef} */
let credential;

beforeAll(async () => {
	stack = await startE2eStack('tool', { consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
	const { client, pocket } = stack;
	credential = await client.createCredential({ name: 'Pocket e2e', baseUrl: pocket.url, consumerKey: CONSUMER_KEY, accessToken: ACCESS_TOKEN });
}, E2E_SETUP_TIMEOUT_MS);

afterAll(async () => {
	if (stack) await stack.stop();
});

/** @param {string} name */
async function nodeType(name) {
	return (await stack.client.nodeTypes()).find((n) => n.name === name);
}

test('n8n registers the tool variant pocketTool: an AI tool with every Pocket parameter, a tool description and the credential', async () => {
	const node = /** @type {INodeTypeDescription} */ (await nodeType(NODE_TYPE));
	const tool = /** @type {INodeTypeDescription} */ (await nodeType(TOOL_TYPE));
	expect(tool).toBeDefined();
	expect({ displayName: tool.displayName, inputs: tool.inputs, outputs: tool.outputs }).toEqual({
		displayName: 'Pocket Tool',
		inputs: [],
		outputs: ['ai_tool'],
	});
	expect(tool.credentials?.map((c) => c.name)).toEqual([CREDENTIAL_TYPE]);
	const toolParameters = tool.properties.map((p) => p.name);
	// The node's own parameters, in the node's order, after the description the agent reads.
	expect(toolParameters).toEqual(['descriptionType', 'toolDescription', ...node.properties.map((p) => p.name)]);
	// The tool offers the same operations as the node.
	const operations = (/** @type {INodeTypeDescription} */ d) =>
		JSON.stringify(d.properties.filter((p) => p.name === 'resource' || p.name === 'operation').map((p) => p.options));
	expect(operations(tool)).toBe(operations(node));
});

/**
 * Manual Trigger -> AI Agent, with the Pocket tool attached; the tool's fields are $fromAI().
 * No language model is attached: on this path n8n runs the tool without the agent.
 * @param {Partial<import('n8n-workflow').INode>} [toolSettings] node settings of the tool, e.g. onError
 * @returns {WorkflowJson}
 */
function agentWorkflow(toolSettings = {}) {
	return {
		name: `Pocket e2e AI tool ${Date.now()}`,
		nodes: [
			{ parameters: {}, id: 'tool-0001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { options: {} },
				id: 'tool-0002',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3,
				position: [240, 0],
			},
			{
				parameters: {
					descriptionType: 'manual',
					toolDescription: 'Saves a web page to the reading list, with optional comma-separated tags',
					resource: 'item',
					operation: 'add',
					url: "={{ $fromAI('url', 'The address of the page to save', 'string') }}",
					additionalFields: { tags: "={{ $fromAI('tags', 'Comma-separated tags for the page', 'string') }}" },
					options: {},
				},
				id: 'tool-0003',
				name: TOOL_NODE,
				type: TOOL_TYPE,
				typeVersion: 1,
				position: [240, 200],
				credentials: { [CREDENTIAL_TYPE]: { id: String(credential.id), name: credential.name } },
				...toolSettings,
			},
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			[TOOL_NODE]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Runs the tool the way the agent would call it with these arguments; returns the finished
 * execution and the tool's answer to the agent (the Tool Executor's output).
 * @param {Partial<import('n8n-workflow').INode>} toolSettings
 * @param {{ url: string, tags: string }} args what the model would have called the tool with
 */
async function callTool(toolSettings, args) {
	const { client } = stack;
	const created = await client.createWorkflow(agentWorkflow(toolSettings));
	const wf = await client.getWorkflow(created.id);
	// n8n 2.x's Tool Executor reads the arguments keyed by the tool's name (a toolkit holds
	// several tools); 1.x's takes them as they are.
	const executionId = await client.runManually(wf, {
		destinationNode: { nodeName: TOOL_NODE, mode: 'inclusive' },
		agentRequest: { query: N8N_VERSION.startsWith('1.') ? args : { [TOOL_NAME]: args }, tool: { name: TOOL_NAME } },
	});
	const result = await client.waitForExecution(executionId);
	const answer = result.runData[TOOL_EXECUTOR]?.[0]?.data?.main?.[0]?.[0]?.json;
	return { result, answer: typeof answer === 'string' ? JSON.parse(answer) : answer };
}

test('a tool call with $fromAI() values saves the item on the server and returns the output item', async () => {
	const { pocket } = stack;
	pocket.reset();
	const url = 'https://example.com/read-later/agents';
	const { result, answer } = await callTool({}, { url, tags: 'ai, agents' });
	const errors = Object.entries(result.runData)
		.filter(([, runs]) => runs[0] && runs[0].error)
		.map(([name, runs]) => `${name}: ${runs[0].error?.message}`);
	expect(`${result.status} ${errors.join('; ')}`).toBe('success ');

	// The server got one add with the values the "model" chose.
	const sends = pocket.requests.filter((r) => r.path.endsWith('/send'));
	expect(sends.map((r) => r.body)).toEqual([expect.objectContaining({ actions: [{ action: 'add', url, tags: 'ai,agents' }] })]);
	const item = pocket.findByUrl(url);
	expect(item?.tags.slice().sort()).toEqual(['agents', 'ai']);

	// What the agent gets back: the node's output items (n8n hands them to the model as JSON text).
	expect(answer).toEqual([
		expect.objectContaining({ success: true, action: { action: 'add', url, tags: 'ai,agents' }, item: expect.objectContaining({ item_id: item?.item_id }) }),
	]);
});

test("with On Error: Continue, a bad value from the model comes back as the node's own message, and nothing is sent", async () => {
	const { pocket } = stack;
	pocket.reset();
	const { result, answer } = await callTool({ onError: 'continueRegularOutput' }, { url: 'not a url', tags: '' });
	expect(result.status).toBe('success');
	expect(answer).toEqual([{ error: expect.stringMatching(/^Item \d+: URL \(url\) must be an absolute http\(s\) URL/) }]);
	expect(pocket.requests.filter((r) => r.path.endsWith('/send'))).toEqual([]);
});
