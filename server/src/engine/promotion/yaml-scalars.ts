import { isMap, isScalar, parse, Scalar, type Node as YamlNode, type Pair } from 'yaml';
import { nodeAt, parseFile, YAML_OPTIONS, type NodePath, type ParsedDocument } from '../core/parse';
import { LineIndex } from '../core/text';
import { addToMap, editContext, pairOf, replaceScalar, type EditContext, type TextEditEntry } from '../core/yaml-edit';

/**
 * Scalar edits of a YAML file's text for promotion: replace a value in place, add a key beside
 * another, remove a key. Nothing is re-serialised (core/yaml-edit): comments, quotes, key order,
 * indentation and line endings stay as the file has them.
 */

/** One change: set `path` to `value` (added to its mapping when absent), or remove the key (`value` undefined). */
export interface ScalarChange {
	documentIndex: number;
	path: NodePath;
	value: string | undefined;
	/** Where an added key goes: after this sibling key (else after the mapping's last key). */
	after?: string;
}

/** What a change did, for the plan's edits (1-based line of the file as it is now). */
export interface AppliedChange {
	line: number;
	before: string;
	after: string;
}

export type ScalarEditResult = { ok: true; text: string; applied: AppliedChange[] } | { ok: false; error: string };

/** Applies the changes to the text; every change is located against the original text. */
export function applyScalarChanges(file: string, text: string, changes: readonly ScalarChange[]): ScalarEditResult {
	const parsed = parseFile(text);
	const lines = new LineIndex(text);
	const source = { parsed: { text }, lines };
	const edits: TextEditEntry[] = [];
	const applied: AppliedChange[] = [];
	for (const c of changes) {
		const doc = parsed.documents.find((d) => d.index === c.documentIndex);
		if (!doc) return { ok: false, error: `${file}: document ${c.documentIndex + 1} is gone` };
		const ec = editContext(source, doc);
		const key = String(c.path[c.path.length - 1]);
		const parent = nodeAt(doc.doc, c.path.slice(0, -1));
		if (!isMap(parent)) return { ok: false, error: `${file}: ${c.path.slice(0, -1).join('.')} is not a mapping Fleetscope can edit` };
		const pair = pairOf(parent, key);
		const line = (offset: number) => lines.positionAt(offset).line + 1;
		if (c.value === undefined) {
			if (!pair) continue;
			const removal = removePair(ec, doc, pair);
			if (!removal) return { ok: false, error: `${file}: cannot remove ${c.path.join('.')} (it is not on lines of its own)` };
			edits.push(removal);
			applied.push({ line: line(doc.base + (pair.key as YamlNode).range![0]), before: scalarValue(pair.value), after: '' });
			continue;
		}
		if (pair) {
			const node = pair.value;
			if (!isScalar(node)) return { ok: false, error: `${file}: ${c.path.join('.')} is not a scalar` };
			if (String(node.value) === c.value) continue;
			const e = replaceScalar(ec, node, scalarText(c.value, node.type));
			if (!e) return { ok: false, error: `${file}: cannot edit ${c.path.join('.')}` };
			edits.push(e);
			applied.push({ line: line(doc.base + node.range![0]), before: String(node.value), after: c.value });
			continue;
		}
		const after = c.after === undefined ? undefined : pairOf(parent, c.after);
		const e = addToMap(ec, parent, [[key, scalarText(c.value)]], { after });
		if (!e) return { ok: false, error: `${file}: cannot add ${c.path.join('.')}` };
		edits.push(e);
		applied.push({ line: e.range.start.line + 2, before: '', after: c.value });
	}
	return { ok: true, text: applyEdits(text, lines, edits), applied };
}

/** Applies non-overlapping edits (ranges of the original text), last first. */
export function applyEdits(text: string, lines: LineIndex, edits: readonly TextEditEntry[]): string {
	const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start || b.end - a.end);
	let out = text;
	for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
	return out;
}

function scalarValue(node: unknown): string {
	return isScalar(node) ? String(node.value) : '';
}

/**
 * The YAML text of a string value: in the quotes the old value had, else plain when YAML 1.1
 * reads it back as the same string (`2.14.1`), else double-quoted (`"1.10"`, `"yes"`, `"0x1F"`).
 */
export function scalarText(value: string, style?: Scalar['type']): string {
	if (style === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
	if (style === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
	let back: unknown;
	try {
		back = parse(value, { ...YAML_OPTIONS, strict: false });
	} catch {
		back = undefined;
	}
	return back === value && /^[A-Za-z0-9][A-Za-z0-9._/+@:~-]*$/.test(value) ? value : JSON.stringify(value);
}

/** Removes a block mapping pair that sits on lines of its own (its key's line through its value's last line). */
function removePair(ec: EditContext, doc: ParsedDocument, pair: Pair<YamlNode, YamlNode | null>): TextEditEntry | undefined {
	const key = pair.key;
	if (!key?.range) return undefined;
	const text = ec.text;
	const keyStart = doc.base + key.range[0];
	const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
	if (!/^[ \t]*$/.test(text.slice(lineStart, keyStart))) return undefined;
	const valueEnd = pair.value?.range ? doc.base + pair.value.range[1] : doc.base + key.range[1];
	const nl = text.indexOf('\n', Math.max(valueEnd - 1, keyStart));
	const end = nl === -1 ? text.length : nl + 1;
	const lines = ec.analysis.lines;
	return { range: lines.rangeOf({ start: lineStart, end }), newText: '' };
}
