/**
 * The one typed definition of Fleetscope's settings. The extension manifest's
 * `contributes.configuration` is generated from SETTINGS (`npm run gen:manifest`, checked by a test),
 * the client reads them per resource, the server and the CLI receive a `FleetscopeSettings`.
 *
 * Adding a setting: add it here (type + default + description), run `npm run gen:manifest`,
 * then use it where needed.
 */

export type SeverityOverride = 'error' | 'warning' | 'info' | 'hint' | 'off';

export interface FleetscopeSettings {
	/** Globs (relative to the workspace folder) of files to validate. */
	include: string[];
	/** Globs of files never validated; wins over include. */
	exclude: string[];
	/** Severity per rule id, or `off`. */
	severity: Record<string, SeverityOverride>;
	/** Kubernetes version the bundled schemas and API-removal checks assume (`major.minor`). */
	kubernetesVersion: string;
	/** Files larger than this (in KiB) are skipped with a note. */
	maxFileSizeKb: number;
	/** Validate every YAML file of the workspace in the background when it opens. */
	validateWorkspace: boolean;
	/**
	 * Pod Security Standards level workloads must meet where the repo has no Namespace with a
	 * `pod-security.kubernetes.io/enforce` label. Its violations there are warnings (nothing
	 * rejects the pod; errors only where an enforce label makes admission reject them); restricted
	 * violations at `baseline` are information.
	 */
	'podSecurity.level': PodSecurityLevelSetting;
	/** Compliance frameworks whose findings are reported (schema findings always are). */
	'compliance.profiles': ComplianceProfile[];
	/**
	 * Raise a compliance finding one level (info → warning → error) where the resource reaches a
	 * production cluster, or is the ClusterClaim of one. Off by default: such findings keep their
	 * severity and say `(production)`; a Fleet file's `spec.compliance.enforce` raises them in the
	 * environments it lists either way. A per-rule `severity` setting is final.
	 */
	'compliance.productionEscalation': boolean;
	/**
	 * Registries (or repository prefixes) images may come from; empty: any. An image from elsewhere
	 * is a `cis-image-provenance` warning.
	 */
	'compliance.allowedRegistries': string[];
	/**
	 * Judge compliance on what each cluster receives (its synced paths rendered as Flux, Argo CD and
	 * kustomize render them) rather than on each file as written.
	 */
	'fleet.render': boolean;
	/**
	 * Check files against the live state of the clusters they reach (editor only; the CLI has
	 * `--context`). Never in an untrusted workspace, whatever this says.
	 */
	'live.enabled': boolean;
	/** Kubeconfig files to read, merged as kubectl does; empty: `KUBECONFIG`, else `~/.kube/config`. */
	'live.kubeconfig': string[];
	/** Kubeconfig context per cluster name of the fleet, over the Fleet file's `kubeContext`. */
	clusters: Record<string, ClusterSetting>;
	/** Compare each connected cluster's objects with what Git sends it (reads full objects of the kinds the repository declares). */
	'drift.enabled': boolean;
	/** Differences that are not drift: Argo CD `ignoreDifferences`-style rules, optionally per cluster. */
	'drift.ignore': DriftIgnoreSetting[];
	/** Also report live objects in the namespaces the repository deploys to that nothing owns. */
	'drift.unmanaged': boolean;
	/**
	 * Ask the API server for exact answers with a server-side apply dry-run (`PATCH ?dryRun=All`,
	 * field manager `fleetscope`): the only request other than GET, LIST and WATCH Fleetscope may send.
	 */
	'drift.serverSideDryRun': boolean;
}

/** One `fleetscope.drift.ignore` rule: which objects (every field optional; `*` globs), and which of their fields (none: the whole object). */
export interface DriftIgnoreSetting {
	cluster?: string;
	group?: string;
	kind?: string;
	name?: string;
	namespace?: string;
	jsonPointers?: string[];
	jqPathExpressions?: string[];
	managedFieldsManagers?: string[];
}

/** How one cluster of the fleet is reached (`fleetscope.clusters.<name>`). */
export interface ClusterSetting {
	context: string;
}

export type PodSecurityLevelSetting = 'baseline' | 'restricted';

/** Compliance frameworks: CIS Kubernetes, Pod Security Standards, EU DORA, CIS for managed clusters (EKS/GKE/AKS). */
export type ComplianceProfile = 'cis' | 'pss' | 'dora' | 'managed-cluster';

