import { isMap, isPair, isScalar, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { FileAnalysis } from '../engine';
import { nodeAt, type NodePath, type ParsedDocument } from '../parse';
import type { Finding, Range } from '../types';

/**
 * Quick fixes: text edits that fix a finding mechanically, keeping the user's formatting and
 * comments (edits insert or replace single lines; nothing is re-serialised). Every finding can
 * also get an inline exemption, whose reason the user must write (until then it exempts nothing).
 */

export interface TextEditEntry {
	range: Range;
	newText: string;
}

export interface CodeActionEntry {
	title: string;
	/** The finding the action fixes. */
	finding: Finding;
	edits: TextEditEntry[];
	/** The fix a user most likely wants (applied by "auto fix"). */
	preferred: boolean;
}

/** What a fix does: set `key` to `value` (YAML text) in the securityContext that governs the finding. */
interface SecurityFix {
	key: string;
	/** The replacement text when the key exists with a wrong value. */
	value: string;
	/** The lines to add (relative indentation) when the key is missing. */
	insert: string[];
	title: string;
}

const FIXES: Record<string, SecurityFix> = {
	'pss-privileged': { key: 'privileged', value: 'false', insert: [], title: 'Set privileged: false' },
	'pss-allowPrivilegeEscalation': { key: 'allowPrivilegeEscalation', value: 'false', insert: ['allowPrivilegeEscalation: false'], title: 'Set allowPrivilegeEscalation: false' },
	'pss-runAsNonRoot': { key: 'runAsNonRoot', value: 'true', insert: ['runAsNonRoot: true'], title: 'Set runAsNonRoot: true' },
	'pss-seccompProfile_restricted': { key: 'seccompProfile', value: '', insert: ['seccompProfile:', '  type: RuntimeDefault'], title: 'Set seccompProfile type RuntimeDefault' },
	'pss-seccompProfile_baseline': { key: 'seccompProfile', value: '', insert: ['seccompProfile:', '  type: RuntimeDefault'], title: 'Set seccompProfile type RuntimeDefault' },
	'pss-capabilities_restricted': { key: 'capabilities', value: '', insert: ['capabilities:', '  drop: [ALL]'], title: 'Drop ALL capabilities' },
};

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The quick fixes for the findings that touch `range`. */
export function codeActions(analysis: FileAnalysis, range: Range): CodeActionEntry[] {
	const out: CodeActionEntry[] = [];
	for (const f of analysis.findings) {
		if (f.data?.exempted || !overlaps(f.range, range)) continue;
		const fix = FIXES[f.ruleId];
		const doc = fix && f.data?.path ? documentAt(analysis, analysis.lines.offsetAt(f.range.start)) : undefined;
		const edit = fix && doc ? securityEdit(analysis, doc, f.data!.path!, fix) : undefined;
		if (edit) out.push({ title: fix.title, finding: f, edits: [edit], preferred: true });
		out.push({ title: `Exempt this ${f.ruleId} finding (write the reason)`, finding: f, edits: [exemptionEdit(analysis, f)], preferred: false });
	}
	return out;
}

function exemptionEdit(analysis: FileAnalysis, f: Finding): TextEditEntry {
	const line = f.range.start.line;
	const start = analysis.lines.lineStart(line);
	const indent = /^[ \t-]*/.exec(analysis.parsed.text.slice(start, start + 200))![0].replace(/-/g, ' ');
	const at = { line, character: 0 };
	return { range: { start: at, end: at }, newText: `${indent}# fleetscope-ignore ${f.ruleId} -- \n` };
}

function documentAt(analysis: FileAnalysis, offset: number): ParsedDocument | undefined {
	let found: ParsedDocument | undefined;
	for (const d of analysis.parsed.documents) if (d.base <= offset) found = d;
	return found;
}

/** The edit that sets the fix's key in the securityContext governing the node at `path`. */
function securityEdit(analysis: FileAnalysis, d: ParsedDocument, path: NodePath, fix: SecurityFix): TextEditEntry | undefined {
	const text = analysis.parsed.text;
	if (path[path.length - 2] === 'seccompProfile' && path[path.length - 1] === 'type') {
		const v = nodeAt(d.doc, path);
		return isScalar(v) && v.range ? replace(analysis, d.base + v.range[0], d.base + v.range[1], 'RuntimeDefault') : undefined;
	}
	const sc = path.indexOf('securityContext');
	const c = path.findIndex((p, i) => typeof p === 'string' && CONTAINER_LISTS.has(p) && typeof path[i + 1] === 'number');
	const scPath = sc >= 0 ? path.slice(0, sc + 1) : c >= 0 ? [...path.slice(0, c + 2), 'securityContext'] : undefined;
	if (!scPath) return undefined;
	const scNode = nodeAt(d.doc, scPath);
	if (isMap(scNode)) {
		if (scNode.flow) return undefined; // `{...}` style: not edited line-wise
		const existing = pairOf(scNode, fix.key);
		if (existing) {
			const v = existing.value as YamlNode | null;
			if (!fix.value || !isScalar(v) || !v.range) return undefined;
			return replace(analysis, d.base + v.range[0], d.base + v.range[1], fix.value);
		}
		if (fix.insert.length === 0) return undefined;
		const first = scNode.items[0] as Pair<YamlNode> | undefined;
		if (!first?.key || !(first.key as YamlNode).range) return undefined;
		const keyStart = d.base + (first.key as YamlNode).range![0];
		const lineStart = analysis.lines.lineStart(analysis.lines.positionAt(keyStart).line);
		const indent = ' '.repeat(keyStart - lineStart);
		return insertAt(analysis, lineStart, fix.insert.map((l) => indent + l + '\n').join(''));
	}
	if (scNode !== undefined || fix.insert.length === 0) return undefined;
	// No securityContext yet: add one after the container's (or pod spec's) last line.
	const owner = nodeAt(d.doc, scPath.slice(0, -1));
	if (!isMap(owner) || owner.flow || owner.items.length === 0) return undefined;
	const firstKey = (owner.items[0] as Pair<YamlNode>).key as YamlNode;
	const keyStart = d.base + firstKey.range![0];
	const indent = ' '.repeat(keyStart - analysis.lines.lineStart(analysis.lines.positionAt(keyStart).line));
	const last = owner.items[owner.items.length - 1] as Pair<YamlNode, YamlNode | null>;
	let end = d.base + (last.value?.range?.[1] ?? (last.key as YamlNode).range![1]);
	while (end > 0 && /\s/.test(text[end - 1])) end--;
	const nl = text.indexOf('\n', end);
	const at = nl === -1 ? text.length : nl;
	const lines = ['securityContext:', ...fix.insert.map((l) => '  ' + l)].map((l) => indent + l);
	return insertAt(analysis, at, '\n' + lines.join('\n'));
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
	return map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

function replace(analysis: FileAnalysis, start: number, end: number, newText: string): TextEditEntry {
	return { range: analysis.lines.rangeOf({ start, end }), newText };
}

function insertAt(analysis: FileAnalysis, offset: number, newText: string): TextEditEntry {
	const p = analysis.lines.positionAt(offset);
	return { range: { start: p, end: p }, newText };
}

function overlaps(a: Range, b: Range): boolean {
	const le = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
	return le(a.start, b.end) && le(b.start, a.end);
}
