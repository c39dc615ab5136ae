import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { discover } from '../fleet/helpers';
import { finishPromotion, preparePromotion, parsePromotionMarker, type PreparedPromotion, type PromotionFacts } from '../../server/src/engine/promotion';
import type { FleetModel } from '../../server/src/engine/fleet/types';
import { checkoutFleet, overlay, PROD_DIGEST, STAGING_DIGEST } from './fleet-fixture';
import { MECHANISMS } from './mechanisms-fixture';

/** The pure promotion plan: edits per mechanism (formatting and comments kept), directory style, gates, the pull request's words. */

const tree = (files: Record<string, string>) => ({ files: () => Object.keys(files).sort(), read: (p: string) => files[p] });

function prepare(files: Record<string, string>, app: string, to: string, from?: string): { fleet: FleetModel; prepared: PreparedPromotion } {
	const fleet = discover(files);
	const r = preparePromotion(fleet, tree(files), { app, to, from });
	assert.ok(r.ok, r.ok ? '' : r.error);
	return { fleet, prepared: r.prepared };
}

const NOW = new Date('2026-12-01T12:00:00Z');
const GOOD: PromotionFacts = { now: NOW, soak: { at: '2026-11-20T12:00:00Z', commit: 'abc123' }, compliance: { newFindings: [] } };

function plan(files: Record<string, string>, facts: Partial<PromotionFacts> = {}, app = 'checkout', to = 'production', from?: string) {
	const { fleet, prepared } = prepare(files, app, to, from);
	return finishPromotion(fleet, tree(files), prepared, { ...GOOD, ...facts });
}

const after = (p: { changes: { file: string; after?: string }[] }, file: string) => p.changes.find((c) => c.file === file)?.after;

