/**
 * Takes credentials out of any text before it reaches a log line, a status message or the cache:
 * the exact secrets of the kubeconfig users in use, plus anything shaped like a bearer token, a
 * JWT or a PEM private key. Messages are built from error codes and HTTP statuses in the first
 * place; this is the second line of defence.
 */

const PATTERNS: RegExp[] = [
	/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
	/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
	/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

export class Redactor {
	private readonly secrets = new Set<string>();

	add(...secrets: string[]): void {
		for (const s of secrets) if (s.length >= 6) this.secrets.add(s);
	}

	redact(text: string): string {
		let out = text;
		// Longest first, so a secret that contains another is removed whole.
		for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('[redacted]');
		for (const p of PATTERNS) out = out.replace(p, (_m, scheme) => (typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} [redacted]` : '[redacted]'));
		return out;
	}
}
