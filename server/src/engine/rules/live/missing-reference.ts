import type { IndexedObject } from '../../core/objects';
import { isPlainObject } from '../../core/resource';
import type { SchemaProblem } from '../../schema/types';
import { isClusterObject, type LiveCheck, type LiveContext } from './context';
import { referencesOf, type Reference } from '../../live/references';

/**
 * `live-missing-reference`: an object the resource needs (its namespace, a Secret or ConfigMap it
 * mounts or reads, its ServiceAccount, a claim, a StorageClass, IngressClass or PriorityClass) does
 * not exist in the target cluster, and the repository does not create it either. Objects another
 * object of the repository generates (the Secret of an ExternalSecret or a cert-manager Certificate,
 * the namespace of a HelmRelease with `createNamespace`) are reported only when that generator is
 * already in the cluster and has not produced them: before it is synced, their absence is expected.
 * Nothing is concluded where the state cannot tell (kind not fetched, list forbidden).
 */

const RULE = 'live-missing-reference';

/** An object of the repository that makes another object once it runs in the cluster. */
interface Generator {
	group: string;
	kind: string;
	name: string;
	namespace?: string;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

/** Whether a repository object declared in namespace `declared` lands in `wanted`. */
function sameNamespace(ctx: LiveContext, declared: string | undefined, wanted: string | undefined): boolean {
	if (wanted === undefined) return true; // cluster-scoped
	if (declared === wanted) return true;
	// Raw files: kustomize, Flux or Argo CD may still set the namespace of an object that has none.
	if (declared === undefined) return !ctx.objects.complete || wanted === 'default';
	return false;
}

function declares(ctx: LiveContext, kind: string, group: string, name: string, namespace: string | undefined): boolean {
	return ctx.objects.ofKind(kind).some((o) => groupOf(o.apiVersion) === group && o.name === name && sameNamespace(ctx, o.namespace, namespace));
}

function secretGenerators(ctx: LiveContext, name: string, namespace: string): Generator[] {
	const out: Generator[] = [];
	const add = (o: IndexedObject, produced: unknown) => {
		if (produced === name && o.name && sameNamespace(ctx, o.namespace, namespace)) out.push({ group: groupOf(o.apiVersion), kind: o.kind, name: o.name, namespace });
	};
	for (const o of ctx.objects.ofKind('ExternalSecret')) {
		if (groupOf(o.apiVersion) !== 'external-secrets.io') continue;
		const target = isPlainObject(o.value.spec) && isPlainObject(o.value.spec.target) ? o.value.spec.target : {};
		add(o, typeof target.name === 'string' && target.name !== '' ? target.name : o.name);
	}
	for (const o of ctx.objects.ofKind('Certificate')) if (groupOf(o.apiVersion) === 'cert-manager.io' && isPlainObject(o.value.spec)) add(o, o.value.spec.secretName);
	for (const o of ctx.objects.ofKind('SealedSecret')) if (groupOf(o.apiVersion) === 'bitnami.com') add(o, o.name);
	// cert-manager's ingress-shim issues a Certificate for each TLS entry of an annotated Ingress.
	for (const o of ctx.objects.ofKind('Ingress')) {
		const ann = isPlainObject(o.value.metadata) && isPlainObject(o.value.metadata.annotations) ? o.value.metadata.annotations : {};
		if (!('cert-manager.io/cluster-issuer' in ann) && !('cert-manager.io/issuer' in ann)) continue;
		const tls = isPlainObject(o.value.spec) && Array.isArray(o.value.spec.tls) ? o.value.spec.tls : [];
		for (const t of tls) if (isPlainObject(t)) add(o, t.secretName);
	}
	return out;
}

function namespaceGenerators(ctx: LiveContext, name: string): Generator[] {
	const out: Generator[] = [];
	for (const o of ctx.objects.ofKind('HelmRelease')) {
		const spec = o.value.spec;
		if (groupOf(o.apiVersion) !== 'helm.toolkit.fluxcd.io' || !isPlainObject(spec) || !isPlainObject(spec.install) || spec.install.createNamespace !== true) continue;
		if ((typeof spec.targetNamespace === 'string' ? spec.targetNamespace : o.namespace) === name && o.name) out.push({ group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease', name: o.name, namespace: o.namespace });
	}
	for (const o of ctx.objects.ofKind('Application')) {
		const spec = o.value.spec;
		if (groupOf(o.apiVersion) !== 'argoproj.io' || !isPlainObject(spec) || !isPlainObject(spec.destination) || spec.destination.namespace !== name) continue;
		const opts = isPlainObject(spec.syncPolicy) && Array.isArray(spec.syncPolicy.syncOptions) ? spec.syncPolicy.syncOptions : [];
		if (opts.includes('CreateNamespace=true') && o.name) out.push({ group: 'argoproj.io', kind: 'Application', name: o.name, namespace: o.namespace });
	}
	return out;
}

function describe(kind: string, name: string, namespace: string | undefined): string {
	return namespace === undefined ? `${kind} "${name}"` : `${kind} "${name}" in namespace ${namespace}`;
}

/** The problem for one reference, or undefined when it exists, is created by the repo, or the state cannot tell. */
function check(ctx: LiveContext, ref: { group: string; kind: string; name: string; namespace?: string; path: (string | number)[]; use: string; consequence: string; severity?: SchemaProblem['severity'] }): SchemaProblem | undefined {
	const exists = ctx.index.exists(ref.group, ref.kind, ref.name, ref.namespace);
	if (exists !== false || declares(ctx, ref.kind, ref.group, ref.name, ref.namespace)) return undefined;
	const what = describe(ref.kind, ref.name, ref.namespace);
	const generators = ref.kind === 'Secret' && ref.group === '' ? secretGenerators(ctx, ref.name, ref.namespace!) : ref.kind === 'Namespace' && ref.group === '' ? namespaceGenerators(ctx, ref.name) : [];
	const at = { ruleId: RULE, path: ref.path, target: 'value' as const };
	if (generators.length > 0) {
		// Created on sync by a generator of the repository: only a generator that runs and has not produced it is a problem.
		const running = generators.find((g) => ctx.index.exists(g.group, g.kind, g.name, g.namespace) === true);
		if (!running) return undefined;
		const gen = describe(running.kind, running.name, running.namespace);
		return { ...at, severity: 'warning', message: `${what} (${ref.use}) does not exist in ${ctx.where}, although ${gen} of this repository, which creates it, is there: ${ref.consequence}. Check the status of that ${running.kind} (kubectl describe ${running.kind.toLowerCase()}).` };
	}
	return {
		...at,
		...(ref.severity ? { severity: ref.severity } : {}),
		message: `${what} (${ref.use}) does not exist in ${ctx.where}, and this repository does not create it: ${ref.consequence}. Create it in that cluster or in the repository, or fix the name.`,
	};
}

/** Whether objects of the resource's kind are namespaced, from the cluster's discovery (undefined: unknown). */
function namespacedKind(ctx: LiveContext): boolean | undefined {
	const served = ctx.index.servedKinds(ctx.resource.apiVersion)?.find((k) => k.kind === ctx.resource.kind);
	if (served) return served.namespaced;
	return ctx.index.crd(ctx.resource.group, ctx.resource.kind)?.namespaced;
}

export const missingReferenceCheck: LiveCheck = {
	id: RULE,
	check(ctx): SchemaProblem[] {
		const r = ctx.resource;
		if (!isClusterObject(r)) return [];
		const namespaced = namespacedKind(ctx) ?? r.namespace !== undefined;
		// Without a namespace in a raw file, the object's namespace is decided later (kustomize, Flux, Argo CD): its namespaced references cannot be looked up.
		const ns = !namespaced ? undefined : (r.namespace ?? (ctx.objects.complete ? 'default' : undefined));
		if (namespaced && r.namespace !== undefined && !(r.group === '' && r.kind === 'Namespace')) {
			const p = check(ctx, { group: '', kind: 'Namespace', name: r.namespace, path: ['metadata', 'namespace'], use: 'this object\'s namespace', consequence: `applying the ${r.kind} fails (namespaces "${r.namespace}" not found)` });
			// Everything namespaced is missing with its namespace: the namespace is the one finding.
			if (p) return [p];
		}
		const out: SchemaProblem[] = [];
		for (const ref of referencesOf(r) as Reference[]) {
			if (ref.namespaced && ns === undefined) continue;
			const p = check(ctx, { ...ref, namespace: ref.namespaced ? ns : undefined });
			if (p) out.push(p);
		}
		return out;
	},
};
