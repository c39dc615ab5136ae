import type { Obj } from './store';

/**
 * managedFields as the API server keeps them: one entry per manager and operation, each with the
 * set of fields (`fieldsV1`) that manager last set. An apply (`kustomize-controller`, `helm`)
 * owns every field of the object it sent; an update (`kubectl-edit`, `kubectl-scale`) takes the
 * fields it changed away from whoever had them. List items are keyed by their merge keys
 * (`k:{"name":"web"}`), atomic lists are owned whole.
 */

/** Lists keyed by merge keys, by field name (the built-in kinds' list-map keys). */
const LIST_KEYS: Record<string, string[]> = {
	containers: ['name'],
	initContainers: ['name'],
	ephemeralContainers: ['name'],
	env: ['name'],
	volumeMounts: ['mountPath'],
	volumes: ['name'],
	imagePullSecrets: ['name'],
	conditions: ['type'],
};

function keysFor(field: string, items: unknown[], kind: string): string[] | undefined {
	if (field === 'ports') return kind === 'Service' ? ['port', 'protocol'] : ['containerPort', 'protocol'];
	const keys = LIST_KEYS[field];
	if (!keys) return undefined;
	return items.every((i) => i && typeof i === 'object' && keys.every((k) => k in (i as Obj))) ? keys : undefined;
}

function itemKey(item: Obj, keys: string[]): string {
	const k: Obj = {};
	for (const name of [...keys].sort()) k[name] = item[name];
	return `k:${JSON.stringify(k)}`;
}

/** The fieldsV1 of a value: every field it sets. */
export function fieldsOf(value: unknown, kind: string, field = ''): Obj {
	if (Array.isArray(value)) {
		const keys = keysFor(field, value, kind);
		if (!keys) return {};
		const out: Obj = {};
		for (const item of value as Obj[]) out[itemKey(item, keys)] = { '.': {}, ...fieldsOf(item, kind) };
		return out;
	}
	if (!value || typeof value !== 'object') return {};
	const out: Obj = {};
	for (const [k, v] of Object.entries(value as Obj)) out[`f:${k}`] = fieldsOf(v, kind, k);
	return out;
}

/** The fieldsV1 of what a manager sent: the object less its identity, server metadata and status. */
export function objectFields(o: Obj): Obj {
	const body: Obj = {};
	for (const [k, v] of Object.entries(o)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'status' && k !== 'metadata') body[k] = v;
	const meta: Obj = {};
	if (o.metadata?.labels) meta.labels = o.metadata.labels;
	if (o.metadata?.annotations) meta.annotations = o.metadata.annotations;
	if (Object.keys(meta).length > 0) body.metadata = meta;
	return fieldsOf(body, String(o.kind));
}

/** Leaf paths of a fieldsV1 tree (each a list of its keys). */
function leaves(fields: Obj, prefix: string[] = [], out: string[][] = []): string[][] {
	const keys = Object.keys(fields).filter((k) => k !== '.');
	if (keys.length === 0) out.push(prefix);
	for (const k of keys) leaves(fields[k], [...prefix, k], out);
	return out;
}

function removePath(fields: Obj, path: string[]): void {
	if (path.length === 0) return;
	const [head, ...rest] = path;
	if (!(head in fields)) return;
	if (rest.length === 0) delete fields[head];
	else {
		removePath(fields[head], rest);
		const left = Object.keys(fields[head]).filter((k) => k !== '.');
		if (left.length === 0) delete fields[head];
	}
}

function hasPath(fields: Obj, path: string[]): boolean {
	let cur = fields;
	for (const k of path) {
		if (!cur || !(k in cur)) return false;
		cur = cur[k];
	}
	return true;
}

function addPath(fields: Obj, path: string[]): void {
	let cur = fields;
	for (const k of path) {
		cur[k] ??= k.startsWith('k:') ? { '.': {} } : {};
		cur = cur[k];
	}
}

export interface ManagerWrite {
	manager: string;
	operation: 'Apply' | 'Update';
	/** ISO time of the write (default now). */
	time?: string;
}

/**
 * Records a write in `after.metadata.managedFields`: an Apply owns exactly what it sent
 * (`sent`, default the whole object); an Update owns the fields whose values it changed
 * (compared with `before`), taken from every other manager.
 */
export function recordWrite(before: Obj | undefined, after: Obj, write: ManagerWrite, sent?: Obj): void {
	const time = write.time ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
	const entries: Obj[] = structuredClone(before?.metadata?.managedFields ?? []);
	const owned = write.operation === 'Apply' ? objectFields(sent ?? after) : changedFields(before, after);
	// Fields the write removed belong to nobody any more.
	if (before) for (const p of leaves(objectFields(before))) if (p.length > 0 && !hasPath(objectFields(after), p)) for (const e of entries) removePath(e.fieldsV1 ?? {}, p);
	for (const e of entries) {
		if (e.manager === write.manager && e.operation === write.operation) continue;
		for (const p of leaves(owned)) if (p.length > 0) removePath(e.fieldsV1 ?? {}, p);
	}
	let mine = entries.find((e) => e.manager === write.manager && e.operation === write.operation);
	if (!mine) entries.push((mine = { manager: write.manager, operation: write.operation, apiVersion: after.apiVersion, fieldsType: 'FieldsV1', fieldsV1: {} }));
	if (write.operation === 'Apply') mine.fieldsV1 = owned;
	else for (const p of leaves(owned)) if (p.length > 0) addPath(mine.fieldsV1, p);
	mine.time = time;
	after.metadata.managedFields = entries.filter((e) => Object.keys(e.fieldsV1 ?? {}).length > 0);
}

/** The fields whose values differ between two versions of an object (set or changed in `after`). */
function changedFields(before: Obj | undefined, after: Obj): Obj {
	const b = objectFields(after);
	const out: Obj = {};
	const valueAt = (o: Obj | undefined, path: string[]): unknown => {
		let cur: any = o;
		for (const k of path) {
			if (cur === undefined) return undefined;
			if (k.startsWith('f:')) cur = k === 'f:metadata' ? { labels: cur.metadata?.labels, annotations: cur.metadata?.annotations } : cur[k.slice(2)];
			else if (k.startsWith('k:')) {
				const key = JSON.parse(k.slice(2));
				cur = Array.isArray(cur) ? cur.find((i: Obj) => Object.entries(key).every(([n, v]) => i?.[n] === v)) : undefined;
			}
		}
		return cur;
	};
	for (const p of leaves(b)) {
		if (p.length === 0) continue;
		if (JSON.stringify(valueAt(before, p)) !== JSON.stringify(valueAt(after, p))) addPath(out, p);
	}
	return out;
}
