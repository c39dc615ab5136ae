import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultSettings } from '../../shared/settings';
import { complianceContext } from '../../server/src/engine/rules/compliance/context';
import type { ComplianceContext } from '../../server/src/engine/rules/compliance/rule';
import { complianceRules } from '../../server/src/engine/rules/compliance';
import { independentOfTheModel, readsVersions } from '../../server/src/engine/rules/compliance/locality';
import { renderedRules } from '../../server/src/engine/rules/policy-rendered';
import { ObjectSet } from '../../server/src/engine/core/objects';
import { resourceHeader, type Resource } from '../../server/src/engine/core/resource';
import type { CheckContext } from '../../server/src/engine/context/check-context';
import { exampleFolder, FLEET, TODAY } from './example-folder';
import { FleetIndex } from '../../server/src/engine/fleet/fleet-index';
import { targetCluster } from '../../server/src/engine/fleet/clusters';
import type { FleetApp, FleetModel } from '../../server/src/engine/fleet/types';


/** A compliance context whose fleet-model fields (and the repository, which carries the model) throw when read. */
function modelGuarded(real: ComplianceContext): ComplianceContext {
	const forbidden = new Set(['fleet', 'fleetIndex', 'targets', 'declared', 'production', 'apps', 'repo']);
	return new Proxy(real, {
		get(target, prop, receiver) {
			if (typeof prop === 'string' && forbidden.has(prop)) throw new Error(`reads ctx.${prop}`);
			return Reflect.get(target, prop, receiver);
		},
	});
}

test('the rules kept across fleet-model changes read nothing of the model', async () => {
	const folder = await exampleFolder(new Map());
	await folder.render({ settings: defaultSettings(), today: TODAY });
	const fleet = await folder.fleet();
	const local = complianceRules.filter(independentOfTheModel);
	assert.ok(local.length >= 20, `${local.length} rules`);
	let checked = 0;
	for (const render of fleet.renders) {
		for (const { object } of render.objects) {
			const header = resourceHeader(object.value);
			if (!header) continue;
			const resource: Resource = { ...header, documentIndex: object.source.documentIndex, span: { start: 0, end: 0 }, value: object.value };
			const snapshot = folder.snapshot;
			const ctx: CheckContext = { path: object.source.file, today: TODAY, repo: snapshot, settings: defaultSettings(), targets: [], objects: snapshot.objects!, fleet: fleet.model, fleetIndex: snapshot.fleetIndex!, partial: false, perResource: new WeakMap() };
			const guarded = modelGuarded(complianceContext(resource, ctx));
			for (const rule of local) {
				if (!rule.kinds.includes(header.kind) || (rule.appliesTo && !rule.appliesTo(resource))) continue;
				assert.doesNotThrow(() => rule.check(resource, guarded), `${rule.id} on ${header.kind} ${header.name}`);
				assert.doesNotThrow(() => rule.evaluates?.(resource, guarded), `${rule.id} on ${header.kind} ${header.name}`);
				checked++;
			}
		}
	}
	assert.ok(checked > 500, `${checked} rule runs`);
});

test("the repository's policies judging a cluster's render read nothing of the model either", async () => {
	const folder = await exampleFolder(new Map());
	await folder.render({ settings: defaultSettings(), today: TODAY });
	const fleet = await folder.fleet();
	const rule = renderedRules().find((r) => r.id === 'policy')!;
	assert.ok(independentOfTheModel(rule));
	let found = 0;
	for (const render of fleet.renders) {
		// As the rendered evaluation sees a cluster: its objects, complete.
		const objects = ObjectSet.fromValues(
			render.objects.map((o) => ({ file: o.object.source.file, documentIndex: o.object.source.documentIndex, value: o.object.value })),
			true,
		);
		for (const { object } of render.objects) {
			const header = resourceHeader(object.value);
			if (!header) continue;
			const resource: Resource = { ...header, documentIndex: object.source.documentIndex, span: { start: 0, end: 0 }, value: object.value };
			const ctx: CheckContext = { path: object.source.file, today: TODAY, repo: folder.snapshot, settings: defaultSettings(), targets: [], objects, fleet: fleet.model, fleetIndex: folder.snapshot.fleetIndex!, partial: false, perResource: new WeakMap() };
			found += rule.check(resource, modelGuarded(complianceContext(resource, ctx))).length;
		}
	}
	// The example fleet's Kyverno policies reach its clusters and find something there: the rule really ran.
	assert.ok(found > 0, `${found} policy findings`);
});

test('after retags, what the clusters receive is judged as a fresh start judges it', async () => {
	const rel = 'apps/production/kustomization.yaml';
	const original = readFileSync(join(FLEET, rel), 'utf8');
	const edits = new Map<string, string>();
	const kept = await exampleFolder(edits);
	const run = { settings: defaultSettings(), today: TODAY };
	await kept.render(run);
	// Two retags in the production overlay, each followed by rediscovery and rendering, as the editor does.
	for (const tag of ['6.6.0', '9.9.9']) {
		edits.set(rel, original.replace('newTag: 6.5.3', `newTag: ${tag}`));
		kept.rediscover([rel]);
		await kept.render(run);
	}
	const fresh = await exampleFolder(new Map(edits));
	await fresh.render(run);
	const files = fresh.snapshot.validatedFiles(run.settings);
	assert.ok(files.length > 50);
	let findings = 0;
	for (const f of files) {
		const a = await kept.validate(f, run.settings);
		const b = await fresh.validate(f, run.settings);
		assert.deepEqual(a.analysis?.findings, b.analysis?.findings, f);
		findings += b.analysis?.findings.length ?? 0;
	}
	assert.ok(findings > 50, `${findings} findings`);
	// The retag shows: production now runs a version staging never ran (the promotion rule reads versions).
	const overlay = await kept.validate(rel, run.settings);
	assert.ok(overlay.analysis?.findings.some((x) => x.message.includes('9.9.9')), JSON.stringify(overlay.analysis?.findings.map((x) => x.message)));
});

