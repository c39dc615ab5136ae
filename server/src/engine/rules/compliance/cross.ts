import { NO_OBJECTS, type IndexedObject } from '../../core/objects';
import type { ComplianceContext } from './rule';

/**
 * Helpers for cross-resource rules: which objects of `ctx.objects` can land in the same cluster as
 * the resource being checked, and whether the index can say that one is missing from a namespace.
 */

/** A scope a cross-resource question is asked in: one target cluster, or the whole repository when no cluster is known. */
export interface Scope {
	/** The target cluster, or undefined for the whole repository (raw index without fleet model). */
	cluster?: string;
	objects(kind: string): IndexedObject[];
	/** Every object of the scope (kinds that vary, such as Gatekeeper constraints). */
	all(): IndexedObject[];
}

/**
 * The scopes to evaluate a cross-resource rule in: each target cluster of the resource when the
 * fleet model knows them (objects whose files reach that cluster), else the whole index. A rendered
 * (complete) set is already one cluster's objects.
 */
export function scopesOf(ctx: ComplianceContext): Scope[] {
	if (ctx.objects.complete || ctx.targets.length === 0) return [{ objects: (kind) => [...ctx.objects.ofKind(kind)], all: () => [...ctx.objects.all()] }];
	return ctx.targets.map((t) => {
		const reaches = (o: IndexedObject) => (ctx.fleet.files[o.file] ?? []).includes(t.name);
		return { cluster: t.name, objects: (kind: string) => ctx.objects.ofKind(kind).filter(reaches), all: () => ctx.objects.all().filter(reaches) };
	});
}

/**
 * Whether an object is in namespace `ns`: `yes`, `no`, or `maybe` where a raw object has no
 * namespace written (kustomize, Flux or Argo CD may still put it there).
 */
export function inNamespace(o: IndexedObject, ns: string, complete: boolean): 'yes' | 'no' | 'maybe' {
	if (o.namespace === ns) return 'yes';
	if (o.namespace === undefined && !complete) return 'maybe';
	return 'no';
}

/** `in cluster "prod-eu-west-1"`, or `` for the repository-wide scope, for messages. */
export function inCluster(scope: Scope): string {
	return scope.cluster ? ` in cluster "${scope.cluster}"` : '';
}

/** `"a", "b" and "c"`. */
export function quoteList(items: readonly string[]): string {
	const q = items.map((i) => `"${i}"`);
	return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** Namespaces Kubernetes itself creates and manages. */
export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * Whether the context has an object index at all (a repository index or a rendered set). Without
 * one nothing is known about other objects, so no rule may conclude that one is missing.
 */
export function hasIndex(ctx: ComplianceContext): boolean {
	return ctx.objects !== NO_OBJECTS;
}
