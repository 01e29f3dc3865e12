/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * What a run shows to anyone who can open the execution, read the logs or run an error
 * workflow, as one text: the tests search it for every secret a credential holds or a server
 * issued.
 */
import { inspect } from 'node:util';

import type { RunResult } from './engine';

/** The run's error and the error of every item the node put on its outputs (regular and error output). */
export function runErrors(result: RunResult, nodeName = 'Pocket'): Error[] {
	const items = [...result.output(nodeName, 0), ...result.output(nodeName, 1)];
	return [result.error, ...items.map((item) => item.error)].filter((e): e is NonNullable<typeof e> => e !== undefined);
}

/**
 * The whole run as JSON, and each error's message, description, context, stack and every
 * other property n8n keeps on it (inspect shows what toJSON leaves out).
 */
export function visibleText(result: RunResult, nodeName = 'Pocket'): string {
	const errors = runErrors(result, nodeName).map((error) =>
		[error.message, (error as { description?: string }).description, JSON.stringify((error as { context?: unknown }).context), error.stack, inspect(error, { depth: 8 })].join('\n'),
	);
	return [JSON.stringify(result.run), ...errors].join('\n');
}

/** Fails with the leaked secrets themselves (not the whole text) when any of them shows. */
export function expectNoSecrets(result: RunResult, secrets: Iterable<string>, nodeName = 'Pocket'): void {
	const text = visibleText(result, nodeName);
	expect([...secrets].filter((secret) => text.includes(secret))).toEqual([]);
}
