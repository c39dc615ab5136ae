import { isMap, isPair, isScalar, type Node as YamlNode } from 'yaml';
import { keyNodeAt, nodeAt, spanOf, type NodePath, type ParsedDocument } from '../core/parse';
import { isPlainObject } from '../core/resource';
import { valueSpanInSource } from '../core/scalar-offsets';
import { ruleMeta } from '../rules/catalog';
import type { Finding, FindingData, Severity, TextSpan } from '../core/types';
import type { SchemaProblem } from '../schema/types';
import type { Located, Outline } from '../core/outline';

/** A finding whose span is relative to its YAML segment: what is cached per segment, before severity settings. */
export interface LocalFinding {
	ruleId: string;
	severity: Severity;
	message: string;
	span: TextSpan;
	data?: FindingData;
}

/** Turns a problem (a path inside a document's value) into a finding on the exact node. */
export function placeProblem(d: ParsedDocument, p: SchemaProblem): LocalFinding {
	const meta = ruleMeta(p.ruleId);
	// A problem inside a string value needs the scalar's style from the slow parse.
	const span = (!p.within && d.outline && outlineSpan(d, d.outline, p.path, p.target)) || slowSpan(d, p);
	return { ruleId: p.ruleId, severity: p.severity ?? meta?.defaultSeverity ?? 'error', message: p.message, span, data: p.data };
}

/**
 * Where a problem goes, from the document's outline (no slow parse): the same choice of node as
 * `slowSpan`, or undefined where the outline is unsure on the way.
 */
export function outlineSpan(d: ParsedDocument, o: Outline, path: NodePath, target: string | undefined): TextSpan | undefined {
	let r: Located;
	if (target === 'key') {
		r = o.key(path);
		if (r === null) r = o.value(path);
	} else if (target === 'value') {
		r = o.value(path);
		if (r === null) r = o.key(path);
	} else r = path.length > 0 ? o.key(path) : null;
	for (let i = path.length - 1; r === null && i > 0; i--) r = o.key(path.slice(0, i));
	if (r === 'unsure') return undefined;
	return r ?? o.firstKey() ?? { start: d.span.start, end: firstLineEnd(d.segment.text, d.span.start, d.span.end) };
}

/** The same from the slow parse's syntax tree. */
function slowSpan(d: ParsedDocument, p: SchemaProblem): TextSpan {
	let node: YamlNode | undefined;
	if (p.target === 'key') node = keyNodeAt(d.doc, p.path) ?? nodeAt(d.doc, p.path);
	else if (p.target === 'value') node = nodeAt(d.doc, p.path) ?? keyNodeAt(d.doc, p.path);
	else node = p.path.length > 0 ? keyNodeAt(d.doc, p.path) : undefined;
	// Fall back to the nearest ancestor that exists, then to the first key of the document.
	for (let i = p.path.length - 1; !node && i > 0; i--) node = keyNodeAt(d.doc, p.path.slice(0, i));
	const span = spanOf(node) ?? firstKeySpan(d) ?? { start: d.span.start, end: firstLineEnd(d.segment.text, d.span.start, d.span.end) };
	// A problem inside a string value (a CEL compile error) sits on those characters of the source.
	if (p.within && isScalar(node) && typeof node.value === 'string' && node.range) return valueSpanInSource(d.segment.text, node.range[0], node.range[1], node.type ?? 'PLAIN', node.value, p.within) ?? span;
	return span;
}

function firstKeySpan(d: ParsedDocument): TextSpan | undefined {
	if (d.outline) return d.outline.firstKey();
	const root = nodeAt(d.doc, []);
	const first = isMap(root) && root.items[0] && isPair(root.items[0]) ? (root.items[0].key as YamlNode) : undefined;
	return spanOf(first);
}

/** A finding placed `line` lines further down (findings are cached per segment and re-placed when it moves). */
export function placeAt(f: Finding, line: number): Finding {
	if (line === 0) return f;
	const r = f.range;
	return { ...f, range: { start: { line: r.start.line + line, character: r.start.character }, end: { line: r.end.line + line, character: r.end.character } } };
}

/** `resource-shape` problems of a document that is not a Kubernetes object in a file that holds objects. */
export function shapeProblems(d: ParsedDocument, value: unknown): LocalFinding[] {
	const span = d.span.end > d.span.start ? { start: d.span.start, end: firstLineEnd(d.segment.text, d.span.start, d.span.end) } : d.span;
	if (!isPlainObject(value)) {
		const what = Array.isArray(value) ? 'a list' : `a ${typeof value} value`;
		return [{ ruleId: 'resource-shape', severity: 'error', message: `This document is ${what}, not a Kubernetes object. Each document of a manifest file must be a mapping with apiVersion and kind.`, span }];
	}
	const missing = ['apiVersion', 'kind'].filter((k) => typeof value[k] !== 'string');
	if (missing.length === 2 && Object.keys(value).length > 0 && !('metadata' in value) && !('spec' in value)) return [];
	return [
		{
			ruleId: 'resource-shape',
			severity: 'error',
			message: `This object has no ${missing.join(' and no ')}: every Kubernetes object needs ${missing.join(' and ')} as strings, or it cannot be applied.`,
			span: firstKeySpan(d) ?? span,
		},
	];
}

/** The source text of the scalar at a path of a document: lets schema messages explain the YAML 1.1 trap (`1.30` read as 1.3). */
export function scalarSource(d: ParsedDocument): (path: NodePath) => string | undefined {
	return (path) => {
		const n = d.outline?.node(path);
		if (n === null) return undefined;
		if (n !== undefined && n !== 'unsure') return n.kind === 'scalar' ? d.segment.text.slice(n.span.start, n.span.end) : undefined;
		const node = nodeAt(d.doc, path);
		return isScalar(node) && node.range ? d.segment.text.slice(node.range[0], node.range[1]) : undefined;
	};
}

/**
 * One finding per problem: a misspelled required field (`intervall` for `interval`) is one unknown
 * field whose did-you-mean names the missing field, not also a separate "missing interval".
 */
export function foldTypos(problems: SchemaProblem[]): SchemaProblem[] {
	const typos = problems.filter((p) => p.ruleId === 'schema-unknown-field' && p.data?.replacement);
	if (typos.length === 0) return problems;
	const dropped = new Set<SchemaProblem>();
	const out: SchemaProblem[] = [];
	for (const p of problems) {
		const missing = p.ruleId === 'schema-required' ? p.data?.missing : undefined;
		if (missing && missing.length === 1 && p.data?.path) {
			const parent = JSON.stringify(p.data.path);
			const typo = typos.find((t) => t.data!.replacement === missing[0] && JSON.stringify(t.path.slice(0, -1)) === parent);
			if (typo) {
				dropped.add(typo);
				out.push({ ...typo, message: `${typo.message} It is required.` });
				continue;
			}
		}
		out.push(p);
	}
	return out.filter((p) => !dropped.has(p));
}

export function firstLineEnd(text: string, start: number, end: number): number {
	const nl = text.indexOf('\n', start);
	return nl === -1 || nl > end ? end : nl;
}
