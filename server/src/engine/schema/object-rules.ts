import { containerNameClashes, duplicateProblems, valuesAt, type BuiltinLayout, type SchemaLayout } from './list-topology';
import { isPathSegmentName, labelProblems, objectMetaProblems, templateMetaProblems, annotationProblems, isTemplated } from './metadata';
import { formatPath, isObject } from './paths';
import type { SchemaProblem } from './types';

/**
 * What the API server checks of an object beyond its types, gathered for the two kinds of schema:
 * metadata rules (metadata.ts) and list topology (list-topology.ts), at the places the kind's
 * layout names. Kustomize patch files are partial: their lists are merged into a base by key, so
 * duplicates and missing apiVersion/kind of embedded objects are not judged there.
 */

/** A built-in kind: its metadata, nested pod/job templates' metadata, label selectors, keyed lists. */
export function builtinObjectProblems(value: unknown, layout: BuiltinLayout | undefined, partial: boolean): SchemaProblem[] {
	const out = objectMetaProblems(value);
	if (!layout) return out;
	for (const p of layout.metas) for (const m of valuesAt(value, p)) out.push(...templateMetaProblems(m.value, m.path));
	for (const p of layout.labelMaps) for (const m of valuesAt(value, p)) out.push(...labelProblems(m.value, m.path));
	if (!partial) out.push(...duplicateProblems(value, layout.lists), ...containerNameClashes(value, layout.podSpecs));
	return out;
}

/** A custom resource: its metadata, keyed and unique lists, embedded objects. */
export function customObjectProblems(value: unknown, layout: SchemaLayout | undefined, partial: boolean): SchemaProblem[] {
	const out = objectMetaProblems(value);
	if (!layout) return out;
	if (!partial) out.push(...duplicateProblems(value, layout.lists));
	for (const p of layout.embedded) for (const e of valuesAt(value, p)) out.push(...embeddedProblems(e.value, e.path, partial));
	return out;
}

/**
 * An `x-kubernetes-embedded-resource` (apiextensions-apiserver, schema/objectmeta): apiVersion and
 * kind must be set; metadata is validated like an object's, its name as a path segment.
 */
function embeddedProblems(value: unknown, path: (string | number)[], partial: boolean): SchemaProblem[] {
	if (!isObject(value)) return [];
	const out: SchemaProblem[] = [];
	const missing = partial ? [] : ['apiVersion', 'kind'].filter((k) => typeof value[k] !== 'string' || value[k] === '');
	if (missing.length > 0 && Object.keys(value).length > 0) {
		out.push({
			ruleId: 'schema-required',
			path,
			target: 'parent',
			message: `${formatPath(path)} is an embedded Kubernetes object and is missing ${missing.join(' and ')}: the API server rejects an embedded object without apiVersion and kind.`,
		});
	}
	const meta = value.metadata;
	if (isObject(meta)) {
		if (typeof meta.name === 'string' && meta.name !== '' && !isTemplated(meta.name)) {
			const errs = isPathSegmentName(meta.name);
			if (errs.length > 0)
				out.push({ ruleId: 'schema-metadata', path: [...path, 'metadata', 'name'], target: 'value', message: `The embedded object's metadata.name ${JSON.stringify(meta.name)} ${errs.join(' and ')}: names of embedded objects may not be "." or ".." or contain "/" or "%", or the API server rejects it.` });
		}
		out.push(...labelProblems(meta.labels, [...path, 'metadata', 'labels']), ...annotationProblems(meta.annotations, [...path, 'metadata', 'annotations']));
	}
	return out;
}
