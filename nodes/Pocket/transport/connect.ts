import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import type { Result } from '../result';
import { success } from '../result';
import type { BaseUrlProblem } from './baseUrl';
import { resolveApiRoot } from './baseUrl';
import type { Clock, Requester } from './request';
import { authenticatedRequester, credentialFieldsOf, CREDENTIAL_TYPE, systemClock } from './request';

/**
 * The one set-up of every operation and of the trigger: the credential, its Base URL checked
 * before anything is sent, and the requester that authenticates every call.
 */
export interface Connection {
	request: Requester;
	/** The checked API root, without a trailing slash: an endpoint's URL is `${apiRoot}/send`. */
	apiRoot: string;
	/** The credential fields to check on a 401, as credentialFieldsOf names them. */
	credentialFields: string;
	clock: Clock;
}

export async function connect(ctx: IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions): Promise<Result<Connection, BaseUrlProblem>> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const apiRoot = resolveApiRoot(credentials.baseUrl, credentials.allowUnencryptedHttp === true);
	if (!apiRoot.ok) return apiRoot;
	return success({
		request: authenticatedRequester(ctx, systemClock),
		apiRoot: apiRoot.value,
		credentialFields: credentialFieldsOf(credentials),
		clock: systemClock,
	});
}

/** What an endpoint's call needs from the connection: the requester, the URL, the fields to check, the clock. */
export function target({ request, apiRoot, credentialFields, clock }: Connection, endpoint: string) {
	return { request, url: `${apiRoot}/${endpoint}`, credentialFields, clock };
}
