/**
 * `npm run bench` (last), or `node --expose-gc --import tsx bench/drift.ts` alone: drift at fleet
 * scale. A repository of 5 clusters, each receiving 2,000 objects rendered from kustomize overlays
 * (Deployments, Services, ConfigMaps, ServiceAccounts, Secrets), and for each cluster the live
 * objects as the API server holds them (kube-sim's defaults, canonical quantities and managedFields
 * from kustomize-controller, 1 % edited by kubectl, a few deleted or left behind). Measures: the
 * heap the 5 clusters' live state holds once cut down to what Git declares (target under 150 MB),
 * and the time of `computeDrift` over the 5 clusters with source lines (target under 2 s). It
 * measures and prints; it asserts nothing.
 */
import { discoverFleet } from '../server/src/engine/fleet/discover';
import { DocumentStore } from '../server/src/engine/fleet/reader';
import { TargetRenderer } from '../server/src/engine/fleet/targets';
import { computeDrift, driftInputs, DriftProjection, storeLocator, type LiveFor } from '../server/src/engine/drift';
import { groupOf } from '../server/src/engine/drift/identity';
import type { LiveKindObjects, LiveObjects } from '../server/src/engine/live/full-objects';
import { serverApply, serverUpdate, withFluxOwner } from '../tools/kube-sim/writes';
import type { Obj } from '../tools/kube-sim/store';

const CLUSTERS = 5;
const APPS = 400; // 5 objects each: 2,000 per cluster

