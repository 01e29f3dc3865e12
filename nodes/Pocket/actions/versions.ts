import type { IDisplayOptions, INode } from 'n8n-workflow';

/**
 * The Pocket node's versions. n8n has no migration hook for community nodes: a saved node keeps
 * its typeVersion, and a parameter its saved value, so what would change a saved workflow's
 * meaning comes with a new version, and nodes saved as 1 behave as before.
 * 1.1: Timeout in seconds, Get Many's Simplify and Sort collection, Add's item in the node's item shape.
 */
export const NODE_VERSIONS = [1, 1.1];

export const LATEST_VERSION = 1.1;

/** Display options for a parameter of the first version only, and for the later ones. */
export const FIRST_VERSION_ONLY: IDisplayOptions = { show: { '@version': [1] } };
export const SINCE_1_1: IDisplayOptions = { show: { '@version': [1.1] } };

export const isFirstVersion = (node: INode): boolean => node.typeVersion < 1.1;
