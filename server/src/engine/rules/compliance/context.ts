import type { CheckContext } from '../../context/check-context';
import { isPlainObject, resourceHeader, type Resource } from '../../core/resource';
import type { ComplianceContext, KubeMinor, PssLevel } from './rule';
import { declaredClusters } from '../../fleet/clusters';

/**
 * Labels of the Namespace objects a repository declares. The host fills it from the repo (the
 * LSP and CLI repo index), tests use `InMemoryNamespaces`. A `RepoContext` that also implements
 * this interface is used automatically.
 */
export interface NamespaceDirectory {
	/** The labels of the Namespace `name`, or undefined where the repo has no such Namespace. */
	namespaceLabels(name: string): Record<string, string> | undefined;
}

/** A `NamespaceDirectory` kept in memory: set labels directly or feed it parsed documents. */
export class InMemoryNamespaces implements NamespaceDirectory {
	private readonly labels = new Map<string, Record<string, string>>();

	constructor(initial: Record<string, Record<string, string>> = {}) {
		for (const [name, l] of Object.entries(initial)) this.labels.set(name, { ...l });
	}

	set(name: string, labels: Record<string, string>): void {
		this.labels.set(name, { ...labels });
	}

	delete(name: string): void {
		this.labels.delete(name);
	}

	/** Records a parsed YAML document if it is a v1 Namespace; returns its name when it was one. */
	addObject(value: unknown): string | undefined {
		const h = resourceHeader(value);
		if (!h || h.kind !== 'Namespace' || h.apiVersion !== 'v1' || !h.name) return undefined;
		const meta = (value as Record<string, unknown>).metadata as Record<string, unknown>;
		const labels: Record<string, string> = {};
		if (isPlainObject(meta.labels)) for (const [k, v] of Object.entries(meta.labels)) if (typeof v === 'string') labels[k] = v;
		this.labels.set(h.name, labels);
		return h.name;
	}

	namespaceLabels(name: string): Record<string, string> | undefined {
		return this.labels.get(name);
	}
}

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/** `1.30` → 30; undefined when it is not a 1.x version. */
export function parseMinor(version: string): KubeMinor | undefined {
	const m = /^v?1\.(\d+)$/.exec(version.trim());
	return m ? Number(m[1]) : undefined;
}

const NO_NAMESPACES: NamespaceDirectory = { namespaceLabels: () => undefined };

function directoryOf(ctx: CheckContext, injected: NamespaceDirectory | undefined): NamespaceDirectory {
	if (injected) return injected;
	const repo = ctx.repo;
	return repo.namespaceLabels ? { namespaceLabels: (n) => repo.namespaceLabels!(n) } : NO_NAMESPACES;
}

/**
 * The level and version pod-security-admission would apply: the namespace's `enforce` and
 * `enforce-version` labels where the repo declares the Namespace, else the settings. Like PSA,
 * an enforce label with an unknown level means `restricted`; `latest`, a missing or unreadable
 * version label means the cluster's own version (the setting), and a pinned version newer than
 * the cluster is capped at the cluster's.
 */
export function resolvePss(labels: Record<string, string> | undefined, settingLevel: PssLevel, settingMinor: KubeMinor): ComplianceContext['pss'] {
	const enforce = labels?.[ENFORCE_LABEL];
	if (enforce === undefined) return { level: settingLevel, source: 'setting', minor: settingMinor };
	const level: PssLevel = enforce === 'privileged' || enforce === 'baseline' || enforce === 'restricted' ? enforce : 'restricted';
	const v = labels?.[ENFORCE_VERSION_LABEL];
	const pinned = v === undefined ? undefined : parseMinor(v);
	const minor = pinned === undefined ? settingMinor : Math.min(pinned, settingMinor);
	return { level, source: 'namespace', minor };
}

/** Builds (once per resource and analysis: the check context keeps it) the context every compliance rule receives. */
export function complianceContext(resource: Resource, ctx: CheckContext, injected?: NamespaceDirectory): ComplianceContext {
	const hit = ctx.perResource.get(resource.value) as ComplianceContext | undefined;
	if (hit) return hit;
	const out = newComplianceContext(resource, ctx, injected);
	ctx.perResource.set(resource.value, out);
	return out;
}

/**
 * The context of one resource, not kept: for a caller that holds it itself while it runs the rules
 * on that resource (the rendered evaluator, one resource of one cluster at a time).
 */
export function newComplianceContext(resource: Resource, ctx: CheckContext, injected?: NamespaceDirectory): ComplianceContext {
	const dir = directoryOf(ctx, injected);
	const namespace = resource.namespace;
	const labels = namespace ? dir.namespaceLabels(namespace) : undefined;
	const settingMinor = parseMinor(ctx.settings.kubernetesVersion) ?? Infinity;
	const declared = declaredClusters(resource, ctx.fleet, ctx.path);
	const out: ComplianceContext = {
		path: ctx.path,
		today: ctx.today,
		namespace,
		pss: resolvePss(labels, ctx.settings['podSecurity.level'] ?? 'baseline', settingMinor),
		namespaceLabels: (n) => dir.namespaceLabels(n),
		settings: ctx.settings,
		repo: ctx.repo,
		targets: ctx.targets,
		declared,
		production: ctx.targets.some((t) => t.production) || declared.some((t) => t.production),
		objects: ctx.objects,
		fleet: ctx.fleet,
		fleetIndex: ctx.fleetIndex,
		apps: ctx.fleetIndex.appsOf(ctx.path),
	};
	return out;
}
