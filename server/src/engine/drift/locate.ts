import type { DocumentStore } from '../fleet/reader';
import type { Origin } from '../kustomize/types';
import type { DriftSource } from '../../../../shared/protocol';

/**
 * The source line of a rendered value: the place the renderer's origin names (the patch that set
 * the field, the `images` entry that set the tag, the base for what the overlays leave alone),
 * found in the document store's text. Lines are 1-based.
 */

export type Locator = (origin: Origin) => DriftSource | null;

export function storeLocator(store: DocumentStore): Locator {
	return (origin) => {
		const doc = store.mappings(origin.file).find((d) => d.documentIndex === origin.documentIndex);
		if (!doc) return store.isFile(origin.file) ? { file: origin.file, line: 1 } : null;
		// A field points at its key (`replicas:`), a list item at its dash, the document at its first line.
		const last = origin.path[origin.path.length - 1];
		const loc = origin.path.length > 0 ? doc.locate(origin.path, typeof last === 'string') : doc.locate([]);
		return { file: origin.file, line: loc.range.start.line + 1 };
	};
}
