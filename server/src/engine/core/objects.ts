import { isPlainObject, resourceHeader } from './resource';

/**
 * A set of Kubernetes objects that cross-resource rules can query: "does this namespace have a
 * NetworkPolicy?", "is there a Velero Schedule covering it?". The engine hands rules either the
 * objects declared anywhere in the repository (raw files), or the objects one cluster receives
 * once its overlays are rendered. Pure data: built by the host from parsed documents.
 */
export interface IndexedObject {
	apiVersion: string;
	kind: string;
	name?: string;
	/** metadata.namespace as written (raw files often leave it to kustomize or Flux). */
	namespace?: string;
	value: Record<string, unknown>;
	/** Repo-relative path of the file that declares it, and its document index there. */
	file: string;
	documentIndex: number;
}

export interface ObjectIndex {
	/**
	 * Whether the set is what a cluster receives (rendered: every namespaced object has its final
	 * namespace) or the repository's raw files (namespaces may still be set later by kustomize,
	 * Flux or Argo CD: a rule must not conclude that something is missing from a namespace then).
	 */
	readonly complete: boolean;
	/** Objects of one kind (any apiVersion), optionally only those whose namespace is `namespace`. */
	ofKind(kind: string, namespace?: string): readonly IndexedObject[];
	/** Every object. */
	all(): readonly IndexedObject[];
	/**
	 * A value rules derive from these objects (an index of kustomize image overrides, the intervals of
	 * backup schedules), computed once and kept by the set until its objects change. `kind` names it.
	 */
	derived<T>(kind: string, make: () => T): T;
}

/** An `ObjectIndex` over a list of objects, indexed by kind on construction. */
export class ObjectSet implements ObjectIndex {
	private readonly byKind = new Map<string, IndexedObject[]>();
	private readonly values = new Map<string, unknown>();

	constructor(
		private readonly objects: readonly IndexedObject[],
		readonly complete: boolean,
	) {
		for (const o of objects) {
			let list = this.byKind.get(o.kind);
			if (!list) this.byKind.set(o.kind, (list = []));
			list.push(o);
		}
	}

	/** Builds the set from parsed document values; documents that are not objects are skipped. */
	static fromValues(docs: readonly { file: string; documentIndex: number; value: unknown }[], complete: boolean): ObjectSet {
		const out: IndexedObject[] = [];
		for (const d of docs) {
			const h = resourceHeader(d.value);
			if (!h || !isPlainObject(d.value)) continue;
			out.push({ apiVersion: h.apiVersion, kind: h.kind, name: h.name, namespace: h.namespace, value: d.value, file: d.file, documentIndex: d.documentIndex });
		}
		return new ObjectSet(out, complete);
	}

	ofKind(kind: string, namespace?: string): readonly IndexedObject[] {
		const list = this.byKind.get(kind) ?? [];
		return namespace === undefined ? list : list.filter((o) => o.namespace === namespace);
	}

	all(): readonly IndexedObject[] {
		return this.objects;
	}

	derived<T>(kind: string, make: () => T): T {
		if (!this.values.has(kind)) this.values.set(kind, make());
		return this.values.get(kind) as T;
	}
}

export const NO_OBJECTS: ObjectIndex = new ObjectSet([], false);
