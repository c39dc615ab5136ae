import { yaml } from '../fleet/helpers';

/**
 * A fleet whose app `checkout` sets its versions every way promotion edits: a HelmRelease's chart
 * version (quoted, with a comment) and values image tag, a Flux GitRepository ref tag, an
 * OCIRepository ref (a digest in staging, a tag in production), a container image reference, and
 * an Argo CD Application's targetRevision (single-quoted).
 */

export const envFiles = (e: string, v: { chart: string; tag: string; git: string; oci: string; image: string; rev: string }) => ({
  [`clusters/${e}/kustomization.yaml`]: 'resources:\n  - helmrelease.yaml\n  - sources.yaml\n  - worker.yaml\n',
  [`clusters/${e}/helmrelease.yaml`]: `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: checkout\n  namespace: checkout\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: checkout\n      version: "${v.chart}" # chart\n      sourceRef:\n        kind: HelmRepository\n        name: acme\n  values:\n    image:\n      repository: ghcr.io/acme/checkout\n      tag: ${v.tag}\n`,
  [`clusters/${e}/sources.yaml`]: `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: checkout\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: https://github.com/acme/checkout-config\n  ref:\n    tag: ${v.git}\n---\napiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata:\n  name: checkout-manifests\n  namespace: flux-system\n  labels:\n    fleetscope.io/app: checkout\nspec:\n  interval: 5m\n  url: oci://ghcr.io/acme/manifests/checkout\n  ref:\n    ${v.oci}\n`,
  [`clusters/${e}/worker.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: checkout\nspec:\n  selector:\n    matchLabels: {app: checkout}\n  template:\n    metadata:\n      labels: {app: checkout}\n    spec:\n      containers:\n        - name: worker\n          image: ${v.image} # the worker\n`,
  [`argo/${e}.yaml`]: `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: checkout\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/acme/checkout-deploy\n    path: deploy\n    targetRevision: '${v.rev}'\n  destination:\n    name: ${e}-1\n    namespace: checkout\n`,
});
const fleet = yaml`
  apiVersion: platform.gitops.io/v1alpha1
  kind: Fleet
  metadata: {name: f}
  spec:
    environments:
      - name: staging
      - name: production
        promotion: {from: staging}
    clusters:
      - {name: staging-1, environment: staging, path: clusters/staging}
      - {name: production-1, environment: production, path: clusters/production}
    apps:
      - name: checkout
        environments: {staging: clusters/staging, production: clusters/production}
`;
export const MECHANISMS: Record<string, string> = { 'fleet.yaml': fleet,
 ...envFiles('staging', { chart: '1.4.0', tag: '2.4.0', git: 'v2.4.0', oci: 'digest: sha256:abcd', image: 'ghcr.io/acme/checkout-worker:2.4.0@sha256:9999', rev: 'v2.4.0' }),
 ...envFiles('production', { chart: '1.3.2', tag: '2.3.1', git: 'v2.3.1', oci: 'tag: 2.3.1', image: 'ghcr.io/acme/checkout-worker:2.3.1', rev: 'v2.3.1' }) };
