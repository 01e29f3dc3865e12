import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export type Resource = 'item' | 'tag';

/**
 * One operation of the node, whatever it does: its entry in the resource/operation menu and its
 * execute. The twelve send actions and Get Many are all of this kind, so the router is a single
 * lookup, and a new operation is one more of these.
 */
export interface NodeOperation {
	resource: Resource;
	/** n8n operation value. */
	operation: string;
	/** Operation name in the menu. */
	name: string;
	/** The sentence n8n shows for the operation in the nodes panel (its `action` text), e.g. "Add an item". */
	menuLabel: string;
	description: string;
	/**
	 * Its own parameters, shown for it alone. Without them it takes the send actions' parameters,
	 * which the UI derives from the field table (actions/description.ts).
	 */
	properties?: INodeProperties[];
	/** From the node's input items to its output, for one execution. */
	execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}
