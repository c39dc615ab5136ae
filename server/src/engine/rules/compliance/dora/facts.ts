import { isPlainObject, type Resource } from '../../../core/resource';
import type { FleetApp, FleetModel } from '../../../fleet/types';
import type { ComplianceContext } from '../rule';

/**
 * The DORA facts convention (docs/dora.md): what the YAML rarely says — who owns an app, how
 * critical it is, its recovery objectives, its last disaster-recovery test — is written in the Fleet
 * file (`spec.apps[]`, camelCase keys) or as labels/annotations under `fleetscope.io/` (kebab-case)
 * on the app's Namespace or workloads. Discovery collects both into `FleetApp.facts`; rules read
 * them through `factOf`, which accepts every spelling, so a fact is found however it was written.
 */

export interface FactSpec {
	/** Key in `FleetApp.facts` and in the Fleet file's `spec.apps[]`. */
	key: string;
	/** Label or annotation key on a Namespace or workload. */
	label: string;
	/** What to write, for messages. */
	example: string;
}

export const FACTS = {
	owner: { key: 'owner', label: 'fleetscope.io/owner', example: 'team-payments' },
	criticality: { key: 'criticality', label: 'fleetscope.io/criticality', example: 'critical' },
	businessFunction: { key: 'businessFunction', label: 'fleetscope.io/business-function', example: 'card payments' },
	dataClassification: { key: 'dataClassification', label: 'fleetscope.io/data-classification', example: 'confidential' },
	rto: { key: 'rto', label: 'fleetscope.io/rto', example: '1h' },
	rpo: { key: 'rpo', label: 'fleetscope.io/rpo', example: '15m' },
	internetExposed: { key: 'internetExposed', label: 'fleetscope.io/internet-exposed', example: 'true' },
	lastDrTest: { key: 'lastDrTest', label: 'fleetscope.io/last-dr-test', example: '2026-03-14' },
	drCluster: { key: 'drCluster', label: 'fleetscope.io/dr-cluster', example: 'prod-eu-central-1' },
	exitPlan: { key: 'exitPlan', label: 'fleetscope.io/exit-plan', example: 'https://wiki.example/exit/orders-api' },
	thirdPartyProviders: { key: 'thirdPartyProviders', label: 'fleetscope.io/third-party-providers', example: 'aws' },
} as const satisfies Record<string, FactSpec>;

export type FactKey = keyof typeof FACTS;

/** The label that names the Fleet app a resource belongs to. */
export const APP_LABEL = 'fleetscope.io/app';

/** DORA's "critical or important function": the Fleet criticalities `critical` and `high`. */
export function isCritical(criticality: string | undefined): boolean {
	return criticality === 'critical' || criticality === 'high';
}

function kebab(key: string): string {
	return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A fact from a facts record, whichever spelling it was stored under (`businessFunction`, `business-function`, `fleetscope.io/business-function`). */
export function factOf(facts: Readonly<Record<string, unknown>> | undefined, key: FactKey): string | undefined {
	if (!facts) return undefined;
	for (const k of [key, kebab(key), `fleetscope.io/${kebab(key)}`]) {
		const v = facts[k];
		if (typeof v === 'string' && v.trim() !== '') return v.trim();
		if (typeof v === 'boolean' || typeof v === 'number') return String(v);
		if (Array.isArray(v) && v.length > 0) return v.map(String).join(',');
	}
	return undefined;
}

/** The `fleetscope.io/*` facts of an object's labels and annotations (annotations win: they hold free text). */
export function metadataFacts(metadata: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (!isPlainObject(metadata)) return out;
	for (const field of ['labels', 'annotations']) {
		const m = metadata[field];
		if (!isPlainObject(m)) continue;
		for (const [k, v] of Object.entries(m)) if (k.startsWith('fleetscope.io/') && typeof v === 'string') out[k] = v;
	}
	return out;
}

function labelsOf(metadata: unknown): Record<string, unknown> {
	return isPlainObject(metadata) && isPlainObject(metadata.labels) ? metadata.labels : {};
}

/**
 * The Fleet app an object belongs to: its `fleetscope.io/app` label, else an
 * `app.kubernetes.io/name` or `app.kubernetes.io/part-of` label equal to an app's name, else the
 * single app whose paths reach its file. Never a guess among several apps.
 */
export function appOfObject(metadata: unknown, fleet: FleetModel, appsOfFile: readonly FleetApp[]): FleetApp | undefined {
	const labels = labelsOf(metadata);
	const byName = (n: unknown) => (typeof n === 'string' ? fleet.apps.find((a) => a.name === n) : undefined);
	const explicit = labels[APP_LABEL] ?? (isPlainObject(metadata) && isPlainObject(metadata.annotations) ? metadata.annotations[APP_LABEL] : undefined);
	if (explicit !== undefined) return byName(explicit);
	const named = byName(labels['app.kubernetes.io/name']) ?? byName(labels['app.kubernetes.io/part-of']);
	if (named) return named;
	return appsOfFile.length === 1 ? appsOfFile[0] : undefined;
}

/** What DORA rules know of a resource: its Fleet app and the facts that apply (object > its Namespace > app). */
export interface ResourceFacts {
	app: FleetApp | undefined;
	facts: Record<string, string>;
}

export function resourceFacts(resource: Resource, ctx: ComplianceContext): ResourceFacts {
	const meta = resource.value.metadata;
	// Pod templates label their pods; the template's labels identify the app as well.
	const template = isPlainObject(resource.value.spec) && isPlainObject(resource.value.spec.template) ? resource.value.spec.template.metadata : undefined;
	const app = appOfObject(meta, ctx.fleet, ctx.apps) ?? (template ? appOfObject(template, ctx.fleet, []) : undefined);
	const ns = resource.namespace ? ctx.namespaceLabels(resource.namespace) : undefined;
	const facts: Record<string, string> = {};
	for (const [k, v] of Object.entries(app?.facts ?? {})) if (typeof v === 'string') facts[k] = v;
	Object.assign(facts, metadataFacts({ labels: ns ?? {} }), metadataFacts(meta));
	return { app, facts };
}

/** Where a fact goes, for messages: the app's Fleet file entry when there is one, else the label. */
export function whereToWrite(key: FactKey, app: FleetApp | undefined, objectLabel = 'this object'): string {
	const f = FACTS[key];
	if (app) return `\`${f.key}: ${f.example}\` on app "${app.name}" in ${app.location?.file ?? 'the Fleet file'} (spec.apps[].${f.key}), or the label \`${f.label}\` on its Namespace`;
	return `the label or annotation \`${f.label}: ${f.example}\` on ${objectLabel} (or a \`${APP_LABEL}\` label naming its app in the Fleet file)`;
}

/** Go and Fleet durations (`1h30m`, `168h0m0s`, `2d`) in milliseconds; undefined if unreadable. */
export function durationMs(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const s = text.trim();
	if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined;
	const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
	let total = 0;
	for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * unit[m[2]];
	return total;
}

/** `90m` → `1h30m`, for messages. */
export function formatDuration(ms: number): string {
	const parts: string[] = [];
	let rest = Math.round(ms / 60_000);
	const d = Math.floor(rest / 1440);
	rest -= d * 1440;
	const h = Math.floor(rest / 60);
	const m = rest - h * 60;
	if (d) parts.push(`${d}d`);
	if (h) parts.push(`${h}h`);
	if (m || parts.length === 0) parts.push(`${m}m`);
	return parts.join('');
}
