/**
 * The schemas a cluster publishes for APIs that neither Kubernetes' own types nor CRDs describe:
 * aggregated API servers (OpenShift's `route.openshift.io`, `apps.openshift.io`, a custom
 * apiserver). They exist nowhere but in the cluster's `/openapi/v3` documents, one per group and
 * version. The host fetches those documents; this module reads, from one of them, the schema of each
 * kind it serves, made self-contained (every `$ref` it reaches copied under `definitions`), so that
 * the state stays plain JSON and the engine compiles it like a CRD's schema.
 *
 * A cluster is not trusted to send reasonable documents: a kind whose schema would expand (every
 * reference inlined) beyond a budget of nodes is left out, references that lead nowhere or back to
 * themselves accept anything, and nothing outside `components.schemas` is read.
 */

type Json = Record<string, unknown>;

/** One kind's schema as the cluster publishes it. */
export interface ApiSchemaState {
	/** `route.openshift.io/v1`. */
	apiVersion: string;
	kind: string;
	/** The kind's schema, its references rewritten to `#/definitions/…`, the definitions it reaches beside them. */
	schema: Json;
}

/** What one document gave: the kinds' schemas, and the kinds left out with the reason. */
export interface ExtractedSchemas {
	schemas: ApiSchemaState[];
	skipped: { kind: string; reason: string }[];
}

/** Nodes a kind's schema may expand to, every reference inlined (OpenShift's DeploymentConfig: about 9,000). */
export const MAX_EXPANDED_NODES = 200_000;
/** Kinds read from one document. */
export const MAX_KINDS_PER_DOCUMENT = 64;

const REF_PREFIX = '#/components/schemas/';

