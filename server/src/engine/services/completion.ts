import { isMap, isPair, isScalar } from 'yaml';
import type { FileAnalysis } from '../analysis/engine';
import { nodeAt, type NodePath } from '../core/parse';
import type { FieldInfo, SchemaRegistry } from '../schema/types';
import { documentHeader, schemaOf } from './document-schema';
import { completionSite } from './node-path';
import type { CompletionEntry } from './types';

/**
 * Completion: missing keys of the mapping at the cursor (from the schema, required ones first),
 * enum and boolean values, and `apiVersion`/`kind` pairs of every kind with a schema.
 */
export function complete(analysis: FileAnalysis, registry: SchemaRegistry, offset: number): CompletionEntry[] {
	const site = completionSite(analysis.parsed, offset);
	if (!site) return [];
	const range = analysis.lines.rangeOf(site.replace);
	const header = site.document ? documentHeader(site.document) : {};
	if (site.kind === 'value') {
		if (site.path.length === 1 && site.path[0] === 'kind') {
			return registry
				.kinds()
				.filter((k) => !header.apiVersion || k.apiVersion === header.apiVersion)
				.map((k) => ({ label: k.kind, kind: 'kind', detail: k.apiVersion, insertText: k.kind, range }));
		}
		if (site.path.length === 1 && site.path[0] === 'apiVersion') {
			const versions = new Set(registry.kinds().filter((k) => !header.kind || k.kind === header.kind).map((k) => k.apiVersion));
			return [...versions].map((v) => ({ label: v, kind: 'value', insertText: v, range }));
		}
		const schema = site.document ? schemaOf(registry, site.document, analysis.path) : undefined;
		const info = schema?.describe(site.path, site.document?.value);
		const values = info?.enum ?? (info?.type === 'boolean' ? [true, false] : []);
		return values.map((v) => ({ label: String(v), kind: 'value', detail: info?.type, insertText: yamlScalar(v), range }));
	}
	const entries: CompletionEntry[] = [];
	const rootKeys = presentKeys(site.document?.doc, []);
	rootKeys.delete(site.prefix);
	// Offer kinds only where a manifest is being started, not in other YAML (compose files, Helm values).
	const startingManifest = [...rootKeys].every((k) => k === 'apiVersion' || k === 'kind' || k === 'metadata');
	if (site.parentPath.length === 0 && !(header.apiVersion && header.kind) && startingManifest) {
		for (const k of registry.kinds()) {
			entries.push({
				label: `${k.kind} (${k.apiVersion})`,
				kind: 'kind',
				detail: 'apiVersion and kind',
				insertText: `apiVersion: ${k.apiVersion}\nkind: ${k.kind}\nmetadata:\n  name: $1`,
				snippet: true,
				range,
				sortText: `2${k.kind}`,
			});
		}
	}
	const schema = site.document ? schemaOf(registry, site.document, analysis.path) : undefined;
	const info = schema?.describe(site.parentPath, site.document?.value);
	if (!info?.properties) return entries;
	const present = presentKeys(site.document?.doc, site.parentPath);
	for (const p of info.properties) {
		if (present.has(p.name) && p.name !== site.prefix) continue;
		entries.push({
			label: p.name,
			kind: 'field',
			detail: p.required ? `${p.type ?? 'field'} (required)` : p.type,
			documentation: p.description,
			insertText: keyInsert(p),
			snippet: true,
			range,
			sortText: `${p.required ? 0 : 1}${p.name}`,
		});
	}
	return entries;
}

function presentKeys(doc: Parameters<typeof nodeAt>[0] | undefined, path: NodePath): Set<string> {
	const out = new Set<string>();
	const node = doc ? nodeAt(doc, path) : undefined;
	if (isMap(node)) for (const item of node.items) if (isPair(item) && isScalar(item.key)) out.add(String(item.key.value));
	return out;
}

/** `name: ` for scalars, a block below for objects and lists (the editor keeps the line's indentation). */
function keyInsert(p: NonNullable<FieldInfo['properties']>[number]): string {
	const t = p.type ?? '';
	if (t === 'object' || /^map\[|^[A-Z]/.test(t)) return `${p.name}:\n  $0`;
	if (t.startsWith('[]') || t === 'array') return `${p.name}:\n  - $0`;
	return `${p.name}: $0`;
}

/** A value as YAML would read it back unchanged: strings that YAML 1.1 would turn into numbers or booleans are quoted. */
export function yamlScalar(v: unknown): string {
	if (typeof v !== 'string') return String(v);
	if (v === '' || /^(y|yes|n|no|true|false|on|off|null|~)$/i.test(v) || /^[-+.\d]/.test(v) || /[:#{}[\],&*!|>'"%@`]/.test(v)) return JSON.stringify(v);
	return v;
}
