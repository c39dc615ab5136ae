import { isPlainObject } from '../../../core/resource';
import { wildcardMatch } from '../resources';
import { valueMatches } from './value-pattern';

/**
 * A resource against a Kyverno `pattern` (pkg/engine/validate): maps key by key, lists element by
 * element, scalars by `valueMatches`, and the anchors: conditional `(key)`, global `^(key)`,
 * equality `=(key)`, negation `X(key)`, existence `<(key)`. The outcome says whether the pattern
 * holds, does not apply (a conditional or global anchor is not met: the rule is skipped), or fails
 * at a path of the resource (the deepest node the failing pattern element names).
 */

export type Path = (string | number)[];
export type PatternOutcome = { status: 'pass' } | { status: 'skip'; reason: string } | { status: 'fail'; path: Path; reason: string } | { status: 'error'; reason: string };

type AnchorKind = 'condition' | 'global' | 'equality' | 'negation' | 'existence' | 'add';
interface Anchor {
	kind: AnchorKind;
	key: string;
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/;
const MODIFIERS: Record<string, AnchorKind> = { '': 'condition', '^': 'global', '=': 'equality', X: 'negation', '<': 'existence', '+': 'add' };

export function parseAnchor(key: string): Anchor | undefined {
	const m = ANCHOR.exec(key);
	return m ? { kind: MODIFIERS[m[1] ?? ''], key: m[2] } : undefined;
}

/** Errors the anchors raise: they decide between skip (condition, global) and fail (negation). */
type ErrKind = 'condition' | 'global' | 'negation' | 'plain';
interface Failure {
	kind: ErrKind;
	path: Path;
	reason: string;
	/** Every element of a list was skipped by its conditions (PatternError.Skip). */
	skip?: boolean;
}

/** Which anchors of the pattern were seen with their key present in the resource (AnchorKey). */
class AnchorPresence {
	private readonly seen = new Map<string, boolean>();
	note(pattern: Record<string, unknown>, resource: unknown): void {
		for (const key of Object.keys(pattern)) {
			const a = parseAnchor(key);
			if (!a || (a.kind !== 'condition' && a.kind !== 'existence' && a.kind !== 'negation')) continue;
			if (this.seen.get(key)) continue;
			this.seen.set(key, hasKey(a.key, resource));
		}
	}
	anyMissing(): boolean {
		return [...this.seen.values()].some((v) => !v);
	}
}

function hasKey(key: string, resource: unknown): boolean {
	if (isPlainObject(resource)) return key in resource;
	if (Array.isArray(resource)) return resource.some((r) => hasKey(key, r));
	return false;
}

const hasWildcard = (s: string) => s.includes('*') || s.includes('?');

/**
 * Wildcard keys of metadata.labels / metadata.annotations resolved against the resource
 * (wildcards.ExpandInMetadata): a key pattern stands for the resource's keys it matches (every one
 * of them here; Kyverno takes one at random), its value pattern kept; anchors on the key stay.
 */
function expandMetadata(pattern: Record<string, unknown>, resource: Record<string, unknown>): Record<string, unknown> {
	const metaKey = Object.keys(pattern).find((k) => (parseAnchor(k)?.key ?? k) === 'metadata');
	if (!metaKey || !isPlainObject(pattern[metaKey]) || !isPlainObject(resource.metadata)) return pattern;
	const meta = { ...(pattern[metaKey] as Record<string, unknown>) };
	let changed = false;
	for (const tag of ['labels', 'annotations']) {
		const tagKey = Object.keys(meta).find((k) => (parseAnchor(k)?.key ?? k) === tag);
		const p = tagKey ? meta[tagKey] : undefined;
		const r = resource.metadata[tag];
		if (!tagKey || !isPlainObject(p) || !isPlainObject(r) || !Object.keys(p).some(hasWildcard)) continue;
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(p)) {
			if (!hasWildcard(k)) {
				out[k] = v;
				continue;
			}
			const anchor = parseAnchor(k);
			const bare = anchor?.key ?? k;
			const hits = Object.keys(r).filter((rk) => wildcardMatch(bare, rk));
			if (hits.length === 0) out[k] = v;
			for (const hit of hits) out[anchor ? k.replace(bare, hit) : hit] = v;
		}
		meta[tagKey] = out;
		changed = true;
	}
	return changed ? { ...pattern, [metaKey]: meta } : pattern;
}

function hasNestedAnchors(p: unknown): boolean {
	if (isPlainObject(p)) return Object.keys(p).some((k) => {
		const a = parseAnchor(k);
		return (a && a.kind !== 'add') || hasNestedAnchors(p[k]);
	});
	return Array.isArray(p) && p.some(hasNestedAnchors);
}

class Matcher {
	readonly anchors = new AnchorPresence();

	element(resource: unknown, pattern: unknown, path: Path): Failure | undefined {
		if (isPlainObject(pattern)) {
			if (!isPlainObject(resource)) return { kind: 'plain', path, reason: `expected an object at ${show(path)}` };
			this.anchors.note(pattern, resource);
			return this.map(resource, pattern, path);
		}
		if (Array.isArray(pattern)) {
			if (!Array.isArray(resource)) return { kind: 'plain', path, reason: `expected a list at ${show(path)}` };
			return this.array(resource, pattern, path);
		}
		if (Array.isArray(resource)) {
			for (let i = 0; i < resource.length; i++) if (!valueMatches(resource[i], pattern)) return { kind: 'plain', path: [...path, i], reason: `value ${JSON.stringify(resource[i])} does not match ${JSON.stringify(pattern)}` };
			return undefined;
		}
		return valueMatches(resource, pattern) ? undefined : { kind: 'plain', path, reason: `value ${JSON.stringify(resource ?? null)} does not match ${JSON.stringify(pattern)} at ${show(path)}` };
	}

