/** When the sign-in token is renewed before the server would refuse it. */
import { needsNewToken } from '../nodes/Pocket/transport/session';

const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const now = 1_800_000_000_000;
const seconds = now / 1000;

test('no token, or an empty one, needs a sign-in', () => {
	expect(needsNewToken('', now)).toBe(true);
	expect(needsNewToken(undefined, now)).toBe(true);
});

test('a 10-minute token is renewed in its last 30 s, not before', () => {
	expect(needsNewToken(jwt({ iat: seconds - 60, exp: seconds + 540 }), now)).toBe(false);
	expect(needsNewToken(jwt({ iat: seconds - 580, exp: seconds + 20 }), now)).toBe(true);
	expect(needsNewToken(jwt({ iat: seconds - 700, exp: seconds - 100 }), now)).toBe(true);
});

test('a 2-second token is renewed only in its last quarter, not on every call', () => {
	expect(needsNewToken(jwt({ iat: seconds, exp: seconds + 2 }), now)).toBe(false);
	expect(needsNewToken(jwt({ iat: seconds - 1.6, exp: seconds + 0.4 }), now)).toBe(true);
});

test('a token whose lifetime cannot be read is used until the server refuses it', () => {
	for (const token of ['opaque-token', 'a.b.c', jwt({ exp: 'soon' }), jwt({}), 'h.%%%.s']) expect(needsNewToken(token, now)).toBe(false);
});
