import { childSrc, srcAt, type Src } from './node';
import type { Selector } from './selector';
import type { ImageSpec, ReplicaSpec } from './transformers';
import type { NoteSeverity, PathKey } from './types';

/**
 * Reading a kustomization file into typed settings. Every value keeps its place (for origins and
 * notes); a field of the wrong type is a note and is left out, never an exception.
 */

export interface Field<T> {
	value: T;
	src: Src;
}

export type Pair = [key: string, value: string, src: Src];

export interface PatchEntry {
	path?: Field<string>;
	patch?: Field<string>;
	target?: Selector;
	allowNameChange: boolean;
	allowKindChange: boolean;
	src: Src;
}

export interface GeneratorOptions {
	labels: Pair[];
	annotations: Pair[];
	disableNameSuffixHash?: boolean;
	immutable?: boolean;
}

export interface GeneratorArgs {
	kind: 'ConfigMap' | 'Secret';
	name?: Field<string>;
	namespace?: string;
	behavior: 'create' | 'merge' | 'replace';
	literals: Field<string>[];
	files: Field<string>[];
	envs: Field<string>[];
	type?: string;
	options?: GeneratorOptions;
	src: Src;
}

export interface LabelEntry {
	pairs: Pair[];
	includeSelectors: boolean;
	includeTemplates: boolean;
	src: Src;
}

export interface Kustomization {
	file: string;
	dir: string;
	doc: Src;
	isComponent: boolean;
	resources: Field<string>[];
	components: Field<string>[];
	namespace?: Field<string>;
	namePrefix?: Field<string>;
	nameSuffix?: Field<string>;
	commonLabels: Pair[];
	commonLabelsSrc?: Src;
	labels: LabelEntry[];
	commonAnnotations: Pair[];
	commonAnnotationsSrc?: Src;
	images: ImageSpec[];
	replicas: ReplicaSpec[];
	patches: PatchEntry[];
	patchesStrategicMerge: Field<string>[];
	patchesJson6902: PatchEntry[];
	configMapGenerator: GeneratorArgs[];
	secretGenerator: GeneratorArgs[];
	generatorOptions?: GeneratorOptions;
	sortOrder: 'legacy' | 'fifo';
	orderFirst?: string[];
	orderLast?: string[];
}

export type Report = (severity: NoteSeverity, code: string, message: string, path: PathKey[]) => void;

