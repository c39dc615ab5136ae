import type { ParsedDocument } from '../core/parse';
import { isPlainObject } from '../core/resource';
import type { KindSchema, SchemaRegistry } from '../schema/types';

/**
 * The apiVersion and kind of a document, read from its syntax tree when the document has errors
 * (while a key is half typed, the document has no plain value, but its header is still there).
 */
export function documentHeader(document: ParsedDocument): { apiVersion?: string; kind?: string } {
	if (isPlainObject(document.value)) {
		const { apiVersion, kind } = document.value;
		return { apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined, kind: typeof kind === 'string' ? kind : undefined };
	}
	const read = (key: string): string | undefined => {
		try {
			const v = document.doc.get(key);
			return typeof v === 'string' ? v : undefined;
		} catch {
			return undefined; // the root is not a mapping
		}
	};
	return { apiVersion: read('apiVersion'), kind: read('kind') };
}

/** The schema that applies to a document: by apiVersion/kind, or by file name (kustomization.yaml). */
export function schemaOf(registry: SchemaRegistry, document: ParsedDocument, path: string): KindSchema | undefined {
	const h = documentHeader(document);
	if (h.apiVersion && h.kind) {
		const s = registry.lookup(h.apiVersion, h.kind);
		if (s) return s;
	}
	return registry.schemaForFile?.(path, document.value);
}
