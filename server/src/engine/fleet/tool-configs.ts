import { dirName, joinPath } from '../core/paths';
import { isPlainObject } from '../core/resource';
import type { FleetModel } from './types';

/**
 * Documents that are not Kubernetes objects although they have `apiVersion` and `kind`: the
 * configuration files of the tools around a cluster. No API server ever receives them, so they
 * are not required to have metadata (the schema checks them where one is known). And the files a
 * test tool compares objects against (chainsaw and kuttl assertions), which are partial by design
 * like kustomize patches.
 *
 * The decision "is this document an object" needs the fleet model (which files a cluster
 * receives), hence this file lives in the fleet layer.
 */

/**
 * API groups of tool configurations, with what reads them. Maintained by hand: add a group when a
 * tool's config is reported as a Kubernetes object. (kubeconform has no config document: its
 * flags are its configuration.)
 */
export const TOOL_CONFIG_GROUPS: Readonly<Record<string, string>> = {
	'kind.x-k8s.io': 'kind: the local cluster config (kind create cluster --config)',
	'k3d.io': 'k3d: the local cluster config (SimpleConfig)',
	'ctlptl.dev': 'ctlptl: local clusters and registries',
	'eksctl.io': 'eksctl: the EKS ClusterConfig',
	skaffold: 'Skaffold: skaffold.yaml (apiVersion skaffold/v4beta…)',
	'garden.io': 'Garden: project and action configs',
	'score.dev': 'Score: workload specifications',
	'cli.kyverno.io': 'Kyverno CLI: kyverno test inputs (Test, Values, UserInfo, Context)',
	'chainsaw.kyverno.io': 'Kyverno Chainsaw: e2e tests (Test, Configuration, StepTemplate)',
	'kuttl.dev': 'KUTTL: e2e tests (TestSuite, TestStep, TestAssert)',
	'schema.plugin.fluxcd.io': 'the Flux schema plugin: .fluxschema.yml',
	builtin: 'kustomize: configurations of its builtin plugins (transformers:, generators:)',
	'config.kubernetes.io': 'KRM functions: function configs and ResourceLists',
	'kpt.dev': 'kpt: Kptfile and package configs',
	'fn.kpt.dev': 'kpt functions: function configs',
	'kapp.k14s.io': 'Carvel kapp: deployment config (Config)',
	'kbld.k14s.io': 'Carvel kbld: image resolution config',
	'vendir.k14s.io': 'Carvel vendir: vendir.yml',
	'imgpkg.carvel.dev': 'Carvel imgpkg: bundle lock and images files',
	'kubeadm.k8s.io': 'kubeadm: InitConfiguration, ClusterConfiguration, JoinConfiguration',
	'kubelet.config.k8s.io': 'the kubelet: KubeletConfiguration and credential providers',
	'kubeproxy.config.k8s.io': 'kube-proxy: KubeProxyConfiguration',
	'kubescheduler.config.k8s.io': 'kube-scheduler: KubeSchedulerConfiguration',
	'apiserver.config.k8s.io': 'kube-apiserver: AdmissionConfiguration, EncryptionConfiguration',
	'apiserver.k8s.io': 'kube-apiserver: AdmissionConfiguration (older group)',
	'audit.k8s.io': 'kube-apiserver: the audit Policy',
	'pod-security.admission.config.k8s.io': 'kube-apiserver: the PodSecurity admission plugin configuration',
	'eventratelimit.admission.k8s.io': 'kube-apiserver: the EventRateLimit admission plugin configuration',
	'client.authentication.k8s.io': 'kubectl: exec credential plugins (ExecCredential)',
};

/** Kinds of otherwise served groups that are tool configs: a kubeconfig is `apiVersion: v1, kind: Config`. */
const TOOL_CONFIG_KINDS = new Set(['v1|Config']);

/** Helm's own files: never objects, whatever they contain. */
const HELM_FILES = /(^|\/)(Chart|Chart\.lock|values(\.[^/]*)?)\.ya?ml$|(^|\/)Chart\.lock$/;

