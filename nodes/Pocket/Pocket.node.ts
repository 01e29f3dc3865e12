import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties } from './actions/description';
import { searchItems } from './actions/getMany/search';
import { SEARCH_ITEMS } from './actions/itemLocator';
import { route } from './actions/router';
import { LATEST_VERSION, NODE_VERSIONS } from './actions/versions';

export class Pocket implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pocket',
		name: 'pocket',
		icon: { light: 'file:pocket.svg', dark: 'file:pocket.dark.svg' },
		group: ['output'],
		version: NODE_VERSIONS,
		defaultVersion: LATEST_VERSION,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Save, archive, favorite and tag reading-list items on a Pocket-compatible server, in batches',
		defaults: { name: 'Pocket' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pocketApi', required: true }],
		properties: nodeProperties,
	};

	methods = { listSearch: { [SEARCH_ITEMS]: searchItems } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
