/** Secrets a server echoes are removed from the answer before anything reads it (review finding 4). */
import { redactBody, redactHeaders, redactText, secretsKeeper, secretsOf } from '../nodes/Pocket/transport/secrets';

const secrets = secretsOf(['ck-secret-key', 'tok"en/with+chars', 'pw', undefined, 42]);

test('every form of every secret is replaced: as is, JSON-escaped and URL-encoded', () => {
	const text = JSON.stringify({ message: 'bad key ck-secret-key and tok"en/with+chars', url: `?t=${encodeURIComponent('tok"en/with+chars')}` });
	const clean = redactText(text, secrets);
	expect(clean).not.toContain('ck-secret-key');
	expect(clean).not.toContain('tok\\"en/with+chars');
	expect(clean).not.toContain(encodeURIComponent('tok"en/with+chars'));
	expect(JSON.parse(clean)).toEqual({ message: 'bad key [redacted] and [redacted]', url: '?t=[redacted]' });
});

test('short values are masked too (issue 19, finding 13), and a clean text is returned as it is', () => {
	expect(redactText('pw is fine here', secrets)).toBe('[redacted] is fine here');
	const text = 'nothing secret here';
	expect(redactText(text, secrets)).toBe(text);
});

test('header values are cleaned, lists included', () => {
	expect(redactHeaders({ 'x-error': 'Invalid token ck-secret-key', 'set-cookie': ['a=ck-secret-key', 'b=1'], 'content-length': 12 }, secrets)).toEqual({
		'x-error': 'Invalid token [redacted]',
		'set-cookie': ['a=[redacted]', 'b=1'],
		'content-length': 12,
	});
});

test('secrets spelled with JSON escapes (PHP writes / as \\/, Go writes & as \\u0026) are found once parsed', () => {
	const escaped = secretsOf(['tok/en&1234']);
	const php = '{"message":"bad token tok\\/en&1234"}';
	const go = '{"message":"bad token tok/en\\u00261234","tok\\/en&1234":1}';
	expect(JSON.parse(redactBody(php, escaped))).toEqual({ message: 'bad token [redacted]' });
	expect(JSON.parse(redactBody(go, escaped))).toEqual({ message: 'bad token [redacted]', '[redacted]': 1 });
	const clean = '{"url":"https:\\/\\/example.com\\/a"}';
	expect(redactBody(clean, escaped)).toBe(clean);
});

test('the keeper hands back the secrets it holds while the values stay, and the new ones once they change', () => {
	const keep = secretsKeeper();
	const first = keep(secretsOf(['consumer-key', 'token-one']));
	expect(keep(secretsOf(['consumer-key', 'token-one']))).toBe(first);
	const renewed = keep(secretsOf(['consumer-key', 'token-two']));
	expect(renewed).toEqual(['consumer-key', 'token-two']);
	expect(redactText('token-two and token-one', renewed)).toBe('[redacted] and token-one');
});
