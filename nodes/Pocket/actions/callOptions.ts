import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CALL_DEFAULTS } from '../transport/request';
import { nonNegative } from './parameters';

/**
 * The options every operation has for its calls, whether it sends or reads: the same names and
 * defaults, each operation saying what its waits cover.
 */

// Plain names: n8n's lint reads a parameter's default only from a literal or a name.
const { maxWaitSeconds, timeoutMs } = CALL_DEFAULTS;

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

/** The call settings from an operation's Options collection. */
export function callSettings(options: IDataObject): { timeoutMs: number; maxWaitSeconds: number } {
	return { timeoutMs: nonNegative(options.timeout, timeoutMs), maxWaitSeconds: nonNegative(options.maxWait, maxWaitSeconds) };
}
