import type { IndexedObject, ObjectIndex } from '../../core/objects';
import { isPlainObject, type Resource } from '../../core/resource';
import type { PolicyRef } from '../../core/types';
import type { SchemaProblem } from '../../schema/types';
import type { FleetModel, TargetCluster } from '../../fleet/types';
import { POLICY_KINDS, PolicyEvaluator, type AnyPolicy, type PolicySet } from './policy-set';
import { gvkOf, labelsOf, nameOf, namespaceOf } from './resources';
import type { PolicyWorld, RuleResult } from './types';

/**
 * The repository's admission policies judging one resource, placed as `policy` findings. Which
 * policies judge it follows the fleet: a policy deployed to some clusters judges what those
 * clusters receive (where the renders cover the resource, the rendered evaluation does it, on the
 * rendered object; otherwise the raw resource of a file that reaches one of them), a policy the
 * fleet deploys nowhere judges every object of the repository. One `PolicyChecker` owns the
 * compiled policies (by policy object) and the policy set of each object index.
 */

type Json = Record<string, unknown>;

/** What the checker needs of the resource's surroundings (a CheckContext, or a cluster's render). */
export interface Surroundings {
	path: string;
	/** The objects around: the repository's raw index, or one cluster's render (`complete`). */
	objects: ObjectIndex;
	targets: readonly TargetCluster[];
	fleet: FleetModel;
	namespaceLabels?(name: string): Record<string, string> | undefined;
	/** Where the renders cover this document: deployed policies are judged there instead. */
	covered: boolean;
}

interface CachedSet {
	stamp: readonly (readonly IndexedObject[])[];
	set: PolicySet;
	/** Files that Kyverno CLI or Chainsaw tests name as their resources: test data, bad on purpose. */
	testData: ReadonlySet<string>;
}

/** The kinds whose objects make up a policy set (its stamp): the policies, and the tests naming test data. */
const STAMP_KINDS = [...POLICY_KINDS, 'Test'] as const;

/** Repo-relative path of `rel` resolved against the directory of `from`. */
function resolveFrom(from: string, rel: string): string {
	const parts = from.split('/').slice(0, -1);
	for (const p of rel.split('/')) {
		if (p === '..') parts.pop();
		else if (p !== '.' && p !== '') parts.push(p);
	}
	return parts.join('/');
}

/** Every `file:` a Chainsaw test's steps name; the `resources` of a Kyverno CLI test and the files its results name. */
function testDataOf(tests: readonly IndexedObject[]): Set<string> {
	const out = new Set<string>();
	const files = (node: unknown, into: string[]) => {
		if (Array.isArray(node)) node.forEach((n) => files(n, into));
		else if (isPlainObject(node)) for (const [k, v] of Object.entries(node)) (k === 'file' && typeof v === 'string' ? into.push(v) : files(v, into));
	};
	for (const t of tests) {
		const group = t.apiVersion.split('/')[0];
		const named: string[] = [];
		if (group === 'cli.kyverno.io') {
			if (Array.isArray(t.value.resources)) for (const r of t.value.resources) if (typeof r === 'string') named.push(r);
			// What a mutate or generate rule is expected to produce, and a clone's source, are test data too.
			if (Array.isArray(t.value.results)) {
				for (const r of t.value.results) {
					if (!isPlainObject(r)) continue;
					for (const k of ['patchedResource', 'patchedResources', 'generatedResource', 'generatedResources', 'cloneSourceResource']) if (typeof r[k] === 'string') named.push(r[k] as string);
				}
			}
		}
		if (group === 'chainsaw.kyverno.io') files(t.value.spec, named);
		for (const n of named) out.add(resolveFrom(t.file, n));
	}
	return out;
}

const ENGINE_NAMES: Record<AnyPolicy['kind'], string> = {
	ClusterPolicy: 'Kyverno ClusterPolicy',
	Policy: 'Kyverno Policy',
	ValidatingPolicy: 'Kyverno ValidatingPolicy',
	ValidatingAdmissionPolicy: 'ValidatingAdmissionPolicy',
};

/** What a failure does, in words, by severity. */
const EFFECT: Record<string, string> = {
	error: 'rejects this object at admission',
	warning: 'reports this object as a violation',
	info: 'records this object as a violation in an audit annotation',
};

export class PolicyChecker {
	readonly evaluator = new PolicyEvaluator();
	private readonly sets = new WeakMap<ObjectIndex, CachedSet>();

	/** The policies an object index holds, compiled once while the index's lists are the same. */
	policySet(objects: ObjectIndex): PolicySet {
		return this.cached(objects).set;
	}