/** Fields kustomize has that this renderer does not apply; the render falls back to the resources without them. */
export const UNSUPPORTED: Record<string, string> = {
	helmCharts: 'Helm chart inflation',
	helmGlobals: 'Helm chart inflation',
	helmChartInflationGenerator: 'Helm chart inflation',
	replacements: 'replacements',
	vars: 'vars',
	openapi: 'a custom OpenAPI schema',
	crds: 'CRD field specs',
	configurations: 'custom transformer configurations',
	transformers: 'transformer plugins',
	generators: 'generator plugins',
	validators: 'validator plugins',
	buildMetadata: 'build metadata annotations',
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `prefix`: where the fields sit in the document (Flux's `spec` of a Flux Kustomization). */
export function readKustomization(file: string, dir: string, value: unknown, documentIndex: number, report: Report, prefix: PathKey[] = []): Kustomization {
	const doc: Src = srcAt({ doc: { file, documentIndex }, parent: undefined, key: undefined }, prefix);
	const k: Kustomization = {
		file,
		dir,
		doc,
		isComponent: false,
		resources: [],
		components: [],
		commonLabels: [],
		labels: [],
		commonAnnotations: [],
		images: [],
		replicas: [],
		patches: [],
		patchesStrategicMerge: [],
		patchesJson6902: [],
		configMapGenerator: [],
		secretGenerator: [],
		sortOrder: 'legacy',
	};
	if (value === null || value === undefined) return k;
	if (!isObj(value)) {
		report('error', 'kustomize-invalid-kustomization', `A kustomization must be a map of fields; this one is ${Array.isArray(value) ? 'a list' : 'a single value'}, so nothing in it is applied.`, []);
		return k;
	}
	const v = value;
	const at = (...path: PathKey[]) => srcAt(doc, path);
	const wrongType = (path: PathKey[], expected: string) =>
		report('error', 'kustomize-invalid-field', `'${path.join('.')}' must be ${expected}; kustomize rejects this kustomization, so the field is ignored here.`, path);
	const string = (path: PathKey[], x: unknown): string | undefined => {
		if (x === undefined || x === null) return undefined;
		if (typeof x === 'string') return x;
		wrongType(path, typeof x === 'number' || typeof x === 'boolean' ? `a string (quote it: "${String(x)}")` : 'a string');
		return undefined;
	};
	const field = (name: string): Field<string> | undefined => {
		const s = string([name], v[name]);
		return s === undefined ? undefined : { value: s, src: at(name) };
	};
	const stringList = (path: PathKey[], x: unknown): Field<string>[] => {
		if (x === undefined || x === null) return [];
		if (!Array.isArray(x)) {
			if (typeof x === 'string') return [{ value: x, src: srcAt(doc, path) }];
			wrongType(path, 'a list of strings');
			return [];
		}
		const out: Field<string>[] = [];
		x.forEach((e, i) => {
			if (typeof e === 'string') out.push({ value: e, src: srcAt(doc, [...path, i]) });
			else wrongType([...path, i], 'a string');
		});
		return out;
	};
	const pairs = (path: PathKey[], x: unknown): Pair[] => {
		if (x === undefined || x === null) return [];
		if (!isObj(x)) {
			wrongType(path, 'a map of strings');
			return [];
		}
		const out: Pair[] = [];
		for (const [key, val] of Object.entries(x)) {
			if (typeof val === 'string') out.push([key, val, srcAt(doc, [...path, key])]);
			else if (val === null) out.push([key, '', srcAt(doc, [...path, key])]);
			else wrongType([...path, key], `a string (quote it: "${String(val)}")`);
		}
		return out;
	};
	const bool = (path: PathKey[], x: unknown): boolean | undefined => {
		if (x === undefined || x === null) return undefined;
		if (typeof x === 'boolean') return x;
		wrongType(path, 'true or false');
		return undefined;
	};

	const kind = v.kind;
	if (kind === 'Component') k.isComponent = true;
	else if (kind !== undefined && kind !== 'Kustomization') {
		report('error', 'kustomize-invalid-kind', `A kustomization's kind must be Kustomization or Component, not '${String(kind)}'.`, ['kind']);
	}

	for (const [name, what] of Object.entries(UNSUPPORTED)) {
		const x = v[name];
		if (x === undefined || x === null || (Array.isArray(x) && x.length === 0) || (isObj(x) && Object.keys(x).length === 0)) continue;
		report(
			name === 'buildMetadata' ? 'info' : 'warning',
			'kustomize-unsupported',
			`Fleetscope does not apply ${what} ('${name}'), so the rendered objects of this kustomization may differ from what the cluster receives; checks run on the objects without it.`,
			[name],
		);
	}

	k.resources = stringList(['resources'], v.resources);
	k.resources.push(...stringList(['bases'], v.bases));
	k.components = stringList(['components'], v.components);
	k.namespace = field('namespace');
	k.namePrefix = field('namePrefix');
	k.nameSuffix = field('nameSuffix');
	k.commonLabels = pairs(['commonLabels'], v.commonLabels);
	if (v.commonLabels !== undefined) k.commonLabelsSrc = at('commonLabels');
	k.commonAnnotations = pairs(['commonAnnotations'], v.commonAnnotations);
	if (v.commonAnnotations !== undefined) k.commonAnnotationsSrc = at('commonAnnotations');

	const list = (name: string): { item: unknown; path: PathKey[] }[] => {
		const x = v[name];
		if (x === undefined || x === null) return [];
		if (!Array.isArray(x)) {
			wrongType([name], 'a list');
			return [];
		}
		return x.map((item, i) => ({ item, path: [name, i] }));
	};
	const objects = (name: string) =>
		list(name).filter(({ item, path }) => {
			if (isObj(item)) return true;
			wrongType(path, 'a map');
			return false;
		}) as { item: Record<string, unknown>; path: PathKey[] }[];

	for (const { item, path } of objects('labels')) {
		k.labels.push({
			pairs: pairs([...path, 'pairs'], item.pairs),
			includeSelectors: bool([...path, 'includeSelectors'], item.includeSelectors) ?? false,
			includeTemplates: bool([...path, 'includeTemplates'], item.includeTemplates) ?? false,
			src: srcAt(doc, path),
		});
		if (item.fields !== undefined) report('warning', 'kustomize-unsupported', `Custom label field specs ('fields') are not applied by Fleetscope; the labels go to the default fields only.`, [...path, 'fields']);
	}

	for (const name of ['images', 'imageTags']) {
		for (const { item, path } of objects(name)) {
			const n = string([...path, 'name'], item.name);
			if (n === undefined) {
				report('error', 'kustomize-invalid-field', `An images entry needs a 'name': the image it changes.`, path);
				continue;
			}
			if (typeof item.newTag === 'number') {
				report('error', 'kustomize-invalid-field', `newTag ${String(item.newTag)} is read as a number, which kustomize rejects (and 1.20 would become 1.2): quote it.`, [...path, 'newTag']);
				continue;
			}
			const newTag = string([...path, 'newTag'], item.newTag);
			k.images.push({ name: n, newName: string([...path, 'newName'], item.newName), newTag, digest: string([...path, 'digest'], item.digest), at: srcAt(doc, path) });
		}
	}

	for (const { item, path } of objects('replicas')) {
		const n = string([...path, 'name'], item.name);
		const count = item.count;
		if (n === undefined || typeof count !== 'number' || !Number.isInteger(count)) {
			report('error', 'kustomize-invalid-field', `A replicas entry needs a 'name' and an integer 'count'.`, path);
			continue;
		}
		k.replicas.push({ name: n, count, at: srcAt(doc, path) });
	}

	const selector = (path: PathKey[], x: unknown): Selector | undefined => {
		if (x === undefined || x === null) return undefined;
		if (!isObj(x)) {
			wrongType(path, 'a map (group, version, kind, name, namespace, labelSelector, annotationSelector)');
			return undefined;
		}
		const s: Selector = {};
		for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
			const val = string([...path, key], x[key]);
			if (val !== undefined) s[key] = val;
		}
		return s;
	};
	const patchEntry = (item: Record<string, unknown>, path: PathKey[]): PatchEntry => {
		const p = string([...path, 'path'], item.path);
		const inline = string([...path, 'patch'], item.patch);
		const options = isObj(item.options) ? item.options : {};
		return {
			path: p === undefined ? undefined : { value: p, src: srcAt(doc, [...path, 'path']) },
			patch: inline === undefined ? undefined : { value: inline, src: srcAt(doc, [...path, 'patch']) },
			target: selector([...path, 'target'], item.target),
			allowNameChange: options.allowNameChange === true,
			allowKindChange: options.allowKindChange === true,
			src: srcAt(doc, path),
		};
	};
	for (const { item, path } of objects('patches')) k.patches.push(patchEntry(item, path));
	k.patchesStrategicMerge = stringList(['patchesStrategicMerge'], v.patchesStrategicMerge);
	for (const { item, path } of objects('patchesJson6902')) k.patchesJson6902.push(patchEntry(item, path));

	const options = (path: PathKey[], x: unknown): GeneratorOptions | undefined => {
		if (x === undefined || x === null) return undefined;
		if (!isObj(x)) {
			wrongType(path, 'a map');
			return undefined;
		}
		return {
			labels: pairs([...path, 'labels'], x.labels),
			annotations: pairs([...path, 'annotations'], x.annotations),
			disableNameSuffixHash: bool([...path, 'disableNameSuffixHash'], x.disableNameSuffixHash),
			immutable: bool([...path, 'immutable'], x.immutable),
		};
	};
	k.generatorOptions = options(['generatorOptions'], v.generatorOptions);
	for (const [name, gkind] of [
		['configMapGenerator', 'ConfigMap'],
		['secretGenerator', 'Secret'],
	] as const) {
		for (const { item, path } of objects(name)) {
			const behaviorRaw = string([...path, 'behavior'], item.behavior) ?? 'create';
			const behavior = behaviorRaw === '' ? 'create' : behaviorRaw;
			if (behavior !== 'create' && behavior !== 'merge' && behavior !== 'replace') {
				report('error', 'kustomize-invalid-field', `'behavior' must be create, merge or replace, not '${behavior}'.`, [...path, 'behavior']);
				continue;
			}
			const n = string([...path, 'name'], item.name);
			const envs = stringList([...path, 'envs'], item.envs);
			const env = string([...path, 'env'], item.env);
			if (env) envs.push({ value: env, src: srcAt(doc, [...path, 'env']) });
			const args: GeneratorArgs = {
				kind: gkind,
				name: n === undefined ? undefined : { value: n, src: srcAt(doc, [...path, 'name']) },
				namespace: string([...path, 'namespace'], item.namespace),
				behavior,
				literals: stringList([...path, 'literals'], item.literals),
				files: stringList([...path, 'files'], item.files),
				envs,
				type: gkind === 'Secret' ? string([...path, 'type'], item.type) : undefined,
				options: options([...path, 'options'], item.options),
				src: srcAt(doc, path),
			};
			(name === 'configMapGenerator' ? k.configMapGenerator : k.secretGenerator).push(args);
		}
	}

	if (isObj(v.sortOptions)) {
		const order = v.sortOptions.order;
		if (order === 'fifo') k.sortOrder = 'fifo';
		else if (order !== undefined && order !== 'legacy') report('error', 'kustomize-invalid-field', `'sortOptions.order' must be legacy or fifo.`, ['sortOptions', 'order']);
		const legacy = v.sortOptions.legacySortOptions;
		if (isObj(legacy)) {
			k.orderFirst = stringList(['sortOptions', 'legacySortOptions', 'orderFirst'], legacy.orderFirst).map((f) => f.value);
			k.orderLast = stringList(['sortOptions', 'legacySortOptions', 'orderLast'], legacy.orderLast).map((f) => f.value);
		}
	}
	return k;
}

export { childSrc };
