/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * The workflow tests' engine: the shared harness (n8n-engine.js) bound to the dev-dependency
 * n8n-core and n8n-workflow, with this package loaded from its built `dist/`, and a stand-in
 * for n8n's Manual Trigger (n8n-nodes-base is not a dependency) that the fixtures start from.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core writes its instance settings under N8N_USER_FOLDER when first used.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'pocket-n8n-'));
// n8n-core 1.x warns on every run that this scratch file's mode is too open; it is a temp file.
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';

import * as core from 'n8n-core';
import * as workflow from 'n8n-workflow';
import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { createEngine } from './n8n-engine';

export type { ActiveRun, LoadedPackage, PollResult, RunOptions, RunResult } from './n8n-engine';

/** The dependency container of the n8n-core in use (the 2.x dev dependency, or 1.x): activating a workflow needs n8n-core's own. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const di = require(require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] })) as typeof import('@n8n/di');

/**
 * n8n-nodes-base's Manual Trigger as far as a run sees it: same type, no inputs, one output.
 * In a manual run the engine emits the node's pinned data instead of running it; without pinned
 * data it emits one empty item, as the real node does.
 */
class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		maxNodes: 1,
		defaults: { name: "When clicking 'Execute workflow'" },
		inputs: [],
		outputs: [workflow.NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return { manualTriggerFunction: async () => this.emit([this.helpers.returnJsonArray([{}])]) };
	}
}

export const { loadPackage, runWorkflow, testCredential, activate, searchList } = createEngine({
	core,
	workflow,
	packageDir: path.resolve(__dirname, '..', '..'),
	nodeTypes: { 'n8n-nodes-base.manualTrigger': new ManualTrigger() },
	di,
});
