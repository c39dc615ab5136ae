/**
 * A small repository with known findings at known places, shared by the CLI tests:
 * apps/deploy.yaml has two errors (line 7 `"3"`, line 20 `portz`) and four Pod Security
 * information notes (restricted checks at the default baseline level, line 17 `web`); charts/x/cm.yaml is a Helm template (an info note);
 * apps/config.yaml is clean. The image is pinned by digest, the container has resources and the pod a
 * securityContext, so no other compliance rule reports it.
 */
export const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: "3"
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          imagePullPolicy: IfNotPresent
          portz:
            - containerPort: 80
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
      automountServiceAccountToken: false
      securityContext: {fsGroup: 1000}
`;

export const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  colour: blue
`;

export const HELM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';

export const SHOP_FILES = { 'apps/deploy.yaml': DEPLOY, 'apps/config.yaml': CONFIG, 'charts/x/cm.yaml': HELM };

export const PSS_WARNINGS = ['pss-allowPrivilegeEscalation', 'pss-capabilities_restricted', 'pss-runAsNonRoot', 'pss-seccompProfile_restricted'];
