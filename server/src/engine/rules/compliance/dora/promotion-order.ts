import semver from 'semver';
import { isPlainObject, type Resource } from '../../../core/resource';
import type { NodePath } from '../../../core/parse';
import type { AppVersion, FleetApp } from '../../../fleet/types';
import { containersOf, isPodTemplateKind, podSpecOf, POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceContext, ComplianceProblem, ComplianceRule } from '../rule';

function parse(v: string): semver.SemVer | null {
	return semver.parse(v, { loose: true });
}

/** Where in the resource the fleet model's version of an artifact is written, or undefined. */
export function versionPath(resource: Resource, v: Pick<AppVersion, 'artifact' | 'version'>): NodePath | undefined {
	const value = resource.value;
	if (resource.kind === 'Kustomization' && Array.isArray(value.images)) {
		for (const [j, img] of value.images.entries()) {
			if (!isPlainObject(img) || (img.name !== v.artifact && img.newName !== v.artifact)) continue;
			for (const f of ['newTag', 'digest']) if (img[f] === v.version) return ['images', j, f];
		}
	}
	if (resource.kind === 'HelmRelease' && isPlainObject(value.spec) && isPlainObject(value.spec.chart) && isPlainObject(value.spec.chart.spec)) {
		const c = value.spec.chart.spec;
		if (c.version === v.version && (c.chart === v.artifact || v.artifact.endsWith(`/${String(c.chart)}`))) return ['spec', 'chart', 'spec', 'version'];
	}
	if (isPodTemplateKind(resource)) {
		const pod = podSpecOf(resource);
		for (const c of pod ? containersOf(pod) : []) {
			if (c.container.image === `${v.artifact}:${v.version}` || c.container.image === `${v.artifact}@${v.version}`) return [...c.path, 'image'];
		}
	}
	return undefined;
}

interface Violation {
	app: FleetApp;
	v: AppVersion;
	from: string;
	fromVersions: string[];
	path: NodePath;
}

function violations(resource: Resource, ctx: ComplianceContext): Violation[] {
	const out: Violation[] = [];
	for (const { app, v } of ctx.fleetIndex.productionVersionsIn(ctx.path)) {
		{
			const env = ctx.fleet.environments.find((e) => e.name === v.environment);
			for (const from of env?.promotesFrom ?? []) {
				const prev = app.versions.filter((p) => p.environment === from && p.artifact === v.artifact).map((p) => p.version);
				if (prev.length === 0 || prev.includes(v.version)) continue;
				const mine = parse(v.version);
				const theirs = prev.map(parse);
				// Only comparable versions: a Git SHA or a tag like "latest" says nothing about order.
				if (!mine || theirs.some((t) => !t) || !theirs.every((t) => semver.gt(mine, t!))) continue;
				const path = versionPath(resource, v);
				if (path) out.push({ app, v, from, fromVersions: prev, path });
			}
		}
	}
	return out;
}

/**
 * DORA Art 9(4)(e) (RTS 2024/1774 Art 17): a production environment runs a version of an app's
 * artifact that is newer than every version of the environment it is promoted from: the change
 * skipped the earlier stage. Reported where production sets the version (kustomize `images`,
 * HelmRelease chart version, container image), from the fleet model's app versions; versions that
 * are not semantic versions are not compared.
 */
export const promotionOrder: ComplianceRule = {
	id: 'dora-promotion-order',
	title: 'Production version not promoted through the previous stage',
	severity: 'warning',
	kinds: ['Kustomization', 'HelmRelease', ...POD_TEMPLATE_KINDS],
	rationale:
		'DORA Art 9(4)(e) asks that ICT changes be recorded, tested, assessed, approved, implemented and verified in a controlled manner (RTS 2024/1774 Art 17). A version that reaches production before the environment production is promoted from has not been tested there.',
	remediation: 'Promote the version to the previous environment first (e.g. staging), let it soak, then to production; or roll production back to the version the previous environment runs.',
	controls: ['DORA-Art9(4)(e)'],
	check(resource, ctx): ComplianceProblem[] {
		return violations(resource, ctx).map(({ app, v, from, fromVersions, path }) => ({
			path,
			target: 'value' as const,
			message: `App "${app.name}" runs ${v.artifact} ${v.version} in ${v.environment}, newer than what ${from} runs (${fromVersions.join(', ')}), and ${v.environment} is promoted from ${from}: the version skipped that stage. DORA Art 9(4)(e) asks for changes to be tested and approved in a controlled manner before production. Promote ${v.version} to ${from} first, or set ${v.environment} back to ${fromVersions[0]}. (DORA Art 9(4)(e))`,
		}));
	},
};
