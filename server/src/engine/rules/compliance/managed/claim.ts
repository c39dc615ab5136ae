import type { NodePath } from '../../../core/parse';
import { isPlainObject, type Resource } from '../../../core/resource';
import type { Severity } from '../../../core/types';
import { CLAIM_API_VERSION, isClaim, SERVICE, type Provider } from '../../../fleet/clusters';
export { CLAIM_API_VERSION, isClaim, SERVICE, type Provider };
import type { ComplianceContext, ComplianceProblem, ComplianceRule } from '../rule';

export type Obj = Record<string, unknown>;

/** The claim's provider, or undefined where it names none of ours. */
export function providerOf(resource: Resource): Provider | undefined {
	const spec = resource.value.spec;
	const p = isPlainObject(spec) ? spec.cloudProvider : undefined;
	return p === 'aws' || p === 'gcp' || p === 'azure' ? p : undefined;
}

/** What a managed-cluster check sees of one claim. */
export interface ClaimRef {
	spec: Obj;
	provider: Provider;
	/** `EKS`, `GKE` or `AKS`, for messages. */
	service: string;
	/** Whether the claimed cluster runs production (the Fleet's environments, else the environment's name). */
	production: boolean;
	/** `spec.nodeGroups` items that are mappings, with their paths and names for messages. */
	nodeGroups: { group: Obj; path: NodePath; label: string }[];
}

/** `spec.<a>.<b>` of the claim when it is a mapping, else undefined. */
export function section(spec: Obj, key: string): Obj | undefined {
	const v = spec[key];
	return isPlainObject(v) ? v : undefined;
}

/**
 * Where a finding about a missing claim setting goes: the key of the innermost mapping that
 * exists on the way to it (`controlPlane`, `spec`), which is where the setting is added.
 */
export function missingAt(spec: Obj, rel: string[]): { path: NodePath; target: 'key' } {
	let v: unknown = spec;
	let depth = 0;
	for (let i = 0; i < rel.length - 1; i++) {
		v = isPlainObject(v) ? v[rel[i]] : undefined;
		if (!isPlainObject(v)) break;
		depth = i + 1;
	}
	return { path: ['spec', ...rel.slice(0, depth)], target: 'key' };
}

/** One finding of a managed-cluster check, before the provider's control is appended. */
export interface ClaimViolation {
	path: NodePath;
	target: 'key' | 'value';
	/** Without the trailing `(CIS EKS 5.4.1)`. */
	message: string;
	/** The control numbers of the claim's provider this violation breaks; default: the rule's. */
	controls?: string[];
	/** The production-only controls this violation breaks; default: the rule's `productionControls`. */
	productionControls?: string[];
	severity?: Severity;
}

export interface ManagedRuleDef {
	id: string;
	title: string;
	severity: Severity;
	rationale: string;
	remediation: string;
	/** CIS numbers per provider (`{ aws: ['2.1.1'] }`); a provider without entry is not checked. */
	controls: Partial<Record<Provider, string[]>>;
	/** Controls of other frameworks the rule also evidences (`CIS-K8S-5.3.1`). */
	alsoControls?: string[];
	/**
	 * Controls the rule evidences for production clusters only (`DORA-Art10(1)`): listed in its
	 * metadata, and named in a finding's message where the claim declares a production cluster.
	 */
	productionControls?: string[];
	/**
	 * The spec sections the rule reads. Where one has the wrong type (`controlPlane: private`), the
	 * schema reports it and the rule stays silent rather than guess what the claim meant.
	 */
	reads: string[];
	evaluate(claim: ClaimRef, ctx: ComplianceContext): ClaimViolation[];
}

/** Spec sections that are lists; the others are mappings. */
const LISTS = new Set(['nodeGroups', 'addons']);

const PREFIX: Record<Provider, string> = { aws: 'CIS-EKS-', gcp: 'CIS-GKE-', azure: 'CIS-AKS-' };

/**
 * Builds a ClusterClaim rule: its metadata lists every provider's controls, and each finding
 * names the controls of the claim's own provider at the end (`(CIS GKE 5.6.3)`).
 */
export function managedRule(def: ManagedRuleDef): ComplianceRule {
	const providers = Object.keys(def.controls) as Provider[];
	return {
		id: def.id,
		title: def.title,
		severity: def.severity,
		kinds: ['ClusterClaim'],
		rationale: def.rationale,
		remediation: def.remediation,
		controls: [...providers.flatMap((p) => def.controls[p]!.map((n) => `${PREFIX[p]}${n}`)), ...(def.alsoControls ?? []), ...(def.productionControls ?? [])],
		appliesTo: (r) => {
			const p = isClaim(r) ? providerOf(r) : undefined;
			return p !== undefined && def.controls[p] !== undefined;
		},
		check(resource, ctx): ComplianceProblem[] {
			const provider = providerOf(resource)!;
			const spec = resource.value.spec as Obj;
			if (def.reads.some((k) => spec[k] !== undefined && spec[k] !== null && (LISTS.has(k) ? !Array.isArray(spec[k]) : !isPlainObject(spec[k])))) return [];
			const groups = Array.isArray(spec.nodeGroups) ? spec.nodeGroups : [];
			const claim: ClaimRef = {
				spec,
				provider,
				service: SERVICE[provider],
				production: ctx.declared.some((c) => c.production),
				nodeGroups: groups.flatMap((g, i) =>
					isPlainObject(g) ? [{ group: g, path: ['spec', 'nodeGroups', i], label: typeof g.name === 'string' ? `Node group "${g.name}"` : `Node group ${i + 1}` }] : [],
				),
			};
			return def.evaluate(claim, ctx).map((v) => {
				const more = claim.production ? (v.productionControls ?? def.productionControls ?? []) : [];
				const dora = more.length > 0 ? `; ${more.map(controlLabel).join(', ')}` : '';
				return { path: v.path, target: v.target, severity: v.severity, message: `${v.message} (CIS ${SERVICE[provider]} ${(v.controls ?? def.controls[provider]!).join(', ')}${dora})` };
			});
		},
	};
}

/** `DORA-Art10(1)` → `DORA Art 10(1)`, as messages name controls. */
function controlLabel(control: string): string {
	return control.replace(/^DORA-Art/, 'DORA Art ');
}

/** A boolean setting: true, false, or undefined where the claim does not say (or says something else). */
export function flag(map: Obj | undefined, key: string): boolean | undefined {
	const v = map?.[key];
	return typeof v === 'boolean' ? v : undefined;
}
