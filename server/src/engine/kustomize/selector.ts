import { allIds, annotationsOf, curId, effectiveNamespace, gvkSelected, labelsOf, orgId, type Res } from './resource';

/**
 * Patch targets: kustomize's `Selector` (group, version, kind, name and namespace as anchored
 * regular expressions, plus Kubernetes label and annotation selectors) and `Select`.
 */

export interface Selector {
	group?: string;
	version?: string;
	kind?: string;
	name?: string;
	namespace?: string;
	labelSelector?: string;
	annotationSelector?: string;
}

export type SelectResult = { ok: true; resources: Res[] } | { ok: false; error: string };

/** Anchored like kustomize's `anchorRegex`; an empty pattern matches everything. */
function pattern(p: string | undefined): RegExp | undefined | 'invalid' {
	if (!p) return undefined;
	try {
		return new RegExp(`^(?:${p})$`);
	} catch {
		return 'invalid';
	}
}

export function select(resources: Res[], sel: Selector): SelectResult {
	const patterns = { group: pattern(sel.group), version: pattern(sel.version), kind: pattern(sel.kind), name: pattern(sel.name), namespace: pattern(sel.namespace) };
	for (const [k, p] of Object.entries(patterns)) if (p === 'invalid') return { ok: false, error: `The target's ${k} '${(sel as Record<string, string>)[k]}' is not a valid regular expression.` };
	const labels = sel.labelSelector ? parseLabelSelector(sel.labelSelector) : undefined;
	if (labels && 'error' in labels) return { ok: false, error: `The target's labelSelector: ${labels.error}` };
	const annotations = sel.annotationSelector ? parseLabelSelector(sel.annotationSelector) : undefined;
	if (annotations && 'error' in annotations) return { ok: false, error: `The target's annotationSelector: ${annotations.error}` };
	const test = (p: RegExp | undefined | 'invalid', v: string) => p === undefined || (p as RegExp).test(v);
	const out: Res[] = [];
	for (const r of resources) {
		const cur = curId(r);
		const org = orgId(r);
		// Kustomize matches the original or the current namespace and name, the current gvk.
		if (!test(patterns.namespace, effectiveNamespace(org)) && !test(patterns.namespace, effectiveNamespace(cur))) continue;
		if (!test(patterns.name, org.name) && !test(patterns.name, cur.name)) continue;
		if (!test(patterns.group, cur.group) || !test(patterns.version, cur.version) || !test(patterns.kind, cur.kind)) continue;
		if (labels && !matchesRequirements(labels.requirements, labelsOf(r))) continue;
		if (annotations && !matchesRequirements(annotations.requirements, annotationsOf(r))) continue;
		out.push(r);
	}
	return { ok: true, resources: out };
}

/** Resources any of whose ids (previous or current) satisfies `match` (kustomize's GetMatchingResourcesByAnyId). */
export function matchingByAnyId(resources: Res[], match: (id: ReturnType<typeof curId>) => boolean): Res[] {
	return resources.filter((r) => allIds(r).some(match));
}

export { gvkSelected };

interface Requirement {
	key: string;
	op: 'in' | 'notin' | 'exists' | '!';
	values: string[];
}

/** Parses a Kubernetes label selector (`app=web,tier in (a,b),!legacy,env!=dev`). */
export function parseLabelSelector(text: string): { requirements: Requirement[] } | { error: string } {
	const requirements: Requirement[] = [];
	const parts: string[] = [];
	// Split on commas outside parentheses.
	let depth = 0;
	let cur = '';
	for (const ch of text) {
		if (ch === '(') depth++;
		if (ch === ')') depth--;
		if (ch === ',' && depth === 0) {
			parts.push(cur);
			cur = '';
		} else cur += ch;
	}
	parts.push(cur);
	for (const raw of parts) {
		const p = raw.trim();
		if (p === '') continue;
		let m: RegExpExecArray | null;
		if ((m = /^!\s*([A-Za-z0-9_./-]+)$/.exec(p))) requirements.push({ key: m[1], op: '!', values: [] });
		else if ((m = /^([A-Za-z0-9_./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p))) {
			requirements.push({ key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()).filter((v) => v !== '') });
		} else if ((m = /^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/.exec(p))) {
			requirements.push({ key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] });
		} else if ((m = /^([A-Za-z0-9_./-]+)$/.exec(p))) requirements.push({ key: m[1], op: 'exists', values: [] });
		else return { error: `'${p}' is not a label selector requirement (expected key=value, key!=value, key in (a,b), key notin (a,b), key or !key).` };
	}
	return { requirements };
}

function matchesRequirements(reqs: Requirement[], labels: Record<string, string>): boolean {
	return reqs.every((r) => {
		const has = Object.prototype.hasOwnProperty.call(labels, r.key);
		switch (r.op) {
			case 'exists':
				return has;
			case '!':
				return !has;
			case 'in':
				return has && r.values.includes(labels[r.key]);
			case 'notin':
				return !has || !r.values.includes(labels[r.key]);
		}
	});
}