	private map(resource: Record<string, unknown>, raw: Record<string, unknown>, path: Path): Failure | undefined {
		const pattern = expandMetadata(raw, resource);
		const anchored: [string, Anchor, unknown][] = [];
		const plain: string[] = [];
		for (const [k, v] of Object.entries(pattern)) {
			const a = parseAnchor(k);
			if (a && a.kind !== 'add') anchored.push([k, a, v]);
			else plain.push(k);
		}
		for (const [, a, v] of anchored) {
			const f = this.anchor(a, v, resource, path);
			if (f) return f;
		}
		// Keys with nested anchors (and global anchors) first, then the rest, in key order.
		plain.sort();
		const ordered = [...plain.filter((k) => hasNestedAnchors(pattern[k])), ...plain.filter((k) => !hasNestedAnchors(pattern[k]))];
		for (const k of ordered) {
			const key = parseAnchor(k)?.kind === 'add' ? parseAnchor(k)!.key : k;
			const p = pattern[k];
			const here = [...path, key];
			if (p === '*') {
				if (resource[key] === undefined || resource[key] === null) return { kind: 'plain', path: here, reason: `${show(here)} is required` };
				continue;
			}
			const f = this.element(resource[key], p, here);
			if (f) return f;
		}
		return undefined;
	}

	private anchor(a: Anchor, pattern: unknown, resource: Record<string, unknown>, path: Path): Failure | undefined {
		const here = [...path, a.key];
		const present = a.key in resource;
		switch (a.kind) {
			case 'negation':
				return present ? { kind: 'negation', path: here, reason: `${show(here)} is not allowed` } : undefined;
			case 'equality':
				return present ? this.element(resource[a.key], pattern, here) : undefined;
			case 'condition': {
				if (!present) return { kind: 'condition', path: here, reason: `conditional anchor key ${a.key} does not exist` };
				const f = this.element(resource[a.key], pattern, here);
				return f ? { ...f, kind: 'condition' } : undefined;
			}
			case 'global': {
				if (!present) return undefined;
				const f = this.element(resource[a.key], pattern, here);
				return f ? { ...f, kind: 'global' } : undefined;
			}
			case 'existence': {
				if (!present) return undefined;
				const list = resource[a.key];
				if (!Array.isArray(list)) return { kind: 'plain', path: here, reason: `the existence anchor <(${a.key}) needs a list` };
				if (!Array.isArray(pattern)) return { kind: 'plain', path: here, reason: 'an existence anchor pattern must be a list' };
				for (const p of pattern) {
					if (!isPlainObject(p)) return { kind: 'plain', path: here, reason: 'an existence anchor pattern must list objects' };
					if (!list.some((item, i) => this.element(item, p, [...here, i]) === undefined)) return { kind: 'plain', path: here, reason: `no element of ${show(here)} matches the existence anchor` };
				}
				return undefined;
			}
			default:
				return undefined;
		}
	}

	private array(resource: unknown[], pattern: unknown[], path: Path): Failure | undefined {
		if (pattern.length === 0) return { kind: 'plain', path, reason: 'the pattern list is empty' };
		const first = pattern[0];
		if (isPlainObject(first)) return this.arrayOfMaps(resource, first, path);
		if (!Array.isArray(first)) return this.element(resource, first, path);
		if (resource.length < pattern.length) return { kind: 'plain', path, reason: `${show(path)} has fewer elements than the pattern` };
		return this.elements(resource, pattern, path, (i) => pattern[i], pattern.length);
	}

	private arrayOfMaps(resource: unknown[], pattern: Record<string, unknown>, path: Path): Failure | undefined {
		return this.elements(resource, [], path, () => pattern, resource.length);
	}

	private elements(resource: unknown[], _pattern: unknown[], path: Path, patternOf: (i: number) => unknown, n: number): Failure | undefined {
		let applied = 0;
		let skipped: Failure | undefined;
		for (let i = 0; i < n; i++) {
			const f = this.element(resource[i], patternOf(i), [...path, i]);
			if (f && (f.kind === 'condition' || f.kind === 'global' || f.skip)) {
				skipped ??= f;
				continue;
			}
			if (f) return f;
			applied++;
		}
		if (applied === 0 && skipped) return { ...skipped, skip: true, path };
		return undefined;
	}
}

function show(path: Path): string {
	return `/${path.join('/')}${path.length > 0 ? '/' : ''}`;
}

/** Validates a resource (or a foreach element) against a pattern (MatchPattern). */
export function matchPattern(resource: unknown, pattern: unknown): PatternOutcome {
	const m = new Matcher();
	const f = m.element(resource, pattern, []);
	if (!f) return { status: 'pass' };
	if (f.kind === 'condition' || f.kind === 'global' || f.skip) return { status: 'skip', reason: f.reason };
	if (f.kind === 'negation') return { status: 'fail', path: f.path, reason: f.reason };
	if (m.anchors.anyMissing()) return { status: 'error', reason: f.reason };
	return { status: 'fail', path: f.path, reason: f.reason };
}
