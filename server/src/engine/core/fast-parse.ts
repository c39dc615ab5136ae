import * as jsyaml from 'js-yaml';
import { isScalar, Schema } from 'yaml';

/**
 * The fast path of parsing. js-yaml reads a document about seven times faster than the `yaml`
 * package, but keeps no source ranges. Most documents of a repository have no finding, so they
 * are read with js-yaml only; the `yaml` package parses a document (with exact ranges) only when
 * a finding must be placed in it, when a service needs its syntax tree, or when js-yaml cannot
 * read it (syntax errors, duplicate keys, custom tags, aliases): then it also reports the errors.
 *
 * Plain scalars are resolved by the `yaml` package's own YAML 1.1 tags, so both paths give the
 * same values (`on` is true, `1.30` is 1.3, `0777` is 511), as Kubernetes reads them.
 */

const YAML11 = new Schema({ schema: 'yaml-1.1' } as ConstructorParameters<typeof Schema>[0]);

interface ScalarTag {
	default?: boolean | 'key';
	test?: RegExp;
	resolve(value: string, onError: (message: string) => void, options: object): unknown;
}

const PLAIN_TAGS = (YAML11.tags as unknown as ScalarTag[]).filter((t) => t.default === true && t.test instanceof RegExp);
const RESOLVE_OPTIONS = { intAsBigInt: false };

function tagOf(value: string): ScalarTag | undefined {
	for (const t of PLAIN_TAGS) if (t.test!.test(value)) return t;
	return undefined;
}

const plainScalar = new jsyaml.Type('tag:fleetscope.dev,2026:plain', {
	kind: 'scalar',
	resolve: (data: string | null) => data !== null && tagOf(data) !== undefined,
	construct: (data: string) => {
		const v = tagOf(data)!.resolve(data, () => undefined, RESOLVE_OPTIONS);
		return isScalar(v) ? v.value : v; // booleans come wrapped in a Scalar node
	},
});

/** Strings, maps, sequences and merge keys from js-yaml; every plain scalar through the YAML 1.1 tags above. */
const merge = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge;
const SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [plainScalar, merge] });

/**
 * What might be an alias. Many documents match without holding one (a cron schedule `"* * * * *"`,
 * a Kyverno pattern `"*:*"`, Markdown in a description): a match only means the value is checked
 * for shared collections below.
 */
const MAYBE_ALIAS = /(^|[\s[{,:-])\*[^\s,\]}]/;

/**
 * The value of a segment holding at most one document, or undefined where the slow path must
 * read it (more than one document, an alias of a map or a list, anything js-yaml rejects).
 */
export function fastValue(text: string): { value: unknown } | undefined {
	try {
		const docs: unknown[] = [];
		jsyaml.loadAll(text, (d) => docs.push(d), { schema: SCHEMA, json: false });
		if (docs.length > 1) return undefined;
		const value = docs.length === 0 ? null : docs[0];
		// js-yaml shares an aliased map or list by reference, which every later walk would expand
		// (billion laughs): such documents take the slow path, whose alias limits apply. An alias of
		// a scalar is a copy of a string or number, the same value as the slow path gives.
		if (MAYBE_ALIAS.test(text) && sharesCollections(value)) return undefined;
		return { value };
	} catch {
		return undefined;
	}
}

/** Whether a map or list is reachable twice in the value (js-yaml's result of an alias or a merge of one). */
function sharesCollections(value: unknown): boolean {
	const seen = new Set<object>();
	const stack: unknown[] = [value];
	while (stack.length > 0) {
		const v = stack.pop();
		if (v === null || typeof v !== 'object') continue;
		if (seen.has(v)) return true;
		seen.add(v);
		if (Array.isArray(v)) for (const x of v) stack.push(x);
		else for (const k in v) stack.push((v as Record<string, unknown>)[k]);
	}
	return false;
}
