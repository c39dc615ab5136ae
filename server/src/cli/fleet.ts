import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FleetModel, SourceLocation } from '../engine/fleet/types';
import { nodeEngineDeps } from '../host/engine-deps';
import { openRepository } from '../workspace/standalone';
import { UsageError, type FleetOptions } from './args';

/** `fleetscope fleet`: discovers the fleet of the repository at PATH and formats it. */
export async function runFleet(options: FleetOptions, cwd: string, version: string): Promise<string> {
	const root = path.resolve(cwd, options.path ?? '.');
	try {
		if (!(await fsp.stat(root)).isDirectory()) throw new UsageError(`${options.path}: not a directory (fleet reads a whole repository)`);
	} catch (e) {
		if (e instanceof UsageError) throw e;
		throw new UsageError(`${options.path}: no such directory`);
	}
	const model = (await (await openRepository(root, nodeEngineDeps())).fleet()).model;
	return options.format === 'json' ? `${JSON.stringify(fleetJson(model, version), null, 2)}\n` : fleetText(model);
}

const where = (l: SourceLocation | undefined) => (l ? { file: l.file, line: l.range.start.line + 1 } : undefined);

/** The JSON shape of `fleetscope fleet --format json` (version 1; lines are 1-based). */
export function fleetJson(model: FleetModel, toolVersion: string): unknown {
	return {
		version: 1,
		tool: { name: 'fleetscope', version: toolVersion },
		environments: model.environments.map((e) => ({ name: e.name, order: e.order, promotesFrom: e.promotesFrom, production: e.production, source: e.source, ...(e.location ? { declaredAt: where(e.location) } : {}) })),
		clusters: model.clusters.map((c) => ({
			name: c.name,
			environment: c.environment ?? null,
			region: c.region ?? null,
			provider: c.provider ?? null,
			kubeContext: c.kubeContext ?? null,
			kubernetesVersion: c.kubernetesVersion ?? null,
			claim: c.claim ?? null,
			labels: c.labels,
			source: c.source,
			inferred: c.inferred,
			paths: [...new Set(c.syncs.map((s) => s.path))],
			syncs: c.syncs.map((s) => ({ kind: s.kind, name: s.name, path: s.path, ...(s.targetNamespace ? { targetNamespace: s.targetNamespace } : {}), ...(s.dependsOn ? { dependsOn: s.dependsOn } : {}), ...(s.location ? { declaredAt: where(s.location) } : {}) })),
		})),
		apps: model.apps.map((a) => ({
			name: a.name,
			source: a.source,
			facts: a.facts,
			paths: a.paths,
			versions: a.versions.map((v) => ({ environment: v.environment, clusters: v.clusters, artifact: v.artifact, kind: v.kind, version: v.version, ...where(v.location) })),
			behind: a.behind,
		})),
		files: model.files,
		problems: model.problems.map((p) => ({ rule: p.ruleId, severity: p.severity, message: p.message, file: p.location.file, line: p.location.range.start.line + 1, column: p.location.range.start.character + 1 })),
	};
}

/** The human-readable graph. */
export function fleetText(model: FleetModel): string {
	const out: string[] = [];
	const inferred = (x: { source: string }) => (x.source === 'inferred' ? ' (inferred)' : '');
	out.push(`Environments, in promotion order: ${model.environments.length > 0 ? model.environments.map((e) => `${e.name}${e.production ? ' [production]' : ''}${inferred(e)}`).join(' → ') : 'none found'}`);
	out.push('');
	out.push(`Clusters (${model.clusters.length}):`);
	for (const c of model.clusters) {
		const facts = [c.environment ?? 'no environment', c.region, c.provider, c.kubernetesVersion ? `Kubernetes ${c.kubernetesVersion}` : undefined].filter(Boolean).join(', ');
		const guessed = c.inferred.length > 0 ? `; inferred: ${c.inferred.join(', ')}` : '';
		out.push(`  ${c.name}  ${facts}${inferred(c)}${guessed}`);
		if (c.kubeContext) out.push(`      context  ${c.kubeContext}`);
		if (c.claim) out.push(`      claim    ${c.claim}`);
		const paths = [...new Set(c.syncs.filter((s) => s.kind !== 'flux-helmrelease').map((s) => s.path))];
		if (paths.length > 0) out.push(`      syncs    ${paths.join(', ')}`);
		const releases = c.syncs.filter((s) => s.kind === 'flux-helmrelease').map((s) => s.name);
		if (releases.length > 0) out.push(`      helm     ${releases.join(', ')}`);
	}
	out.push('');
	out.push(`Apps (${model.apps.length}):`);
	for (const a of model.apps) {
		const facts = Object.entries(a.facts).map(([k, v]) => `${k} ${v}`).join(', ');
		out.push(`  ${a.name}${inferred(a)}${facts ? `  ${facts}` : ''}`);
		for (const v of a.versions) {
			const behind = a.behind.find((b) => b.environment === v.environment && b.artifact === v.artifact && b.version === v.version);
			const note = behind ? `  behind ${behind.newerIn} (${behind.newer})` : '';
			out.push(`      ${v.environment.padEnd(12)} ${v.artifact} ${v.version}  ${v.location.file}:${v.location.range.start.line + 1}  [${v.clusters.join(', ')}]${note}`);
		}
	}
	const files = Object.keys(model.files);
	out.push('');
	out.push(`Files: ${files.length} YAML files reach at least one cluster.`);
	if (model.problems.length > 0) {
		out.push('');
		out.push(`Problems (${model.problems.length}):`);
		for (const p of model.problems) out.push(`  ${p.location.file}:${p.location.range.start.line + 1}:${p.location.range.start.character + 1} ${p.severity} ${p.ruleId} ${p.message}`);
	}
	return `${out.join('\n')}\n`;
}
