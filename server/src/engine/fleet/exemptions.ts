import picomatch from 'picomatch';
import { isPlainObject, type Resource } from '../core/resource';
import type { Finding } from '../core/types';

/**
 * Exemptions declared in the Fleet file (`spec.compliance.exemptions`): which rules, for which
 * objects (namespace, kind, name, file path glob), why (mandatory) and until when. They are read
 * by the repository index; an exemption past its expiry date exempts nothing (and the Fleet check
 * reports it), so a forgotten waiver cannot silently live forever.
 */
export interface FleetExemption {
	rules: string[];
	match: { namespace?: string; kind?: string; name?: string; path?: string };
	reason: string;
	/** `YYYY-MM-DD`, inclusive. */
	expires?: string;
	/** Repo-relative path of the Fleet file that declares it. */
	source: string;
}

/** Reads the exemptions of a Fleet object's value (invalid entries are the schema's business, and skipped here). */
export function readFleetExemptions(value: unknown, source: string): FleetExemption[] {
	if (!isPlainObject(value) || value.kind !== 'Fleet' || value.apiVersion !== 'platform.gitops.io/v1alpha1') return [];
	const spec = value.spec;
	const compliance = isPlainObject(spec) ? spec.compliance : undefined;
	const list = isPlainObject(compliance) ? compliance.exemptions : undefined;
	if (!Array.isArray(list)) return [];
	const out: FleetExemption[] = [];
	for (const e of list) {
		if (!isPlainObject(e) || typeof e.reason !== 'string' || e.reason.trim() === '' || !Array.isArray(e.rules)) continue;
		const m = isPlainObject(e.match) ? e.match : {};
		const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
		out.push({
			rules: e.rules.filter((r): r is string => typeof r === 'string'),
			match: { namespace: str(m.namespace), kind: str(m.kind), name: str(m.name), path: str(m.path) },
			reason: e.reason.trim(),
			expires: expiryOf(e.expires),
			source,
		});
	}
	return out;
}

/** An exemption's `expires` as `YYYY-MM-DD` (YAML 1.1 reads an unquoted date as a Date). */
export function expiryOf(value: unknown): string | undefined {
	return value instanceof Date ? isoDay(value) : typeof value === 'string' ? value : undefined;
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function isoDay(d: Date): string {
	return d.toISOString().slice(0, 10);
}

export function isExpired(e: FleetExemption, today: string): boolean {
	return e.expires !== undefined && e.expires < today;
}

/** Whether an exemption covers a rule's findings on a resource of a file (expiry aside); `glob` compiles its path pattern. */
export function exemptionMatches(e: FleetExemption, ruleId: string, r: Pick<Resource, 'namespace' | 'kind' | 'name'>, path: string, glob: (pattern: string) => (p: string) => boolean = compileGlob): boolean {
	if (!e.rules.includes(ruleId) && !e.rules.includes('*')) return false;
	const m = e.match;
	if (m.namespace !== undefined && m.namespace !== r.namespace) return false;
	if (m.kind !== undefined && m.kind !== r.kind) return false;
	if (m.name !== undefined && m.name !== r.name) return false;
	if (m.path !== undefined && !glob(m.path)(path)) return false;
	return true;
}

function compileGlob(pattern: string): (p: string) => boolean {
	return picomatch(pattern, { dot: true });
}

/** The Fleet file's exemptions with their path globs compiled once; what the engine applies to findings. */
export class ExemptionSet {
	private readonly globs = new Map<string, (p: string) => boolean>();
	private readonly glob = (pattern: string) => {
		let g = this.globs.get(pattern);
		if (!g) this.globs.set(pattern, (g = compileGlob(pattern)));
		return g;
	};

	constructor(readonly list: readonly FleetExemption[]) {}

	/** Marks the findings of one resource that a live (unexpired) exemption covers: a hint that names it and its reason. */
	apply<F extends Pick<Finding, 'ruleId' | 'severity' | 'message' | 'data'>>(today: string, r: Pick<Resource, 'namespace' | 'kind' | 'name'>, path: string, findings: F[]): F[] {
		if (this.list.length === 0) return findings;
		return findings.map((f) => {
			if (f.data?.exempted) return f;
			const e = this.list.find((x) => !isExpired(x, today) && exemptionMatches(x, f.ruleId, r, path, this.glob));
			if (!e) return f;
			const until = e.expires ? `, until ${e.expires}` : '';
			return { ...f, severity: 'hint', message: `Exempted by ${e.source} (${e.reason}${until}): ${f.message}`, data: { ...f.data, exempted: e.reason } };
		});
	}
}

export const NO_EXEMPTIONS = new ExemptionSet([]);
