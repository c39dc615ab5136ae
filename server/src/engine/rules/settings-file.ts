import Ajv, { type ErrorObject } from 'ajv';
import { closest } from 'fastest-levenshtein';
import { parseDocument } from 'yaml';
import { SETTINGS, SETTINGS_SECTION, type FleetscopeSettings } from '../../../../shared/settings';
import { keyNodeAt, nodeAt, spanOf, type NodePath } from '../core/parse';
import { allRules } from './catalog';
import type { TextSpan } from '../core/text';

/**
 * A repository's settings file: the keys of the editor's `fleetscope.*` settings, in YAML or JSON,
 * at the root. CI has no editor settings, so this is where a team writes down the Kubernetes
 * version, severities, profiles and globs it judges the repository by; the CLI and the editor both
 * read it, so both report the same. A mistake in it is one problem placed on the offending key.
 */
export const SETTINGS_FILES = ['.fleetscope.yaml', '.fleetscope.yml', '.fleetscope.json'] as const;

/** Whether a repo-relative path is where the settings file of its root is looked for. */
export function isSettingsFileName(rel: string): boolean {
	return (SETTINGS_FILES as readonly string[]).includes(rel);
}

type Key = keyof FleetscopeSettings;
const KEYS = Object.keys(SETTINGS) as Key[];

/**
 * Settings a repository file cannot set: accepted (so `.vscode/settings.json` entries can be
 * copied as they are) but ignored. Which clusters to contact and with which credentials is the
 * user's choice, never the repository's, and the workspace scan is an editor preference.
 */
export const REPOSITORY_CANNOT_SET: ReadonlySet<string> = new Set<Key>(['validateWorkspace', 'live.enabled', 'live.kubeconfig', 'clusters', 'drift.enabled', 'drift.serverSideDryRun']);

/** What a settings file says: its settings (none when it has a mistake) or the first mistake. */
export interface SettingsFileResult {
	settings: Partial<FleetscopeSettings>;
	problem?: {
		/** What is wrong and how to fix it, without the file's name. */
		message: string;
		/** Where, in the file's text. */
		span: TextSpan;
	};
}

let validators: Map<Key, ReturnType<Ajv['compile']>> | undefined;

