import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_SETTINGS } from '../transport/send';

/**
 * The options every operation has for its calls, whether it sends or reads: the same names and
 * defaults, each operation saying what its waits cover.
 */

// Plain names: n8n's lint reads a parameter's default only from a literal or a name.
const { maxWaitSeconds, timeoutMs } = DEFAULT_SETTINGS;

export function maxWaitOption(description: string): INodeProperties {
	return {
		displayName: 'Max Wait',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: maxWaitSeconds,
		description,
	};
}

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: timeoutMs,
	description: 'Time in milliseconds to wait for the server to answer one call',
};