function repo(): Record<string, string> {
	const files: Record<string, string> = {};
	for (let a = 0; a < APPS; a++) {
		const dir = `apps/base/app-${a}`;
		files[`${dir}/kustomization.yaml`] = 'resources:\n  - deployment.yaml\n  - service.yaml\n  - config.yaml\n  - sa.yaml\n  - secret.yaml\n';
		files[`${dir}/deployment.yaml`] = [
			'apiVersion: apps/v1',
			'kind: Deployment',
			'metadata:',
			`  name: app-${a}`,
			`  labels: {app.kubernetes.io/name: app-${a}, team: t${a % 20}}`,
			'spec:',
			'  replicas: 2',
			`  selector: {matchLabels: {app: app-${a}}}`,
			'  template:',
			`    metadata: {labels: {app: app-${a}}}`,
			'    spec:',
			'      containers:',
			'        - name: app',
			`          image: ghcr.io/acme/app-${a}:1.0.${a % 10}`,
			'          ports: [{containerPort: 8080}]',
			'          env: [{name: LOG_LEVEL, value: info}, {name: REGION, value: eu}]',
			'          resources: {requests: {cpu: 0.25, memory: 256Mi}, limits: {memory: 512Mi}}',
			'',
		].join('\n');
		files[`${dir}/service.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${a}\nspec:\n  selector: {app: app-${a}}\n  ports: [{port: 80, targetPort: 8080}]\n`;
		files[`${dir}/config.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${a}\ndata:\n  greeting: hello-${a}\n  mode: fast\n`;
		files[`${dir}/sa.yaml`] = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-${a}\n`;
		files[`${dir}/secret.yaml`] = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-${a}\nstringData:\n  token: t-${a}\n`;
	}
	for (let c = 0; c < CLUSTERS; c++) {
		const name = `prod-${c}`;
		files[`clusters/${name}/apps.yaml`] = `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/${name}\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n`;
		const resources = Array.from({ length: APPS }, (_, a) => `  - ../base/app-${a}`).join('\n');
		files[`apps/${name}/kustomization.yaml`] = `namespace: apps\nresources:\n${resources}\npatches:\n  - path: replicas.yaml\n    target: {kind: Deployment}\nimages:\n  - name: ghcr.io/acme/app-7\n    newTag: 2.0.${c}\n`;
		files[`apps/${name}/replicas.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\nspec:\n  replicas: ${3 + c}\n`;
	}
	return files;
}

function mb(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<void> {
	const files = repo();
	const store = new DocumentStore({ files: () => Object.keys(files).sort(), read: (p) => files[p] });
	const model = discoverFleet(store);
	const renders = new TargetRenderer(store).renderAll(model);
	const projection = DriftProjection.fromRenders(renders);
	const perCluster = renders.map((r) => r.objects.length);
	console.log(`repository: ${Object.keys(files).length} files; ${renders.length} clusters receiving ${perCluster.join(', ')} objects`);

	global.gc?.();
	const before = process.memoryUsage().heapUsed;
	// What each API server holds: applied by kustomize-controller, then 1 % edited by kubectl, a few deleted, a few left behind.
	const serverHolds = (r: (typeof renders)[number]): Obj[] => {
		const list = r.objects.flatMap(({ object }, i) => {
			const sent = withFluxOwner(object.value, { name: 'apps', namespace: 'flux-system' });
			if (sent.kind !== 'Kustomization' && !sent.metadata.namespace) sent.metadata.namespace = 'apps';
			let o = serverApply(undefined, sent, { manager: 'kustomize-controller', time: '2026-05-01T10:00:00Z' });
			if (i % 100 === 7 && o.kind === 'Deployment') o = serverUpdate(o, (x) => (x.spec.template.spec.containers[0].env[0].value = 'debug'), { manager: 'kubectl-edit', time: '2026-05-01T11:00:00Z' });
			if (i % 500 === 3) return [];
			return [o];
		});
		for (let n = 0; n < 5; n++) list.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `left-${n}`, namespace: 'apps', labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } }, data: { a: 'b' } });
		return list;
	};

	// The live state as a host keeps it: each object projected as it is read (as JSON off the wire), the full one dropped.
	const live = new Map<string, LiveFor>();
	let fullBytes = 0;
	renders.forEach((r) => {
		const kinds: Record<string, LiveKindObjects> = {};
		for (const k of projection.kinds()) kinds[`${k.group}|${k.kind}`] = { group: k.group, kind: k.kind, namespaced: k.kind !== 'Namespace', coverage: 'complete', items: [], ...(k.kind === 'Secret' ? { metadataOnly: true } : {}) };
		for (const o of serverHolds(r)) {
			const text = JSON.stringify(o);
			fullBytes += text.length;
			const p = projection.project(JSON.parse(text));
			if (p) kinds[`${groupOf(o.apiVersion)}|${o.kind}`]?.items.push(p);
		}
		const objects: LiveObjects = { cluster: r.cluster, origin: 'live', fetchedAt: new Date().toISOString(), kinds };
		live.set(r.cluster, { objects, context: r.cluster });
	});
	global.gc?.();
	const after = process.memoryUsage().heapUsed;
	const liveObjects = [...live.values()].reduce((n, l) => n + Object.values(l.objects!.kinds).reduce((m, k) => m + k.items.length, 0), 0);
	console.log(`live state: ${liveObjects} objects in ${CLUSTERS} clusters (${mb(fullBytes)} of full objects as JSON); heap held ${mb(after - before)} (target < 150 MB)${global.gc ? '' : ' (run with --expose-gc for an exact figure)'}`);

	const inputs = driftInputs(model, renders, store, live);
	const runs: number[] = [];
	let report;
	for (let i = 0; i < 3; i++) {
		const t = performance.now();
		report = computeDrift(inputs, { locate: storeLocator(store) });
		runs.push(performance.now() - t);
	}
	// The editor computes one cluster at a time and serves requests in between: the longest block a keystroke can wait for.
	const blocks = inputs.map((input) => {
		const t = performance.now();
		computeDrift([input], { locate: storeLocator(store) });
		return performance.now() - t;
	});
	console.log(`one cluster at a time (as the editor computes it): the longest block ${Math.max(...blocks).toFixed(0)} ms (a keystroke waits at most that long for drift)`);
	const states = new Map<string, number>();
	for (const c of report!.clusters) for (const o of c.objects) states.set(o.state, (states.get(o.state) ?? 0) + 1);
	console.log(`computeDrift, ${CLUSTERS} clusters x ${perCluster[0]} objects: first ${runs[0].toFixed(0)} ms (source lines parsed), then ${runs.slice(1).map((r) => r.toFixed(0)).join(' ms, ')} ms (target < 2,000 ms)`);
	console.log(`states: ${[...states].map(([s, n]) => `${n} ${s}`).join(', ')}`);
}

void main();
