import { isPlainObject } from '../../../core/resource';
import type { PolicyWorld } from '../types';
import { query, substitute, type VariableScope } from './variables';

/**
 * Kyverno context entries, added to the rule's variables in order: `variable` (a value or a query,
 * with a default), `configMap` and `apiCall` GETs of one object or a list, answered by the world's
 * `lookup` (a cluster's render, or the repository's object index). What it cannot answer (image
 * registries, global context, POSTs, service calls, a kind the index does not hold, an object no
 * source has) makes the rule not evaluated, saying which entry.
 */

export type ContextOutcome = { status: 'ok' } | { status: 'not-evaluated'; message: string } | { status: 'error'; message: string };

/** `/api/v1/namespaces/ns/configmaps/name`, `/apis/apps/v1/deployments`: what object or list a GET names. */
export function parseUrlPath(urlPath: string): { apiVersion: string; namespace?: string; resource: string; name?: string } | undefined {
	const parts = urlPath.split('?')[0].split('/').filter(Boolean);
	let apiVersion: string;
	let rest: string[];
	if (parts[0] === 'api' && parts.length >= 3) {
		apiVersion = parts[1];
		rest = parts.slice(2);
	} else if (parts[0] === 'apis' && parts.length >= 4) {
		apiVersion = `${parts[1]}/${parts[2]}`;
		rest = parts.slice(3);
	} else return undefined;
	let namespace: string | undefined;
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		namespace = rest[1];
		rest = rest.slice(2);
	}
	if (rest.length === 0 || rest.length > 2) return undefined;
	return { apiVersion, namespace, resource: rest[0], name: rest[1] };
}

/** The kind of a resource name the way GETs spell it (`configmaps` → ConfigMap), for the common ones. */
const KINDS: Record<string, string> = {
	configmaps: 'ConfigMap', secrets: 'Secret', namespaces: 'Namespace', pods: 'Pod', services: 'Service', serviceaccounts: 'ServiceAccount', deployments: 'Deployment', statefulsets: 'StatefulSet',
	daemonsets: 'DaemonSet', ingresses: 'Ingress', networkpolicies: 'NetworkPolicy', persistentvolumeclaims: 'PersistentVolumeClaim', resourcequotas: 'ResourceQuota', limitranges: 'LimitRange',
	roles: 'Role', rolebindings: 'RoleBinding', clusterroles: 'ClusterRole', clusterrolebindings: 'ClusterRoleBinding', storageclasses: 'StorageClass', ingressclasses: 'IngressClass', nodes: 'Node',
};

function fromLookup(world: PolicyWorld, apiVersion: string | undefined, kind: string, namespace: string | undefined, name: string | undefined): readonly Record<string, unknown>[] | undefined {
	return world.lookup?.(apiVersion, kind, namespace, name);
}

export function loadContext(entries: unknown, scope: VariableScope, world: PolicyWorld): ContextOutcome {
	if (!Array.isArray(entries)) return { status: 'ok' };
	for (const raw of entries) {
		if (!isPlainObject(raw) || typeof raw.name !== 'string') continue;
		const name = raw.name;
		const given = world.values?.('', '', '')?.[name];
		if (given !== undefined) {
			scope.data[name] = given;
			continue;
		}
		if (isPlainObject(raw.variable)) {
			const v = raw.variable;
			let value: unknown = v.value !== undefined ? substitute(v.value, scope) : undefined;
			if (typeof v.jmesPath === 'string' && v.jmesPath !== '') {
				const q = String(substitute(v.jmesPath, scope));
				value = value !== undefined ? query({ jmes: scope.jmes, data: value as Record<string, unknown> }, q) : query(scope, q);
			}
			if ((value === undefined || value === null) && v.default !== undefined) value = substitute(v.default, scope);
			if (value === undefined) return { status: 'error', message: `context variable ${name} has no value` };
			scope.data[name] = value;
			continue;
		}
		if (isPlainObject(raw.configMap)) {
			const cmName = String(substitute(raw.configMap.name ?? '', scope));
			const ns = String(substitute(raw.configMap.namespace ?? 'default', scope));
			const found = fromLookup(world, 'v1', 'ConfigMap', ns, cmName);
			if (!found || found.length === 0) return { status: 'not-evaluated', message: `context entry ${name}: the ConfigMap ${ns}/${cmName} is not among the objects Fleetscope reads from the repository` };
			scope.data[name] = found[0];
			continue;
		}
		if (isPlainObject(raw.apiCall)) {
			const call = raw.apiCall;
			if (call.service !== undefined || (call.method !== undefined && call.method !== 'GET')) return { status: 'not-evaluated', message: `context entry ${name}: an API call other than a GET of the Kubernetes API cannot be answered from Git` };
			const url = parseUrlPath(String(substitute(call.urlPath ?? '', scope)));
			const kind = url ? KINDS[url.resource] : undefined;
			if (!url || !kind) return { status: 'not-evaluated', message: `context entry ${name}: the API call ${String(call.urlPath)} cannot be answered from Git` };
			const found = fromLookup(world, url.apiVersion, kind, url.namespace, url.name);
			if (!found) return { status: 'not-evaluated', message: `context entry ${name}: ${url.name ? `${kind} ${url.name}` : `the ${url.resource}`} ${url.namespace ? `in namespace ${url.namespace} ` : ''}cannot be read from the repository` };
			if (url.name && found.length === 0) return { status: 'not-evaluated', message: `context entry ${name}: ${kind} ${url.namespace ? `${url.namespace}/` : ''}${url.name} is not among the objects Fleetscope reads from the repository` };
			let value: unknown = url.name ? found[0] : { apiVersion: url.apiVersion, kind: `${kind}List`, items: found };
			if (typeof call.jmesPath === 'string' && call.jmesPath !== '') value = query({ jmes: scope.jmes, data: value as Record<string, unknown> }, String(substitute(call.jmesPath, scope)));
			scope.data[name] = value;
			continue;
		}
		const what = Object.keys(raw).find((k) => k !== 'name') ?? 'entry';
		return { status: 'not-evaluated', message: `context entry ${name} (${what}) needs a cluster or registry Fleetscope does not query` };
	}
	return { status: 'ok' };
}