/** Types the API server reads from a number or a string, whatever their published schema says. */
const INT_OR_STRING_TYPES = new Set(['io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'io.k8s.apimachinery.pkg.api.resource.Quantity']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The schemas of the kinds of `groupVersion` that one `/openapi/v3/apis/<group>/<version>` document
 * describes (`x-kubernetes-group-version-kind`), those `wanted` accepts.
 */
export function extractApiSchemas(doc: unknown, groupVersion: string, wanted: (kind: string) => boolean): ExtractedSchemas {
	const out: ExtractedSchemas = { schemas: [], skipped: [] };
	const components = isObject(doc) && isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : undefined;
	if (!components) return out;
	const { group, version } = splitGroupVersion(groupVersion);
	const size = expandedSize(components);
	for (const [name, schema] of Object.entries(components)) {
		if (out.schemas.length + out.skipped.length >= MAX_KINDS_PER_DOCUMENT) break;
		const kind = kindOf(schema, group, version);
		if (kind === undefined || !wanted(kind) || out.schemas.some((s) => s.kind === kind)) continue;
		const nodes = size(name);
		if (nodes > MAX_EXPANDED_NODES) {
			out.skipped.push({ kind, reason: `its schema expands to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes` });
			continue;
		}
		out.schemas.push({ apiVersion: groupVersion, kind, schema: selfContained(name, components) });
	}
	return out;
}

function splitGroupVersion(gv: string): { group: string; version: string } {
	const slash = gv.lastIndexOf('/');
	return slash === -1 ? { group: '', version: gv } : { group: gv.slice(0, slash), version: gv.slice(slash + 1) };
}

/** The kind a component schema is the top-level schema of, in this group and version. */
function kindOf(schema: unknown, group: string, version: string): string | undefined {
	if (!isObject(schema)) return undefined;
	const gvks = schema['x-kubernetes-group-version-kind'];
	if (!Array.isArray(gvks)) return undefined;
	for (const g of gvks) {
		if (isObject(g) && (g.group ?? '') === group && g.version === version && typeof g.kind === 'string' && g.kind !== '') return g.kind;
	}
	return undefined;
}

function refName(ref: unknown): string | undefined {
	return typeof ref === 'string' && ref.startsWith(REF_PREFIX) ? decodeURIComponent(ref.slice(REF_PREFIX.length)).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/**
 * The number of nodes each component expands to with every reference inlined (memoised; a reference
 * back into its own expansion counts as one node, as the engine inlines it as "anything").
 */
function expandedSize(components: Json): (name: string) => number {
	const memo = new Map<string, number>();
	const visiting = new Set<string>();
	const ofNode = (node: unknown): number => {
		if (Array.isArray(node)) {
			let n = 1;
			for (const item of node) n += ofNode(item);
			return Math.min(n, MAX_EXPANDED_NODES + 1);
		}
		if (!isObject(node)) return 1;
		const ref = refName(node.$ref);
		if (ref !== undefined) return 1 + ofName(ref);
		let n = 1;
		for (const [k, v] of Object.entries(node)) {
			// Data, not schema: counted once.
			n += k === 'enum' || k === 'default' || k === 'example' || k === 'required' ? 1 : ofNode(v);
			if (n > MAX_EXPANDED_NODES) return n;
		}
		return n;
	};
	const ofName = (name: string): number => {
		const known = memo.get(name);
		if (known !== undefined) return known;
		if (visiting.has(name) || !isObject(components[name])) return 1;
		visiting.add(name);
		const n = ofNode(components[name]);
		visiting.delete(name);
		memo.set(name, n);
		return n;
	};
	return ofName;
}

/**
 * The component `name` with every component it reaches under `definitions`, references rewritten to
 * them. A reference alone in an `allOf` (how the API server writes a field of a named type with a
 * default or a description) becomes the reference itself.
 */
function selfContained(name: string, components: Json): Json {
	const reached = new Map<string, string>();
	const key = (n: string) => {
		let k = reached.get(n);
		if (k === undefined) reached.set(n, (k = n.replace(/[^A-Za-z0-9._-]/g, '_')));
		return k;
	};
	const queue: string[] = [];
	const rewrite = (node: unknown): unknown => {
		if (Array.isArray(node)) return node.map(rewrite);
		if (!isObject(node)) return node;
		const ref = refName(node.$ref);
		if (node.$ref !== undefined) {
			// A reference outside components.schemas (or not a string) is not followed: anything is accepted there.
			if (ref === undefined || !isObject(components[ref])) return withNotes({}, node);
		if (INT_OR_STRING_TYPES.has(ref)) return withNotes({ 'x-kubernetes-int-or-string': true }, node);
			if (!reached.has(ref)) queue.push(ref);
			return withNotes({ $ref: `#/definitions/${key(ref)}` }, node);
		}
		// An int-or-string (IntOrString, Quantity) is published as `type: string` with a format the API
		// server reads as "an integer or a string": `targetPort: 8080` is valid.
		if (node.format === 'int-or-string') return withNotes({ 'x-kubernetes-int-or-string': true }, node);
		const all = node.allOf;
		if (Array.isArray(all) && all.length === 1 && isObject(all[0]) && all[0].$ref !== undefined && Object.keys(node).every((k) => k === 'allOf' || k === 'description' || k === 'default')) {
			return rewrite({ ...(all[0] as Json), ...(typeof node.description === 'string' ? { description: node.description } : {}) });
		}
		const out: Json = {};
		for (const [k, v] of Object.entries(node)) out[k] = k === 'enum' || k === 'default' || k === 'example' || k === 'required' ? v : rewrite(v);
		return out;
	};
	const root = rewrite(components[name]) as Json;
	const definitions: Json = {};
	for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
		const k = key(next);
		if (k in definitions) continue;
		definitions[k] = rewrite(components[next]);
	}
	return Object.keys(definitions).length > 0 ? { ...root, definitions } : root;
}

/** A reference's own description kept beside what replaces it. */
function withNotes(replacement: Json, node: Json): Json {
	return typeof node.description === 'string' ? { ...replacement, description: node.description } : replacement;
}
