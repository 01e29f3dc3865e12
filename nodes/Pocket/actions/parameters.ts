import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CALL_DEFAULTS } from '../transport/request';

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
