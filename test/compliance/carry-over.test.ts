import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultSettings } from '../../shared/settings';
import { carryOver } from '../../server/src/engine/rules/compliance/carry-over';
import type { ComplianceRule } from '../../server/src/engine/rules/compliance/rule';
import { RenderedEvaluator } from '../../server/src/engine/rules/compliance/rendered';
import { renderedRules } from '../../server/src/engine/rules/policy-rendered';
import { discover, rediscover } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { TargetRenderer, type TargetObject } from '../../server/src/engine/fleet/targets';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import type { RenderedObject } from '../../server/src/engine/kustomize';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { NodeRepoReader } from '../../server/src/host/repo-reader';
import type { Folder } from '../../server/src/workspace/folder';
import { exampleFolder, FLEET, TODAY } from './example-folder';

// An edit renders one path of a cluster again; the objects of its other paths are the same objects.
// What the model-independent rules found on those is carried over to the new render, unless a rule
// read a kind of object that came or went (a LimitRange, a policy) or a Namespace came or went.
// Whatever is carried over, the findings must be those of a fresh start.

const STAGING = 'apps/staging/kustomization.yaml';

/** Every validated file's findings, as text. */
async function findings(folder: Folder): Promise<Map<string, string[]>> {
	const settings = defaultSettings();
	const out = new Map<string, string[]>();
	for (const f of folder.snapshot.validatedFiles(settings)) {
		const a = await folder.validate(f, settings);
		out.set(f, (a.analysis?.findings ?? []).map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.ruleId} ${x.severity} ${x.message}`));
	}
	return out;
}

/**
 * The staging overlay edited as `edit` says, with `added` files listed in it: judged after the edit
 * (rediscovery and rendering, as the editor does) and by a fresh start; also the findings before.
 */
async function afterEdit(added: Record<string, string>, edit: (t: string) => string = (t) => t) {
	const original = readFileSync(join(FLEET, STAGING), 'utf8');
	const edits = new Map<string, string>();
	const kept = await exampleFolder(edits);
	const run = { settings: defaultSettings(), today: TODAY };
	await kept.render(run);
	const before = await findings(kept);
	const names = Object.keys(added);
	edits.set(STAGING, edit(original.replace('  - debug-deployment.yaml\n', `  - debug-deployment.yaml\n${names.map((n) => `  - ${n}\n`).join('')}`)));
	// The added files exist only as unsaved texts the overlay lists: kustomize reads them through the store.
	for (const [n, text] of Object.entries(added)) edits.set(`apps/staging/${n}`, text);
	kept.rediscover([STAGING]);
	await kept.render(run);
	const fresh = await exampleFolder(new Map(edits));
	await fresh.render(run);
	return { before, after: await findings(kept), fresh: await findings(fresh) };
}

const changedOutside = (before: Map<string, string[]>, after: Map<string, string[]>, dir: string) =>
	[...after.keys()].filter((f) => f.startsWith(dir) && JSON.stringify(before.get(f)) !== JSON.stringify(after.get(f)));

describe('results carried over to a new render of a cluster', () => {
	it('a retag: judged as a fresh start judges it', async () => {
		const { after, fresh } = await afterEdit({}, (t) => t.replace('newTag: 2.14.1', 'newTag: 2.15.0'));
		assert.deepEqual(after, fresh);
	});

	it("a LimitRange that gives another path's containers their defaults: those findings go, as from a fresh start", async () => {
		const limits = 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: legacy-batch\nspec:\n  limits:\n    - type: Container\n      default:\n        cpu: 500m\n        memory: 512Mi\n';
		const { before, after, fresh } = await afterEdit({ 'limits.yaml': limits });
		assert.deepEqual(after, fresh);
		// The legacy-batch path was not rendered again, yet its findings changed: nothing stale was carried over.
		const changed = changedOutside(before, after, 'apps/staging/legacy-batch/');
		assert.ok(changed.length > 0, 'the LimitRange changes what the other path is told');
		assert.ok(changed.every((f) => before.get(f)!.some((x) => x.includes('workload-resources'))), changed.join(', '));
	});

	it("a policy that judges another path's objects: its findings appear there, as from a fresh start", async () => {
		const policy = [
			'apiVersion: kyverno.io/v1',
			'kind: ClusterPolicy',
			'metadata:',
			'  name: require-team',
			'spec:',
			'  validationFailureAction: Enforce',
			'  rules:',
			'    - name: team-label',
			'      match:',
			'        any:',
			'          - resources:',
			'              kinds: [CronJob]',
			'      validate:',
			'        message: Every CronJob names its team.',
			'        pattern:',
			'          metadata:',
			'            labels:',
			'              team: "?*"',
			'',
		].join('\n');
		const { before, after, fresh } = await afterEdit({ 'require-team.yaml': policy });
		assert.deepEqual(after, fresh);
		const changed = changedOutside(before, after, 'apps/staging/legacy-batch/');
		assert.ok(changed.some((f) => after.get(f)!.some((x) => x.includes('require-team'))), changed.join(', '));
	});
});

describe('carryOver', () => {
	const target = (kind: string, name: string): TargetObject => ({ via: 'p', object: { value: { apiVersion: 'v1', kind, metadata: { name } }, source: { file: `${name}.yaml`, documentIndex: 0 } } as unknown as RenderedObject });
	const rule = (id: string) => ({ id }) as ComplianceRule;

	it('objects still there keep their results; the rules that read a kind that came or went do not', () => {
		const [a, b, c] = [target('Deployment', 'a'), target('ConfigMap', 'b'), target('LimitRange', 'c')];
		const objectOnly = rule('workload-x');
		const readsLimits = rule('workload-resources');
		const readsAll = rule('policy');
		const readsServices = rule('workload-y');
		const before = new Map<ComplianceRule, ReadonlySet<string> | 'all'>([
			[readsLimits, new Set(['LimitRange'])],
			[readsAll, 'all'],
			[readsServices, new Set(['Service'])],
		]);
		const carry = carryOver([a, b], ['result a', 'result b'], before, [b, c, a])!;
		assert.deepEqual([0, 1, 2].map((i) => carry.resultOf(i)), ['result b', undefined, 'result a']);
		assert.equal(carry.holds(objectOnly), true, 'read nothing of the other objects');
		assert.equal(carry.holds(readsServices), true, 'no Service came or went');
		assert.equal(carry.holds(readsLimits), false, 'a LimitRange came');
		assert.equal(carry.holds(readsAll), false, 'read every object');
		assert.deepEqual([...carry.reads.keys()], [readsServices]);
		// An object that went counts too.
		assert.equal(carryOver([a, b, c], ['a', 'b', 'c'], before, [a, b])!.holds(readsLimits), false);
	});

	it('nothing is carried over when a Namespace came or went (its labels set Pod Security levels)', () => {
		const a = target('Deployment', 'a');
		assert.equal(carryOver([a], ['a'], new Map(), [a, target('Namespace', 'n')]), undefined);
		assert.equal(carryOver([a, target('Namespace', 'n')], ['a', 'n'], new Map(), [a]), undefined);
	});
});

describe('RenderedEvaluator', () => {
	it('a retag runs the rules again only on the objects of the path rendered again', async () => {
		// A model-independent rule (by its id) that counts the objects it judges.
		const judged: string[] = [];
		const probe: ComplianceRule = { id: 'workload-probe', title: 'probe', severity: 'info', kinds: ['*'], rationale: '', remediation: '', controls: [], check: (r) => (judged.push(`${r.kind}/${r.name}`), []) };
		const evaluator = new RenderedEvaluator([...renderedRules(), probe]);
		const texts = new Map<string, string>();
		const store = new DocumentStore(new NodeRepoReader(FLEET, await listFiles(), (rel) => texts.get(rel)));
		const renderer = new TargetRenderer(store);
		const base = { repo: await RepoSnapshot.build(nodeFileSystem(FLEET)), settings: defaultSettings(), today: TODAY };
		const first = discover(store);
		const view = evaluator.evaluate(renderer.renderAll(first.model), first.model, base, undefined, 'first');
		const all = judged.length;
		judged.length = 0;
		texts.set(STAGING, readFileSync(join(FLEET, STAGING), 'utf8').replace('newTag: 2.14.1', 'newTag: 2.15.0'));
		renderer.invalidate([STAGING], false);
		const again = rediscover(store, first, [STAGING]);
		const renders = renderer.renderAll(again.model);
		evaluator.evaluate(renders, again.model, base, view, 'second');
		const staging = renders.find((r) => r.cluster === 'staging-eu-west-1')!;
		const rerendered = staging.objects.filter((o) => o.via === 'apps/staging').map((o) => `${(o.object.value as { kind: string }).kind}/${(o.object.value as { metadata: { name: string } }).metadata.name}`);
		assert.ok(rerendered.length > 5 && all > 3 * rerendered.length, `${rerendered.length} of ${all}`);
		assert.deepEqual(judged.sort(), rerendered.sort());
	});
});

async function listFiles(): Promise<string[]> {
	return (await nodeFileSystem(FLEET).listFiles()).sort();
}
