/**
 * UTF-8 and base64 encoding for generated Secrets and the hash input. The engine has no Node or
 * DOM globals (no Buffer, btoa or TextEncoder), and these two encodings are a few lines each.
 */

export function utf8Bytes(s: string): Uint8Array {
	const out: number[] = [];
	for (let i = 0; i < s.length; i++) {
		let c = s.codePointAt(i)!;
		if (c > 0xffff) i++;
		// A lone surrogate is not valid UTF-8: Go writes U+FFFD for it.
		if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
		if (c < 0x80) out.push(c);
		else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
		else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
		else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
	}
	return Uint8Array.from(out);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding, as Go's `base64.StdEncoding`. */
export function base64(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	for (; i + 2 < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
		out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
	}
	if (i < bytes.length) {
		const rest = bytes.length - i;
		const n = (bytes[i] << 16) | (rest > 1 ? bytes[i + 1] << 8 : 0);
		out += B64[n >> 18] + B64[(n >> 12) & 63] + (rest > 1 ? B64[(n >> 6) & 63] : '=') + '=';
	}
	return out;
}

export function base64OfText(s: string): string {
	return base64(utf8Bytes(s));
}

/**
 * A generated Secret's value as kustomize writes it (api/internal/generators `encodeBase64`):
 * base64 broken into lines of 70 characters, each ending in a newline, once it is 70 or longer.
 */
export function secretValue(s: string): string {
	const enc = base64OfText(s);
	const lineLen = 70;
	if (Math.floor(enc.length / lineLen) + 1 <= 1) return enc;
	let out = '';
	for (let i = 0; i < enc.length; i += lineLen) out += enc.slice(i, i + lineLen) + '\n';
	return out;
}

/** Go's `strings.Compare` order (bytes of UTF-8), which is code point order, unlike JS's UTF-16 `<`. */
export function compareGo(a: string, b: string): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		const x = a.codePointAt(i)!;
		const y = b.codePointAt(i)!;
		if (x !== y) return x < y ? -1 : 1;
		if (x > 0xffff) i++;
	}
	return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * JSON as Go's `encoding/json` writes it: keys in byte order, `<`, `>` and `&` escaped as
 * `\u003c` and friends, U+2028/U+2029 escaped. The generator hash is the sha256 of this text.
 */
export function goJson(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return goString(value);
	if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
	if (Array.isArray(value)) return '[' + value.map(goJson).join(',') + ']';
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj).sort(compareGo);
	return '{' + keys.map((k) => goString(k) + ':' + goJson(obj[k])).join(',') + '}';
}

function goString(s: string): string {
	return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
