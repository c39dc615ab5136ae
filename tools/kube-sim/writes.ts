import { applyServerDefaults } from './defaults';
import { recordWrite } from './managed-fields';
import type { Obj } from './store';

/**
 * Writes as the API server performs them, for the fixture, the demo and tests (clients of the
 * simulator cannot write): a server-side apply by a manager (`kustomize-controller` applying what
 * Git holds, with Flux's ownership labels), and an update by another manager (`kubectl-edit`,
 * `kubectl-scale`, a controller) that changes some fields and takes their ownership. Both apply
 * the server defaults and canonical quantities, and keep managedFields.
 */

export interface WriteOptions {
	manager: string;
	/** ISO time of the write (default now). */
	time?: string;
}

/** A server-side apply of `sent`: its fields replace the existing object's, the server fills the rest. */
export function serverApply(existing: Obj | undefined, sent: Obj, options: WriteOptions): Obj {
	const out: Obj = structuredClone(existing ?? { apiVersion: sent.apiVersion, kind: sent.kind, metadata: {} });
	for (const [k, v] of Object.entries(sent)) if (k !== 'metadata' && k !== 'status') out[k] = structuredClone(v);
	const meta = sent.metadata ?? {};
	out.metadata = { ...out.metadata, name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}) };
	if (meta.labels) out.metadata.labels = { ...(out.metadata.labels ?? {}), ...meta.labels };
	if (meta.annotations) out.metadata.annotations = { ...(out.metadata.annotations ?? {}), ...meta.annotations };
	applyServerDefaults(out, existing);
	recordWrite(existing, out, { manager: options.manager, operation: 'Apply', time: options.time }, sent);
	return out;
}

/** An update by `manager`: `mutate` changes a copy; the changed fields become the manager's. */
export function serverUpdate(existing: Obj, mutate: (o: Obj) => void, options: WriteOptions): Obj {
	const out: Obj = structuredClone(existing);
	mutate(out);
	applyServerDefaults(out, existing);
	recordWrite(existing, out, { manager: options.manager, operation: 'Update', time: options.time });
	return out;
}

/** What kustomize-controller applies for a Kustomization: the object with Flux's ownership labels. */
export function withFluxOwner(o: Obj, kustomization: { name: string; namespace: string }): Obj {
	const out = structuredClone(o);
	out.metadata ??= {};
	out.metadata.labels = { ...(out.metadata.labels ?? {}), 'kustomize.toolkit.fluxcd.io/name': kustomization.name, 'kustomize.toolkit.fluxcd.io/namespace': kustomization.namespace };
	return out;
}
