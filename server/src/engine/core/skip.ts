import { isMap, isSeq } from 'yaml';
import type { ParsedFile } from './parse';
import { someLineMatches, type SegmentedText } from './segmented-text';

/**
 * Files that are not plain manifests are recognised before parsing and skipped with a note:
 * binary or non-UTF-8 content, files over the size limit and SOPS-encrypted files. Templates are
 * recognised after parsing (`templateNote`). Returns the note, or undefined for a file to parse.
 */
export function classifyContent(text: string | SegmentedText, maxBytes: number): string | undefined {
	if (text.length > maxBytes) return sizeNote(text.length, maxBytes);
	const head = headOf(text);
	if (head.includes('\u0000')) return 'Fleetscope did not validate this file: it contains NUL bytes, so it is binary, not YAML text.';
	if (head.includes('\uFFFD')) return 'Fleetscope did not validate this file: it is not valid UTF-8 text. Save it as UTF-8.';
	// Both are line patterns: a segmented text is searched piece by piece.
	if (someLineMatches(text, /^sops:\s*$/m) && someLineMatches(text, /^\s+(mac|lastmodified|version):/m)) {
		return 'SOPS-encrypted file: its values are ciphertext, so Fleetscope does not validate it.';
	}
	return undefined;
}

/** The first 64 KiB of a text: what the content checks read. */
function headOf(text: string | SegmentedText): string {
	return text.length > HEAD ? text.slice(0, HEAD) : text.toString();
}

const HEAD = 65536;

/** Whether a text holds `{{ }}` template expressions outside comments (in its first 64 KiB). */
export function hasTemplateSyntax(text: string | SegmentedText): boolean {
	const head = headOf(text);
	return /\{\{-?\s*[^}]*\}\}/.test(stripComments(head).replace(AWS_AUTH_PLACEHOLDERS, ''));
}

/**
 * `{{` is not always Helm: Kyverno variables (`"{{ request.namespace }}"`), Argo CD ApplicationSet
 * parameters (`'{{path.basename}}'`) and Go templates inside quoted strings are valid YAML in valid
 * objects, and are validated like any string. A file with template expressions is skipped (the
 * note is returned) only where it sits in a Helm chart's `templates/` (a `Chart.yaml` above it:
 * Helm renders it, whatever it parses to), or where it is not valid YAML: a parse error, or an
 * unquoted `{{ x }}` that YAML reads as a mapping nested in a key, which no Kubernetes tool accepts.
 * `exists` answers for repo-relative paths (the chart's Chart.yaml).
 */
export function templateNote(path: string, text: string | SegmentedText, parsed: ParsedFile, exists: (path: string) => boolean): string | undefined {
	if (!hasTemplateSyntax(text)) return undefined;
	const chart = helmChartOf(path, exists);
	if (chart !== undefined) return `Helm template of the chart ${chart === '' ? 'at the repository root' : `in ${chart}`}: Helm renders it, and Fleetscope validates rendered manifests, not templates with \`{{ }}\` expressions, so this file is skipped.`;
	if (parsesCleanly(parsed)) return undefined;
	return 'Helm or Go template: its `{{ }}` expressions outside quoted strings are not valid YAML until a template tool renders them, so this file is skipped (Fleetscope validates rendered manifests).';
}

/** The directory of the Helm chart whose `templates/` holds a file ('' for the repository root), or undefined. */
export function helmChartOf(path: string, exists: (path: string) => boolean): string | undefined {
	const parts = path.split('/');
	for (let i = parts.length - 2; i >= 0; i--) {
		if (parts[i] !== 'templates') continue;
		const chart = parts.slice(0, i).join('/');
		if (exists(chart === '' ? 'Chart.yaml' : `${chart}/Chart.yaml`)) return chart;
	}
	return undefined;
}

/**
 * No syntax error, and no mapping or list used as a key (YAML's reading of an unquoted `{{ x }}`).
 * A document of the fast path is judged from its value, without the slow parse (most Kyverno
 * policies hold `{{ }}` in quoted strings): js-yaml names a mapping used as a key `[object Object]`.
 */
function parsesCleanly(parsed: ParsedFile): boolean {
	for (const segment of parsed.segmentList) {
		if (segment.fatal) return false;
		for (const d of segment.documents) {
			if (d.toJsError || d.syntax.some((p) => p.severity === 'error')) return false;
			if (d.fast ? hasObjectKey(d.value) : hasCollectionKey(d.doc.contents)) return false;
		}
	}
	return true;
}

function hasObjectKey(value: unknown, depth = 0): boolean {
	if (depth > 200 || value === null || typeof value !== 'object') return false;
	if (Array.isArray(value)) return value.some((v) => hasObjectKey(v, depth + 1));
	for (const k in value) if (k === '[object Object]' || hasObjectKey((value as Record<string, unknown>)[k], depth + 1)) return true;
	return false;
}

function hasCollectionKey(node: unknown, depth = 0): boolean {
	if (depth > 200) return false;
	if (isMap(node)) return node.items.some((p) => isMap(p.key) || isSeq(p.key) || hasCollectionKey(p.value, depth + 1));
	if (isSeq(node)) return node.items.some((v) => hasCollectionKey(v, depth + 1));
	return false;
}

/**
 * The placeholders aws-iam-authenticator expands in the EKS aws-auth ConfigMap
 * (`username: system:node:{{EC2PrivateDNSName}}`): plain manifest text, not Helm.
 */
const AWS_AUTH_PLACEHOLDERS = /\{\{(?:EC2PrivateDNSName|EC2InstanceID|AccountID|SessionName|SessionNameRaw|AccessKeyID)\}\}/g;

function stripComments(text: string): string {
	return text.replace(/(^|\s)#.*$/gm, '$1');
}

/** The note for a file over the size limit (also used by hosts that stat a file before reading it). */
export function sizeNote(bytes: number, maxBytes: number): string {
	const mb = (bytes / (1024 * 1024)).toFixed(1);
	return `Fleetscope did not validate this file: it is ${mb} MB, over the limit of ${Math.round(maxBytes / 1024)} KiB (setting fleetscope.maxFileSizeKb). Split it, or raise the limit.`;
}
