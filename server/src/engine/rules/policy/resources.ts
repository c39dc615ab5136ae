import { isPlainObject } from '../../core/resource';

/**
 * Kubernetes object facts admission policies match on: group/version/kind, the resource (plural)
 * a kind is served as, names, namespaces, labels, label selectors, and the `*`/`?` wildcards of
 * Kyverno. Pure helpers shared by the Kyverno, ValidatingAdmissionPolicy and test-runner code.
 */

export interface Gvk {
	group: string;
	version: string;
	kind: string;
}

export function gvkOf(value: Record<string, unknown>): Gvk {
	const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
	const slash = apiVersion.indexOf('/');
	return { group: slash < 0 ? '' : apiVersion.slice(0, slash), version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1), kind: typeof value.kind === 'string' ? value.kind : '' };
}

export function metadataOf(value: unknown): Record<string, unknown> {
	return isPlainObject(value) && isPlainObject(value.metadata) ? value.metadata : {};
}

export function nameOf(value: unknown): string {
	const m = metadataOf(value);
	return typeof m.name === 'string' ? m.name : typeof m.generateName === 'string' ? m.generateName : '';
}

export function namespaceOf(value: unknown): string {
	const ns = metadataOf(value).namespace;
	return typeof ns === 'string' ? ns : '';
}

export function stringMap(v: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
	else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
	return out;
}

export const labelsOf = (value: unknown): Record<string, string> => stringMap(metadataOf(value).labels);
export const annotationsOf = (value: unknown): Record<string, string> => stringMap(metadataOf(value).annotations);

/** Kinds whose resource name is not the lower-cased kind plus an `s` (discovery knows them; Git does not). */
const IRREGULAR: Record<string, string> = { Endpoints: 'endpoints', PodSecurityPolicy: 'podsecuritypolicies' };

/** The resource (plural) a kind is served as, as meta.UnsafeGuessKindToResource guesses it. */
export function resourceOf(kind: string): string {
	if (kind in IRREGULAR) return IRREGULAR[kind];
	const k = kind.toLowerCase();
	if (k.endsWith('s') || k.endsWith('x') || k.endsWith('ch') || k.endsWith('sh')) return `${k}es`;
	if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
	return `${k}s`;
}

/** Kinds Kubernetes serves cluster-scoped (a namespace written on them means nothing). */
const CLUSTER_SCOPED = new Set([
	'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass',
	'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'CSINode',
	'ClusterPolicy', 'ClusterCleanupPolicy', 'ValidatingPolicy', 'ImageValidatingPolicy', 'MutatingPolicy', 'GeneratingPolicy', 'ConstraintTemplate', 'PodSecurityPolicy', 'FlowSchema', 'PriorityLevelConfiguration',
	'CertificateSigningRequest', 'VolumeAttachment', 'ClusterIssuer', 'ClusterSecretStore',
]);

export const isClusterScoped = (kind: string): boolean => CLUSTER_SCOPED.has(kind);

/** The pod controllers Kyverno generates rules for, with the path of their pod template. */
export const POD_CONTROLLERS = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'CronJob'] as const;

/** Kyverno's wildcards: `*` any run of characters, `?` one character; everything else literal. */
export function wildcardMatch(pattern: string, text: string): boolean {
	if (!pattern.includes('*') && !pattern.includes('?')) return pattern === text;
	if (pattern === '*') return true;
	// Greedy matching with one backtrack point (the last star): linear in practice, no regular expression.
	let p = 0;
	let t = 0;
	let star = -1;
	let mark = 0;
	while (t < text.length) {
		if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
			p++;
			t++;
		} else if (p < pattern.length && pattern[p] === '*') {
			star = p++;
			mark = t;
		} else if (star !== -1) {
			p = star + 1;
			t = ++mark;
		} else return false;
	}
	while (p < pattern.length && pattern[p] === '*') p++;
	return p === pattern.length;
}

export interface LabelSelector {
	matchLabels?: Record<string, unknown>;
	matchExpressions?: { key?: unknown; operator?: unknown; values?: unknown }[];
}

/** Whether labels satisfy a Kubernetes label selector; an empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
	if (!isPlainObject(selector)) return true;
	const s = selector as LabelSelector;
	for (const [k, v] of Object.entries(isPlainObject(s.matchLabels) ? s.matchLabels : {})) if (labels[k] !== String(v)) return false;
	for (const e of Array.isArray(s.matchExpressions) ? s.matchExpressions : []) {
		if (!isPlainObject(e) || typeof e.key !== 'string') continue;
		const values = Array.isArray(e.values) ? e.values.map(String) : [];
		const has = e.key in labels;
		switch (e.operator) {
			case 'In':
				if (!has || !values.includes(labels[e.key])) return false;
				break;
			case 'NotIn':
				if (has && values.includes(labels[e.key])) return false;
				break;
			case 'Exists':
				if (!has) return false;
				break;
			case 'DoesNotExist':
				if (has) return false;
				break;
			default:
				return false;
		}
	}
	return true;
}

/** Kyverno also lets selector keys and values use wildcards (`app.kubernetes.io/*: "*"`). */
export function wildcardSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
	if (!isPlainObject(selector) || !isPlainObject(selector.matchLabels)) return selectorMatches(selector, labels);
	const wild = Object.entries(selector.matchLabels).some(([k, v]) => /[*?]/.test(k) || /[*?]/.test(String(v)));
	if (!wild) return selectorMatches(selector, labels);
	for (const [k, v] of Object.entries(selector.matchLabels)) {
		const found = Object.entries(labels).some(([lk, lv]) => wildcardMatch(k, lk) && wildcardMatch(String(v), lv));
		if (!found) return false;
	}
	return selectorMatches({ matchExpressions: selector.matchExpressions }, labels);
}
