import type {
	IAuthenticateRuleResponseCode,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class PocketApi implements ICredentialType {
	name = 'pocketApi';

	displayName = 'Pocket API';

	icon = { light: 'file:../nodes/Pocket/pocket.svg', dark: 'file:../nodes/Pocket/pocket.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pocket#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://pocket.example.com/api/v1',
			description:
				'API root of your Pocket-compatible server, without /send. Open-pocket style servers use https://your-server/api/v1, v3 bridges use https://your-bridge/v3. Pocket itself (getpocket.com) shut down in 2025.',
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
			description: "The user's access token, as issued by the server's authorization flow",
		},
		{
			displayName: 'Allow Unencrypted HTTP (Unsafe)',
			name: 'allowUnencryptedHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow a plain http:// Base URL on a public host. The access token then crosses the network readable by anyone on the way. Loopback and private-network hosts are always allowed.',
		},
	];

	/** The keys travel in the JSON body: the send protocol refuses credentials in the URL. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const body = typeof requestOptions.body === 'object' && requestOptions.body !== null ? requestOptions.body : {};
		return {
			...requestOptions,
			body: { ...body, consumer_key: credentials.consumerKey, access_token: credentials.accessToken },
		};
	}

	/** An empty batch proves the key and token without changing any data. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/send$/, "")}}',
			url: '/send',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { actions: [] },
			json: true,
		},
		// n8n checks each rule by its `type`, but its typing wants one kind per array.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The server rejected the Consumer Key or Access Token (HTTP 401). Check both values.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The server denied access (HTTP 403): the consumer key is invalid or lacks permission, or the rate limit is used up.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Pocket send endpoint at this Base URL (HTTP 404). Use the API root, e.g. https://your-server/api/v1 or https://your-bridge/v3.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'action_results',
					value: undefined,
					message:
						'The Base URL answered, but not like a Pocket API (no action_results in the answer). Use the API root, e.g. https://your-server/api/v1 or https://your-bridge/v3.',
				},
			},
		] as unknown as IAuthenticateRuleResponseCode[],
	};
}