	private cached(objects: ObjectIndex): CachedSet {
		const stamp = STAMP_KINDS.map((k) => objects.ofKind(k));
		const hit = this.sets.get(objects);
		if (hit && hit.stamp.every((l, i) => l === stamp[i] || (l.length === 0 && stamp[i].length === 0))) return hit;
		const sources = stamp.slice(0, POLICY_KINDS.length).flat().map((o) => ({ value: o.value, file: o.file, documentIndex: o.documentIndex }));
		const entry = { stamp, set: this.evaluator.set(sources), testData: testDataOf(stamp[stamp.length - 1]) };
		this.sets.set(objects, entry);
		return entry;
	}

	/** The `policy` findings of one resource. */
	problems(resource: Resource, around: Surroundings): SchemaProblem[] {
		const { set, testData } = this.cached(around.objects);
		if (set.size === 0 || !set.mayApply(resource.kind) || testData.has(around.path)) return [];
		const value = resource.value as Json;
		const world = this.world(around);
		const out: SchemaProblem[] = [];
		for (const p of set.candidates(resource.kind)) {
			if (!this.judges(p, value, around)) continue;
			for (const r of set.evaluateOne(p, value, world)) {
				const problem = toProblem(r, p, value);
				if (problem) out.push(problem);
			}
		}
		return out;
	}

	/** Whether a policy judges this resource here (see the file comment). */
	private judges(p: AnyPolicy, value: Json, around: Surroundings): boolean {
		if (around.objects.complete) return true; // a cluster's render: its own policies judge what it receives
		if (p.kind === 'Policy' && namespaceOf(value) === '') return false; // the namespace is set later (kustomize, Flux): unknown here
		const file = p.source.file;
		const deployed = file ? (around.fleet.files[file] ?? []) : [];
		if (deployed.length === 0) return true;
		if (around.covered) return false;
		return around.targets.some((t) => deployed.includes(t.name));
	}

	private world(around: Surroundings): PolicyWorld {
		const objects = around.objects;
		return {
			operation: 'CREATE',
			namespaceLabels: (n) => around.namespaceLabels?.(n) ?? (objects.ofKind('Namespace').find((o) => o.name === n) ? labelsOf(objects.ofKind('Namespace').find((o) => o.name === n)!.value) : undefined),
			namespaceObject: (n) => objects.ofKind('Namespace').find((o) => o.name === n)?.value,
			lookup: (apiVersion, kind, namespace, name) => {
				const list = objects.ofKind(kind);
				// The raw index holds only some kinds: where it has none of this kind, Git may still have them.
				if (!objects.complete && list.length === 0) return undefined;
				return list.filter((o) => (!apiVersion || o.apiVersion === apiVersion) && (namespace === undefined || (o.namespace ?? 'default') === namespace) && (name === undefined || o.name === name)).map((o) => o.value);
			},
		};
	}
}

/** A failure (or an evaluation error) as a finding on the offending node, in plain words. */
export function toProblem(r: RuleResult, p: AnyPolicy, value: Json): SchemaProblem | undefined {
	if (r.status !== 'fail' && r.status !== 'error') return undefined;
	const ref: PolicyRef = { engine: r.engine, policy: r.policy, rule: r.rule, ...(p.source.file ? { file: p.source.file } : {}) };
	const detail = [r.rule ? `rule "${r.rule}"` : '', r.binding ? `binding "${r.binding}"` : ''].filter(Boolean).join(', ');
	const what = `The ${ENGINE_NAMES[p.kind]} "${r.policy}"${detail ? ` (${detail})` : ''}`;
	const where = p.source.file ? ` It is declared in ${p.source.file}.` : '';
	let path = r.path ?? [];
	if (path.length === 0) path = isPlainObject(value.metadata) && typeof value.metadata.name === 'string' ? ['metadata', 'name'] : ['kind'];
	if (r.status === 'error') {
		// Often a field the API server defaults before admission (replicas, a protocol): information, never an alarm.
		return { ruleId: 'policy', path, target: 'key', severity: 'info', message: `${what} could not be evaluated on this object as written: ${r.message}. In the cluster, defaults the API server applies first may decide it.${where}`, data: { path, policy: ref } };
	}
	const severity = r.severity ?? 'error';
	const message = `${r.message.trim().replace(/\s+/g, ' ')}${/[.!?]$/.test(r.message.trim()) ? '' : '.'} ${what} ${EFFECT[severity]}: change the object to comply, or exempt it (a PolicyException, or the policy's own exclusions).${where}`;
	return { ruleId: 'policy', path, target: 'key', severity, message, data: { path, policy: ref } };
}

/** The kind and name of a resource, for messages. */
export const describe = (value: Json) => `${gvkOf(value).kind} ${nameOf(value)}`;
