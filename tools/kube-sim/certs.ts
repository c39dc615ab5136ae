import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * A private CA and certificates signed by it, made at start-up with node-forge (no openssl binary):
 * the server certificate for 127.0.0.1/localhost (or, for the TLS fault, for another host), and
 * client certificates for users that authenticate with one.
 */

export interface Pem {
	cert: string;
	key: string;
}

export interface Ca extends Pem {
	/** Signs a certificate for the given subject; `hosts` become its subjectAltNames (server) or it is a client certificate. */
	issue(commonName: string, options: { hosts?: string[]; organization?: string }): Pem;
}

function keyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; pem: string } {
	// Node's key generation is native and fast; node-forge builds and signs the certificates.
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
	const forgeKey = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
	return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem: privateKey };
}

function serial(): string {
	// Positive, 16 bytes: RFC 5280 wants unique serials of at most 20 octets.
	const b = randomBytes(16);
	b[0] &= 0x7f;
	return b.toString('hex');
}

function validity(cert: forge.pki.Certificate): void {
	cert.validity.notBefore = new Date(Date.now() - 60_000);
	cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
}

export function createCa(name: string): Ca {
	const keys = keyPair();
	const cert = forge.pki.createCertificate();
	cert.publicKey = keys.publicKey;
	cert.serialNumber = serial();
	validity(cert);
	const subject = [{ name: 'commonName', value: `${name} CA` }];
	cert.setSubject(subject);
	cert.setIssuer(subject);
	cert.setExtensions([
		{ name: 'basicConstraints', cA: true, critical: true },
		{ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
		{ name: 'subjectKeyIdentifier' },
	]);
	cert.sign(keys.privateKey, forge.md.sha256.create());
	const caCert = cert;
	return {
		cert: forge.pki.certificateToPem(cert),
		key: keys.pem,
		issue(commonName, options) {
			const k = keyPair();
			const c = forge.pki.createCertificate();
			c.publicKey = k.publicKey;
			c.serialNumber = serial();
			validity(c);
			c.setSubject([{ name: 'commonName', value: commonName }, ...(options.organization ? [{ name: 'organizationName', value: options.organization }] : [])]);
			c.setIssuer(caCert.subject.attributes);
			const hosts = options.hosts ?? [];
			c.setExtensions([
				{ name: 'basicConstraints', cA: false },
				{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
				{ name: 'extKeyUsage', serverAuth: hosts.length > 0, clientAuth: hosts.length === 0 },
				...(hosts.length > 0 ? [{ name: 'subjectAltName', altNames: hosts.map((h) => (/^[\d.]+$/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })) }] : []),
			]);
			c.sign(keys.privateKey, forge.md.sha256.create());
			return { cert: forge.pki.certificateToPem(c), key: k.pem };
		},
	};
}
