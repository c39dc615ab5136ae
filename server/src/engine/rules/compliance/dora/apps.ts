import type { Resource } from '../../../core/resource';
import type { FleetApp } from '../../../fleet/types';
import type { ComplianceContext } from '../rule';
import { factOf, isCritical, type FactKey } from './facts';
import { entries, runsInProduction } from './fleet';

/** One app entry of the Fleet file being checked, with what the fleet model knows of it. */
export interface FleetAppEntry {
	/** Index in spec.apps, for paths. */
	index: number;
	name: string;
	app: FleetApp;
	/** The entry's own fields, then the facts discovery collected (labels included). */
	facts: Record<string, unknown>;
	fact(key: FactKey): string | undefined;
	critical: boolean;
	/** The path of `key` in the entry when written there, else of the entry's name (where the fix goes). */
	at(key: string): (string | number)[];
}

/**
 * The app entries of a Fleet file that run in production according to the fleet model (apps the
 * model does not know are skipped: without it, nothing says where they run).
 */
export function productionAppEntries(resource: Resource, ctx: ComplianceContext): FleetAppEntry[] {
	const out: FleetAppEntry[] = [];
	for (const e of entries(resource, 'apps')) {
		const app = ctx.fleet.apps.find((a) => a.name === e.name);
		if (!app || !runsInProduction(app, ctx.fleet)) continue;
		const facts: Record<string, unknown> = { ...app.facts, ...e.value };
		const fact = (k: FactKey) => factOf(facts, k);
		const at = (key: string) => ['spec', 'apps', e.index, key in e.value ? key : 'name'];
		out.push({ index: e.index, name: e.name, app, facts, fact, critical: isCritical(fact('criticality')), at });
	}
	return out;
}

/** `critical` or `high` for messages: DORA's "critical or important function". */
export function criticalityPhrase(e: FleetAppEntry): string {
	return `criticality ${e.fact('criticality')}, a critical or important function in DORA's terms`;
}
