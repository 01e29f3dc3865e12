/**
 * Which Base URLs may carry the keys over plain http: private ranges count only as IP
 * literals; names that merely start like one are public names (review finding 3).
 */
import { resolveApiRoot } from '../nodes/Pocket/transport/baseUrl';

const allowed = (url: string) => resolveApiRoot(url, false).ok;

test.each([
	'http://10.attacker.example',
	'http://192.168.pocket.example.com',
	'http://172.16.evil.example.com',
	'http://127.0.0.1.nip.io',
	'http://localhost.attacker.example',
	'http://pocket.local.attacker.example',
	'http://172.32.0.1',
	'http://[2001:db8::1]/',
	'http://pocket.example.com/api/v1',
])('plain http to %s is refused', (url) => {
	const result = resolveApiRoot(url, false);
	expect(result).toMatchObject({ ok: false, failure: { message: expect.stringMatching(/^Refusing to send the access token over plain http to /) } });
});

test.each([
	'http://127.0.0.1:8080/api/v1',
	'http://10.1.2.3/api/v1',
	'http://172.20.0.5/api/v1',
	'http://192.168.1.10/v3',
	'http://169.254.1.1',
	'http://0x7f.1/',
	'http://[::1]:8080/',
	'http://[fd00::1]/',
	'http://[fe80::1]/',
	'http://localhost:8080/api/v1',
	'http://pocket.localhost/api/v1',
	'http://nas.local/api/v1',
	'http://pocket:8080/api/v1',
])('plain http to the local address %s is allowed', (url) => {
	expect(allowed(url)).toBe(true);
});

test('the opt-in allows a public plain-http host; https is always allowed', () => {
	expect(resolveApiRoot('http://pocket.example.com/api/v1', true)).toEqual({ ok: true, value: 'http://pocket.example.com/api/v1' });
	expect(resolveApiRoot('https://10.attacker.example/api/v1/send/', false)).toEqual({ ok: true, value: 'https://10.attacker.example/api/v1' });
});
