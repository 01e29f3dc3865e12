import type { NodeOperation } from '../../model/operation';
import { GET_MANY, getManyProperties } from './description';
import { executeGetMany } from './execute';

/** Item → Get Many: reads from /get, with its own parameters. */
export const getMany: NodeOperation = { ...GET_MANY, properties: getManyProperties, execute: executeGetMany };
