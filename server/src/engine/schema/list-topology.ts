import type { NodePath } from '../core/parse';
import { isTemplated } from './metadata';
import { formatPath, isObject } from './paths';
import type { SchemaProblem } from './types';

/**
 * List topology: lists whose items are keyed (`x-kubernetes-list-type: map` with its
 * `x-kubernetes-list-map-keys`) or unique (`set`). Two items with the same key are rejected: by
 * the API server's validation (custom resources; containers, volumes, volume mounts and Service
 * ports of the built-in kinds), or by server-side apply, which cannot build the object's field set
 * (Flux applies server-side, so do Argo CD with `ServerSideApply=true` and `kubectl apply --server-side`).
 *
 * Custom resources take their topology from their schema; built-in kinds from BUILTIN_LISTS below.
 */

export const RULE_ID = 'schema-duplicate';

/** Who rejects a duplicate: the API server's validation, or server-side apply only. */
export type RejectedBy = 'validation' | 'apply';

/** One keyed or unique list of a kind, found at `path` (`*` = every item of a list or value of a map). */
export interface ListRule {
	path: readonly (string | '*')[];
	type: 'map' | 'set';
	/** The list-map keys (empty for a set). */
	keys: readonly string[];
	/** Defaults the API server fills in before comparing keys (`protocol: TCP`). */
	defaults?: Readonly<Record<string, unknown>>;
	rejectedBy: RejectedBy;
}

interface BuiltinList {
	keys: string[];
	defaults?: Record<string, unknown>;
	rejectedBy: RejectedBy;
}

const TCP = { protocol: 'TCP' };
const byName = (rejectedBy: RejectedBy): BuiltinList => ({ keys: ['name'], rejectedBy });

/**
 * The keyed lists of the built-in types, by type and field, as k8s.io/api declares them
 * (`+listType=map`/`+listMapKey`, else `+patchMergeKey` with `+patchStrategy=merge`, which the
 * API server publishes as `x-kubernetes-list-type`/`x-kubernetes-list-map-keys`/
 * `x-kubernetes-patch-merge-key` and server-side apply reads), Kubernetes 1.33. `validation`
 * where the API server's own validation also rejects a duplicate (pkg/apis/core/validation:
 * `field.Duplicate` or "must be unique"). No installed package carries these extensions
 * (kubernetes-models and @kubernetes/client-node drop them), hence the table; see docs/schemas.md.
 */
const CONTAINER: Record<string, BuiltinList> = {
	ports: { keys: ['containerPort', 'protocol'], defaults: TCP, rejectedBy: 'apply' },
	env: byName('apply'),
	volumeMounts: { keys: ['mountPath'], rejectedBy: 'validation' },
	volumeDevices: { keys: ['devicePath'], rejectedBy: 'validation' },
};

export const BUILTIN_LISTS: Readonly<Record<string, Readonly<Record<string, BuiltinList>>>> = {
	IoK8sApiCoreV1PodSpec: {
		containers: byName('validation'),
		initContainers: byName('validation'),
		ephemeralContainers: byName('validation'),
		volumes: byName('validation'),
		imagePullSecrets: byName('apply'),
		hostAliases: { keys: ['ip'], rejectedBy: 'apply' },
		topologySpreadConstraints: { keys: ['topologyKey', 'whenUnsatisfiable'], rejectedBy: 'validation' },
		resourceClaims: byName('validation'),
		schedulingGates: byName('validation'),
	},
	IoK8sApiCoreV1Container: CONTAINER,
	IoK8sApiCoreV1EphemeralContainer: CONTAINER,
	IoK8sApiCoreV1ServiceSpec: {
		ports: { keys: ['port', 'protocol'], defaults: TCP, rejectedBy: 'validation' },
	},
	IoK8sApimachineryPkgApisMetaV1ObjectMeta: {
		ownerReferences: { keys: ['uid'], rejectedBy: 'apply' },
	},
};

/** A type of the generated field tree, as far as this walk needs it. */
export interface TreeType {
	p: Record<string, { t: string }>;
}

