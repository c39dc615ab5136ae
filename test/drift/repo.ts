/**
 * A small Flux fleet for the drift tests: one production cluster syncing `apps/production`, an
 * overlay of `apps/base/web` that sets the namespace, patches the replicas and sets the image tag
 * through `images` (so each drifted value maps to a different source line).
 */
export const DRIFT_REPO: Record<string, string> = {
	'clusters/prod-eu-west-1/apps.yaml': [
		'apiVersion: kustomize.toolkit.fluxcd.io/v1',
		'kind: Kustomization',
		'metadata:',
		'  name: apps',
		'  namespace: flux-system',
		'spec:',
		'  interval: 10m',
		'  path: ./apps/production',
		'  prune: true',
		'  sourceRef:',
		'    kind: GitRepository',
		'    name: flux-system',
		'',
	].join('\n'),
	'apps/base/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n  - config.yaml\n',
	'apps/base/web/deployment.yaml': [
		'apiVersion: apps/v1', // 1
		'kind: Deployment', // 2
		'metadata:', // 3
		'  name: web', // 4
		'  labels:', // 5
		'    app.kubernetes.io/name: web', // 6
		'spec:', // 7
		'  replicas: 2', // 8
		'  selector:', // 9
		'    matchLabels: {app: web}', // 10
		'  template:', // 11
		'    metadata:', // 12
		'      labels: {app: web}', // 13
		'    spec:', // 14
		'      containers:', // 15
		'        - name: web', // 16
		'          image: ghcr.io/acme/web:1.0.0', // 17
		'          args: []', // 18
		'          ports:', // 19
		'            - containerPort: 8080', // 20
		'          env:', // 21
		'            - name: LOG_LEVEL', // 22
		'              value: info', // 23
		'            - name: MODE', // 24
		'              value: fast', // 25
		'          resources:', // 26
		'            requests: {cpu: 0.5, memory: 1024Mi}', // 27
		'            limits: {memory: 1Gi}', // 28
		'',
	].join('\n'),
	'apps/base/web/service.yaml': [
		'apiVersion: v1',
		'kind: Service',
		'metadata:',
		'  name: web',
		'  annotations: {}',
		'spec:',
		'  selector: {app: web}',
		'  ports:',
		'    - port: 80',
		'      targetPort: 8080',
		'',
	].join('\n'),
	'apps/base/web/config.yaml': ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: web-config', 'data:', '  greeting: hello', ''].join('\n'),
	'apps/production/kustomization.yaml': [
		'namespace: web', // 1
		'resources:', // 2
		'  - ../base/web', // 3
		'  - secret.yaml', // 4
		'patches:', // 5
		'  - path: replicas-patch.yaml', // 6
		'images:', // 7
		'  - name: ghcr.io/acme/web', // 8
		'    newTag: 1.2.0', // 9
		'',
	].join('\n'),
	'apps/production/replicas-patch.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 3', ''].join('\n'),
	'apps/production/secret.yaml': ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: web-token', '  labels: {team: web}', 'stringData:', '  token: s3cr3t', ''].join('\n'),
};