function validatorOf(key: Key) {
	if (!validators) {
		const ajv = new Ajv({ allErrors: false, strict: false });
		validators = new Map(KEYS.map((k) => [k, ajv.compile(SETTINGS[k].schema)]));
	}
	return validators.get(key)!;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Flattens the accepted spellings to setting keys: `fleetscope.severity` and `severity` alike,
 * and `podSecurity: { level }` as well as `podSecurity.level`; each with the path it was written at.
 */
function flatten(obj: Record<string, unknown>, prefix: string, at: NodePath, out: Map<string, { value: unknown; path: NodePath }>): void {
	for (const [rawKey, value] of Object.entries(obj)) {
		const key = prefix + (prefix === '' && rawKey.startsWith(`${SETTINGS_SECTION}.`) ? rawKey.slice(SETTINGS_SECTION.length + 1) : rawKey);
		const isGroup = !(KEYS as string[]).includes(key) && KEYS.some((k) => k.startsWith(`${key}.`));
		if (isGroup && isPlainObject(value)) flatten(value, `${key}.`, [...at, rawKey], out);
		else out.set(key, { value, path: [...at, rawKey] });
	}
}

function describe(value: unknown): string {
	if (typeof value === 'string') return `the string "${value}"`;
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'nothing (null)';
	return typeof value === 'object' ? 'a mapping' : String(value);
}

const TYPE_NAMES: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', number: 'a number', boolean: 'true or false' };

/** Ajv's first error as a sentence (`severity.schema-type must be one of error, warning, ..., got the string "fatal"`) and the path below the setting. */
function explain(key: Key, value: unknown, err: ErrorObject): { message: string; below: string[] } {
	const segments = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
	const offending = segments.reduce<unknown>((v, s) => (v as Record<string, unknown>)[s], value);
	const where = key + segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
	const params = err.params as { allowedValues?: unknown[]; type?: string };
	const rule =
		err.keyword === 'enum'
			? `must be one of ${params.allowedValues!.join(', ')}`
			: err.keyword === 'type'
				? `must be ${TYPE_NAMES[params.type!] ?? params.type}`
				: err.message;
	return { message: `${where} ${rule}, got ${describe(offending)}`, below: segments };
}

/** The first mistake in one setting's value, with the path below the setting it is at and whether a key is at fault. */
function checkValue(key: Key, value: unknown): { message: string; below: (string | number)[]; target: 'key' | 'value' } | undefined {
	if (key === 'kubernetesVersion' && typeof value === 'number') {
		return { message: `kubernetesVersion must be a string such as "1.30", got the number ${value} (YAML reads 1.30 as 1.3): quote it`, below: [], target: 'value' };
	}
	const validate = validatorOf(key);
	if (!validate(value)) {
		const { message, below } = explain(key, value, validate.errors![0]);
		return { message, below: below.map((s) => (/^\d+$/.test(s) ? Number(s) : s)), target: 'value' };
	}
	if (key === 'severity') {
		const known = allRules().map((r) => r.id);
		for (const ruleId of Object.keys(value as object)) {
			if (!known.includes(ruleId)) return { message: `severity names the unknown rule "${ruleId}". Did you mean ${closest(ruleId, known)}?`, below: [ruleId], target: 'key' };
		}
	}
	return undefined;
}

/** Reads a settings file's text. Any mistake makes the whole file count for nothing: no setting is taken from a file that says something else than meant. */
export function parseSettingsFile(text: string): SettingsFileResult {
	// YAML 1.2 reads JSON too; uniqueKeys makes a duplicated setting an error rather than a silent override.
	const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
	const firstLine = (): TextSpan => ({ start: 0, end: Math.max(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')) });
	if (doc.errors.length > 0) {
		const e = doc.errors[0];
		// The parser marks one character where it noticed the error: the word there (a duplicated key) reads better.
		let end = Math.max(e.pos[0], e.pos[1]);
		if (end - e.pos[0] <= 1) end = e.pos[0] + (/^[^\s:,[\]{}]+/.exec(text.slice(e.pos[0], e.pos[0] + 256))?.[0].length ?? end - e.pos[0]);
		return { settings: {}, problem: { message: `not valid YAML or JSON: ${e.message.split('\n')[0]}`, span: { start: e.pos[0], end } } };
	}
	let data: unknown;
	try {
		data = doc.toJS({ maxAliasCount: 100 }) ?? {};
	} catch (e) {
		// An alias bomb (the yaml package stops expanding aliases past a limit).
		return { settings: {}, problem: { message: `not valid YAML or JSON: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`, span: firstLine() } };
	}
	if (!isPlainObject(data)) return { settings: {}, problem: { message: `must be a mapping of settings (include, exclude, severity, kubernetesVersion, ...), got ${describe(data)}`, span: spanOf(doc.contents) ?? firstLine() } };
	const place = (p: NodePath, target: 'key' | 'value'): TextSpan => spanOf(target === 'key' ? keyNodeAt(doc, p) : (nodeAt(doc, p) ?? keyNodeAt(doc, p))) ?? spanOf(keyNodeAt(doc, p.slice(0, 1))) ?? firstLine();
	const flat = new Map<string, { value: unknown; path: NodePath }>();
	flatten(data, '', [], flat);
	const settings: Record<string, unknown> = {};
	for (const [key, { value, path }] of flat) {
		if (!(KEYS as string[]).includes(key)) return { settings: {}, problem: { message: `unknown setting "${key}". Did you mean ${closest(key, KEYS)}?`, span: place(path, 'key') } };
		const wrong = checkValue(key as Key, value);
		if (wrong) return { settings: {}, problem: { message: wrong.message, span: place([...path, ...wrong.below], wrong.target) } };
		if (!REPOSITORY_CANNOT_SET.has(key)) settings[key] = value;
	}
	return { settings: settings as Partial<FleetscopeSettings> };
}

/**
 * Settings as a host applies them: the repository's file over the user's, key by key (severity
 * rule by rule). The file is what CI judges by, so the editor shows what CI will report.
 */
export function withSettingsFile(user: FleetscopeSettings, file: Partial<FleetscopeSettings> | undefined): FleetscopeSettings {
	if (!file || Object.keys(file).length === 0) return user;
	return { ...user, ...file, severity: { ...user.severity, ...(file.severity ?? {}) } };
}

/**
 * The finding of a settings file's first mistake, from its current text (in the editor, unsaved):
 * what it sets applies over the user's settings for every file of its folder (as in CI), so a
 * mistake leaves the folder on the user's settings until it is fixed.
 */
export function settingsFileFindings(text: string): { ruleId: 'settings-file'; severity: 'error'; message: string; span: { start: number; end: number } } | undefined {
	const { problem } = parseSettingsFile(text);
	if (!problem) return undefined;
	const sentence = /[.?!]$/.test(problem.message) ? problem.message : `${problem.message}.`;
	return {
		ruleId: 'settings-file',
		severity: 'error',
		message: `${sentence} Until it is fixed, Fleetscope ignores this file and uses your editor settings (the CLI stops with exit code 2).`,
		span: problem.span,
	};
}
