import type { Obj } from './store';

/**
 * Label and field selectors as the API server parses them: `a=b,c!=d,e in (f,g),h notin (i),j,!k`
 * and `metadata.name=x,metadata.namespace!=y`. An invalid selector is a 400, as upstream.
 */

type Requirement = (labels: Record<string, string>) => boolean;

export class SelectorError extends Error {}

function splitTerms(s: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let cur = '';
	for (const ch of s) {
		if (ch === '(') depth++;
		if (ch === ')') depth--;
		if (ch === ',' && depth === 0) {
			out.push(cur);
			cur = '';
		} else cur += ch;
	}
	if (cur.trim() !== '') out.push(cur);
	return out.map((t) => t.trim()).filter(Boolean);
}

export function parseLabelSelector(s: string | null): Requirement {
	if (!s) return () => true;
	const reqs: Requirement[] = [];
	for (const term of splitTerms(s)) {
		let m: RegExpExecArray | null;
		if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
			const [, k, op, list] = m;
			const values = list.split(',').map((v) => v.trim());
			reqs.push(op === 'in' ? (l) => k in l && values.includes(l[k]) : (l) => !(k in l) || !values.includes(l[k]));
		} else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term))) {
			const [, k, op, v] = m;
			reqs.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
		} else if ((m = /^!([\w./-]+)$/.exec(term))) {
			const k = m[1];
			reqs.push((l) => !(k in l));
		} else if ((m = /^([\w./-]+)$/.exec(term))) {
			const k = m[1];
			reqs.push((l) => k in l);
		} else throw new SelectorError(`unable to parse requirement: ${term}`);
	}
	return (labels) => reqs.every((r) => r(labels));
}

const FIELDS: Record<string, (o: Obj) => string | undefined> = {
	'metadata.name': (o) => o.metadata?.name,
	'metadata.namespace': (o) => o.metadata?.namespace ?? '',
};

export function parseFieldSelector(s: string | null, kind: string): (o: Obj) => boolean {
	if (!s) return () => true;
	const reqs: ((o: Obj) => boolean)[] = [];
	for (const term of splitTerms(s)) {
		const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
		const get = m ? FIELDS[m[1]] : undefined;
		if (!m || !get) throw new SelectorError(`"${m?.[1] ?? term}" is not a known field selector: only "metadata.name", "metadata.namespace" (${kind})`);
		const [, , op, v] = m;
		reqs.push(op === '!=' ? (o) => get(o) !== v : (o) => get(o) === v);
	}
	return (o) => reqs.every((r) => r(o));
}
