import type { INodeProperties } from 'n8n-workflow';

import type { ActionDefinition, Resource } from './actions/definitions';
import { ACTIONS } from './actions/definitions';
import type { FieldKey } from './actions/fields';
import { FIELDS, fieldProperty } from './actions/fields';
import { DEFAULT_SETTINGS } from './transport';

/**
 * The node's parameters, derived from the action definitions so that the UI can never
 * drift from what validation accepts.
 */

const RESOURCES: Array<{ value: Resource; name: string; description: string }> = [
	{ value: 'item', name: 'Item', description: 'A saved page in the reading list' },
	{ value: 'tag', name: 'Tag', description: 'A tag across all items of the account' },
];

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

function operationProperty(resource: Resource): INodeProperties {
	const actions = ACTIONS.filter((a) => a.resource === resource);
	const firstOperation = actions[0].operation;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: actions
			.map((a) => ({ name: a.name, value: a.operation, description: a.description, action: a.label }))
			.sort(byName),
		default: firstOperation,
	};
}

/** Groups operations of one resource that share something, so each parameter is declared once. */
function groupBy(actions: readonly ActionDefinition[], keyOf: (a: ActionDefinition) => string[]) {
	const groups = new Map<string, { resource: Resource; operations: string[] }>();
	for (const action of actions) {
		for (const key of keyOf(action)) {
			const id = `${action.resource}/${key}`;
			const group = groups.get(id) ?? { resource: action.resource, operations: [] };
			group.operations.push(action.operation);
			groups.set(id, group);
		}
	}
	return [...groups.entries()].map(([id, group]) => ({ key: id.slice(id.indexOf('/') + 1), ...group }));
}

export const INPUT_MODE = { define: 'defineBelow', autoMap: 'autoMapInputData' } as const;

const defineBelow = [INPUT_MODE.define];

const inputModeProperty: INodeProperties = {
	displayName: 'Input Mode',
	name: 'inputMode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Define Below',
			value: INPUT_MODE.define,
			description: 'Set each field below, with expressions if needed',
		},
		{
			name: 'Map Input Fields Automatically',
			value: INPUT_MODE.autoMap,
			description:
				'Use the fields of each input item as the action, by Pocket field name. Fastest for large inputs: no expression is evaluated.',
		},
	],
	default: 'defineBelow',
};

const autoMapNotice: INodeProperties = {
	displayName: `Each input item's fields become the action: ${Object.keys(FIELDS).join(', ')}. Add an "action" field (${ACTIONS.map(
		(a) => a.action,
	).join(', ')}) to mix actions in one batch; items without it use the operation above. Other fields are ignored.`,
	name: 'autoMapNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { inputMode: [INPUT_MODE.autoMap] } },
};

function requiredFieldProperties(): INodeProperties[] {
	return groupBy(ACTIONS, (a) => [...a.required]).map(({ key, resource, operations }) => ({
		...fieldProperty(FIELDS[key as FieldKey], true),
		displayOptions: { show: { resource: [resource], operation: operations, inputMode: defineBelow } },
	}));
}

function additionalFieldsProperties(): INodeProperties[] {
	return groupBy(ACTIONS, (a) => [a.optional.join(',')]).map(({ key, resource, operations }) => ({
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { resource: [resource], operation: operations, inputMode: defineBelow } },
		options: key
			.split(',')
			.map((field) => fieldProperty(FIELDS[field as FieldKey], false))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	}));
}

const { maxWaitSeconds, timeoutMs } = DEFAULT_SETTINGS;

const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Max Actions Per Call',
			name: 'maxActionsPerCall',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Largest number of actions sent in one call, for servers that limit batch size. 0 sends all items in one call.',
		},
		{
			displayName: 'Max Wait',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: maxWaitSeconds,
			description:
				'Longest time in seconds to wait, in total, when the server asks the node to slow down (rate limit, maintenance) or refuses the connection. The call is then retried; past this time the node fails and reports when the limit resets. 0 never waits.',
		},
		{
			displayName: 'Resend After Timeout (May Apply Twice)',
			name: 'resendAfterTimeout',
			type: 'boolean',
			default: false,
			description:
				'Whether to resend a call after a timeout or a dropped connection. The server may already have applied it, so actions can run twice: harmless for add, archive and tag changes, not for tag renames that chain.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: timeoutMs,
			description: 'Time in milliseconds to wait for the server to answer one call',
		},
	],
};

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES.sort(byName),
		default: 'item',
	},
	...RESOURCES.map((r) => operationProperty(r.value)),
	inputModeProperty,
	autoMapNotice,
	...requiredFieldProperties(),
	...additionalFieldsProperties(),
	optionsProperty,
];