interface SettingSpec<K extends keyof FleetscopeSettings> {
	key: K;
	default: FleetscopeSettings[K];
	/** JSON schema fragment for the manifest. */
	schema: Record<string, unknown>;
	description: string;
	/**
	 * `resource` settings may differ per folder; `machine-overridable` ones too, but an untrusted
	 * workspace cannot set them (they are the manifest's `restrictedConfigurations`): every setting
	 * that chooses kubeconfig files, contexts or whether clusters are contacted is one.
	 */
	scope: 'resource' | 'window' | 'machine-overridable';
}

type Specs = { [K in keyof FleetscopeSettings]: SettingSpec<K> };

export const SETTINGS: Specs = {
	include: {
		key: 'include',
		default: ['**/*.yaml', '**/*.yml'],
		schema: { type: 'array', items: { type: 'string' } },
		description: 'Glob patterns, relative to the workspace folder, of the YAML files Fleetscope validates.',
		scope: 'resource',
	},
	exclude: {
		key: 'exclude',
		default: ['**/node_modules/**', '**/.git/**', '**/.github/**'],
		schema: { type: 'array', items: { type: 'string' } },
		description: 'Glob patterns of files Fleetscope never validates. Exclusion wins over `fleetscope.include`.',
		scope: 'resource',
	},
	severity: {
		key: 'severity',
		default: {},
		schema: {
			type: 'object',
			additionalProperties: { type: 'string', enum: ['error', 'warning', 'info', 'hint', 'off'] },
		},
		description: 'Severity per rule id, e.g. `{ "schema-unknown-field": "warning" }`; `off` disables the rule.',
		scope: 'resource',
	},
	kubernetesVersion: {
		key: 'kubernetesVersion',
		default: '1.30',
		schema: { type: 'string', pattern: '^1\\.[0-9]+$' },
		description: 'Kubernetes version (major.minor) that validation assumes: API versions removed by this release are reported.',
		scope: 'resource',
	},
	maxFileSizeKb: {
		key: 'maxFileSizeKb',
		default: 4096,
		schema: { type: 'number', minimum: 1 },
		description: 'Files larger than this many KiB are not validated; a note on the first line says so.',
		scope: 'resource',
	},
	validateWorkspace: {
		key: 'validateWorkspace',
		default: true,
		schema: { type: 'boolean' },
		description: 'Validate every YAML file of the workspace in the background on start, not only open files.',
		scope: 'window',
	},
	'podSecurity.level': {
		key: 'podSecurity.level',
		default: 'baseline',
		schema: { type: 'string', enum: ['baseline', 'restricted'] },
		description:
			'Pod Security Standards level that workloads must meet when their namespace has no `pod-security.kubernetes.io/enforce` label in the repository. Its violations there are warnings, since nothing rejects the pod (where a namespace\'s enforce label sets the level, what it forbids is an error: admission rejects it); at `baseline`, restricted violations are information.',
		scope: 'resource',
	},
	'compliance.profiles': {
		key: 'compliance.profiles',
		default: ['cis', 'pss', 'dora', 'managed-cluster'],
		schema: { type: 'array', items: { type: 'string', enum: ['cis', 'pss', 'dora', 'managed-cluster'] }, uniqueItems: true },
		description:
			'Compliance frameworks whose findings are reported: `cis` (CIS Kubernetes Benchmark), `pss` (Pod Security Standards), `dora` (EU DORA), `managed-cluster` (CIS EKS/GKE/AKS). A finding that evidences several frameworks is reported while any of them is on; schema findings are always reported.',
		scope: 'resource',
	},
	'compliance.productionEscalation': {
		key: 'compliance.productionEscalation',
		default: false,
		schema: { type: 'boolean' },
		description:
			'Raise a compliance finding one level (info to warning, warning to error) where the resource is deployed to a production cluster, or is the ClusterClaim of one; the message names the clusters. Off (the default): such findings keep their severity and end with `(production)`; a Fleet file raises them in the environments its `spec.compliance.enforce` lists. A rule whose severity is set in `fleetscope.severity` keeps that severity.',
		scope: 'resource',
	},
	'fleet.render': {
		key: 'fleet.render',
		default: true,
		schema: { type: 'boolean' },
		description:
			'Judge compliance on what each cluster receives: its synced paths rendered as Flux, Argo CD and kustomize render them, findings shown on the source line that produced the value. Off: every file is judged as written (less memory and CPU on very large fleets). CLI: `--no-render`.',
		scope: 'resource',
	},
	'compliance.allowedRegistries': {
		key: 'compliance.allowedRegistries',
		default: [],
		schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
		description:
			'Registries images may be pulled from: a host (`ghcr.io`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com`) or a repository prefix (`ghcr.io/acme`, `docker.io/library`). An image from anywhere else is a `cis-image-provenance` warning. Empty (the default): any registry.',
		scope: 'resource',
	},
	'live.enabled': {
		key: 'live.enabled',
		default: true,
		schema: { type: 'boolean' },
		description:
			'Check files against the live state of the clusters they reach (served APIs, installed CRDs, referenced objects, versions), read-only through your kubeconfig. Off: Fleetscope contacts no cluster. Never in an untrusted workspace.',
		scope: 'machine-overridable',
	},
	'live.kubeconfig': {
		key: 'live.kubeconfig',
		default: [],
		schema: { type: 'array', items: { type: 'string', minLength: 1 } },
		description:
			'Kubeconfig files for live cluster state, merged as kubectl does (the first to define a name wins). Empty (the default): `KUBECONFIG`, else `~/.kube/config`. `~` is your home directory; relative paths are relative to the workspace folder.',
		scope: 'machine-overridable',
	},
	clusters: {
		key: 'clusters',
		default: {},
		schema: {
			type: 'object',
			additionalProperties: { type: 'object', properties: { context: { type: 'string', minLength: 1 } }, required: ['context'], additionalProperties: false },
		},
		description:
			'The kubeconfig context of each cluster of the fleet, by cluster name, e.g. `{ "prod-us-east-1": { "context": "prod-use1-admin" } }`. Wins over the Fleet file\'s `kubeContext`; without either, a context named like the cluster is used.',
		scope: 'machine-overridable',
	},
	'drift.enabled': {
		key: 'drift.enabled',
		default: true,
		schema: { type: 'boolean' },
		description:
			'Show where each connected cluster differs from Git (the Drift view, `drift` diagnostics on the lines Git sets the values, CodeLenses): Fleetscope then also reads the full objects of the kinds the repository declares, with GET, LIST and WATCH only (Secrets as metadata). Needs live state (`fleetscope.live.enabled`); never in an untrusted workspace.',
		scope: 'machine-overridable',
	},
	'drift.ignore': {
		key: 'drift.ignore',
		default: [],
		schema: {
			type: 'array',
			items: {
				type: 'object',
				properties: {
					cluster: { type: 'string' },
					group: { type: 'string' },
					kind: { type: 'string' },
					name: { type: 'string' },
					namespace: { type: 'string' },
					jsonPointers: { type: 'array', items: { type: 'string' } },
					jqPathExpressions: { type: 'array', items: { type: 'string' } },
					managedFieldsManagers: { type: 'array', items: { type: 'string' } },
				},
				additionalProperties: false,
			},
		},
		description:
			'Differences that are not drift, as Argo CD `ignoreDifferences` rules: which objects (`cluster`, `group`, `kind`, `name`, `namespace`, each optional, `*` globs) and which fields (`jsonPointers`, `jqPathExpressions`, `managedFieldsManagers`; none: the whole object), e.g. `[{ "kind": "Deployment", "jsonPointers": ["/spec/replicas"] }]`.',
		scope: 'resource',
	},
	'drift.unmanaged': {
		key: 'drift.unmanaged',
		default: false,
		schema: { type: 'boolean' },
		description: 'Also report, as `unmanaged`, live objects in the namespaces the repository deploys to that no GitOps object and no owner reference manages (of the kinds the repository declares).',
		scope: 'resource',
	},
	'drift.serverSideDryRun': {
		key: 'drift.serverSideDryRun',
		default: false,
		schema: { type: 'boolean' },
		description:
			'Ask each cluster for exact drift answers with a server-side apply dry-run (`PATCH ?dryRun=All`, field manager `fleetscope`; nothing is changed) where RBAC allows `patch`. This is the only request other than GET, LIST and WATCH that Fleetscope ever sends to a cluster; off (the default), Fleetscope only reads.',
		scope: 'machine-overridable',
	},
};

