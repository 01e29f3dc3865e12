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

/** The URL parser writes every IPv4 address (hex, octal or short forms too) as four decimal numbers. */
const IPV4_LITERAL = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Loopback, private (RFC 1918) and link-local IPv4 ranges. */
function isPrivateIpv4(host: string): boolean {
	const match = IPV4_LITERAL.exec(host);
	if (!match) return false;
	const [a, b] = [Number(match[1]), Number(match[2])];
	return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/** Loopback, unique-local (fc00::/7) and link-local (fe80::/10) IPv6 addresses. */
function isPrivateIpv6(host: string): boolean {
	// Four hex digits in the first group: the URL parser drops leading zeros, so `fd::1` is
	// 00fd::1, a reserved global address, not a unique-local one.
	return host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
}

/**
 * Where plain http cannot be read by others on the way. Each rule, and why it is safe:
 * - IP literals in loopback, private and link-local ranges (only literals: a name such as
 *   10.attacker.example is an ordinary public name, whatever it starts with);
 * - `localhost` and names under `.localhost` (RFC 6761) and `.local` (mDNS, RFC 6762): these
 *   names are reserved and can never be registered in public DNS;
 * - single-label names such as a Docker Compose service (`http://pocket:8080`): they resolve
 *   on the local network or through its own search domains, never to a public registration.
 */
function isLocalHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (IPV4_LITERAL.test(host)) return isPrivateIpv4(host);
	if (host.includes(':')) return isPrivateIpv6(host);
	if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
	return !host.includes('.');
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
