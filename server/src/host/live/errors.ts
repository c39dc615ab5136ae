/**
 * Why a request to a cluster failed, classified once so that every caller reports the same
 * status: unreachable, timeout, tls-error, unauthorized, forbidden, gone (410), auth-error
 * (a credential plugin failed), refused (exec not allowed), http (any other status).
 */

export type FailureKind = 'unreachable' | 'timeout' | 'tls-error' | 'unauthorized' | 'forbidden' | 'not-found' | 'gone' | 'auth-error' | 'refused' | 'http';

export class KubeRequestError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		readonly statusCode?: number,
	) {
		super(message);
	}
}

const TLS_CODES = /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL)/;
const NET_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'EADDRNOTAVAIL', 'UND_ERR_SOCKET']);

const TLS_WORDS: Record<string, string> = {
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by a trusted CA',
	SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain ends in a CA that is not trusted',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the server certificate is not trusted',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate is for another host name',
};

/** Classifies a Node network/TLS error (no HTTP response). */
export function networkError(e: unknown, server: string): KubeRequestError {
	const err = e as NodeJS.ErrnoException & { reason?: string };
	const code = err?.code ?? '';
	if (TLS_CODES.test(code)) {
		const what = TLS_WORDS[code] ?? `TLS handshake failed (${code})`;
		return new KubeRequestError('tls-error', `TLS error talking to ${server}: ${what}. Check certificate-authority(-data) and the server address in the kubeconfig.`);
	}
	if (NET_CODES.has(code)) return new KubeRequestError('unreachable', `${server} is unreachable (${code})`);
	return new KubeRequestError('unreachable', `${server} is unreachable (${code || (err instanceof Error ? err.message : 'connection failed')})`);
}

/** Classifies an HTTP error response; `body` may be a Kubernetes Status. */
export function httpError(statusCode: number, body: unknown, what: string): KubeRequestError {
	const message = typeof (body as { message?: unknown })?.message === 'string' ? String((body as { message: string }).message) : '';
	if (statusCode === 401) return new KubeRequestError('unauthorized', `the cluster rejected the credentials (401 Unauthorized) for ${what}: they are missing, wrong or expired`, 401);
	if (statusCode === 403) return new KubeRequestError('forbidden', message || `forbidden (403) to read ${what}`, 403);
	if (statusCode === 404) return new KubeRequestError('not-found', `${what}: not found (404)`, 404);
	if (statusCode === 410) return new KubeRequestError('gone', `${what}: resourceVersion too old (410 Gone)`, 410);
	return new KubeRequestError('http', `${what}: HTTP ${statusCode}${message ? ` (${message})` : ''}`, statusCode);
}
