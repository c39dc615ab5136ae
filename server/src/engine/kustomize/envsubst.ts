/**
 * Flux's post-build variable substitution syntax (github.com/fluxcd/pkg/envsubst, a fork of
 * drone/envsubst): only `${...}` is expanded (`$var` stays as written), `$${var}` writes a
 * literal `${var}`. Supported: `${var}`, `${var:-default}`, `${var:=default}`, `${var-default}`,
 * `${var=default}` (all of them use the default when the value is empty, as the fork does),
 * `${#var}`, `${var^}`, `${var^^}`, `${var,}`, `${var,,}`, `${var:offset[:length]}`,
 * `${var#pat}`, `${var##pat}`, `${var%pat}`, `${var%%pat}`, `${var/pat/rep}`, `${var//pat/rep}`,
 * `${var/#pat/rep}`, `${var/%pat/rep}`. A default may itself contain `${...}`.
 */

export class SubstitutionError extends Error {}

export interface Lookup {
	(name: string): string | undefined;
}

interface Ctx {
	s: string;
	i: number;
	lookup: Lookup;
	/** Names referenced without a value and without a default (strict mode reports them). */
	missing: Set<string>;
	used: Set<string>;
}

const IDENT = /[\p{L}\p{Nd}_]/u;

/** Expands a string; throws SubstitutionError on a malformed expression (Flux fails the build). */
export function envsubst(input: string, lookup: Lookup, missing = new Set<string>(), used = new Set<string>()): string {
	// `$$` is an escape anywhere in the text, not only before a brace (as in the fork's scanner).
	if (!input.includes('${')) return input.includes('$$') ? input.replace(/\$\$/g, '$') : input;
	const ctx: Ctx = { s: input, i: 0, lookup, missing, used };
	return text(ctx, () => false);
}

function text(ctx: Ctx, stop: (c: string) => boolean): string {
	let out = '';
	while (ctx.i < ctx.s.length) {
		const c = ctx.s[ctx.i];
		if (stop(c)) break;
		if (c === '$' && ctx.s[ctx.i + 1] === '$') {
			// `$$` escapes a dollar: the first one is dropped.
			ctx.i += 1;
			out += '$';
			ctx.i += 1;
			continue;
		}
		if (c === '$' && ctx.s[ctx.i + 1] === '{') {
			ctx.i += 2;
			out += expr(ctx);
			continue;
		}
		out += c;
		ctx.i++;
	}
	return out;
}

function ident(ctx: Ctx): string {
	let name = '';
	while (ctx.i < ctx.s.length && IDENT.test(ctx.s[ctx.i])) name += ctx.s[ctx.i++];
	return name;
}

function expect(ctx: Ctx, c: string): void {
	if (ctx.s[ctx.i] !== c) throw new SubstitutionError(ctx.i >= ctx.s.length ? 'missing closing brace' : 'bad substitution');
	ctx.i++;
}

/** An argument up to one of `ends` (not consumed), expanding nested `${...}`. */
function arg(ctx: Ctx, ends: string): string {
	return text(ctx, (c) => ends.includes(c));
}

function value(ctx: Ctx, name: string, hasDefault: boolean): string {
	ctx.used.add(name);
	const v = ctx.lookup(name);
	if (v === undefined && !hasDefault) ctx.missing.add(name);
	return v ?? '';
}

