import type {
	IAuthenticateRuleResponseCode,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { resolveApiRoot } from '../nodes/Pocket/transport/baseUrl';
import type { Endpoint } from '../nodes/Pocket/transport/failures';
import { classifyHttpError, failureText, IGNORE_SSL_ISSUES, signInError } from '../nodes/Pocket/transport/failures';
import { signIn } from '../nodes/Pocket/transport/login';
import type { HttpSend } from '../nodes/Pocket/transport/request';
import { AUTHENTICATION, requester, systemClock } from '../nodes/Pocket/transport/request';

const showFor = (mode: string) => ({ show: { authentication: [mode] } });

/**
 * The Test's call, named in its messages as the node names a call to /send. n8n picks a rule's
 * message by the status alone, whichever the mode: a 401 here comes after a sign-in that worked
 * in Email and Password mode, so its advice names what each mode leaves to check.
 */
const TEST_ENDPOINT: Endpoint = {
	name: 'send',
	url: '{Base URL}/send',
	credentialFields: 'the Consumer Key',
	effects: { no: 'The test sent an empty batch, which changes nothing.', unknown: 'The test sent an empty batch, which changes nothing.' },
	advice: {
		unauthorized:
			'With Access Token, check the Access Token and the Consumer Key. With Email and Password, signing in has just worked, so check the Consumer Key.',
	},
};

/** The node's own words for the statuses a wrong credential or Base URL brings, as n8n's Test rules. */
const statusRule = (status: number): IAuthenticateRuleResponseCode => ({
	type: 'responseCode',
	properties: {
		value: status,
		message: failureText(classifyHttpError({ statusCode: status, headers: {}, body: '' }, TEST_ENDPOINT, undefined, 0)),
	},
});

/**
 * The Base URL for one mode: the same parameter, shown with the placeholder of the servers that
 * mode fits (n8n keeps one value for both, so switching the mode keeps what was typed).
 */
const baseUrlFor = (mode: string, placeholder: string, servers: string): INodeProperties => ({
	displayName: 'Base URL',
	name: 'baseUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder,
	displayOptions: showFor(mode),
	description: `API root of your server, without /send: ${servers}. Pocket itself (getpocket.com) shut down in 2025.`,
});

export class PocketApi implements ICredentialType {
	name = 'pocketApi';

	displayName = 'Pocket API';

	icon = { light: 'file:../nodes/Pocket/pocket.svg', dark: 'file:../nodes/Pocket/pocket.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pocket#credentials';

	properties: INodeProperties[] = [
		// First, because it decides what the rest means. Its default stays Access Token: a
		// credential saved before the mode existed has no value, and n8n fills in the default.
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Access Token',
					value: AUTHENTICATION.accessToken,
					description: 'For servers whose tokens do not expire: /v3 bridges and Pocket-style OAuth',
				},
				{
					name: 'Email and Password',
					value: AUTHENTICATION.emailPassword,
					description:
						'For open-pocket style servers (/api/v1), whose tokens expire within minutes: n8n signs in and renews the token',
				},
			],
			default: AUTHENTICATION.accessToken,
		},
		baseUrlFor(AUTHENTICATION.accessToken, 'e.g. https://bridge.example.com/v3', 'a /v3 bridge, for example https://bridge.example.com/v3'),
		baseUrlFor(
			AUTHENTICATION.emailPassword,
			'e.g. https://pocket.example.com/api/v1',
			'an open-pocket style server, for example https://pocket.example.com/api/v1',
		),
		// The trap a new user falls into: a token copied from an /api/v1 server works for minutes.
		{
			displayName:
				'Servers at /api/v1 (open-pocket style) issue tokens that expire within minutes: choose Email and Password above, so that n8n signs in and renews the token',
			name: 'serverKindNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { authentication: [AUTHENTICATION.accessToken], baseUrl: [{ _cnd: { includes: '/api/v1' } }] } },
		},
		// The consumer key authenticates the application to the server: the protocol treats it
		// as a secret (it travels only in the body), so it is masked like the token.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "Your application's consumer key, as issued by the server",
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: showFor(AUTHENTICATION.accessToken),
			description: "The user's access token, as issued by the server's authorization flow",
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			displayOptions: showFor(AUTHENTICATION.emailPassword),
			description: 'The email address of your account on the server',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: showFor(AUTHENTICATION.emailPassword),
			description: 'The password of your account on the server',
		},
		// Filled by preAuthentication and stored encrypted with the credential, so every
		// execution and every queue-mode worker shares one token until it expires.
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Allow Unencrypted HTTP (Unsafe)',
			name: 'allowUnencryptedHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow a plain http:// Base URL on a public host. The credentials then cross the network readable by anyone on the way. Loopback and private-network addresses are always allowed.',
		},
		// n8n's OAuth2 credentials' name for it: the other usual name, allowUnauthorizedCerts,
		// contains "cert", which n8n's scanner takes for a secret that must be masked.
		{
			displayName: IGNORE_SSL_ISSUES,
			name: 'ignoreSSLIssues',
			type: 'boolean',
			default: false,
			description:
				"Whether to connect even when the server's certificate cannot be verified (self-signed, expired, another host's). Anyone who can intercept the connection could then read the keys. The Base URL rules still apply: this never allows plain http.",
		},
	];

	/**
	 * n8n's declarative Test: an empty batch to /send, which proves the keys, the token and the
	 * URL without changing any data. n8n runs `preAuthentication` first (Email and Password mode
	 * signs in, with the node's messages) and `authenticate`, which refuses a Base URL the node
	 * would refuse before any key leaves.
	 */
	test: ICredentialTestRequest = {
		request: {
			// The node's tolerance for a trailing slash or a pasted /send.
			baseURL: '={{ String($credentials.baseUrl).trim().replace(/\\/+$/, "").replace(/\\/send$/, "") }}',
			url: '/send',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { actions: [] },
			json: true,
			// A redirect would carry the keys in the body to wherever it points.
			disableFollowRedirect: true,
			skipSslCertificateValidation: '={{ $credentials.ignoreSSLIssues === true }}',
		},
		rules: [401, 403, 404, 405, 415].map(statusRule),
	};

	/**
	 * Signs in when n8n finds the stored token empty: on first use, when the node hands it the
	 * credential with the token emptied because it is about to expire, or after a 401.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		if (credentials.authentication !== AUTHENTICATION.emailPassword) return {};
		const apiRoot = resolveApiRoot(credentials.baseUrl, credentials.allowUnencryptedHttp === true);
		if (!apiRoot.ok) {
			throw signInError({ kind: 'signIn', applied: 'no', ...apiRoot.failure });
		}
		const send: HttpSend = async (options) => await this.helpers.httpRequest(options);
		const token = await signIn({
			request: requester(send, credentials),
			apiRoot: apiRoot.value,
			email: String(credentials.email ?? ''),
			password: String(credentials.password ?? ''),
			clock: systemClock,
		});
		if (!token.ok) throw signInError(token.failure);
		return { sessionToken: token.value };
	}

	/**
	 * The keys travel in the JSON body: the send protocol refuses credentials in the URL. The
	 * Base URL rules are checked here too, because n8n's credential Test reaches the server only
	 * through this function (the node checks them before it builds a request).
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const apiRoot = resolveApiRoot(credentials.baseUrl, credentials.allowUnencryptedHttp === true);
		if (!apiRoot.ok) throw new Error(failureText(apiRoot.failure));
		const body = typeof requestOptions.body === 'object' && requestOptions.body !== null ? requestOptions.body : {};
		const accessToken =
			credentials.authentication === AUTHENTICATION.emailPassword ? credentials.sessionToken : credentials.accessToken;
		return {
			...requestOptions,
			body: { ...body, consumer_key: credentials.consumerKey, access_token: accessToken },
		};
	}
}
