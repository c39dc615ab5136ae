/**
 * A small fleet for the promotion tests: dev → staging (24h soak) → production (72h soak, 2
 * approvals), one cluster per environment synced from `apps/checkout/<env>`, and the app
 * `checkout` whose overlays set the image with kustomize `images`. Production runs 2.3.1 and is
 * behind staging's 2.4.0.
 */

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: checkout
  labels:
    app: checkout
spec:
  replicas: 2
  selector:
    matchLabels:
      app: checkout
  template:
    metadata:
      labels:
        app: checkout
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: checkout
          image: ghcr.io/acme/checkout:1.0.0
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: ["ALL"]
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
`;

export function overlay(tag: string, digest?: string, comment = ''): string {
	return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
images:
  - name: ghcr.io/acme/checkout # the checkout service${comment}
    newTag: ${tag} # set by promotion
${digest ? `    digest: ${digest}\n` : ''}`;
}

export interface FleetOptions {
	productionReviewers?: string[];
	productionApprovals?: number;
	style?: 'value' | 'directory';
}

export function fleetFile(o: FleetOptions = {}): string {
	const reviewers = o.productionReviewers ?? ['alice', 'acme/release-managers'];
	return `apiVersion: platform.gitops.io/v1alpha1
kind: Fleet
metadata:
  name: shop
spec:
  environments:
    - name: dev
    - name: staging
      promotion:
        from: dev
        minSoak: 24h
    - name: production
      promotion:
        from: staging
        minSoak: 72h
        approvals: ${o.productionApprovals ?? 2}
${reviewers.length > 0 ? `        reviewers: [${reviewers.join(', ')}]\n` : ''}  clusters:
    - name: dev-1
      environment: dev
      path: apps/checkout/dev
    - name: staging-1
      environment: staging
      path: apps/checkout/staging
    - name: prod-1
      environment: production
      path: apps/checkout/production
  apps:
    - name: checkout
${o.style ? `      promotion:\n        style: ${o.style}\n` : ''}      environments:
        dev: apps/checkout/dev
        staging: apps/checkout/staging
        production: apps/checkout/production
`;
}

export const STAGING_DIGEST = 'sha256:2222222222222222222222222222222222222222222222222222222222222222';
export const PROD_DIGEST = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

export function checkoutFleet(o: FleetOptions = {}): Record<string, string> {
	return {
		'fleet.yaml': fleetFile(o),
		'apps/checkout/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
		'apps/checkout/base/deployment.yaml': DEPLOYMENT,
		'apps/checkout/dev/kustomization.yaml': overlay('2.5.0'),
		'apps/checkout/staging/kustomization.yaml': overlay('2.4.0', STAGING_DIGEST),
		'apps/checkout/production/kustomization.yaml': overlay('2.3.1', PROD_DIGEST),
	};
}