/** Where a built-in kind keeps what the API server validates beyond its types: keyed lists, pod specs, nested metadata, label maps. */
export interface BuiltinLayout {
	lists: ListRule[];
	/** Pod specs (container names are unique across their three lists). */
	podSpecs: (string | '*')[][];
	/** Nested ObjectMeta (pod templates, job templates, claim templates): their labels and annotations are validated too. */
	metas: (string | '*')[][];
	/** Label maps: selectors' `matchLabels`, a Service's or ReplicationController's `selector`. */
	labelMaps: (string | '*')[][];
}

const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';
const LABEL_SELECTOR = 'IoK8sApimachineryPkgApisMetaV1LabelSelector';
const SELECTOR_MAPS: Record<string, string> = { IoK8sApiCoreV1ServiceSpec: 'selector', IoK8sApiCoreV1ReplicationControllerSpec: 'selector' };

/** The layout of a built-in root type, found once per kind by walking the field tree. */
export function builtinLayout(types: Readonly<Record<string, TreeType>>, root: string): BuiltinLayout {
	const layout: BuiltinLayout = { lists: [], podSpecs: [], metas: [], labelMaps: [] };
	const stack = new Set<string>();
	const walk = (ref: string, path: (string | '*')[]): void => {
		if (ref.startsWith('[]') || ref.startsWith('{}')) return walk(ref.slice(2), [...path, '*']);
		const type = types[ref];
		if (!type || stack.has(ref)) return;
		if (ref === OBJECT_META && path.length > 1) layout.metas.push(path);
		if (ref === LABEL_SELECTOR) layout.labelMaps.push([...path, 'matchLabels']);
		if (ref === 'IoK8sApiCoreV1PodSpec') layout.podSpecs.push(path);
		if (SELECTOR_MAPS[ref]) layout.labelMaps.push([...path, SELECTOR_MAPS[ref]]);
		stack.add(ref);
		const lists = BUILTIN_LISTS[ref];
		for (const [field, prop] of Object.entries(type.p)) {
			const list = lists?.[field];
			if (list) layout.lists.push({ path: [...path, field], type: 'map', keys: list.keys, defaults: list.defaults, rejectedBy: list.rejectedBy });
			if (field === 'status' && path.length === 0) continue; // written by controllers
			if (prop.t.startsWith('Io') || prop.t.startsWith('[]Io') || prop.t.startsWith('{}Io')) walk(prop.t, [...path, field]);
		}
		stack.delete(ref);
	};
	walk(root, []);
	return layout;
}

/** Every value at a path pattern (`*` = every item of a list or value of a map), with its concrete path. */
export function valuesAt(value: unknown, path: readonly (string | '*')[]): { value: unknown; path: NodePath }[] {
	// Most paths of a kind's layout lead nowhere in a given object (no ephemeralContainers, no
	// volumes): follow the fixed start first, allocating nothing.
	let start = value;
	let fixed = 0;
	while (fixed < path.length && path[fixed] !== '*') {
		if (!isObject(start)) return [];
		start = start[path[fixed]];
		if (start === undefined) return [];
		fixed++;
	}
	const out: { value: unknown; path: NodePath }[] = [];
	// Called for every list rule of every object: one path array, copied only where a value is found.
	const at: NodePath = [];
	const go = (v: unknown, depth: number): void => {
		if (depth === path.length) {
			out.push({ value: v, path: at.slice() });
			return;
		}
		const seg = path[depth];
		if (seg === '*') {
			if (Array.isArray(v)) {
				for (let i = 0; i < v.length; i++) {
					at.push(i);
					go(v[i], depth + 1);
					at.pop();
				}
			} else if (isObject(v)) {
				for (const k in v) {
					at.push(k);
					go(v[k], depth + 1);
					at.pop();
				}
			}
		} else if (isObject(v) && seg in v) {
			at.push(seg);
			go(v[seg], depth + 1);
			at.pop();
		}
	};
	for (let i = 0; i < fixed; i++) at.push(path[i] as string);
	go(start, fixed);
	return out;
}

