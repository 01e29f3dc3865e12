import type { ICredentialsDecrypted, ICredentialTestFunctions, IDataObject, INodeCredentialTestResult } from 'n8n-workflow';

import { resolveApiRoot } from './baseUrl';
import type { Failure } from './failures';
import { signIn } from './login';
import type { HttpSend } from './request';
import { AUTHENTICATION, credentialFieldsOf, credentialSecrets, legacySend, requester, systemClock as clock } from './request';
import { secretsOf } from './secrets';
import { sendActions } from './send';

/**
 * The credential dialog's Test, run by the node's code rather than n8n's declarative test so
 * that it applies exactly the node's rules (the Base URL checks come before any request) and
 * says in the node's own words which step failed, on every n8n version.
 */

/** An empty batch: it proves the keys, the token and the URL without changing any data. */
const TEST_SETTINGS = { timeoutMs: 30_000, maxWaitSeconds: 0, resendWhenUncertain: false };

const problem = (step: string, { message, description }: Pick<Failure, 'message' | 'description'>): INodeCredentialTestResult => ({
	status: 'Error',
	message: `${step}${message}${/[.!?]$/.test(message) ? '' : '.'} ${description}`,
});

export async function testPocketCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const apiRoot = resolveApiRoot(data.baseUrl, data.allowUnencryptedHttp === true);
	if (!apiRoot.ok) return problem('', apiRoot.failure);

	// n8n gives a credential test only its legacy `request` helper (up to n8n 2.41 at least).
	// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
	const send = legacySend(this.helpers.request);
	const secrets = credentialSecrets(data);
	let accessToken = data.accessToken;
	const signsIn = data.authentication === AUTHENTICATION.emailPassword;
	if (signsIn) {
		const token = await signIn({
			request: requester(send, secrets),
			apiRoot: apiRoot.value,
			email: String(data.email ?? ''),
			password: String(data.password ?? ''),
			clock,
		});
		if (!token.ok) return problem('Signing in failed: ', token.failure);
		accessToken = token.value;
	}

	const withKeys: HttpSend = async (options) =>
		await send({ ...options, body: { ...(options.body as IDataObject), consumer_key: data.consumerKey, access_token: accessToken } });
	const sent = await sendActions({
		request: requester(withKeys, secretsOf([...secrets, accessToken])),
		url: `${apiRoot.value}/send`,
		credentialFields: credentialFieldsOf(data),
		actions: [],
		settings: TEST_SETTINGS,
		clock,
	});
	if (!sent.ok) return problem(signsIn ? 'Signed in, but the empty test batch failed: ' : '', sent.failure);
	return {
		status: 'OK',
		message: signsIn ? 'Signed in, and the server accepted an empty batch' : 'The server accepted an empty batch',
	};
}
