import type { Result } from '../result';
import { failure, success } from '../result';

/**
 * Where the API is, and whether it is safe to send credentials there. The access token
 * travels in the body, so plain http is only acceptable where nobody else can listen.
 */

export interface BaseUrlProblem {
	message: string;
	description: string;
}

const PRIVATE_IPV4 = [/^127\./, /^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^169\.254\./];

/** Loopback, private ranges, and single-label names (a service on a Docker or home network). */
function isLocalHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
	if (PRIVATE_IPV4.some((range) => range.test(host))) return true;
	if (host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe80:/.test(host)) return true;
	return !host.includes('.') && !host.includes(':');
}

const ENTER_API_ROOT = 'Enter the API root of your Pocket-compatible server, for example https://pocket.example.com/api/v1';

/** `https://host/api/v1/` → `https://host/api/v1`; tolerates a pasted `/send`. */
export function resolveApiRoot(baseUrl: unknown, allowUnencryptedHttp: boolean): Result<string, BaseUrlProblem> {
	const text = typeof baseUrl === 'string' ? baseUrl.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return failure({ message: 'The Base URL in the Pocket API credential is not a valid URL', description: ENTER_API_ROOT });
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return failure({ message: `The Base URL must start with https:// (got ${url.protocol}//)`, description: ENTER_API_ROOT });
	}
	if (url.protocol === 'http:' && !allowUnencryptedHttp && !isLocalHost(url.hostname)) {
		return failure({
			message: `Refusing to send the access token over plain http to ${url.hostname}`,
			description:
				'Use an https:// Base URL. Plain http is only allowed for loopback and private-network hosts, or when "Allow Unencrypted HTTP (Unsafe)" is turned on in the credential.',
		});
	}
	if (url.search || url.hash || url.username || url.password) {
		return failure({
			message: 'The Base URL must not contain a query string, fragment or user info',
			description: 'Credentials belong in the Consumer Key and Access Token fields, never in the URL.',
		});
	}
	const path = url.pathname.replace(/\/+$/, '').replace(/\/send$/, '');
	return success(`${url.origin}${path}`);
}
