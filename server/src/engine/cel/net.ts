/**
 * IP addresses, CIDR prefixes and URLs parsed as Go parses them (`net/netip`, `net/url`), for the
 * Kubernetes ip, cidr and url CEL libraries. Pure string work: no platform URL or socket API.
 */

/** An IP address: 4 or 16 bytes as one integer. */
export interface IpAddr {
	family: 4 | 6;
	value: bigint;
	zone?: string;
}

function parseV4(s: string): bigint | undefined {
	const parts = s.split('.');
	if (parts.length !== 4) return undefined;
	let v = 0n;
	for (const p of parts) {
		if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
		const n = Number(p);
		if (n > 255) return undefined;
		v = (v << 8n) | BigInt(n);
	}
	return v;
}

function parseV6(s: string): bigint | undefined {
	let head = s;
	let tailV4: bigint | undefined;
	const lastColon = s.lastIndexOf(':');
	if (s.slice(lastColon + 1).includes('.')) {
		tailV4 = parseV4(s.slice(lastColon + 1));
		if (tailV4 === undefined) return undefined;
		head = `${s.slice(0, lastColon + 1)}0:0`;
	}
	const dbl = head.indexOf('::');
	if (dbl !== head.lastIndexOf('::')) return undefined;
	const split = (x: string) => (x === '' ? [] : x.split(':'));
	let groups: string[];
	if (dbl >= 0) {
		const left = split(head.slice(0, dbl));
		const right = split(head.slice(dbl + 2));
		const missing = 8 - left.length - right.length;
		if (missing < 1) return undefined;
		groups = [...left, ...Array<string>(missing).fill('0'), ...right];
	} else groups = split(head);
	if (groups.length !== 8) return undefined;
	let v = 0n;
	for (const g of groups) {
		if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
		v = (v << 16n) | BigInt(parseInt(g, 16));
	}
	if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
	return v;
}

/** Parses an address as netip.ParseAddr. */
export function parseIp(s: string): IpAddr | undefined {
	if (s.includes(':')) {
		const [addr, zone, ...rest] = s.split('%');
		if (rest.length > 0 || zone === '') return undefined;
		const v = parseV6(addr);
		return v === undefined ? undefined : { family: 6, value: v, ...(zone !== undefined ? { zone } : {}) };
	}
	const v = parseV4(s);
	return v === undefined ? undefined : { family: 4, value: v };
}

export function isV4InV6(ip: IpAddr): boolean {
	return ip.family === 6 && ip.value >> 32n === 0xffffn;
}

/** The canonical text (netip.Addr.String): dotted quad, or RFC 5952 IPv6. */
export function ipString(ip: IpAddr): string {
	if (ip.family === 4) return [24n, 16n, 8n, 0n].map((sh) => String((ip.value >> sh) & 0xffn)).join('.');
	const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
	let best = -1;
	let bestLen = 0;
	for (let i = 0; i < 8; ) {
		if (groups[i] !== 0) {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && groups[j] === 0) j++;
		if (j - i > bestLen && j - i >= 2) [best, bestLen] = [i, j - i];
		i = j;
	}
	const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
	const text = best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
	return ip.zone ? `${text}%${ip.zone}` : text;
}

const bits = (ip: IpAddr) => (ip.family === 4 ? 32 : 128);
const inNet = (ip: IpAddr, prefix: bigint, len: number) => ip.value >> BigInt(bits(ip) - len) === prefix >> BigInt(bits(ip) - len);

/** The properties Go's netip.Addr reports. */
export const ipIs = {
	unspecified: (ip: IpAddr) => ip.value === 0n,
	loopback: (ip: IpAddr) => (ip.family === 4 ? inNet(ip, 0x7f000000n, 8) : ip.value === 1n),
	multicast: (ip: IpAddr) => (ip.family === 4 ? inNet(ip, 0xe0000000n, 4) : inNet(ip, 0xffn << 120n, 8)),
	linkLocalMulticast: (ip: IpAddr) => (ip.family === 4 ? inNet(ip, 0xe0000000n, 24) : ((ip.value >> 112n) & 0xff0fn) === 0xff02n),
	linkLocalUnicast: (ip: IpAddr) => (ip.family === 4 ? inNet(ip, 0xa9fe0000n, 16) : inNet(ip, 0xfe80n << 112n, 10)),
	globalUnicast: (ip: IpAddr) =>
		!(ip.family === 4 && ip.value === 0xffffffffn) && !ipIs.unspecified(ip) && !ipIs.loopback(ip) && !ipIs.multicast(ip) && !ipIs.linkLocalUnicast(ip),
};

/** A prefix: address plus length (not necessarily masked, as netip.Prefix). */
export interface IpPrefix {
	addr: IpAddr;
	length: number;
}

