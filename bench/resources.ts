/**
 * Builders of realistic fleet resources for the benchmark corpus. Each returns a plain object that
 * the generator serialises with the `yaml` package; randomness comes only from the seeded Rng.
 */
import type { Rng } from './prng';

export type Obj = Record<string, unknown>;

export const TEAMS = ['payments', 'checkout', 'search', 'identity', 'platform', 'data', 'ml', 'growth', 'media', 'support', 'billing', 'notify'];
const NOUNS = ['api', 'worker', 'gateway', 'indexer', 'scheduler', 'web', 'sync', 'ledger', 'router', 'cache', 'events', 'reports'];
export const ENVS = ['dev', 'staging', 'prod'];
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'];
const CHARTS = [
	['ingress-nginx', 'https://kubernetes.github.io/ingress-nginx', '4.10.1'],
	['cert-manager', 'https://charts.jetstack.io', 'v1.14.5'],
	['external-dns', 'https://kubernetes-sigs.github.io/external-dns', '1.14.4'],
	['kube-prometheus-stack', 'https://prometheus-community.github.io/helm-charts', '58.2.2'],
	['velero', 'https://vmware-tanzu.github.io/helm-charts', '6.0.0'],
	['kyverno', 'https://kyverno.github.io/kyverno', '3.2.2'],
	['external-secrets', 'https://charts.external-secrets.io', '0.9.18'],
	['metrics-server', 'https://kubernetes-sigs.github.io/metrics-server', '3.12.1'],
] as const;

export interface App {
	team: string;
	name: string;
	port: number;
	image: string;
}

export function makeApps(rng: Rng, count: number): App[] {
	const apps: App[] = [];
	const seen = new Set<string>();
	while (apps.length < count) {
		const team = rng.pick(TEAMS);
		let name = `${team}-${rng.pick(NOUNS)}`;
		if (seen.has(name)) name = `${name}-${rng.token(3)}`;
		if (seen.has(name)) continue;
		seen.add(name);
		apps.push({ team, name, port: rng.pick([8080, 8000, 3000, 9090, 5000]), image: `registry.example.com/${team}/${name}:${rng.int(1, 4)}.${rng.int(0, 30)}.${rng.int(0, 9)}` });
	}
	return apps;
}

function labels(app: App): Obj {
	return { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/part-of': app.team, 'app.kubernetes.io/managed-by': 'flux' };
}

export function deployment(rng: Rng, app: App, namespace?: string): Obj {
	const envVars = Array.from({ length: rng.int(2, 6) }, (_, i) => ({ name: `${app.name.toUpperCase().replace(/-/g, '_')}_OPT_${i}`, value: rng.token(8) }));
	const container: Obj = {
		name: app.name,
		image: app.image,
		imagePullPolicy: 'IfNotPresent',
		ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
		env: [...envVars, { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
		envFrom: [{ configMapRef: { name: `${app.name}-config` } }],
		resources: {
			requests: { cpu: `${rng.pick([50, 100, 250, 500])}m`, memory: `${rng.pick([64, 128, 256, 512])}Mi` },
			limits: { cpu: `${rng.pick([500, 1000, 2000])}m`, memory: `${rng.pick([256, 512, 1024])}Mi` },
		},
		readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
		livenessProbe: { httpGet: { path: '/livez', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 20, failureThreshold: 3 },
		securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
		volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
	};
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: { name: app.name, ...(namespace ? { namespace } : {}), labels: labels(app) },
		spec: {
			replicas: rng.int(1, 6),
			revisionHistoryLimit: 5,
			selector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
			strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
			template: {
				metadata: { labels: labels(app), annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(app.port) } },
				spec: {
					serviceAccountName: app.name,
					securityContext: { runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
					containers: [container],
					volumes: [{ name: 'tmp', emptyDir: {} }],
					topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': app.name } } }],
				},
			},
		},
	};
}

export function service(app: App, namespace?: string): Obj {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: { name: app.name, ...(namespace ? { namespace } : {}), labels: labels(app) },
		spec: {
			type: 'ClusterIP',
			selector: { 'app.kubernetes.io/name': app.name },
			ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
		},
	};
}

export function serviceAccount(name: string, namespace?: string): Obj {
	return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, ...(namespace ? { namespace } : {}) }, automountServiceAccountToken: false };
}