export const SETTINGS_SECTION = 'fleetscope';

export const COMPLIANCE_PROFILES = ['cis', 'pss', 'dora', 'managed-cluster'] as const;

export function defaultSettings(): FleetscopeSettings {
	const out = {} as Record<string, unknown>;
	for (const spec of Object.values(SETTINGS)) out[spec.key] = JSON.parse(JSON.stringify(spec.default));
	return out as unknown as FleetscopeSettings;
}

/** Merges a partial, untrusted settings object (from the client or a file) over the defaults, dropping wrong types. */
export function normaliseSettings(input: unknown): FleetscopeSettings {
	const out = defaultSettings();
	if (!input || typeof input !== 'object') return out;
	const src = input as Record<string, unknown>;
	const arr = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
	if (arr(src.include)) out.include = src.include as string[];
	if (arr(src.exclude)) out.exclude = src.exclude as string[];
	if (src.severity && typeof src.severity === 'object') {
		for (const [k, v] of Object.entries(src.severity as Record<string, unknown>)) {
			if (typeof v === 'string' && ['error', 'warning', 'info', 'hint', 'off'].includes(v)) out.severity[k] = v as SeverityOverride;
		}
	}
	if (typeof src.kubernetesVersion === 'string' && /^1\.\d+$/.test(src.kubernetesVersion)) out.kubernetesVersion = src.kubernetesVersion;
	if (typeof src.maxFileSizeKb === 'number' && src.maxFileSizeKb > 0) out.maxFileSizeKb = src.maxFileSizeKb;
	if (typeof src.validateWorkspace === 'boolean') out.validateWorkspace = src.validateWorkspace;
	// Flat (`'podSecurity.level'`, as the client sends it) or nested (`podSecurity: { level }`, as in a JSON config file).
	const nested = src.podSecurity && typeof src.podSecurity === 'object' ? (src.podSecurity as Record<string, unknown>).level : undefined;
	const level = src['podSecurity.level'] ?? nested;
	if (level === 'baseline' || level === 'restricted') out['podSecurity.level'] = level;
	const nestedProfiles = src.compliance && typeof src.compliance === 'object' ? (src.compliance as Record<string, unknown>).profiles : undefined;
	const profiles = src['compliance.profiles'] ?? nestedProfiles;
	if (Array.isArray(profiles) && profiles.every((p) => (COMPLIANCE_PROFILES as readonly unknown[]).includes(p))) out['compliance.profiles'] = [...new Set(profiles)] as ComplianceProfile[];
	const compliance = src.compliance && typeof src.compliance === 'object' ? (src.compliance as Record<string, unknown>) : {};
	const escalation = src['compliance.productionEscalation'] ?? compliance.productionEscalation;
	if (typeof escalation === 'boolean') out['compliance.productionEscalation'] = escalation;
	const registries = src['compliance.allowedRegistries'] ?? compliance.allowedRegistries;
	if (arr(registries)) out['compliance.allowedRegistries'] = [...new Set((registries as string[]).map((r) => r.trim()).filter((r) => r !== ''))];
	const fleet = src.fleet && typeof src.fleet === 'object' ? (src.fleet as Record<string, unknown>) : {};
	const render = src['fleet.render'] ?? fleet.render;
	if (typeof render === 'boolean') out['fleet.render'] = render;
	const live = src.live && typeof src.live === 'object' ? (src.live as Record<string, unknown>) : {};
	const liveEnabled = src['live.enabled'] ?? live.enabled;
	if (typeof liveEnabled === 'boolean') out['live.enabled'] = liveEnabled;
	const kubeconfig = src['live.kubeconfig'] ?? live.kubeconfig;
	if (arr(kubeconfig)) out['live.kubeconfig'] = (kubeconfig as string[]).map((k) => k.trim()).filter((k) => k !== '');
	if (src.clusters && typeof src.clusters === 'object' && !Array.isArray(src.clusters)) {
		for (const [name, v] of Object.entries(src.clusters as Record<string, unknown>)) {
			const context = v && typeof v === 'object' ? (v as Record<string, unknown>).context : undefined;
			if (typeof context === 'string' && context.trim() !== '') out.clusters[name] = { context: context.trim() };
		}
	}
	const drift = src.drift && typeof src.drift === 'object' ? (src.drift as Record<string, unknown>) : {};
	const driftEnabled = src['drift.enabled'] ?? drift.enabled;
	if (typeof driftEnabled === 'boolean') out['drift.enabled'] = driftEnabled;
	const ignore = src['drift.ignore'] ?? drift.ignore;
	if (Array.isArray(ignore)) out['drift.ignore'] = ignore.flatMap((r) => driftIgnoreRule(r) ?? []);
	const unmanaged = src['drift.unmanaged'] ?? drift.unmanaged;
	if (typeof unmanaged === 'boolean') out['drift.unmanaged'] = unmanaged;
	const dryRun = src['drift.serverSideDryRun'] ?? drift.serverSideDryRun;
	if (typeof dryRun === 'boolean') out['drift.serverSideDryRun'] = dryRun;
	return out;
}

/** One `drift.ignore` rule with only the fields of the right type, or undefined when it is not an object. */
function driftIgnoreRule(v: unknown): DriftIgnoreSetting | undefined {
	if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
	const o = v as Record<string, unknown>;
	const out: DriftIgnoreSetting = {};
	for (const k of ['cluster', 'group', 'kind', 'name', 'namespace'] as const) if (typeof o[k] === 'string') out[k] = o[k] as string;
	for (const k of ['jsonPointers', 'jqPathExpressions', 'managedFieldsManagers'] as const) {
		const list = o[k];
		if (Array.isArray(list)) out[k] = list.filter((x): x is string => typeof x === 'string');
	}
	return out;
}
