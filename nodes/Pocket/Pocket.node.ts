import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties } from './actions/description';
import { route } from './actions/router';

export class Pocket implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pocket',
		name: 'pocket',
		icon: { light: 'file:pocket.svg', dark: 'file:pocket.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Save, archive, favorite and tag reading-list items on a Pocket-compatible server, in batches',
		defaults: { name: 'Pocket' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pocketApi', required: true }],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