export function configMap(rng: Rng, name: string, namespace?: string): Obj {
	const data: Record<string, string> = {};
	for (let i = 0, n = rng.int(3, 9); i < n; i++) data[`${rng.pick(['LOG', 'FEATURE', 'CACHE', 'DB', 'QUEUE', 'HTTP'])}_${rng.token(4).toUpperCase()}`] = rng.pick(['true', 'false', 'info', 'debug', rng.token(12), `${rng.int(1, 600)}s`]);
	if (rng.chance(0.3)) data['app.properties'] = Array.from({ length: rng.int(2, 6) }, () => `${rng.token(6)}.${rng.token(5)}=${rng.token(10)}`).join('\n') + '\n';
	return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data };
}

export function hpa(rng: Rng, app: App, namespace?: string): Obj {
	const min = rng.int(1, 3);
	return {
		apiVersion: 'autoscaling/v2',
		kind: 'HorizontalPodAutoscaler',
		metadata: { name: app.name, ...(namespace ? { namespace } : {}) },
		spec: {
			scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
			minReplicas: min,
			maxReplicas: min + rng.int(2, 20),
			metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: rng.pick([60, 70, 80]) } } }],
		},
	};
}

export function ingress(app: App, host: string): Obj {
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'Ingress',
		metadata: { name: app.name, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
		spec: {
			ingressClassName: 'nginx',
			tls: [{ hosts: [host], secretName: `${app.name}-tls` }],
			rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.name, port: { name: 'http' } } } }] } }],
		},
	};
}

export function namespace(name: string, team: string): Obj {
	return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team, 'pod-security.kubernetes.io/enforce': 'baseline' } } };
}

export function kustomization(resources: string[], extra: Obj = {}): Obj {
	return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources, ...extra };
}

export function fluxKustomization(rng: Rng, name: string, path: string, dependsOn?: string): Obj {
	return {
		apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
		kind: 'Kustomization',
		metadata: { name, namespace: 'flux-system' },
		spec: {
			interval: `${rng.pick([5, 10, 30])}m`,
			retryInterval: '1m',
			timeout: '5m',
			path: `./${path}`,
			prune: true,
			wait: rng.chance(0.5),
			sourceRef: { kind: 'GitRepository', name: 'fleet' },
			...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
		},
	};
}

export function gitRepository(name: string): Obj {
	return {
		apiVersion: 'source.toolkit.fluxcd.io/v1',
		kind: 'GitRepository',
		metadata: { name, namespace: 'flux-system' },
		spec: { interval: '1m', url: 'ssh://git@github.com/example/fleet', ref: { branch: 'main' }, secretRef: { name: 'flux-system' } },
	};
}

export function helmRepository(chart: number): Obj {
	const [name, url] = CHARTS[chart];
	return { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name, namespace: 'flux-system' }, spec: { interval: '24h', url } };
}

export function helmRelease(rng: Rng, chart: number, env: string): Obj {
	const [name, , version] = CHARTS[chart];
	return {
		apiVersion: 'helm.toolkit.fluxcd.io/v2',
		kind: 'HelmRelease',
		metadata: { name, namespace: 'flux-system' },
		spec: {
			interval: '30m',
			targetNamespace: name,
			chart: { spec: { chart: name, version, sourceRef: { kind: 'HelmRepository', name } } },
			install: { createNamespace: true, remediation: { retries: 3 } },
			upgrade: { remediation: { retries: 3, remediateLastFailure: true } },
			values: { replicaCount: env === 'prod' ? 3 : 1, resources: { requests: { cpu: `${rng.pick([50, 100])}m`, memory: '128Mi' } }, podLabels: { env } },
		},
	};
}

export function clusterClaim(rng: Rng, env: string, region: string): Obj {
	// AWS region names throughout, so the provider/region check has nothing to say.
	return {
		apiVersion: 'platform.gitops.io/v1alpha1',
		kind: 'ClusterClaim',
		metadata: { name: `${env}-${region}` },
		spec: {
			cloudProvider: 'aws',
			// Bigger fleets (the growth runs) number their regions: `us-east-1-2` is a second cluster in us-east-1.
			region: region.replace(/-\d+-\d+$/, (m) => m.slice(0, m.lastIndexOf('-'))),
			environment: env,
			kubernetes: { version: '1.30' },
			nodeGroups: [
				{ name: 'system', instanceType: 'm6i.large', minSize: 2, maxSize: 4 },
				{ name: 'workers', instanceType: rng.pick(['m6i.xlarge', 'c6i.2xlarge']), minSize: 3, maxSize: rng.int(6, 30) },
			],
			addons: ['cert-manager', 'external-dns', 'kyverno'],
		},
	};
}
