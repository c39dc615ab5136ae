/**
 * A hosting API call that failed, in words a user can act on: what went wrong and what to do
 * (provide a token, check its scopes, check the network). Never carries the token, the request
 * headers or the library's error object (whose request may hold the Authorization header).
 */
export class ScmError extends Error {
	constructor(
		message: string,
		/** The HTTP status, if the host answered. */
		readonly status?: number,
	) {
		super(message);
	}
}

/** Replaces every occurrence of the secrets in a text (a last line of defence for messages). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
	let out = text;
	for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
	return out;
}

/** The network error code of a failed fetch (`ECONNREFUSED`, `ENOTFOUND`), if that is what happened. */
export function networkCode(e: unknown): string | undefined {
	for (let x: unknown = e, i = 0; x && i < 5; i++, x = (x as { cause?: unknown }).cause) {
		const code = (x as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code;
		const inMessage = x instanceof Error ? /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/.exec(x.message) : null;
		if (inMessage) return inMessage[1];
		if (x instanceof Error && /fetch failed|network|socket hang up/i.test(x.message) && !(x as { cause?: unknown }).cause) return 'network error';
	}
	return undefined;
}
