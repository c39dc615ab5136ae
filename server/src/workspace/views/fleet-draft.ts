import { stringify } from 'yaml';
import type { FleetModel } from '../../engine/fleet/types';

/**
 * Create Fleet file: a Fleet file (platform.gitops.io/v1alpha1) written from what Fleetscope
 * inferred from the repository's layout (environments from overlay and cluster names, clusters from
 * Flux and Argo CD objects, apps from overlays), for the user to review, correct and save. Facts
 * that were guessed are named in the header, so nothing guessed passes for declared.
 */
export function fleetFileDraft(fleet: FleetModel, name: string): string {
	const guessed: string[] = [];
	for (const c of fleet.clusters) if (c.inferred.length > 0) guessed.push(`${c.name}: ${c.inferred.join(', ')}`);
	const environments = [...fleet.environments]
		.sort((a, b) => a.order - b.order)
		.map((e) => (e.promotesFrom.length > 0 ? { name: e.name, promotion: { from: e.promotesFrom[0] } } : { name: e.name }));
	const clusters = fleet.clusters.map((c) => {
		const path = c.syncs.find((s) => s.kind === 'fleet' || s.kind === 'flux-kustomization' || s.kind === 'argo-application')?.path;
		return {
			name: c.name,
			environment: c.environment ?? 'CHANGE-ME',
			...(c.region ? { region: c.region } : {}),
			...(c.provider ? { provider: c.provider } : {}),
			...(c.claim ? { claim: c.claim } : {}),
			...(c.kubeContext ? { kubeContext: c.kubeContext } : {}),
			...(path ? { path } : {}),
		};
	});
	const apps = fleet.apps
		.filter((a) => Object.keys(a.paths).length > 0)
		.map((a) => ({ name: a.name, ...(a.facts.owner ? { owner: a.facts.owner } : {}), environments: Object.fromEntries(Object.entries(a.paths).map(([env, paths]) => [env, paths[0]])) }));
	const doc = {
		apiVersion: 'platform.gitops.io/v1alpha1',
		kind: 'Fleet',
		metadata: { name: name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'fleet' },
		spec: { environments, clusters, ...(apps.length > 0 ? { apps } : {}) },
	};
	const header = [
		'# The fleet: environments in promotion order, the clusters that run them, the apps and where each',
		'# environment deploys them. Drafted by Fleetscope from what it inferred from this repository:',
		'# review every value, add what it cannot know (owners, criticality, recovery objectives), and save.',
		...(guessed.length > 0 ? ['# Guessed from names and layout:', ...guessed.map((g) => `#   ${g}`)] : []),
		...(fleet.clusters.length === 0 ? ['# No cluster was found: add one per cluster (name, environment, region, provider, claim, path).'] : []),
	];
	return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}
