import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CALL_DEFAULTS } from '../transport/request';
import { FIRST_VERSION_ONLY, SINCE_1_1 } from './versions';

/**
 * The parameters every operation shares and how they are read: the options for its calls
 * (whether it sends or reads: the same names and defaults, each operation saying what its
 * waits cover), numbers, and whether a parameter holds an expression.
 */

/** Whether a parameter's value (or any value inside it) is an expression, evaluated per item. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

/** A number option as given, or the fallback when it is missing, negative or not a number. */
export const nonNegative = (value: unknown, fallback: number): number =>
	typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;

// Plain names: n8n's lint reads a parameter's default only from a literal or a name.
const { maxWaitSeconds, timeoutMs } = CALL_DEFAULTS;

export function maxWaitOption(description: string): INodeProperties {
	return {
		displayName: 'Max Wait (Seconds)',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: maxWaitSeconds,
		description,
	};
}

const timeoutSeconds = timeoutMs / 1000;

/**
 * Timeout in seconds, Max Wait's unit, under a name of its own: a node saved as version 1 holds
 * `timeout` in milliseconds, and keeps it (n8n drops saved values it has no parameter for).
 */
export const timeoutOptions: INodeProperties[] = [
	{
		displayName: 'Timeout (Milliseconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: timeoutMs,
		description: 'Time to wait for the server to answer one call',
		displayOptions: FIRST_VERSION_ONLY,
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: timeoutSeconds,
		description: 'Time to wait for the server to answer one call',
		displayOptions: SINCE_1_1,
	},
];

/** The call settings from an operation's Options collection, whichever version saved it. */
export function callSettings(options: IDataObject): { timeoutMs: number; maxWaitSeconds: number } {
	const timeout = options.timeoutSeconds === undefined ? nonNegative(options.timeout, timeoutMs) : nonNegative(options.timeoutSeconds, timeoutSeconds) * 1000;
	return { timeoutMs: timeout, maxWaitSeconds: nonNegative(options.maxWait, maxWaitSeconds) };
}
