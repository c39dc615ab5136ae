import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { closest } from 'fastest-levenshtein';
import { parse as parseYaml } from 'yaml';
import { SETTINGS, SETTINGS_SECTION, type FleetscopeSettings } from '../../../shared/settings';
import { allRules } from '../engine/rules';
import { UsageError } from './args';

/**
 * A settings file for the CLI: the keys of the editor's `fleetscope.*` settings, in YAML or JSON.
 * Read from `--config FILE`, else from the first of these in the checked root. CI has no editor
 * settings, so this is where a repository keeps its severity overrides and globs.
 */
export const CONFIG_FILES = ['.fleetscope.yaml', '.fleetscope.yml', '.fleetscope.json'] as const;

/** Settings a config file sets, validated, with the file they came from. */
export interface LoadedConfig {
	/** Absolute path of the file. */
	file: string;
	settings: Partial<FleetscopeSettings>;
}

type Key = keyof FleetscopeSettings;
const KEYS = Object.keys(SETTINGS) as Key[];
/** Editor-only settings: accepted (so `.vscode/settings.json` values can be copied) but meaningless to the CLI. */
const EDITOR_ONLY: ReadonlySet<string> = new Set<Key>(['validateWorkspace', 'live.enabled', 'live.kubeconfig', 'clusters']);

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new Map(KEYS.map((k) => [k, ajv.compile(SETTINGS[k].schema)]));

/** The config file the CLI uses for this root: `--config` if given, else the first of CONFIG_FILES present. */
export function findConfig(root: string, explicit: string | undefined, cwd: string): string | undefined {
	if (explicit !== undefined) {
		const file = path.resolve(cwd, explicit);
		if (!existsSync(file)) throw new UsageError(`--config ${explicit}: no such file`);
		return file;
	}
	return CONFIG_FILES.map((name) => path.join(root, name)).find((f) => existsSync(f));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Flattens the accepted spellings to setting keys: `fleetscope.severity` and `severity` alike,
 * and `podSecurity: { level }` as well as `podSecurity.level`.
 */
function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
	for (const [rawKey, value] of Object.entries(obj)) {
		const key = prefix + (prefix === '' && rawKey.startsWith(`${SETTINGS_SECTION}.`) ? rawKey.slice(SETTINGS_SECTION.length + 1) : rawKey);
		const isGroup = !(KEYS as string[]).includes(key) && KEYS.some((k) => k.startsWith(`${key}.`));
		if (isGroup && isPlainObject(value)) flatten(value, `${key}.`, out);
		else out.set(key, value);
	}
}

function describe(value: unknown): string {
	if (typeof value === 'string') return `the string "${value}"`;
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'nothing (null)';
	return typeof value === 'object' ? 'a mapping' : String(value);
}

const TYPE_NAMES: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', number: 'a number', boolean: 'true or false' };

/** Ajv's first error as a sentence: `severity.schema-type must be one of error, warning, ..., got the string "fatal"`. */
function explain(key: Key, value: unknown, err: ErrorObject): string {
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
	return `${where} ${rule}, got ${describe(offending)}`;
}

/** Checks one setting's value against the same JSON schema the extension manifest declares. */
function checkValue(name: string, key: Key, value: unknown): void {
	if (key === 'kubernetesVersion' && typeof value === 'number') {
		throw new UsageError(`${name}: kubernetesVersion must be a string such as "1.30", got the number ${value} (YAML reads 1.30 as 1.3): quote it`);
	}
	const validate = validators.get(key)!;
	if (!validate(value)) throw new UsageError(`${name}: ${explain(key, value, validate.errors![0])}`);
	if (key === 'severity') {
		const known = allRules().map((r) => r.id);
		for (const ruleId of Object.keys(value as object)) {
			if (!known.includes(ruleId)) throw new UsageError(`${name}: severity names the unknown rule "${ruleId}". Did you mean ${closest(ruleId, known)}?`);
		}
	}
}

/** Reads and validates a config file. Any mistake in it is a usage error (exit 2): CI must not silently run with other settings. */
export function loadConfig(file: string, root: string): LoadedConfig {
	const name = path.relative(root, file).split(path.sep).join('/') || path.basename(file);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new UsageError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
	}
	let data: unknown;
	try {
		// YAML 1.2 reads JSON too; uniqueKeys makes a duplicated setting an error rather than a silent override.
		data = parseYaml(text, { uniqueKeys: true, prettyErrors: true }) ?? {};
	} catch (e) {
		throw new UsageError(`${name}: not valid YAML or JSON: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
	}
	if (!isPlainObject(data)) throw new UsageError(`${name}: must be a mapping of settings (include, exclude, severity, kubernetesVersion, ...), got ${describe(data)}`);
	const flat = new Map<string, unknown>();
	flatten(data, '', flat);
	const settings: Record<string, unknown> = {};
	for (const [key, value] of flat) {
		if (!(KEYS as string[]).includes(key)) throw new UsageError(`${name}: unknown setting "${key}". Did you mean ${closest(key, KEYS)}?`);
		checkValue(name, key as Key, value);
		if (!EDITOR_ONLY.has(key)) settings[key] = value;
	}
	return { file, settings: settings as Partial<FleetscopeSettings> };
}
