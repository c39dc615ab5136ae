import type { Severity } from './types';

/** Metadata of one rule: what the CLI's SARIF `rules[]`, the docs and hovers show. */
export interface RuleMeta {
	id: string;
	title: string;
	defaultSeverity: Severity;
	/** Why the rule exists, in one or two sentences. */
	rationale: string;
	/** Compliance controls this rule evidences (`CIS-K8S-5.2.2`, `PSS-baseline-privileged`, `DORA-Art12`). Empty for plain schema rules. */
	controls: string[];
	/** How to fix it, where the fix is the same every time. */
	remediation?: string;
}

export const DOCS_BASE = 'https://github.com/fleetscope/fleetscope/blob/main/docs/rules/';

export function helpUri(ruleId: string): string {
	return `${DOCS_BASE}${ruleId}.md`;
}

const rule = (id: string, title: string, defaultSeverity: Severity, rationale: string, controls: string[] = []): RuleMeta => ({
	id,
	title,
	defaultSeverity,
	rationale,
	controls,
});

/** The rules of the engine itself (YAML, schemas, fleet, exemptions, settings file); the rule families add theirs in `rules/catalog.ts`. */
export const CORE_RULES: readonly RuleMeta[] = [
		rule('yaml-syntax', 'YAML syntax error', 'error', 'A file that is not valid YAML is rejected by kubectl, Flux and Argo CD as a whole.'),
		rule('yaml-duplicate-key', 'Duplicate key', 'error', 'Kubernetes keeps only the last of two equal keys, so the first value is silently lost.'),
		rule('yaml-limits', 'YAML too large or too complex', 'error', 'Alias bombs and extreme nesting exhaust memory in every tool that reads the file, controllers included.'),
		rule('file-skipped', 'File not validated', 'info', 'Helm templates, SOPS-encrypted files, binary and very large files cannot be validated as plain manifests.'),
		rule('resource-shape', 'Not a Kubernetes object', 'error', 'A document in a manifest file must be a mapping with apiVersion and kind, or the GitOps controller rejects the file.'),
		rule('schema-unknown-field', 'Unknown field', 'error', 'kubectl and the API server reject unknown fields in strict mode, and a misspelled field is otherwise silently ignored.'),
		rule('schema-type', 'Wrong type', 'error', 'A value of the wrong type makes the API server reject the object.'),
		rule('schema-required', 'Missing required field', 'error', 'The API server rejects an object that lacks a required field.'),
		rule('schema-enum', 'Value not allowed', 'error', 'The field accepts only a fixed set of values.'),
		rule('schema-value', 'Invalid value', 'error', 'The value breaks a constraint of the schema (pattern, format, range or length).'),
		rule('schema-metadata', 'Invalid name, label or annotation', 'error', 'The API server checks names (a DNS subdomain for most kinds, a DNS label for Namespaces, a DNS-1035 label that starts with a letter for Services), label keys and values (at most 63 characters) and annotation keys and size before it accepts an object, and rejects it otherwise.'),
		rule('schema-duplicate', 'Duplicate list item', 'error', 'Lists keyed by a field (containers by name, ports by port and protocol, volume mounts by path) or declared sets may hold each key once: the API server or server-side apply rejects the object, and client-side apply silently keeps only one.'),
		rule('schema-version', 'Field newer than the cluster', 'error', 'A cluster that runs an older Kubernetes version does not know a field introduced later: the API server drops or rejects it, so the object does not do what the file says on that cluster.'),
		rule('yaml11-trap', 'YAML 1.1 implicit typing', 'error', 'Kubernetes reads YAML 1.1: `1.30` becomes the number 1.3 and `on`/`yes`/`no` become booleans, unless quoted.'),
		rule('api-removed', 'API version removed', 'error', 'The target Kubernetes version no longer serves this apiVersion, so the object cannot be applied.'),
		rule('fleet-semantics', 'Inconsistent Fleet', 'error', 'A Fleet must name known environments, unique clusters and an acyclic promotion order, and point at paths that exist.'),
		rule('exemption-invalid', 'Exemption without a reason', 'warning', 'An exemption must say why the finding is acceptable, or an auditor cannot accept it; one without a reason exempts nothing.'),
		rule('exemption-expired', 'Exemption expired', 'warning', 'A waiver past its expiry date no longer holds: the findings it covered are reported again until it is reviewed and renewed or removed.'),
		rule('fleet-reference', 'Broken fleet reference', 'error', 'A Flux or Argo CD object that points at a missing path, an undeclared source or a dependency that never becomes ready, or a kustomization entry that names a missing file or a directory without a kustomization (kustomize build fails), leaves its cluster without what Git says it runs, and the controller reports it only at reconcile time.'),
		rule('kustomize-unsupported', 'Not rendered by Fleetscope', 'info', 'Fleetscope renders kustomize overlays to check what each cluster receives; a field it does not render (Helm chart inflation, remote bases, replacements, plugins) is left out, so checks see the raw files for what it would produce.'),
		rule('kustomize-build', 'Kustomize or Flux build problem', 'error', 'What kustomize or kustomize-controller would refuse or silently drop (malformed YAML in a base, a cycle, a patch that matches nothing, a missing variable) changes what the cluster receives, or fails the sync.'),
		rule('settings-file', 'Mistake in the settings file', 'error', 'A settings file with a mistake counts for nothing: the CLI stops with exit code 2 and the editor falls back to your own settings, so neither judges the repository by what the team wrote down until it is fixed.'),
		rule('dora-fleet-file', 'No Fleet file', 'info', 'DORA asks for records of each production ICT asset (owner, criticality, exposure, recovery objectives); without a Fleet file the repository has none, so the DORA checks that read them are not made.', ['DORA-Art8(1)']),
		rule('drift', 'Differs from a cluster', 'info', 'A cluster no longer runs what Git declares on this line: someone changed it by hand (kubectl edit, scale), a controller rewrote it, or the sync has not run. GitOps reverts or keeps the difference depending on the controller and its settings; until then the repository does not describe the cluster.'),
		rule('claim-semantics', 'Inconsistent ClusterClaim', 'error', 'A ClusterClaim whose sizes or region cannot be provisioned fails only when the cloud provider rejects it.'),
];

/** The compliance framework of one control (`CIS-K8S-…` → cis, `PSS-…` → pss, `DORA-…` → dora, `CIS-EKS/GKE/AKS-…` → managed-cluster). */
export function frameworkOf(control: string): 'cis' | 'pss' | 'dora' | 'managed-cluster' | undefined {
	if (control.startsWith('CIS-K8S-')) return 'cis';
	if (/^CIS-(EKS|GKE|AKS)-/.test(control)) return 'managed-cluster';
	if (control.startsWith('PSS-')) return 'pss';
	if (control.startsWith('DORA-')) return 'dora';
	return undefined;
}

/** The compliance frameworks a rule evidences, from its controls. */
export function frameworksOf(meta: RuleMeta): string[] {
	const out = new Set<string>();
	for (const c of meta.controls) {
		const f = frameworkOf(c);
		if (f) out.add(f);
	}
	return [...out];
}
