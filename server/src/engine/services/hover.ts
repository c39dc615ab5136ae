import type { FileAnalysis } from '../analysis/engine';
import { formatPath } from '../schema/paths';
import { helpUri } from '../core/rule-meta';
import { ruleMeta } from '../rules/catalog';
import type { SchemaRegistry } from '../schema/types';
import type { Finding, Position } from '../core/types';
import { schemaOf } from './document-schema';
import { locate } from './node-path';
import type { HoverResult } from './types';
import type { FleetModel } from '../fleet/types';
import { isPlainObject } from '../core/resource';
import { deploymentMarkdown } from './fleet-info';

/**
 * Hover: the schema description of the key or value under the cursor, and the findings that
 * cover the cursor with their rule. Undefined when there is nothing to say.
 */
export function hover(analysis: FileAnalysis, registry: SchemaRegistry, offset: number, fleet?: FleetModel): HoverResult | undefined {
	const pos = analysis.lines.positionAt(offset);
	const parts: string[] = [];
	const loc = locate(analysis.parsed, offset);
	let range = loc ? analysis.lines.rangeOf(loc.span) : { start: pos, end: pos };
	if (loc) {
		const schema = schemaOf(registry, loc.document, analysis.path);
		const info = schema?.describe(loc.path, loc.document.value);
		if (info && (info.description || info.type || info.enum)) {
			const title = loc.path.length > 0 ? `**${escapeMd(formatPath(loc.path))}**` : `**${escapeMd(rootTitle(loc.document.value))}**`;
			const section = [info.type ? `${title} · \`${info.type}\`` : title];
			if (info.description) section.push(info.description);
			if (info.enum && info.enum.length > 0) section.push(`Allowed values: ${info.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
			parts.push(section.join('\n\n'));
		}
	}
	// On a resource's kind or name (or anywhere at the top of a kustomization): where the file is deployed, at which version.
	if (fleet && loc && isTopLevel(loc.path)) {
		const value = loc.document.value;
		const resource = isPlainObject(value) ? { kind: String(value.kind ?? ''), name: isPlainObject(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : undefined, value } : undefined;
		const deployed = deploymentMarkdown(fleet, analysis.path, resource);
		if (deployed) parts.push(deployed);
	}
	const here = analysis.findings.filter((f) => covers(f, pos));
	for (const f of here) {
		const meta = ruleMeta(f.ruleId);
		const explain = meta && meta.controls.length > 0 ? explanation(meta.rationale, meta.remediation, meta.controls) : '';
		parts.push(`**${f.severity}**: ${escapeMd(f.message)}\n\n[${f.ruleId}](${helpUri(f.ruleId)})${meta ? ` · ${meta.title}` : ''}${explain}${policyLine(f, analysis.path)}`);
	}
	if (parts.length === 0) return undefined;
	if (!loc && here.length > 0) range = here[0].range;
	return { markdown: parts.join('\n\n---\n\n'), range };
}

const ENGINES: Record<string, string> = { kyverno: 'Kyverno policy', vap: 'ValidatingAdmissionPolicy', crd: 'CRD validation rules of' };

/** For a `policy` finding: the policy and rule, with a link to the policy's file (relative to this file). */
function policyLine(f: Finding, from: string): string {
	const p = f.data?.policy;
	if (!p) return '';
	const rule = p.rule ? `, rule \`${p.rule.length > 80 ? `${p.rule.slice(0, 77)}...` : p.rule}\`` : '';
	const file = p.file ? ` · [${escapeMd(p.file)}](${relativeLink(from, p.file)})` : '';
	return `\n\n*Policy:* ${ENGINES[p.engine] ?? p.engine} \`${p.policy}\`${rule}${file}`;
}

/** A relative link from one repo-relative file to another. */
function relativeLink(from: string, to: string): string {
	const a = from.split('/').slice(0, -1);
	const b = to.split('/');
	let i = 0;
	while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
	return [...Array<string>(a.length - i).fill('..'), ...b.slice(i)].map(encodeURIComponent).join('/') || '.';
}

/** For compliance rules: why the control exists, the fix, and every control the finding evidences. */
function explanation(rationale: string, remediation: string | undefined, controls: string[]): string {
	const lines = [`*Why:* ${escapeMd(rationale)}`];
	if (remediation) lines.push(`*Fix:* ${escapeMd(remediation)}`);
	lines.push(`*Controls:* ${controls.map((c) => `\`${c}\``).join(', ')}`);
	return `\n\n${lines.join('\n\n')}`;
}

function isTopLevel(path: (string | number)[]): boolean {
	return path.length === 0 || (path.length === 1 && (path[0] === 'kind' || path[0] === 'apiVersion' || path[0] === 'metadata')) || (path.length === 2 && path[0] === 'metadata' && path[1] === 'name');
}

function rootTitle(value: unknown): string {
	const v = value as { kind?: unknown; apiVersion?: unknown } | null;
	return v && typeof v.kind === 'string' ? `${v.kind}${typeof v.apiVersion === 'string' ? ` (${v.apiVersion})` : ''}` : 'document';
}

function before(a: Position, b: Position): boolean {
	return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function covers(f: Finding, pos: Position): boolean {
	return before(f.range.start, pos) && before(pos, f.range.end);
}

/** Escapes the characters Markdown would read as formatting in a message or path. */
function escapeMd(s: string): string {
	return s.replace(/([\\*_[\]<>])/g, '\\$1');
}