describe('value promotion edits', () => {
	it('kustomize images: newTag and digest together, comments and layout kept', () => {
		const p = plan(checkoutFleet());
		assert.equal(after(p, 'apps/checkout/production/kustomization.yaml'), overlay('2.4.0', STAGING_DIGEST));
		assert.deepEqual(p.edits, [
			{ file: 'apps/checkout/production/kustomization.yaml', line: 7, before: '2.3.1', after: '2.4.0' },
			{ file: 'apps/checkout/production/kustomization.yaml', line: 8, before: PROD_DIGEST, after: STAGING_DIGEST },
		]);
		assert.deepEqual(p.artifacts.map((a) => [a.artifact, a.from, a.to, a.file, a.line, a.sourceFile, a.sourceLine, a.clusters]), [
			['ghcr.io/acme/checkout', '2.3.1', '2.4.0', 'apps/checkout/production/kustomization.yaml', 7, 'apps/checkout/staging/kustomization.yaml', 7, ['prod-1']],
		]);
		assert.equal(p.title, 'Promote checkout 2.4.0 to production (from staging)');
		assert.deepEqual(p.clusters, ['prod-1']);
		assert.equal(p.branch, 'fleetscope/promote/checkout/production');
		assert.deepEqual(p.labels, ['promotion', 'env:production']);
	});

	it('a tag-only source removes the target digest; a digest-only source removes the target tag', () => {
		const files = { ...checkoutFleet(), 'apps/checkout/staging/kustomization.yaml': overlay('2.4.0') };
		assert.equal(after(plan(files), 'apps/checkout/production/kustomization.yaml'), overlay('2.4.0'));
		const digestOnly = checkoutFleet();
		digestOnly['apps/checkout/staging/kustomization.yaml'] = 'resources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/checkout\n    digest: sha256:3333\n';
		const text = after(plan(digestOnly), 'apps/checkout/production/kustomization.yaml')!;
		assert.equal(text, `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/checkout # the checkout service\n    digest: sha256:3333\n`);
	});

	it('a version YAML 1.1 would read as a number is quoted (1.10 is not 1.1)', () => {
		const files = { ...checkoutFleet(), 'apps/checkout/staging/kustomization.yaml': overlay('"1.10"'), 'apps/checkout/production/kustomization.yaml': overlay('1.9.0') };
		assert.match(after(plan(files, {}, 'checkout', 'production'), 'apps/checkout/production/kustomization.yaml')!, /newTag: "1\.10" # set by promotion/);
	});

	it('HelmRelease chart version and values tag, GitRepository and OCIRepository refs, an image reference, Argo CD targetRevision', () => {
		const p = plan(MECHANISMS, { compliance: { newFindings: [] } });
		assert.match(after(p, 'clusters/production/helmrelease.yaml')!, /\n {6}version: "1\.4\.0" # chart\n[\s\S]*\n {6}tag: 2\.4\.0\n$/);
		assert.match(after(p, 'argo/production.yaml')!, /\n {4}targetRevision: 'v2\.4\.0'\n/);
		assert.match(after(p, 'clusters/production/worker.yaml')!, /image: ghcr\.io\/acme\/checkout-worker:2\.4\.0@sha256:9999 # the worker\n/);
		const sources = after(p, 'clusters/production/sources.yaml')!;
		assert.match(sources, /ref:\n {4}tag: v2\.4\.0\n---/);
		// Staging pins the OCI artifact by digest: production's tag becomes that digest.
		assert.ok(sources.endsWith('  ref:\n    digest: sha256:abcd\n'), sources);
		assert.deepEqual(
			p.edits.map((e) => `${e.file}:${e.line} ${e.before} -> ${e.after}`),
			[
				'argo/production.yaml:11 v2.3.1 -> v2.4.0',
				'clusters/production/helmrelease.yaml:11 1.3.2 -> 1.4.0',
				'clusters/production/helmrelease.yaml:18 2.3.1 -> 2.4.0',
				'clusters/production/sources.yaml:10 v2.3.1 -> v2.4.0',
				'clusters/production/sources.yaml:24  -> sha256:abcd',
				'clusters/production/sources.yaml:23 2.3.1 -> ',
				'clusters/production/worker.yaml:15 ghcr.io/acme/checkout-worker:2.3.1 -> ghcr.io/acme/checkout-worker:2.4.0@sha256:9999',
			],
		);
		// Nothing but those lines changed in any file.
		for (const c of p.changes) {
			const a = c.before!.split('\n');
			const b = c.after!.split('\n');
			const diff = a.filter((l, i) => l !== b[i]).length;
			assert.ok(diff <= 2, `${c.file}: ${diff} lines changed`);
		}
	});

	it('refuses a line that sets the version for other environments too, and says where to set it instead', () => {
		const files = checkoutFleet();
		for (const e of ['dev', 'staging', 'production']) files[`apps/checkout/${e}/kustomization.yaml`] = 'resources:\n  - ../base\n';
		files['apps/checkout/staging/kustomization.yaml'] = overlay('2.4.0');
		const fleet = discover(files);
		const r = preparePromotion(fleet, tree(files), { app: 'checkout', to: 'production' });
		assert.equal(r.ok, false);
		assert.match((r as { error: string }).error, /apps\/checkout\/base\/deployment\.yaml sets ghcr\.io\/acme\/checkout for dev and staging too, so changing it would not promote production alone: set the version in production's own overlay/);
	});

	it('says what is wrong with the request: unknown app or environment, no source for the first environment', () => {
		const files = checkoutFleet();
		const fleet = discover(files);
		const err = (req: { app: string; to: string; from?: string }) => {
			const r = preparePromotion(fleet, tree(files), req);
			return r.ok ? '' : r.error;
		};
		assert.equal(err({ app: 'cart', to: 'production' }), 'no app "cart" in the fleet; the apps are checkout (fleetscope fleet lists them)');
		assert.equal(err({ app: 'checkout', to: 'prod' }), 'no environment "prod"; the environments are dev, staging and production');
		assert.match(err({ app: 'checkout', to: 'dev' }), /dev is promoted from no environment .*: name the source with --from/);
	});

	it('nothing to do when the target already runs what the source runs', () => {
		const files = { ...checkoutFleet(), 'apps/checkout/production/kustomization.yaml': overlay('2.4.0', STAGING_DIGEST) };
		const p = plan(files);
		assert.equal(p.upToDate, true);
		assert.deepEqual(p.changes, []);
		assert.equal(p.blocked, false);
	});
});

describe('directory promotion', () => {
	it("makes the target's directory equal to the source's: files changed, added and removed, as edits", () => {
		const files = checkoutFleet({ style: 'directory' });
		files['apps/checkout/staging/patch.yaml'] = 'kind: Patch\nreplicas: 3\n';
		files['apps/checkout/production/old.yaml'] = 'kind: Old\n';
		const p = plan(files);
		assert.equal(p.style, 'directory');
		assert.deepEqual(
			p.changes.map((c) => [c.file, c.action]),
			[
				['apps/checkout/production/kustomization.yaml', 'modify'],
				['apps/checkout/production/old.yaml', 'delete'],
				['apps/checkout/production/patch.yaml', 'add'],
			],
		);
		assert.equal(after(p, 'apps/checkout/production/kustomization.yaml'), files['apps/checkout/staging/kustomization.yaml']);
		assert.equal(after(p, 'apps/checkout/production/patch.yaml'), 'kind: Patch\nreplicas: 3\n');
		assert.deepEqual(p.edits, [
			{ file: 'apps/checkout/production/kustomization.yaml', line: 7, before: `    newTag: 2.3.1 # set by promotion\n    digest: ${PROD_DIGEST}`, after: `    newTag: 2.4.0 # set by promotion\n    digest: ${STAGING_DIGEST}` },
			{ file: 'apps/checkout/production/old.yaml', line: 1, before: 'kind: Old', after: '' },
			{ file: 'apps/checkout/production/patch.yaml', line: 1, before: '', after: 'kind: Patch\nreplicas: 3' },
		]);
		assert.deepEqual(p.artifacts.map((a) => `${a.artifact} ${a.from} -> ${a.to}`), ['ghcr.io/acme/checkout 2.3.1 -> 2.4.0']);
		assert.match(p.body, /by making `apps\/checkout\/production` equal to `apps\/checkout\/staging`/);
	});
});

describe('gates', () => {
	const gate = (p: ReturnType<typeof plan>, name: string) => p.gates.find((g) => g.name === name)!;

	it('all pass: order, soak from the commit time, approvals with reviewers, compliance; live not checked without cluster state', () => {
		const p = plan(checkoutFleet());
		assert.deepEqual(p.gates.map((g) => [g.name, g.status, g.passed]), [
			['order', 'passed', true],
			['soak', 'passed', true],
			['approvals', 'passed', true],
			['compliance', 'passed', true],
			['live', 'not-checked', true],
		]);
		assert.equal(gate(p, 'soak').detail, 'staging has run it for 11d (since 2026-11-20T12:00:00Z, commit abc123); production requires 72h.');
		assert.equal(p.blocked, false);
	});

	it('every gate fails, each with what to do, and the plan is blocked', () => {
		const files = checkoutFleet({ productionReviewers: ['alice'], productionApprovals: 2 });
		const p = plan(
			files,
			{
				soak: { at: '2026-12-01T00:00:00Z', commit: 'def456' },
				compliance: { newFindings: [{ file: 'apps/checkout/production/kustomization.yaml', line: 7, ruleId: 'pss-privileged', message: 'Privileged.' }] },
				live: [{ cluster: 'dev-1', synced: false, healthy: true, detail: 'Kustomization apps: reconciliation failed' }],
			},
			'checkout',
			'production',
			'dev',
		);
		assert.equal(p.blocked, true);
		assert.deepEqual(p.gates.map((g) => [g.name, g.status]), [
			['order', 'failed'],
			['soak', 'failed'],
			['approvals', 'failed'],
			['compliance', 'failed'],
			['live', 'failed'],
		]);
		assert.match(gate(p, 'order').detail, /production is promoted from staging \(Fleet promotion\.from\), not from dev: promote from staging, or override with a reason\./);
		assert.equal(gate(p, 'soak').detail, 'dev has run it for 12h only (since 2026-12-01T00:00:00Z, commit def456); production requires 72h: promote in 2d12h, or override with a reason.');
		assert.match(gate(p, 'approvals').detail, /requires 2 approvals but only 1 reviewer is named \(alice\): add reviewers, or override/);
		assert.match(gate(p, 'compliance').detail, /^1 new error-level finding for production's clusters \(prod-1\): apps\/checkout\/production\/kustomization\.yaml:7 pss-privileged\. Fix them in dev first/);
		assert.match(gate(p, 'live').detail, /dev-1: not synced \(Kustomization apps: reconciliation failed\)/);
	});

	it('a downgrade fails the order gate; an uncommitted source line fails the soak; no reviewers fails approvals', () => {
		const files = { ...checkoutFleet({ productionReviewers: [] }), 'apps/checkout/production/kustomization.yaml': overlay('2.5.0', PROD_DIGEST) };
		const p = plan(files, { soak: { note: 'apps/checkout/staging/kustomization.yaml:7 is not committed' } });
		assert.match(gate(p, 'order').detail, /This would move production back: ghcr\.io\/acme\/checkout 2\.5\.0 → 2\.4\.0/);
		assert.match(gate(p, 'soak').detail, /cannot be told \(apps\/checkout\/staging\/kustomization\.yaml:7 is not committed\); production requires 72h/);
		assert.match(gate(p, 'approvals').detail, /requires 2 approvals but the Fleet file names no reviewer/);
		const c = plan(checkoutFleet(), { compliance: { newFindings: [], error: 'the check failed' } });
		assert.equal(gate(c, 'compliance').status, 'failed');
	});

	it('live passes when every source cluster reports the version synced and healthy', () => {
		const p = plan(checkoutFleet(), { live: [{ cluster: 'staging-1', synced: true, healthy: true, versions: ['2.4.0'] }] });
		assert.deepEqual([gate(p, 'live').status, gate(p, 'live').detail], ['passed', "staging's clusters (staging-1) report it synced and healthy."]);
		const stale = plan(checkoutFleet(), { live: [{ cluster: 'staging-1', synced: true, healthy: true, versions: ['2.3.9'] }] });
		assert.match(gate(stale, 'live').detail, /staging-1: does not report 2\.4\.0/);
	});

	it('an override lets a failed gate through and the pull request records its reason', () => {
		const reason = 'CHG-1234: hotfix for the payment outage --> approved by the CAB <b>';
		const p = plan(checkoutFleet(), { soak: { at: '2026-12-01T11:00:00Z' }, overrides: [{ gate: 'soak', reason }] });
		const soak = gate(p, 'soak');
		assert.deepEqual([soak.status, soak.passed, soak.override], ['overridden', false, { reason }]);
		assert.equal(p.blocked, false);
		assert.ok(p.body.includes(`### Overrides\n\nThese gates failed and were overridden on purpose (recorded for change management, DORA Art. 9(4)(e)):\n\n- **soak**: ${reason}\n`));
		assert.match(p.commitMessage, /Gate soak overridden: CHG-1234/);
		// The reason cannot end the hidden block early: it still parses.
		const marker = parsePromotionMarker(p.body)!;
		assert.equal(marker.gates.soak, 'overridden');
	});
});

describe('the pull request body', () => {
	it('has versions per file with links, clusters, gates, compliance delta, review, and the hidden machine-readable block', () => {
		const p = plan(checkoutFleet(), { web: { provider: 'github', url: 'https://github.com/acme/fleet' } });
		const link = 'https://github.com/acme/fleet/blob/fleetscope/promote/checkout/production/apps/checkout/production/kustomization.yaml#L7';
		assert.ok(p.body.includes(`| [\`apps/checkout/production/kustomization.yaml:7\`](${link}) | \`ghcr.io/acme/checkout\` | \`2.3.1\` | \`2.4.0\` | staging: [`), p.body);
		assert.ok(p.body.includes('### Clusters affected\n\n`prod-1`'));
		assert.ok(p.body.includes('| soak | ✅ passed | staging has run it for 11d'));
		assert.ok(p.body.includes('| live | ➖ not checked |'));
		assert.ok(p.body.includes('### Compliance delta\n\nNo new error-level finding'));
		assert.ok(p.body.includes('production requires **2** approvals. Reviewers asked: @alice, @acme/release-managers.'));
		assert.deepEqual(parsePromotionMarker(p.body), {
			version: 1,
			app: 'checkout',
			from: 'staging',
			to: 'production',
			style: 'value',
			branch: 'fleetscope/promote/checkout/production',
			artifacts: [{ artifact: 'ghcr.io/acme/checkout', from: '2.3.1', to: '2.4.0' }],
			gates: { order: 'passed', soak: 'passed', approvals: 'passed', compliance: 'passed', live: 'not-checked' },
		});
		assert.equal(parsePromotionMarker('a body without it'), undefined);
		assert.equal(parsePromotionMarker('<!-- fleetscope-promotion: {"version":1,"app":1} -->'), undefined);
	});

	it('GitLab links use /-/blob/', () => {
		const p = plan(checkoutFleet(), { web: { provider: 'gitlab', url: 'https://gitlab.com/platform/fleet' } });
		assert.ok(p.body.includes('(https://gitlab.com/platform/fleet/-/blob/fleetscope/promote/checkout/production/apps/checkout/production/kustomization.yaml#L7)'));
	});
});
