/**
 * The simulator's object store: every object by group, kind, namespace and name, one
 * resourceVersion counter for the whole cluster (as etcd's revision), and a bounded history of
 * changes per kind that watches replay from (older resourceVersions get 410 Gone, as after an etcd
 * compaction).
 */

export type Obj = Record<string, any>;

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
	rv: number;
	type: EventType;
	object: Obj;
}

export type Listener = (e: StoredEvent) => void;

export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');
const key = (group: string, kind: string) => `${group}|${kind}`;
const objKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

interface KindStore {
	objects: Map<string, Obj>;
	history: StoredEvent[];
	/** Watches from resourceVersions below this get 410 Gone. */
	oldestRv: number;
	listeners: Set<Listener>;
}

export class Store {
	private rv = 1;
	private readonly kinds = new Map<string, KindStore>();
	private uidCounter = 0;

	constructor(private readonly historyLimit = 10_000) {}

	get resourceVersion(): number {
		return this.rv;
	}

	private kind(group: string, kind: string): KindStore {
		let k = this.kinds.get(key(group, kind));
		if (!k) this.kinds.set(key(group, kind), (k = { objects: new Map(), history: [], oldestRv: 0, listeners: new Set() }));
		return k;
	}

	/** Creates or replaces an object: a new resourceVersion, an ADDED or MODIFIED event. */
	apply(input: Obj): Obj {
		const obj: Obj = structuredClone(input);
		const group = groupOf(String(obj.apiVersion));
		const k = this.kind(group, String(obj.kind));
		const meta = (obj.metadata ??= {});
		if (typeof meta.name !== 'string' || meta.name === '') throw new Error(`${obj.kind} without metadata.name`);
		const id = objKey(meta.namespace, meta.name);
		const old = k.objects.get(id);
		meta.uid = old?.metadata?.uid ?? meta.uid ?? `00000000-0000-4000-8000-${(++this.uidCounter).toString(16).padStart(12, '0')}`;
		meta.creationTimestamp = old?.metadata?.creationTimestamp ?? meta.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
		meta.resourceVersion = String(++this.rv);
		k.objects.set(id, obj);
		this.emit(k, { rv: this.rv, type: old ? 'MODIFIED' : 'ADDED', object: obj });
		return obj;
	}

	delete(group: string, kind: string, name: string, namespace?: string): Obj | undefined {
		const k = this.kind(group, kind);
		const id = objKey(namespace, name);
		const old = k.objects.get(id);
		if (!old) return undefined;
		k.objects.delete(id);
		const gone = structuredClone(old);
		gone.metadata.resourceVersion = String(++this.rv);
		this.emit(k, { rv: this.rv, type: 'DELETED', object: gone });
		return gone;
	}

	private emit(k: KindStore, e: StoredEvent): void {
		k.history.push(e);
		if (k.history.length > this.historyLimit) {
			const dropped = k.history.splice(0, k.history.length - this.historyLimit);
			k.oldestRv = dropped[dropped.length - 1].rv;
		}
		for (const l of k.listeners) l(e);
	}

	get(group: string, kind: string, name: string, namespace?: string): Obj | undefined {
		return this.kinds.get(key(group, kind))?.objects.get(objKey(namespace, name));
	}

	/** Every object of a kind (optionally of one namespace), sorted by namespace and name like etcd keys. */
	list(group: string, kind: string, namespace?: string): Obj[] {
		const k = this.kinds.get(key(group, kind));
		if (!k) return [];
		const out = [...k.objects.entries()].filter(([id]) => namespace === undefined || id.startsWith(`${namespace}/`));
		out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return out.map(([, o]) => o);
	}

	all(): Obj[] {
		return [...this.kinds.values()].flatMap((k) => [...k.objects.values()]);
	}

	/**
	 * The events of a kind after `sinceRv`, or 'gone' when history before it was compacted away.
	 * Subscribes `listener` to later events in the same step (no event can fall between).
	 */
	watch(group: string, kind: string, sinceRv: number, listener: Listener): { events: StoredEvent[]; cancel: () => void } | 'gone' {
		const k = this.kind(group, kind);
		if (sinceRv < k.oldestRv) return 'gone';
		const events = k.history.filter((e) => e.rv > sinceRv);
		k.listeners.add(listener);
		return { events, cancel: () => k.listeners.delete(listener) };
	}

	/** Forgets the change history of every kind, as an etcd compaction does: older watches get 410. */
	compact(): void {
		for (const k of this.kinds.values()) {
			k.history = [];
			k.oldestRv = this.rv;
		}
	}
}
