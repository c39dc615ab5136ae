import { parseFile } from '../../../core/parse';
import { isPlainObject } from '../../../core/resource';
import { gvkOf, labelsOf, nameOf, namespaceOf, isClusterScoped } from '../resources';
import type { PolicyEvaluator, PolicySet } from '../policy-set';
import { ruleKind } from '../kyverno/cluster-policy';
import type { PolicyWorld, RuleResult, RuleStatus } from '../types';

/**
 * `kyverno test` without the binary: a `cli.kyverno.io/v1alpha1` Test names policy files, resource
 * files, a values file (namespaces, namespace labels, global, policy, rule and resource values) and
 * the expected result of each policy, rule and resource. Fleetscope evaluates the policies and
 * compares. Pure: files are read through `read` (relative to the test file's directory).
 */

type Json = Record<string, unknown>;

export type Expected = 'pass' | 'fail' | 'skip' | 'error' | 'warn';

export interface TestRow {
	policy: string;
	rule: string;
	kind: string;
	namespace: string;
	resource: string;
	expected: string;
	actual: RuleStatus;
	reason: string;
	/** The kind of rule the row is about: only validate rows are compared in the conformance measure. */
	scope: 'validate' | 'mutate' | 'generate' | 'verifyImages' | 'other';
}

export interface TestFileResult {
	file: string;
	results: TestRow[];
	/** A problem with the test itself (unreadable, a missing file): the file fails. */
	error?: string;
}

/** Reads a file relative to the directory of the test file; undefined when missing. */
export type ReadFile = (relativePath: string) => string | undefined;

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function documents(text: string): Json[] {
	return parseFile(text)
		.documents.map((d) => d.value)
		.flatMap((v) => (isPlainObject(v) && v.kind === 'List' && Array.isArray(v.items) ? v.items : [v]))
		.filter(isPlainObject);
}

/** Whether a text is a Kyverno CLI Test. */
export function isKyvernoTest(value: unknown): value is Json {
	return isPlainObject(value) && value.kind === 'Test' && typeof value.apiVersion === 'string' && value.apiVersion.startsWith('cli.kyverno.io/');
}

interface Values {
	global: Json;
	byPolicy: Map<string, { rules: Map<string, Json>; resources: Map<string, Json> }>;
	namespaceLabels: Map<string, Record<string, string>>;
	namespaces: Map<string, Json>;
}

function readValues(v: Json | undefined): Values {
	const values: Values = { global: {}, byPolicy: new Map(), namespaceLabels: new Map(), namespaces: new Map() };
	if (!v) return values;
	if (isPlainObject(v.globalValues)) values.global = v.globalValues;
	for (const p of arr(v.policies)) {
		if (!isPlainObject(p) || typeof p.name !== 'string') continue;
		const entry = { rules: new Map<string, Json>(), resources: new Map<string, Json>() };
		for (const r of arr(p.rules)) if (isPlainObject(r) && typeof r.name === 'string' && isPlainObject(r.values)) entry.rules.set(r.name, r.values);
		for (const r of arr(p.resources)) if (isPlainObject(r) && typeof r.name === 'string' && isPlainObject(r.values)) entry.resources.set(r.name, r.values);
		values.byPolicy.set(p.name, entry);
	}
	for (const n of arr(v.namespaceSelector)) if (isPlainObject(n) && typeof n.name === 'string') values.namespaceLabels.set(n.name, labelsOf({ metadata: { labels: n.labels } }));
	for (const n of arr(v.namespaces)) {
		const name = nameOf(n);
		if (!name) continue;
		values.namespaces.set(name, n as Json);
		if (!values.namespaceLabels.has(name)) values.namespaceLabels.set(name, labelsOf(n));
	}
	return values;
}

/** Values as Kyverno's CLI nests them: `request.operation` becomes `{request: {operation}}`. */
function nest(flat: Json): Json {
	const out: Json = {};
	for (const [k, v] of Object.entries(flat)) {
		const parts = k.split('.');
		let node = out;
		for (const p of parts.slice(0, -1)) node = (isPlainObject(node[p]) ? node[p] : (node[p] = {})) as Json;
		node[parts[parts.length - 1]] = v;
	}
	return out;
}

function world(values: Values, resources: readonly Json[]): PolicyWorld {
	return {
		namespaceLabels: (ns) => values.namespaceLabels.get(ns) ?? {},
		namespaceObject: (ns) => values.namespaces.get(ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: values.namespaceLabels.get(ns) ?? {} } },
		lookup: (apiVersion, kind, namespace, name) => resources.filter((r) => r.kind === kind && (!apiVersion || r.apiVersion === apiVersion) && (namespace === undefined || (namespaceOf(r) || 'default') === namespace) && (name === undefined || nameOf(r) === name)),
		values: (policy, rule, resource) => {
			const p = values.byPolicy.get(policy);
			return nest({ ...values.global, ...(p?.rules.get(rule) ?? {}), ...(p?.resources.get(resource) ?? {}) });
		},
		operation: 'CREATE',
	};
}

