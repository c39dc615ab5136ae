/**
 * Deliberate mistakes planted in the benchmark corpus: the kind of thing people really commit
 * (typos in field names, strings where integers go, misspelt enum values, missing required
 * fields, broken YAML). The harness checks that both servers report them, so a peer that silently
 * validates nothing cannot make the ratios look good.
 */
import type { Rng } from './prng';
import type { Obj } from './resources';

export interface Mutation {
	id: string;
	/** Applies the mistake to the resource; the description says what a reader should see reported. */
	apply(obj: Obj, rng: Rng): string;
}

/** A mistake applied to the serialised text of one document (YAML-level errors). */
export interface TextMutation {
	id: string;
	apply(text: string): { text: string; description: string };
}

// Helpers reach into the generated shapes, which resources.ts defines; `any` keeps them short.
/* eslint-disable @typescript-eslint/no-explicit-any */
const spec = (o: Obj): any => o.spec as any;
const firstContainer = (o: Obj): any => spec(o).template.spec.containers[0];

function rename(obj: any, from: string, to: string): void {
	const entries = Object.entries(obj);
	for (const k of Object.keys(obj)) delete obj[k];
	for (const [k, v] of entries) obj[k === from ? to : k] = v;
}

const byKind: Record<string, Mutation[]> = {
	Deployment: [
		{ id: 'unknown-field', apply: (o) => (rename(firstContainer(o), 'imagePullPolicy', 'imagePullPolcy'), 'unknown field containers[0].imagePullPolcy') },
		{ id: 'wrong-type', apply: (o) => ((spec(o).replicas = String(spec(o).replicas)), 'spec.replicas is a string') },
		{ id: 'missing-required', apply: (o) => (delete spec(o).selector, 'spec.selector is missing') },
		{ id: 'enum', apply: (o) => ((firstContainer(o).imagePullPolicy = 'Sometimes'), 'imagePullPolicy "Sometimes" is not an allowed value') },
	],
	Service: [
		{ id: 'enum', apply: (o) => ((spec(o).type = 'LoadBalancr'), 'spec.type "LoadBalancr" is not an allowed value') },
		{ id: 'wrong-type', apply: (o) => ((spec(o).ports[0].port = 'eighty'), 'spec.ports[0].port is a string') },
	],
	ConfigMap: [
		{
			id: 'wrong-type',
			apply: (o) => {
				(o.data as any).PORT = 8080;
				return 'data.PORT is a number, ConfigMap data values must be strings';
			},
		},
	],
	HorizontalPodAutoscaler: [
		{ id: 'missing-required', apply: (o) => (delete spec(o).maxReplicas, 'spec.maxReplicas is missing') },
		{ id: 'unknown-field', apply: (o) => (rename(spec(o), 'minReplicas', 'minReplica'), 'unknown field spec.minReplica') },
	],
	Ingress: [{ id: 'enum', apply: (o) => ((spec(o).rules[0].http.paths[0].pathType = 'Prefixed'), 'pathType "Prefixed" is not an allowed value') }],
	ServiceAccount: [{ id: 'unknown-field', apply: (o) => (rename(o, 'automountServiceAccountToken', 'automountServiceAccountTokens'), 'unknown field automountServiceAccountTokens') }],
	Namespace: [{ id: 'unknown-field', apply: (o) => ((o.spec = { finalizer: ['kubernetes'] }), 'unknown field spec.finalizer') }],
	'kustomize.toolkit.fluxcd.io/Kustomization': [
		{ id: 'missing-required', apply: (o) => (delete spec(o).prune, 'spec.prune is missing') },
		{ id: 'unknown-field', apply: (o) => (rename(spec(o), 'interval', 'intervall'), 'unknown field spec.intervall (and spec.interval missing)') },
	],
	HelmRelease: [{ id: 'unknown-field', apply: (o) => (rename(spec(o).chart.spec, 'version', 'verison'), 'unknown field spec.chart.spec.verison') }],
	GitRepository: [{ id: 'unknown-field', apply: (o) => ((spec(o).branch = 'main'), 'unknown field spec.branch (belongs under spec.ref)') }],
	HelmRepository: [{ id: 'wrong-type', apply: (o) => ((spec(o).interval = 24), 'spec.interval is a number') }],
	'kustomize.config.k8s.io/Kustomization': [{ id: 'unknown-field', apply: (o) => (rename(o, 'resources', 'resource'), 'unknown field resource') }],
	ClusterClaim: [{ id: 'enum', apply: (o) => ((spec(o).cloudProvider = 'amazon'), 'spec.cloudProvider "amazon" is not an allowed value') }],
};

/** The mistakes that fit a resource, or none. Flux and kustomize both have a `Kustomization`. */
export function mutationsFor(obj: Obj): Mutation[] {
	const kind = String(obj.kind);
	if (kind === 'Kustomization') return byKind[`${String(obj.apiVersion).split('/')[0]}/Kustomization`] ?? [];
	return byKind[kind] ?? [];
}

export const TEXT_MUTATIONS: TextMutation[] = [
	{
		id: 'yaml-syntax',
		apply: (text) => ({ text: `${text.trimEnd()}\nextra: { unclosed: true\n`, description: 'unclosed flow mapping' }),
	},
	{
		id: 'duplicate-key',
		apply: (text) => {
			const lines = text.split('\n');
			const i = lines.findIndex((l) => l.startsWith('kind:'));
			lines.splice(i + 1, 0, lines[i]);
			return { text: lines.join('\n'), description: 'duplicate key kind' };
		},
	},
];