type Json = Record<string, unknown>;

/** What a CRD schema declares beyond types: keyed and unique lists, embedded objects. */
export interface SchemaLayout {
	lists: ListRule[];
	/** `x-kubernetes-embedded-resource`: objects validated as objects (apiVersion, kind, metadata). */
	embedded: (string | '*')[][];
}

/** The layout of a (prepared, `$ref`-free) CRD schema: every list-type map or set, every embedded resource. */
export function schemaLayout(schema: Json): SchemaLayout {
	const out: ListRule[] = [];
	const embedded: (string | '*')[][] = [];
	const walk = (node: unknown, path: (string | '*')[], depth: number): void => {
		if (!isObject(node) || depth > 64) return;
		if (node['x-kubernetes-embedded-resource'] === true && path.length > 0) embedded.push(path);
		const listType = node['x-kubernetes-list-type'];
		if ((listType === 'map' || listType === 'set') && isObject(node.items)) {
			const keys = listType === 'map' && Array.isArray(node['x-kubernetes-list-map-keys']) ? (node['x-kubernetes-list-map-keys'] as unknown[]).filter((k): k is string => typeof k === 'string') : [];
			if (listType === 'set' || keys.length > 0) out.push({ path, type: listType, keys, defaults: keyDefaults(node.items, keys), rejectedBy: 'validation' });
		}
		if (isObject(node.properties)) for (const [k, v] of Object.entries(node.properties)) walk(v, [...path, k], depth + 1);
		if (isObject(node.items)) walk(node.items, [...path, '*'], depth + 1);
		if (isObject(node.additionalProperties)) walk(node.additionalProperties, [...path, '*'], depth + 1);
		for (const c of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(node[c])) for (const b of node[c] as unknown[]) walk(b, path, depth + 1);
	};
	walk(schema, [], 0);
	const seen = new Set<string>();
	return { lists: dedupe(out), embedded: embedded.filter((p) => !seen.has(JSON.stringify(p)) && !!seen.add(JSON.stringify(p))) };
}