function matchesResource(row: string, r: Json): boolean {
	const name = nameOf(r);
	const ns = namespaceOf(r) || 'default';
	return row === name || row === `${ns}/${name}` || (row.split('/').length === 3 && row.endsWith(`/${ns}/${name}`));
}

/** Runs one Test: every expected row against what Fleetscope computes. */
export function runKyvernoTest(evaluator: PolicyEvaluator, file: string, test: Json, read: ReadFile): TestFileResult {
	const missing: string[] = [];
	const load = (path: unknown): Json[] => {
		const text = typeof path === 'string' ? read(path) : undefined;
		if (text === undefined) {
			missing.push(String(path));
			return [];
		}
		return documents(text);
	};
	const policyObjects = arr(test.policies).flatMap(load);
	const resources = arr(test.resources).flatMap(load);
	const valuesFile = typeof test.variables === 'string' ? load(test.variables)[0] : isPlainObject(test.values) ? test.values : undefined;
	if (missing.length > 0) {
		// Every expected row fails, saying why: the test itself is broken.
		const reason = `the test cannot read ${missing.join(', ')}`;
		const rows = arr(test.results).filter(isPlainObject).flatMap((raw) =>
			[...arr(raw.resources).map(String), ...(typeof raw.resource === 'string' ? [raw.resource] : [])].map((resource) => ({
				policy: String(raw.policy ?? ''), rule: typeof raw.rule === 'string' ? raw.rule : '', kind: String(raw.kind ?? ''), namespace: '', resource, expected: String(raw.result ?? ''), actual: 'error' as const, reason, scope: 'validate' as const,
			})),
		);
		return { file, results: rows, error: reason };
	}
	const values = readValues(valuesFile);
	const w = world(values, resources);
	const set = evaluator.set(policyObjects.map((value) => ({ value })), { implicitBindings: true });
	const actual = new Map<Json, RuleResult[]>();
	const resultsOf = (r: Json) => {
		let list = actual.get(r);
		if (!list) actual.set(r, (list = set.evaluate(r, w)));
		return list;
	};
	const rows: TestRow[] = [];
	for (const raw of arr(test.results)) {
		if (!isPlainObject(raw)) continue;
		const policy = String(raw.policy ?? '');
		const rule = typeof raw.rule === 'string' ? raw.rule : '';
		const kind = String(raw.kind ?? '');
		const names = [...arr(raw.resources).map(String), ...(typeof raw.resource === 'string' ? [raw.resource] : [])];
		const expected = String(raw.result ?? raw.status ?? '');
		const scope = raw.patchedResources !== undefined || raw.patchedResource !== undefined ? 'mutate' : raw.generatedResource !== undefined ? 'generate' : scopeOf(set, policy, rule);
		for (const name of names) {
			const candidates = resources.filter((r) => (kind === '' || gvkOf(r).kind === kind) && matchesResource(name, r));
			const target = candidates[0];
			const base = { scope, policy, rule, kind, namespace: target && !isClusterScoped(gvkOf(target).kind) ? namespaceOf(target) || 'default' : '', resource: name, expected };
			if (!target) {
				rows.push({ ...base, actual: 'error', reason: `no ${kind || 'resource'} named ${name} in the test's resources` });
				continue;
			}
			// As `kyverno test`, a rule's name also names the rules generated from it for pod controllers.
			const found = resultsOf(target).filter((x) => (x.policy === policy || x.policy.endsWith(`/${policy}`)) && (rule === '' || x.rule === rule || x.rule === `autogen-${rule}` || x.rule === `autogen-cronjob-${rule}`));
			if (found.length === 0) {
				rows.push({ ...base, actual: 'skip', reason: rule ? `the rule ${rule} does not apply to ${name}` : `the policy does not apply to ${name}` });
				continue;
			}
			const order: RuleStatus[] = ['error', 'fail', 'not-evaluated', 'pass', 'skip'];
			const pick = [...found].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status))[0];
			rows.push({ ...base, actual: pick.status, reason: pick.message });
		}
	}
	return { file, results: rows };
}

function scopeOf(set: PolicySet, policy: string, rule: string): TestRow['scope'] {
	const p = set.policies.find((x) => x.compiled.name === policy || x.compiled.name.endsWith(`/${policy}`));
	if (!p || (p.kind !== 'ClusterPolicy' && p.kind !== 'Policy')) return 'validate';
	const r = p.compiled.rules.find((x) => x.name === rule) ?? p.compiled.rules[0];
	return r ? ruleKind(r) : 'validate';
}

/** Whether a row agrees (`warn` is Kyverno's word for a failing Audit/Warn policy). */
export function agrees(row: TestRow): boolean {
	if (row.expected === row.actual) return true;
	return row.expected === 'warn' && row.actual === 'fail';
}
