import type { INode, NodeExecutionHint } from 'n8n-workflow';

/**
 * n8n's Retry On Fail re-runs the whole node whenever its first output item is an error item,
 * and a node cannot tell a retry from a first run: with Continue On Fail, one invalid first item
 * sends every valid action again. Said only to those who combine the two, where it applies.
 */
export function retryOnFailHint(node: INode, continueOnFail: boolean, firstItemFailed: boolean): NodeExecutionHint | undefined {
	if (node.retryOnFail !== true || !continueOnFail) return undefined;
	const now = firstItemFailed ? ' The first item failed, so n8n runs the node again now.' : '';
	return {
		type: firstItemFailed ? 'warning' : 'info',
		message: `Retry On Fail with On Error → Continue: when the first item fails, n8n runs this node again and the valid actions are sent again.${now} Options → Max Wait retries only what the server did not apply.`,
	};
}
