import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore, type RepoReader } from '../../server/src/engine/fleet/reader';
import { TargetRenderer } from '../../server/src/engine/fleet/targets';
import { ownersOf } from '../../server/src/engine/drift/owners';
import { builtinResources } from '../../server/src/engine/live/builtin-apis';
import { applyServerDefaults } from './defaults';
import { recordWrite } from './managed-fields';
import { groupOf, type Obj } from './store';
import { serverApply, serverUpdate, withFluxOwner } from './writes';

/**
 * A fixture's `deploy` and `drifts`: what Flux would have applied to the cluster from a
 * repository (each object the cluster receives, applied by kustomize-controller with Flux's
 * ownership labels, only where the cluster serves its API version), then the planted drift:
 * fields other managers changed, objects deleted by hand, objects left behind.
 *
 * ```yaml
 * deploy: { repo: ../../../examples/fleet, cluster: prod-us-east-1, daysAgo: 3 }
 * drifts:
 *   - { manager: kubectl-set, minutesAgo: 120, target: {apiVersion: apps/v1, kind: Deployment, namespace: podinfo, name: podinfo},
 *       set: { 'spec.template.spec.containers[0].image': 'ghcr.io/stefanprodan/podinfo:6.5.4' } }
 *   - { delete: {apiVersion: policy/v1, kind: PodDisruptionBudget, namespace: podinfo, name: podinfo} }
 *   - { manager: kubectl-create, minutesAgo: 600, create: { ...an object... } }
 * ```
 */

export interface DeploySpec {
	repo: string;
	cluster: string;
	daysAgo?: number;
}

interface Target {
	apiVersion: string;
	kind: string;
	name: string;
	namespace?: string;
}

export interface DriftSpec {
	manager?: string;
	minutesAgo?: number;
	target?: Target;
	/** Dotted paths (`a.b[0].c`) to values. */
	set?: Record<string, unknown>;
	delete?: Target;
	create?: Obj;
}

function diskReader(root: string): RepoReader {
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			if (name === '.git' || name === 'node_modules') continue;
			const p = join(dir, name);
			if (statSync(p).isDirectory()) walk(p);
			else files.push(relative(root, p).split(sep).join('/'));
		}
	};
	walk(root);
	files.sort();
	return { files: () => files, read: (p) => (files.includes(p) ? readFileSync(join(root, p), 'utf8') : undefined) };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function setPath(o: Obj, path: string, value: unknown): void {
	const keys = path.match(/[^.[\]]+/g) ?? [];
	let cur: any = o;
	keys.slice(0, -1).forEach((k, i) => {
		const next = keys[i + 1];
		cur[k] ??= /^\d+$/.test(next) ? [] : {};
		cur = cur[k];
	});
	cur[keys[keys.length - 1]] = value;
}

/** Whether the cluster (its built-in APIs at `minor`, and the CRDs among `objects`) serves this apiVersion and kind. */
function served(o: Obj, minor: number, objects: Obj[]): boolean {
	const group = groupOf(String(o.apiVersion));
	const version = String(o.apiVersion).split('/').pop();
	if (builtinResources(minor).some((d) => d.group === group && d.version === version && d.kind === o.kind)) return true;
	return objects.some((c) => c.kind === 'CustomResourceDefinition' && c.spec?.group === group && c.spec?.names?.kind === o.kind && (c.spec?.versions ?? []).some((v: Obj) => v.name === version && v.served !== false));
}

/** The fixture's objects with the deployment and the planted drift applied (fixture objects the repository also declares are applied over). */
export function deployFixture(base: string, objects: Obj[], minor: number, deploy: DeploySpec, drifts: DriftSpec[], now = Date.now()): Obj[] {
	const store = new DocumentStore(diskReader(resolve(base, deploy.repo)));
	const model = discoverFleet(store);
	const cluster = model.clusters.find((c) => c.name === deploy.cluster);
	if (!cluster) throw new Error(`deploy: the repository has no cluster ${deploy.cluster}`);
	const render = new TargetRenderer(store).renderAll(model).find((r) => r.cluster === deploy.cluster);
	const owners = ownersOf(cluster, store);
	const byId = new Map<string, Obj>();
	const id = (o: Obj) => `${groupOf(o.apiVersion)}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
	for (const o of objects) byId.set(id(o), o);
	const applied = iso(now - (deploy.daysAgo ?? 3) * 86_400_000);
	const namespaced = new Map(builtinResources(minor).map((d) => [`${d.group}|${d.kind}`, d.namespaced]));
	for (const { object, via } of render?.objects ?? []) {
		if (!served(object.value, minor, objects)) continue;
		const owner = owners.find((o) => o.path === via && o.kind === 'flux-kustomization');
		let sent = owner ? withFluxOwner(object.value, { name: owner.name, namespace: owner.namespace ?? 'flux-system' }) : structuredClone(object.value);
		const isNs = namespaced.get(`${groupOf(sent.apiVersion)}|${sent.kind}`) ?? sent.metadata?.namespace !== undefined;
		if (isNs && !sent.metadata.namespace) sent = { ...sent, metadata: { ...sent.metadata, namespace: owner?.targetNamespace ?? 'default' } };
		byId.set(id(sent), serverApply(byId.get(id(sent)), sent, { manager: 'kustomize-controller', time: applied }));
	}
	for (const d of drifts) {
		const time = iso(now - (d.minutesAgo ?? 60) * 60_000);
		if (d.delete) byId.delete(id({ ...d.delete, metadata: d.delete }));
		if (d.create) {
			const o = structuredClone(d.create);
			applyServerDefaults(o);
			recordWrite(undefined, o, { manager: d.manager ?? 'kubectl-create', operation: 'Update', time });
			byId.set(id(o), o);
		}
		if (d.target && d.set) {
			const key = id({ ...d.target, metadata: d.target });
			const existing = byId.get(key);
			if (!existing) throw new Error(`drifts: no ${d.target.kind} ${d.target.namespace ?? ''}/${d.target.name} to change`);
			byId.set(key, serverUpdate(existing, (o) => Object.entries(d.set!).forEach(([p, v]) => setPath(o, p, v)), { manager: d.manager ?? 'kubectl-edit', time }));
		}
	}
	return [...byId.values()];
}
