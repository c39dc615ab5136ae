import { isMap, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { FileAnalysis } from '../analysis/engine';
import { nodeAt, type NodePath, type ParsedDocument } from '../core/parse';
import type { Finding, Range } from '../core/types';
import { addToMap, containerPath, editContext, fillEmptyPair, isEmptyValue, pairOf, replaceScalar, type EditContext, type Entry, type Fix, type TextEditEntry } from './yaml-edit';
import { resourcesFix } from './fix-resources';

export type { TextEditEntry } from './yaml-edit';

/**
 * Quick fixes: text edits that fix a finding mechanically, keeping the user's formatting and
 * comments (edits insert or replace lines and scalars; nothing is re-serialised, see yaml-edit).
 * Every finding can also get an inline exemption, whose reason the user must write (until then it
 * exempts nothing).
 */

export interface CodeActionEntry {
	title: string;
	/** The finding the action fixes. */
	finding: Finding;
	edits: TextEditEntry[];
	/** The fix a user most likely wants (applied by "auto fix"). */
	preferred: boolean;
}

/** What a securityContext fix does: set `key` to `value` (YAML text) in the securityContext that governs the finding. */
interface SecurityFix {
	key: string;
	/** The replacement text when the key exists with a wrong value ('' for a mapping: not replaced). */
	value: string;
	/** The entries to add when the key is missing. */
	insert: Entry[];
	title: string;
}

const SECURITY_FIXES: Record<string, SecurityFix> = {
	'pss-privileged': { key: 'privileged', value: 'false', insert: [], title: 'Set privileged: false' },
	'pss-allowPrivilegeEscalation': { key: 'allowPrivilegeEscalation', value: 'false', insert: [['allowPrivilegeEscalation', 'false']], title: 'Set allowPrivilegeEscalation: false' },
	'pss-runAsNonRoot': { key: 'runAsNonRoot', value: 'true', insert: [['runAsNonRoot', 'true']], title: 'Set runAsNonRoot: true' },
	'pss-seccompProfile_restricted': { key: 'seccompProfile', value: '', insert: [['seccompProfile', [['type', 'RuntimeDefault']]]], title: 'Set seccompProfile type RuntimeDefault' },
	'pss-seccompProfile_baseline': { key: 'seccompProfile', value: '', insert: [['seccompProfile', [['type', 'RuntimeDefault']]]], title: 'Set seccompProfile type RuntimeDefault' },
	'pss-capabilities_restricted': { key: 'capabilities', value: '', insert: [['capabilities', [['drop', '[ALL]']]]], title: 'Drop ALL capabilities' },
};

const one = (e: TextEditEntry | undefined) => (e ? [e] : undefined);

function securityFix(fix: SecurityFix): Fix {
	return (ec, _f, path) => {
		const edits = securityEdits(ec, path, fix);
		return edits ? { title: fix.title, edits } : undefined;
	};
}

/** The edits that set the fix's key in the securityContext governing the node at `path`. */
function securityEdits(ec: EditContext, path: NodePath, fix: SecurityFix): TextEditEntry[] | undefined {
	const d = ec.doc;
	if (path[path.length - 2] === 'seccompProfile' && path[path.length - 1] === 'type') return one(replaceScalar(ec, nodeAt(d.doc, path), 'RuntimeDefault'));
	const sc = path.indexOf('securityContext');
	const container = containerPath(path);
	const scPath = sc >= 0 ? path.slice(0, sc + 1) : container ? [...container, 'securityContext'] : undefined;
	if (!scPath) return undefined;
	const owner = nodeAt(d.doc, scPath.slice(0, -1));
	if (!isMap(owner)) return undefined;
	const scPair = pairOf(owner, 'securityContext');
	if (!scPair) return fix.insert.length ? one(addToMap(ec, owner, [['securityContext', fix.insert]])) : undefined;
	if (isEmptyValue(scPair)) return fix.insert.length ? fillEmptyPair(ec, scPair, fix.insert) : undefined;
	const scNode = scPair.value;
	if (!isMap(scNode)) return undefined;
	const existing = pairOf(scNode, fix.key);
	if (!existing) return fix.insert.length ? one(addToMap(ec, scNode, fix.insert)) : undefined;
	if (fix.value) return one(replaceScalar(ec, existing.value, fix.value));
	// capabilities without drop: add drop: [ALL] to it
	if (fix.key === 'capabilities' && isMap(existing.value) && !pairOf(existing.value, 'drop')) return one(addToMap(ec, existing.value, [['drop', '[ALL]']]));
	return undefined;
}

/** Sets `automountServiceAccountToken: false` in `map`: replaces a value there, else adds the key (after `after` if given). */
function automountEdits(ec: EditContext, map: YAMLMap, after?: string): TextEditEntry[] | undefined {
	const existing = pairOf(map, 'automountServiceAccountToken');
	if (existing) return one(replaceScalar(ec, existing.value, 'false'));
	return one(addToMap(ec, map, [['automountServiceAccountToken', 'false']], { after: after ? pairOf(map, after) : undefined }));
}

const TOKEN_TITLE = 'Set automountServiceAccountToken: false';

const FIXES = new Map<string, Fix>(Object.entries({
	...Object.fromEntries(Object.entries(SECURITY_FIXES).map(([id, f]) => [id, securityFix(f)])),
	'workload-resources': resourcesFix,
	// On the ServiceAccount: the key is top-level.
	'cis-default-service-account': (ec) => {
		const root = ec.doc.doc.contents as YamlNode | null;
		const edits = isMap(root) ? automountEdits(ec, root) : undefined;
		return edits ? { title: TOKEN_TITLE, edits } : undefined;
	},
	// In the pod spec, next to the serviceAccountName it is about.
	'cis-pod-default-service-account': (ec, _f, path) => {
		const spec = nodeAt(ec.doc.doc, path.slice(0, -1));
		const edits = isMap(spec) ? automountEdits(ec, spec, String(path[path.length - 1])) : undefined;
		return edits ? { title: `${TOKEN_TITLE} in the pod spec`, edits } : undefined;
	},
} satisfies Record<string, Fix>));

/** The quick fixes for the findings that touch `range`. */
export function codeActions(analysis: FileAnalysis, range: Range): CodeActionEntry[] {
	const out: CodeActionEntry[] = [];
	for (const f of analysis.findings) {
		if (f.data?.exempted || !overlaps(f.range, range)) continue;
		const fix = FIXES.get(f.ruleId);
		const doc = fix && f.data?.path ? documentAt(analysis, analysis.lines.offsetAt(f.range.start)) : undefined;
		const result = fix && doc ? fix(editContext(analysis, doc), f, f.data!.path!) : undefined;
		if (result && result.edits.length > 0) out.push({ title: result.title, finding: f, edits: result.edits, preferred: true });
		out.push({ title: `Exempt this ${f.ruleId} finding (write the reason)`, finding: f, edits: [exemptionEdit(analysis, f)], preferred: false });
	}
	return out;
}

function exemptionEdit(analysis: FileAnalysis, f: Finding): TextEditEntry {
	const text = analysis.parsed.text;
	const line = f.range.start.line;
	const start = analysis.lines.lineStart(line);
	const indent = /^[ \t-]*/.exec(text.slice(start, start + 200))![0].replace(/-/g, ' ');
	const at = { line, character: 0 };
	return { range: { start: at, end: at }, newText: `${indent}# fleetscope-ignore ${f.ruleId} -- ${text.includes('\r\n') ? '\r\n' : '\n'}` };
}

function documentAt(analysis: FileAnalysis, offset: number): ParsedDocument | undefined {
	let found: ParsedDocument | undefined;
	for (const d of analysis.parsed.documents) if (d.base <= offset) found = d;
	return found;
}

function overlaps(a: Range, b: Range): boolean {
	const le = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
	return le(a.start, b.end) && le(b.start, a.end);
}
