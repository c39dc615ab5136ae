import type { FleetscopeSettings } from '../../../../../shared/settings';
import type { Severity } from '../../core/types';
import type { FleetModel, TargetCluster } from '../../fleet/types';

/**
 * Production escalation, opt-in. A compliance finding keeps its rule's severity (warning: a
 * control is not met), and where the resource reaches (or, for a ClusterClaim, declares) a
 * production cluster its message says `(production)`. It is raised one level (information →
 * warning → error, so CI fails on it) only where the repository or the user asks for it:
 * - the Fleet file lists the cluster's environment in `spec.compliance.enforce` (`production`: every
 *   production environment), or
 * - the setting `fleetscope.compliance.productionEscalation` is on (every production environment).
 * A rule whose severity the user set in `fleetscope.severity` keeps it either way.
 */

/** One level up: hint stays hint (a hint is not a finding to act on), error stays error. */
export const RAISED: Record<Severity, Severity> = { hint: 'hint', info: 'warning', warning: 'error', error: 'error' };

/** What a rule knows for escalation: the settings, the fleet and the clusters of the resource. */
export interface EscalationInput {
	settings: FleetscopeSettings;
	fleet: FleetModel;
	/** The clusters the resource reaches. */
	targets: readonly TargetCluster[];
	/** The clusters the resource declares (a ClusterClaim's own cluster). */
	declared: readonly TargetCluster[];
}

export interface Escalation {
	/** Why the findings are raised one level (`it reaches the production cluster prod-eu`), or undefined: they keep their severity. */
	reason?: string;
	/** Whether the resource reaches or declares a production cluster (the message then says `(production)` when not raised). */
	production: boolean;
}

/** `a`, `a and b`, `a, b and c`. */
function names(list: string[]): string {
	return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/**
 * Whether findings on this cluster are raised: the setting (every production cluster) or the Fleet
 * file's `enforce`, which lists environments by name, `production` also standing for every
 * environment that counts as production (an inferred `prod`, a declared `live`).
 */
function enforced(t: TargetCluster, settings: FleetscopeSettings, fleet: FleetModel): boolean {
	if (t.production && settings['compliance.productionEscalation'] === true) return true;
	const enforce = fleet.fleetFile?.enforce ?? [];
	return (t.environment !== undefined && enforce.includes(t.environment)) || (t.production && enforce.includes('production'));
}

/** How a rule's findings on a resource are escalated (see the file comment). */
const NOWHERE: Escalation = Object.freeze({ production: false });

export function escalationOf(ruleId: string, input: EscalationInput): Escalation {
	// A file no cluster receives (most of a policy library, every file of a repository without a fleet).
	if (input.targets.length === 0 && input.declared.length === 0) return NOWHERE;
	const production = input.targets.some((t) => t.production) || input.declared.some((t) => t.production);
	if (input.settings.severity[ruleId] !== undefined) return { production };
	const raisedBy = (list: readonly TargetCluster[]) => [...new Set(list.filter((t) => enforced(t, input.settings, input.fleet)).map((t) => t.name))];
	const reached = raisedBy(input.targets);
	const declared = raisedBy(input.declared).filter((n) => !reached.includes(n));
	const kind = (list: string[]) => {
		const all = list.map((n) => [...input.targets, ...input.declared].find((t) => t.name === n)!);
		return all.every((t) => t.production) ? 'production cluster' : 'enforced cluster';
	};
	const parts = [
		...(reached.length > 0 ? [`it reaches the ${kind(reached)}${reached.length > 1 ? 's' : ''} ${names(reached)}`] : []),
		...(declared.length > 0 ? [`it declares the ${kind(declared)}${declared.length > 1 ? 's' : ''} ${names(declared)}`] : []),
	];
	return { reason: parts.length > 0 ? parts.join(' and ') : undefined, production };
}

/** A problem's severity and message after escalation: raised (saying why), or kept (saying `(production)` where it applies). */
export function escalate(severity: Severity, message: string, escalation: Escalation): { severity: Severity; message: string } {
	if (escalation.reason) {
		const raised = RAISED[severity];
		if (raised !== severity) return { severity: raised, message: `${message} Raised from ${severity} to ${raised} because ${escalation.reason}.` };
		return { severity, message };
	}
	if (escalation.production && severity !== 'hint' && !/\(production\)$/.test(message)) return { severity, message: `${message} (production)` };
	return { severity, message };
}