function keyDefaults(items: Json, keys: readonly string[]): Record<string, unknown> | undefined {
	if (!isObject(items.properties)) return undefined;
	const out: Record<string, unknown> = {};
	for (const k of keys) {
		const p = items.properties[k];
		if (isObject(p) && p.default !== undefined) out[k] = p.default;
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

function dedupe(rules: ListRule[]): ListRule[] {
	const seen = new Set<string>();
	return rules.filter((r) => {
		const k = JSON.stringify([r.path, r.type, r.keys]);
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
}

/** The duplicate items of the lists the rules describe, as problems on the second occurrence. */
export function duplicateProblems(value: unknown, rules: readonly ListRule[]): SchemaProblem[] {
	const out: SchemaProblem[] = [];
	for (const rule of rules) {
		const found = valuesAt(value, rule.path);
		for (let i = 0; i < found.length; i++) {
			const list = found[i].value;
			// A list of one item has no duplicate: most lists of most objects.
			if (Array.isArray(list) && list.length > 1) for (const p of duplicatesIn(list, found[i].path, rule)) out.push(p);
		}
	}
	return out;
}

function duplicatesIn(list: unknown[], path: NodePath, rule: ListRule): SchemaProblem[] {
	const out: SchemaProblem[] = [];
	const first = new Map<string, number>();
	for (let i = 0; i < list.length; i++) {
		const item = list[i];
		const id = itemId(item, rule);
		if (id === undefined) continue;
		const seen = first.get(id);
		if (seen === undefined) {
			first.set(id, i);
			continue;
		}
		out.push(duplicateProblem(path, i, seen, itemText(item, rule), rule, isObject(item) && rule.keys[0] in item ? rule.keys[0] : undefined));
	}
	return out;
}

/**
 * The identity of an item (`s:app` for a map keyed by one string, `["app",80]` for several keys), or
 * undefined when it has no complete key. Built for every item of every keyed list, so kept cheap: a
 * single key is its type's letter and its value.
 */
function itemId(item: unknown, rule: ListRule): string | undefined {
	if (rule.type === 'set') {
		if (typeof item === 'string' && isTemplated(item)) return undefined;
		return item === undefined ? undefined : JSON.stringify(item);
	}
	if (!isObject(item)) return undefined;
	const keys = rule.keys;
	if (keys.length === 1) {
		const v = keyValue(item, keys[0], rule);
		return v === undefined ? undefined : typeof v === 'string' ? `s:${v}` : `${typeof v}:${String(v)}`;
	}
	const values: unknown[] = [];
	for (const k of keys) {
		const v = keyValue(item, k, rule);
		if (v === undefined) return undefined;
		values.push(v);
	}
	return JSON.stringify(values);
}

/** A key field's value (or the schema's default), undefined when it is missing, not a scalar, or templated. */
function keyValue(item: Record<string, unknown>, k: string, rule: ListRule): unknown {
	const v = item[k] ?? rule.defaults?.[k];
	if (v === undefined || v === null || typeof v === 'object' || (typeof v === 'string' && isTemplated(v))) return undefined;
	return v;
}

/** How a person reads an item's key (`name "app"`, `containerPort 80 and protocol "TCP"`): only for a duplicate. */
function itemText(item: unknown, rule: ListRule): string {
	if (rule.type === 'set') return JSON.stringify(item);
	const obj = item as Record<string, unknown>;
	return rule.keys.map((k) => `${k} ${JSON.stringify(keyValue(obj, k, rule))}`).join(' and ');
}

function duplicateProblem(listPath: NodePath, i: number, first: number, keyText: string, rule: ListRule, keyField: string | undefined): SchemaProblem {
	const listName = formatPath(listPath);
	const field = String(listPath[listPath.length - 1]);
	const what = rule.type === 'set' ? `${keyText} is listed twice in ${listName}` : `${listName}[${i}] has the same ${keyText} as ${listName}[${first}]`;
	const topology = rule.type === 'set' ? `${field} is a set` : `${field} is a list keyed by ${rule.keys.join(' and ')}`;
	const why =
		rule.rejectedBy === 'validation'
			? 'so the API server rejects the duplicate'
			: 'so server-side apply (Flux, Argo CD with ServerSideApply, kubectl apply --server-side) rejects the object, and client-side apply keeps only one of them';
	const path = keyField !== undefined ? [...listPath, i, keyField] : [...listPath, i];
	return { ruleId: RULE_ID, path, target: keyField !== undefined ? 'value' : 'key', message: `${what}: ${topology}, ${why}. Remove or rename one of them.` };
}

/**
 * Container names are unique across a pod's containers, init containers and ephemeral containers
 * (pkg/apis/core/validation: one set of names for all three), checked at each pod spec of a kind.
 */
export function containerNameClashes(value: unknown, podSpecPaths: readonly (readonly (string | '*')[])[]): SchemaProblem[] {
	const out: SchemaProblem[] = [];
	for (const specPath of podSpecPaths) {
		for (const { value: podSpec, path: spec } of valuesAt(value, specPath)) {
			if (!isObject(podSpec)) continue;
			const names = new Map<string, string>();
			for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
				const list = podSpec[field];
				if (!Array.isArray(list)) continue;
				const listName = formatPath([...spec, field]);
				const own = new Set<string>();
				list.forEach((c, i) => {
					const name = isObject(c) && typeof c.name === 'string' ? c.name : undefined;
					if (name === undefined || isTemplated(name) || own.has(name)) return; // a duplicate within one list is reported as such
					own.add(name);
					const other = names.get(name);
					if (other === undefined) {
						names.set(name, `${listName}[${i}]`);
						return;
					}
					out.push({
						ruleId: RULE_ID,
						path: [...spec, field, i, 'name'],
						target: 'value',
						message: `${listName}[${i}].name ${JSON.stringify(name)} is also the name of ${other}: container names must be unique across containers, initContainers and ephemeralContainers, so the API server rejects the pod. Rename one of them.`,
					});
				});
			}
		}
	}
	return out;
}
