/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-imports -- a test, not node code: n8n-node lint applies node rules to every .ts file */
/**
 * A self-signed certificate for the test server's https mode, as a self-hosted server often
 * has one: made by `openssl` where it is installed, else by node:crypto (which signs, but has no
 * certificate builder, so the few DER structures of an X.509 certificate are written here).
 */
import { execFileSync } from 'node:child_process';
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Certificate {
	/** PEM */
	key: string;
	/** PEM */
	cert: string;
}

/** `openssl req -x509` for an IP address, or undefined where openssl is not installed. */
export function opensslCertificate(ip: string): Certificate | undefined {
	const dir = mkdtempSync(path.join(tmpdir(), 'pocket-tls-'));
	try {
		execFileSync(
			'openssl',
			['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${ip}`, '-addext', `subjectAltName=IP:${ip}`,
				'-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
			{ stdio: 'ignore' },
		);
		return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
	} catch {
		return undefined;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** A DER element: tag, definite length, content. */
function der(tag: number, ...content: Buffer[]): Buffer {
	const body = Buffer.concat(content);
	const n = body.length;
	const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
	return Buffer.concat([Buffer.from([tag]), length, body]);
}

const seq = (...c: Buffer[]) => der(0x30, ...c);
const oid = (bytes: number[]) => der(0x06, Buffer.from(bytes));
const SHA256_WITH_RSA = seq(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), der(0x05));
const COMMON_NAME = [0x55, 0x04, 0x03];
const SUBJECT_ALT_NAME = [0x55, 0x1d, 0x11];

const utcTime = (date: Date) => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));

/** The same certificate as opensslCertificate, built with node:crypto. */
export function cryptoCertificate(ip: string): Certificate {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const name = seq(der(0x31, seq(oid(COMMON_NAME), der(0x0c, Buffer.from(ip)))));
	const now = Date.now();
	const serial = randomBytes(8);
	serial[0] &= 0x7f;
	const altName = seq(der(0x87, Buffer.from(ip.split('.').map(Number))));
	const tbs = seq(
		der(0xa0, der(0x02, Buffer.from([2]))),
		der(0x02, serial),
		SHA256_WITH_RSA,
		name,
		seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 2 * 86_400_000))),
		name,
		publicKey.export({ type: 'spki', format: 'der' }),
		der(0xa3, seq(seq(oid(SUBJECT_ALT_NAME), der(0x04, altName)))),
	);
	const signature = createSign('sha256').update(tbs).sign(privateKey);
	const certificate = seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.from([0]), signature));
	const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
	return {
		key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
	};
}

/** A self-signed certificate for `ip`, valid for two days. */
export function selfSignedCertificate(ip: string): Certificate {
	return opensslCertificate(ip) ?? cryptoCertificate(ip);
}