/** The model with apps whose versions (and what is behind) throw when read. */
function versionsGuarded(model: FleetModel): FleetModel {
	const guard = (a: FleetApp) =>
		new Proxy(a, {
			get(target, prop, receiver) {
				if (prop === 'versions' || prop === 'behind') throw new Error(`reads app.${prop}`);
				return Reflect.get(target, prop, receiver);
			},
		});
	return { ...model, apps: model.apps.map(guard) };
}

test("the rules kept while the model's graph is the same read no versions", async () => {
	const folder = await exampleFolder(new Map());
	await folder.render({ settings: defaultSettings(), today: TODAY });
	const fleet = await folder.fleet();
	const model = versionsGuarded(fleet.model);
	const graphOnly = renderedRules().filter((r) => !independentOfTheModel(r) && !readsVersions(r));
	const readers = renderedRules().filter(readsVersions);
	assert.ok(graphOnly.length >= 10 && readers.length >= 1, `${graphOnly.length} / ${readers.length} rules`);
	// What the rendered evaluation judges, and the Fleet file itself (the DORA rules of the Fleet kind).
	const fleetFile = folder.snapshot.fleet!.fleetFile!.file;
	const fleetDoc = { file: fleetFile, documentIndex: 0, value: (await folder.validate(fleetFile, defaultSettings())).analysis!.resources[0].value };
	let checked = 0;
	let guardFired = 0;
	for (const render of fleet.renders) {
		const objects = ObjectSet.fromValues(
			render.objects.map((o) => ({ file: o.object.source.file, documentIndex: o.object.source.documentIndex, value: o.object.value })),
			true,
		);
		const cluster = targetCluster(model, render.cluster)!;
		for (const object of [...render.objects.map((o) => ({ file: o.object.source.file, documentIndex: o.object.source.documentIndex, value: o.object.value })), fleetDoc]) {
			const header = resourceHeader(object.value);
			if (!header) continue;
			const resource: Resource = { ...header, documentIndex: object.documentIndex, span: { start: 0, end: 0 }, value: object.value };
			// A fresh index per object: one that read versions once keeps them.
			const ctx: CheckContext = { path: object.file, today: TODAY, repo: folder.snapshot, settings: defaultSettings(), targets: [cluster], objects, fleet: model, fleetIndex: new FleetIndex(model), partial: false, perResource: new WeakMap() };
			for (const rule of [...graphOnly, ...readers]) {
				if (!(rule.kinds.includes(header.kind) || rule.kinds.includes('*')) || (rule.appliesTo && !rule.appliesTo(resource))) continue;
				const run = () => {
					const c = complianceContext(resource, ctx);
					rule.check(resource, c);
					rule.evaluates?.(resource, c);
				};
				if (graphOnly.includes(rule)) {
					assert.doesNotThrow(run, `${rule.id} on ${header.kind} ${header.name}`);
					checked++;
				} else {
					try {
						run();
					} catch {
						guardFired++;
					}
				}
			}
		}
	}
	assert.ok(checked > 200, `${checked} rule runs`);
	// The guard works: the rules that read versions trip it.
	assert.ok(guardFired > 0, `${guardFired} reads of versions`);
});

test("a fact of the Fleet file changes the graph: the rules that read it judge the clusters' objects again", async () => {
	const rel = 'fleet.yaml';
	const original = readFileSync(join(FLEET, rel), 'utf8');
	const edits = new Map<string, string>();
	const kept = await exampleFolder(edits);
	const run = { settings: defaultSettings(), today: TODAY };
	await kept.render(run);
	const deployment = 'apps/statements/base/deployment.yaml';
	const before = (await kept.validate(deployment, run.settings)).analysis?.findings.map((f) => `${f.ruleId} ${f.severity}`);
	// Statements is no longer critical.
	edits.set(rel, original.replace('    - name: statements\n      # DELIBERATE MISTAKE (k2): critical, but no businessFunction, no rpo and no exitPlan.\n      criticality: critical', '    - name: statements\n      criticality: low'));
	assert.notEqual(edits.get(rel), original);
	kept.rediscover([rel]);
	await kept.render(run);
	const fresh = await exampleFolder(new Map(edits));
	await fresh.render(run);
	const after = (await kept.validate(deployment, run.settings)).analysis?.findings;
	assert.deepEqual(after, (await fresh.validate(deployment, run.settings)).analysis?.findings);
	assert.notDeepEqual(after?.map((f) => `${f.ruleId} ${f.severity}`), before, 'what the deployment is told changed with the fact');
});
