import type { PromotionAppRow, PromotionEnvironmentRow, PromotionVersionRow } from '../../../../shared/protocol';
import type { AppVersion, FleetApp, FleetEnvironment, FleetModel } from '../../engine/fleet/types';

/**
 * The Promotion view (and `fleetscope promotion`): per app, one row per environment in promotion
 * order with the versions Git sets there (and the line that sets each), whether the environment it
 * is promoted from runs newer versions, and the gates the Fleet file sets for promoting into it.
 * Pure over the fleet model.
 */

export function promotionView(fleet: FleetModel): PromotionAppRow[] {
	const order = [...fleet.environments].sort((a, b) => a.order - b.order);
	return fleet.apps.map((app) => {
		const named = new Set([...app.versions.map((v) => v.environment), ...Object.keys(app.paths)]);
		const envs = [...order.filter((e) => named.has(e.name)), ...[...named].filter((n) => !order.some((e) => e.name === n)).sort().map((name) => ({ name }) as Pick<FleetEnvironment, 'name'>)];
		return {
			name: app.name,
			inferred: app.source === 'inferred',
			style: app.promotion?.style ?? 'value',
			environments: envs.map((e) => environmentRow(app, e.name, fleet)),
		};
	});
}

const versionRow = (v: AppVersion): PromotionVersionRow => ({ artifact: v.artifact, kind: v.kind, version: v.version, file: v.location.file, line: v.location.range.start.line + 1 });

/** One row per artifact and version (clusters that override a version make a row of their own). */
function versionsOf(app: FleetApp, env: string): PromotionVersionRow[] {
	const seen = new Set<string>();
	const out: PromotionVersionRow[] = [];
	for (const v of app.versions) {
		if (v.environment !== env) continue;
		const key = `${v.artifact}\u0000${v.version}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(versionRow(v));
	}
	return out;
}

function environmentRow(app: FleetApp, env: string, fleet: FleetModel): PromotionEnvironmentRow {
	const declared = fleet.environments.find((e) => e.name === env);
	const from = declared?.promotesFrom[0];
	const newer = from ? app.behind.filter((b) => b.environment === env && b.newerIn === from) : [];
	const behindVersions = newer.length === 0 ? [] : versionsOf(app, from!).filter((v) => newer.some((b) => b.artifact === v.artifact && b.newer === v.version));
	const clusters = [...new Set(app.versions.filter((v) => v.environment === env).flatMap((v) => v.clusters))].sort();
	return {
		name: env,
		production: declared?.production ?? false,
		clusters,
		versions: versionsOf(app, env),
		behind: behindVersions.length > 0 ? { of: from!, versions: behindVersions } : null,
		gates: from ? gatesOf(declared!, from, app) : [],
		...(from ? { promotesFrom: from } : {}),
	};
}

function gatesOf(env: FleetEnvironment, from: string, app: FleetApp): PromotionEnvironmentRow['gates'] {
	const gates: PromotionEnvironmentRow['gates'] = [{ name: 'order', detail: `promoted from ${env.promotesFrom.join(' or ')}` }];
	const p = env.promotion;
	if (p?.minSoak) gates.push({ name: 'soak', detail: `${from} must have run it for ${p.minSoak}` });
	const reviewers = [...new Set([...(p?.reviewers ?? []), ...(app.promotion?.reviewers ?? [])])];
	if (p?.approvals) gates.push({ name: 'approvals', detail: `${p.approvals} approval${p.approvals === 1 ? '' : 's'}${reviewers.length > 0 ? ` (${reviewers.join(', ')})` : ''}` });
	return gates;
}
