import { celFunc, celMethod, CelScalar, celMap, type CelFunc, type CelValue } from '@bufbuild/cel';
import { ipIs, ipString, isV4InV6, maskPrefix, parseIp, parsePrefix, parseRequestUrl, prefixContainsIp, prefixContainsPrefix, prefixString, urlEscapedPath, urlHostname, urlPort, urlQuery, type IpAddr, type IpPrefix, type ParsedUrl } from './net';
import { CelEvalError, Opaque } from './values';

/** The Kubernetes url, ip and cidr CEL libraries. */

export class CelUrl extends Opaque {
	readonly typeName = 'kubernetes.URL';
	constructor(
		readonly url: ParsedUrl,
		private readonly raw: string,
	) {
		super();
	}
	protected canonical(): string {
		return this.raw;
	}
}

export class CelIp extends Opaque {
	readonly typeName = 'net.IP';
	constructor(readonly ip: IpAddr) {
		super();
	}
	protected canonical(): string {
		return ipString(this.ip);
	}
}

export class CelCidr extends Opaque {
	readonly typeName = 'net.CIDR';
	constructor(readonly prefix: IpPrefix) {
		super();
	}
	protected canonical(): string {
		return prefixString(this.prefix);
	}
}

const DYN = CelScalar.DYN;
const STR = CelScalar.STRING;
const BOOL = CelScalar.BOOL;

function toIp(s: string): IpAddr {
	const ip = parseIp(s);
	if (!ip) throw new CelEvalError(`IP Address ${JSON.stringify(s)} parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): unable to parse IP`);
	if (ip.zone) throw new CelEvalError(`IP address ${JSON.stringify(s)} with zone value is not allowed`);
	if (isV4InV6(ip)) throw new CelEvalError(`IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`);
	return ip;
}

function toPrefix(s: string): IpPrefix {
	const p = parsePrefix(s);
	if (!p) throw new CelEvalError(`network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): invalid prefix`);
	if (isV4InV6(p.addr)) throw new CelEvalError(`IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`);
	return p;
}

function toUrl(s: string): CelUrl {
	const u = parseRequestUrl(s);
	if (typeof u === 'string') throw new CelEvalError(`URL parse error during conversion from string: parse ${JSON.stringify(s)}: ${u}`);
	return new CelUrl(u, s);
}

function of<T>(v: unknown, cls: abstract new (...a: never[]) => T, what: string): T {
	if (v instanceof cls) return v;
	throw new CelEvalError(`no such overload: expected ${what}`);
}

const method = (name: string, args: (typeof DYN)[], fn: (self: unknown, ...a: CelValue[]) => unknown) =>
	celMethod(name, DYN, args, DYN, function (...a: CelValue[]) {
		return fn(this, ...a) as CelValue;
	});

export function urlFunctions(): CelFunc[] {
	const u = (v: unknown) => of(v, CelUrl, 'a URL').url;
	return [
		celFunc('url', [STR], DYN, (s) => toUrl(s) as unknown as CelValue),
		celFunc('isURL', [STR], BOOL, (s) => typeof parseRequestUrl(s) !== 'string'),
		method('getScheme', [], (v) => u(v).scheme),
		method('getHost', [], (v) => u(v).host),
		method('getHostname', [], (v) => urlHostname(u(v))),
		method('getPort', [], (v) => urlPort(u(v))),
		method('getEscapedPath', [], (v) => urlEscapedPath(u(v))),
		method('getQuery', [], (v) => celMap(new Map([...urlQuery(u(v))].map(([k, vs]) => [k, vs])))),
	];
}

export function ipFunctions(): CelFunc[] {
	const ip = (v: unknown) => of(v, CelIp, 'an IP address').ip;
	const cidr = (v: unknown) => of(v, CelCidr, 'a CIDR').prefix;
	return [
		celFunc('ip', [STR], DYN, (s) => new CelIp(toIp(s)) as unknown as CelValue),
		celFunc('isIP', [STR], BOOL, (s) => {
			const p = parseIp(s);
			return p !== undefined && !p.zone && !isV4InV6(p);
		}),
		celFunc('ip.isCanonical', [STR], BOOL, (s) => ipString(toIp(s)) === s),
		celFunc('string', [DYN], STR, (v) => {
			if (v instanceof CelIp || v instanceof CelCidr || v instanceof CelUrl) return v.toString();
			throw new CelEvalError('no such overload: string()');
		}),
		method('family', [], (v) => BigInt(ip(v).family)),
		method('isUnspecified', [], (v) => ipIs.unspecified(ip(v))),
		method('isLoopback', [], (v) => ipIs.loopback(ip(v))),
		method('isLinkLocalMulticast', [], (v) => ipIs.linkLocalMulticast(ip(v))),
		method('isLinkLocalUnicast', [], (v) => ipIs.linkLocalUnicast(ip(v))),
		method('isGlobalUnicast', [], (v) => ipIs.globalUnicast(ip(v))),
		celFunc('cidr', [STR], DYN, (s) => new CelCidr(toPrefix(s)) as unknown as CelValue),
		celFunc('isCIDR', [STR], BOOL, (s) => {
			const p = parsePrefix(s);
			return p !== undefined && !isV4InV6(p.addr);
		}),
		method('containsIP', [DYN], (v, other) => prefixContainsIp(cidr(v), typeof other === 'string' ? toIp(other) : ip(other))),
		method('containsCIDR', [DYN], (v, other) => prefixContainsPrefix(cidr(v), typeof other === 'string' ? toPrefix(other) : cidr(other))),
		method('ip', [], (v) => new CelIp(cidr(v).addr)),
		method('masked', [], (v) => new CelCidr(maskPrefix(cidr(v)))),
		method('prefixLength', [], (v) => BigInt(cidr(v).length)),
	];
}
