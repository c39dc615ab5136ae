/** Base64 of UTF-8 text, without platform APIs (the engine has no atob, btoa or TextEncoder). */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8(s: string): number[] {
	const out: number[] = [];
	for (const ch of s) {
		const c = ch.codePointAt(0)!;
		if (c < 0x80) out.push(c);
		else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
		else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
		else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
	}
	return out;
}

function fromUtf8(bytes: number[]): string {
	let out = '';
	for (let i = 0; i < bytes.length; ) {
		const b = bytes[i];
		const n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
		let c = n === 1 ? b : b & (0xff >> (n + 1));
		for (let k = 1; k < n; k++) c = (c << 6) | ((bytes[i + k] ?? 0) & 63);
		out += String.fromCodePoint(c);
		i += n;
	}
	return out;
}

export function base64Encode(s: string): string {
	const b = utf8(s);
	let out = '';
	for (let i = 0; i < b.length; i += 3) {
		const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
		out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + (i + 1 < b.length ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < b.length ? ALPHABET[n & 63] : '=');
	}
	return out;
}

export function base64Decode(s: string): string {
	const clean = s.replace(/=+$/, '');
	if (/[^A-Za-z0-9+/]/.test(clean) || clean.length % 4 === 1) throw new Error('illegal base64 data');
	const bytes: number[] = [];
	let bits = 0;
	let value = 0;
	for (const ch of clean) {
		value = (value << 6) | ALPHABET.indexOf(ch);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes.push((value >> bits) & 0xff);
		}
	}
	return fromUtf8(bytes);
}