export interface DocumentHeader {
	apiVersion: string;
	kind: string;
	group: string;
}

/** Whether a document is the configuration of a tool, not an object any cluster receives. */
export function isToolConfig(header: DocumentHeader, path: string): boolean {
	return header.group in TOOL_CONFIG_GROUPS || TOOL_CONFIG_KINDS.has(`${header.apiVersion}|${header.kind}`) || HELM_FILES.test(path);
}

/** Groups Kubernetes itself serves: the core group, the short built-in ones and `*.k8s.io` (CRD-based ones there are real objects too). */
function isKubernetesGroup(group: string): boolean {
	return group === '' || ['apps', 'batch', 'autoscaling', 'policy', 'extensions'].includes(group) || group.endsWith('.k8s.io');
}

/** Whether a repo-relative file lies in a path some cluster of the fleet syncs, or is received by one. */
export function isDeployed(fleet: FleetModel, path: string): boolean {
	if ((fleet.files[path]?.length ?? 0) > 0) return true;
	for (const c of fleet.clusters) {
		for (const s of c.syncs) if (s.path === '' || s.path === path || path.startsWith(`${s.path}/`)) return true;
	}
	return false;
}

/**
 * Whether a document is judged as something other than a Kubernetes object (no metadata required):
 * a tool configuration, or a document of a group neither Kubernetes nor a known schema serves
 * (`schemaKnown`) that no cluster receives and that lies outside every path the fleet deploys.
 * A document of an unknown group inside a deployed path is still an object: a custom resource
 * whose CRD Fleetscope does not bundle.
 */
export function isNonObject(header: DocumentHeader, path: string, fleet: FleetModel, schemaKnown: boolean): boolean {
	if (isToolConfig(header, path)) return true;
	if (schemaKnown || isKubernetesGroup(header.group)) return false;
	return !isDeployed(fleet, path);
}

/** Chainsaw operations whose `file` holds documents compared with the cluster's objects (partial by design). */
const CHAINSAW_ASSERTIONS = ['assert', 'error'];
/** Chainsaw step blocks that hold operations. */
const CHAINSAW_BLOCKS = ['try', 'catch', 'finally', 'cleanup'];

/**
 * The repo-relative files a chainsaw Test (`chainsaw.kyverno.io` Test) compares objects against:
 * the `file` of every `assert` and `error` operation of its steps. Such a document names only the
 * fields it expects (a ClusterPolicy with just `status`), so it is partial, like a kustomize patch.
 * Globs and URLs are not followed.
 */
export function chainsawAssertionPaths(testPath: string, value: unknown): string[] {
	if (!isPlainObject(value) || typeof value.apiVersion !== 'string' || !value.apiVersion.startsWith('chainsaw.kyverno.io/') || value.kind !== 'Test') return [];
	const spec = value.spec;
	if (!isPlainObject(spec) || !Array.isArray(spec.steps)) return [];
	const dir = dirName(testPath);
	const out: string[] = [];
	for (const step of spec.steps) {
		if (!isPlainObject(step)) continue;
		for (const block of CHAINSAW_BLOCKS) {
			const ops = step[block];
			if (!Array.isArray(ops)) continue;
			for (const op of ops) {
				if (!isPlainObject(op)) continue;
				for (const name of CHAINSAW_ASSERTIONS) {
					const o = op[name];
					const file = isPlainObject(o) ? o.file : undefined;
					if (typeof file === 'string' && file !== '' && !/[*?[]|^[a-z]+:\/\//i.test(file)) out.push(joinPath(dir, file));
				}
			}
		}
	}
	return out;
}

/** KUTTL's convention: in a test step directory, `NN-assert*.yaml` and `NN-errors*.yaml` hold assertions (partial documents). */
export function isKuttlAssertionFile(path: string): boolean {
	return /(^|\/)\d+-(assert|errors)[^/]*\.ya?ml$/.test(path);
}
