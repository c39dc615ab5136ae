import { builtinResources } from '../live/builtin-apis';
import type { LiveObjects } from '../live/full-objects';

/**
 * Which live object a rendered one is: the same API group (never the version: the server serves
 * an object at every version of its group), kind, namespace and name. A namespaced object Git
 * writes without a namespace lands in its sync's target namespace, else `default`.
 */

export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

export function objectKey(group: string, kind: string, namespace: string | undefined, name: string): string {
	return `${group}|${kind}|${namespace ?? ''}|${name}`;
}

const BUILTIN = new Map(builtinResources(99).map((d) => [`${d.group}|${d.kind}`, d.namespaced]));
// Removed versions still say whether a kind is namespaced.
for (const d of builtinResources(15)) if (!BUILTIN.has(`${d.group}|${d.kind}`)) BUILTIN.set(`${d.group}|${d.kind}`, d.namespaced);

/**
 * Whether a kind is namespaced: as the cluster's list of it says, else the built-in table, else
 * (a custom resource the cluster was not asked about) whether Git gave the object a namespace.
 */
export function isNamespaced(group: string, kind: string, live: LiveObjects | undefined, declaredNamespace: string | undefined): boolean {
	const k = live?.kinds[`${group}|${kind}`];
	if (k && k.coverage !== 'not-served') return k.namespaced;
	const b = BUILTIN.get(`${group}|${kind}`);
	if (b !== undefined) return b;
	return declaredNamespace !== undefined;
}