export function parsePrefix(s: string): IpPrefix | undefined {
	const slash = s.lastIndexOf('/');
	if (slash < 0) return undefined;
	const addr = parseIp(s.slice(0, slash));
	const len = s.slice(slash + 1);
	if (!addr || addr.zone || !/^(0|[1-9]\d{0,2})$/.test(len)) return undefined;
	const n = Number(len);
	return n > bits(addr) ? undefined : { addr, length: n };
}

export function maskPrefix(p: IpPrefix): IpPrefix {
	const shift = BigInt(bits(p.addr) - p.length);
	return { addr: { family: p.addr.family, value: (p.addr.value >> shift) << shift }, length: p.length };
}

export const prefixString = (p: IpPrefix) => `${ipString(p.addr)}/${p.length}`;

export function prefixContainsIp(p: IpPrefix, ip: IpAddr): boolean {
	return p.addr.family === ip.family && !ip.zone && inNet(ip, p.addr.value, p.length);
}

export function prefixContainsPrefix(p: IpPrefix, other: IpPrefix): boolean {
	return p.addr.family === other.addr.family && p.length <= other.length && inNet(other.addr, p.addr.value, p.length);
}

/** A URL as Go's url.Parse splits it (after url.ParseRequestURI accepted it). */
export interface ParsedUrl {
	scheme: string;
	host: string;
	path: string;
	rawQuery: string;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** url.ParseRequestURI then url.Parse: an absolute URI or an absolute path; undefined (with why) otherwise. */
export function parseRequestUrl(raw: string): ParsedUrl | string {
	if (raw === '') return 'empty url';
	if (/[\x00-\x1f\x7f]/.test(raw)) return 'invalid control character in URL';
	let rest = raw;
	let scheme = '';
	const m = SCHEME.exec(rest);
	if (m) {
		scheme = m[1].toLowerCase();
		rest = rest.slice(m[0].length);
	} else if (!rest.startsWith('/')) return 'invalid URI for request';
	const hash = rest.indexOf('#');
	if (hash >= 0) rest = rest.slice(0, hash);
	let rawQuery = '';
	const q = rest.indexOf('?');
	if (q >= 0) {
		rawQuery = rest.slice(q + 1);
		rest = rest.slice(0, q);
	}
	if (scheme && !rest.startsWith('/')) return { scheme, host: '', path: '', rawQuery }; // opaque (mailto:x)
	let host = '';
	if (scheme && rest.startsWith('//')) {
		const end = rest.indexOf('/', 2);
		const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
		rest = end < 0 ? '' : rest.slice(end);
		host = authority.slice(authority.lastIndexOf('@') + 1);
		const bad = hostError(host);
		if (bad) return bad;
	}
	let path: string;
	try {
		path = decodeURIComponent(rest.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
	} catch {
		return `invalid URL escape in ${JSON.stringify(rest)}`;
	}
	return { scheme, host, path, rawQuery };
}

function hostError(host: string): string | undefined {
	if (host.startsWith('[')) {
		const close = host.indexOf(']');
		if (close < 0) return 'missing \']\' in host';
		const port = host.slice(close + 1);
		if (port !== '' && !/^:\d*$/.test(port)) return `invalid port ${JSON.stringify(port)} after host`;
		return undefined;
	}
	const colon = host.lastIndexOf(':');
	if (colon >= 0 && !/^\d*$/.test(host.slice(colon + 1))) return `invalid port ${JSON.stringify(host.slice(colon))} after host`;
	if (colon >= 0 && host.slice(0, colon).includes(':')) return `invalid port ${JSON.stringify(host.slice(colon))} after host`;
	return undefined;
}

export function urlHostname(u: ParsedUrl): string {
	if (u.host.startsWith('[')) return u.host.slice(1, u.host.indexOf(']'));
	const colon = u.host.lastIndexOf(':');
	return colon < 0 ? u.host : u.host.slice(0, colon);
}

export function urlPort(u: ParsedUrl): string {
	const at = u.host.startsWith('[') ? u.host.indexOf(']') + 1 : u.host.lastIndexOf(':');
	return at >= 0 && u.host[at] === ':' ? u.host.slice(at + 1) : '';
}

/** Go's URL.EscapedPath for a path with no raw form: what encodePath would not leave alone is %-escaped. */
export function urlEscapedPath(u: ParsedUrl): string {
	return u.path.replace(/[^A-Za-z0-9\-_.~$&+,/:;=@]/g, (c) => encodeURIComponent(c));
}

/** Go's url.ParseQuery: key → values, `+` as space, pairs that cannot be decoded skipped. */
export function urlQuery(u: ParsedUrl): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const pair of u.rawQuery.split('&')) {
		if (pair === '' || pair.includes(';')) continue;
		const eq = pair.indexOf('=');
		const dec = (x: string) => decodeURIComponent(x.replace(/\+/g, ' '));
		try {
			const k = dec(eq < 0 ? pair : pair.slice(0, eq));
			const v = eq < 0 ? '' : dec(pair.slice(eq + 1));
			out.set(k, [...(out.get(k) ?? []), v]);
		} catch {
			// an undecodable pair is dropped, as Go does
		}
	}
	return out;
}
