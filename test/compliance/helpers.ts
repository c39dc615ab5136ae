import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO, type RepoContext } from '../../server/src/engine/context/check-context';
import { complianceChecks, InMemoryNamespaces } from '../../server/src/engine/rules/compliance';
import type { Finding } from '../../server/src/engine/core/types';
import { defaultSettings, type FleetscopeSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';

export interface RunOptions {
	settings?: Partial<FleetscopeSettings>;
	/** Namespace name → labels of Namespace objects "in the repo". */
	namespaces?: Record<string, Record<string, string>>;
}

/** Runs the real Engine (no schemas) with every compliance check and returns the PSS findings. */
export function pss(text: string, opts: RunOptions = {}): Finding[] {
	const engine = new Engine(NO_SCHEMAS, { ...defaultSettings(), ...opts.settings }, [...complianceChecks]);
	const ns = new InMemoryNamespaces(opts.namespaces ?? {});
	const repo: RepoContext & InMemoryNamespaces = Object.assign(ns, { isPatchFile: EMPTY_REPO.isPatchFile, exists: EMPTY_REPO.exists });
	return engine.analyze({ path: 'app.yaml', text }, repo).findings.filter((f) => f.ruleId.startsWith('pss-'));
}

/** `line:col-line:col severity rule` (zero-based), compact for assertions. */
export function at(f: Finding): string {
	const r = f.range;
	return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${f.severity} ${f.ruleId}`;
}

/** The text a finding's range covers. */
export function covered(text: string, f: Finding): string {
	const lines = text.split('\n');
	const r = f.range;
	if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
	return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join('\n');
}

/** Builds a Deployment (or another kind) manifest around a pod spec written as YAML lines at pod-spec indentation 0. */
export function pod(specYaml: string, opts: { namespace?: string; kind?: 'Pod' } = {}): string {
	const indent = (s: string, n: number) => s.split('\n').map((l) => (l.trim() ? ' '.repeat(n) + l : l)).join('\n');
	const ns = opts.namespace ? `\n  namespace: ${opts.namespace}` : '';
	return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${ns}\nspec:\n${indent(specYaml.trim(), 2)}\n`;
}