function expr(ctx: Ctx): string {
	if (ctx.s[ctx.i] === '#') {
		ctx.i++;
		const name = ident(ctx);
		if (!name) throw new SubstitutionError('bad substitution');
		expect(ctx, '}');
		return String(utf8Length(value(ctx, name, false)));
	}
	const name = ident(ctx);
	if (!name) throw new SubstitutionError('unable to parse variable name');
	const c = ctx.s[ctx.i];
	const two = ctx.s.slice(ctx.i, ctx.i + 2);
	if (c === '}') {
		ctx.i++;
		return value(ctx, name, false);
	}
	if (two === ':-' || two === ':=' || two === ':?' || two === ':+' || c === '-' || c === '=' || c === '?' || c === '+') {
		ctx.i += two[0] === ':' ? 2 : 1;
		const def = arg(ctx, '}');
		expect(ctx, '}');
		const v = value(ctx, name, true);
		return v === '' ? def : v;
	}
	if (c === ':') {
		ctx.i++;
		const off = arg(ctx, ':}');
		let len: string | undefined;
		if (ctx.s[ctx.i] === ':') {
			ctx.i++;
			len = arg(ctx, '}');
		}
		expect(ctx, '}');
		return substr(value(ctx, name, false), off, len);
	}
	if (c === '^' || c === ',') {
		const all = ctx.s[ctx.i + 1] === c;
		ctx.i += all ? 2 : 1;
		expect(ctx, '}');
		const v = value(ctx, name, false);
		const f = c === '^' ? (x: string) => x.toUpperCase() : (x: string) => x.toLowerCase();
		if (all) return f(v);
		const first = String.fromCodePoint(v.codePointAt(0) ?? 0);
		return v === '' ? v : f(first) + v.slice(first.length);
	}
	if (c === '#' || c === '%') {
		const longest = ctx.s[ctx.i + 1] === c;
		ctx.i += longest ? 2 : 1;
		const pat = arg(ctx, '}');
		expect(ctx, '}');
		const v = value(ctx, name, false);
		return c === '#' ? trimPrefix(v, pat, longest) : reverse(trimPrefix(reverse(v), reverse(pat), longest));
	}
	if (c === '/') {
		ctx.i++;
		let mode = '/';
		if (ctx.s[ctx.i] === '/' || ctx.s[ctx.i] === '#' || ctx.s[ctx.i] === '%') mode += ctx.s[ctx.i++];
		const pat = ctx.s[ctx.i] === '/' ? '' : arg(ctx, '/}');
		if (ctx.s[ctx.i] !== '/') throw new SubstitutionError('bad substitution');
		ctx.i++;
		const rep = arg(ctx, '}');
		expect(ctx, '}');
		const v = value(ctx, name, false);
		switch (mode) {
			case '//':
				return pat === '' ? v : v.split(pat).join(rep);
			case '/#':
				return v.startsWith(pat) ? rep + v.slice(pat.length) : v;
			case '/%':
				return v.endsWith(pat) ? v.slice(0, v.length - pat.length) + rep : v;
			default:
				return v.replace(pat, () => rep);
		}
	}
	throw new SubstitutionError(ctx.i >= ctx.s.length ? 'missing closing brace' : 'bad substitution');
}

function utf8Length(s: string): number {
	let n = 0;
	for (const ch of s) {
		const c = ch.codePointAt(0)!;
		n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	}
	return n;
}

function substr(s: string, offRaw: string, lenRaw: string | undefined): string {
	if (!/^-?\d+$/.test(offRaw.trim())) return s;
	let pos = Number(offRaw.trim());
	if (pos < 0) pos = Math.max(0, s.length + pos);
	if (lenRaw === undefined) return pos < s.length ? s.slice(pos) : '';
	if (!/^-?\d+$/.test(lenRaw.trim())) return s;
	const len = Number(lenRaw.trim());
	if (len < 0) {
		const end = s.length + len;
		return end < pos ? '' : s.slice(pos, end);
	}
	return pos < s.length ? s.slice(pos, pos + len) : '';
}

function reverse(s: string): string {
	return [...s].reverse().join('');
}

/** Glob (`*`, `?`, `[...]`) as Go's path.Match, against a whole string. */
function globToRegExp(pat: string): RegExp | undefined {
	let re = '';
	for (let i = 0; i < pat.length; i++) {
		const c = pat[i];
		if (c === '*') re += '[^/]*';
		else if (c === '?') re += '[^/]';
		else if (c === '[') {
			const end = pat.indexOf(']', i + 1);
			if (end === -1) return undefined;
			let body = pat.slice(i + 1, end);
			if (body.startsWith('^')) body = '^' + body.slice(1);
			re += `[${body.replace(/\\/g, '\\\\')}]`;
			i = end;
		} else if (c === '\\' && i + 1 < pat.length) re += '\\' + pat[++i];
		else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
	}
	try {
		return new RegExp(`^${re}$`, 'u');
	} catch {
		return undefined;
	}
}

function trimPrefix(s: string, pat: string, longest: boolean): string {
	const re = globToRegExp(pat);
	if (!re) return s;
	let match: string | undefined;
	for (let i = 0; i < s.length; i++) {
		const cand = s.slice(0, s.length - i);
		if (re.test(cand)) {
			if (longest) return s.slice(cand.length);
			match = cand;
		}
	}
	return match ? s.slice(match.length) : s;
}
