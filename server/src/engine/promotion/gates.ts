import semver from 'semver';
import type { PromotionArtifact, PromotionFinding, PromotionGate, PromotionGateName } from '../../../../shared/protocol';
import { durationMs, formatDuration } from '../rules/compliance/dora/facts';
import type { FleetEnvironment } from '../fleet/types';
import { listWords } from './tree';

/**
 * The gates of a promotion, each with a result and a sentence that says what was checked and,
 * when it fails, what to do. A failed gate stops the promotion unless it is overridden with a
 * reason, which the pull request records (change management auditors can read: DORA Art. 9(4)(e)).
 */

export const GATE_NAMES: readonly PromotionGateName[] = ['order', 'soak', 'approvals', 'compliance', 'live'];

/** When the source environment started running what is promoted: the commit that set it, from git history. */
export interface SoakFact {
	/** ISO time of that commit (the latest, when several lines or files set the versions); absent: unknown. */
	at?: string;
	/** Its abbreviated hash. */
	commit?: string;
	/** Why the time is unknown (`not committed`, `not a git repository`). */
	note?: string;
}

/** What a connected cluster of the source environment reports (Flux Kustomization / HelmRelease, Argo CD Application status). */
export interface LiveObservation {
	cluster: string;
	synced: boolean;
	healthy: boolean;
	/** Versions (tags, chart versions, revisions) the cluster reports running, if known. */
	versions?: string[];
	/** What the controller said, for the gate's sentence. */
	detail?: string;
}

/** The outcome of judging the changed tree for the target environment's clusters. */
export interface ComplianceFact {
	newFindings: PromotionFinding[];
	/** Set when the check could not run; the gate fails. */
	error?: string;
}

export interface GateOverride {
	gate: PromotionGateName;
	reason: string;
}

export interface GateInput {
	app: string;
	from: string;
	to: string;
	environments: FleetEnvironment[];
	artifacts: PromotionArtifact[];
	/** The source environment's clusters (the live gate asks them). */
	sourceClusters: string[];
	/** The target environment's clusters the change reaches. */
	targetClusters: string[];
	reviewers: string[];
	now: Date;
	soak?: SoakFact;
	compliance?: ComplianceFact;
	live?: LiveObservation[];
	overrides: readonly GateOverride[];
}

const pass = (name: PromotionGateName, detail: string): PromotionGate => ({ name, passed: true, status: 'passed', detail });
const fail = (name: PromotionGateName, detail: string): PromotionGate => ({ name, passed: false, status: 'failed', detail });

export function evaluateGates(input: GateInput): PromotionGate[] {
	const gates = [orderGate(input), soakGate(input), approvalsGate(input), complianceGate(input), liveGate(input)];
	return gates.map((g) => {
		const o = input.overrides.find((x) => x.gate === g.name);
		if (!o || g.status !== 'failed') return g;
		return { ...g, status: 'overridden', override: { reason: o.reason }, detail: `${g.detail} Overridden: ${o.reason}` };
	});
}

function environment(input: GateInput, name: string): FleetEnvironment | undefined {
	return input.environments.find((e) => e.name === name);
}

function orderGate(input: GateInput): PromotionGate {
	const target = environment(input, input.to);
	const declared = target?.promotesFrom ?? [];
	if (!declared.includes(input.from)) {
		const why = declared.length === 0 ? `${input.to} is promoted from no environment (it comes first in the promotion order)` : `${input.to} is promoted from ${listWords(declared)} (Fleet promotion.from)`;
		return fail('order', `${why}, not from ${input.from}: promote from ${declared[0] ?? 'the environment before it'}, or override with a reason.`);
	}
	const downgrades = input.artifacts.filter((a) => isOlder(a.to, a.from));
	if (downgrades.length > 0) {
		return fail('order', `This would move ${input.to} back: ${downgrades.map((a) => `${a.artifact} ${a.from} → ${a.to}`).join(', ')} (${input.to} runs a newer version than ${input.from}). Promote forward, or override with a reason to roll back.`);
	}
	return pass('order', `${input.to} is promoted from ${input.from} (Fleet promotion.from).`);
}

/** Whether `a` is an older semantic version than `b` (never for what semver cannot read: branch names, digests). */
function isOlder(a: string, b: string): boolean {
	const clean = (v: string) => semver.valid(v.replace(/^v(?=\d)/, ''));
	const x = clean(a);
	const y = clean(b);
	return !!x && !!y && semver.lt(x, y);
}

function soakGate(input: GateInput): PromotionGate {
	const target = environment(input, input.to);
	const written = target?.promotion?.minSoak;
	if (written === undefined) return pass('soak', `${input.to} requires no minimum soak (Fleet promotion.minSoak).`);
	const min = durationMs(written);
	if (min === undefined) return fail('soak', `${input.to}'s promotion.minSoak "${written}" is not a duration (30m, 4h, 2d): fix the Fleet file.`);
	const at = input.soak?.at === undefined ? NaN : Date.parse(input.soak.at);
	if (!Number.isFinite(at)) {
		return fail('soak', `How long ${input.from} has run this cannot be told (${input.soak?.note ?? 'no git history'}); ${input.to} requires ${written}. Commit and push the change to ${input.from}, let it run, then promote.`);
	}
	const ran = input.now.getTime() - at;
	const since = `since ${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')}${input.soak?.commit ? `, commit ${input.soak.commit}` : ''}`;
	if (ran >= min) return pass('soak', `${input.from} has run it for ${formatDuration(ran)} (${since}); ${input.to} requires ${written}.`);
	const left = formatDuration(min - Math.max(0, ran));
	return fail('soak', `${input.from} has run it for ${formatDuration(Math.max(0, ran))} only (${since}); ${input.to} requires ${written}: promote in ${left}, or override with a reason.`);
}

function approvalsGate(input: GateInput): PromotionGate {
	const required = environment(input, input.to)?.promotion?.approvals ?? 0;
	const named = input.reviewers.length > 0 ? ` Reviewers asked: ${input.reviewers.join(', ')}.` : '';
	if (required === 0) return pass('approvals', `${input.to} requires no approval (Fleet promotion.approvals).${named}`);
	if (input.reviewers.length === 0) {
		return fail('approvals', `${input.to} requires ${required} approval${required === 1 ? '' : 's'} but the Fleet file names no reviewer: add promotion.reviewers to the environment (or to the app), or override with a reason.`);
	}
	const teams = input.reviewers.filter((r) => r.includes('/'));
	if (teams.length === 0 && input.reviewers.length < required) {
		return fail('approvals', `${input.to} requires ${required} approvals but only ${input.reviewers.length} reviewer${input.reviewers.length === 1 ? ' is' : 's are'} named (${input.reviewers.join(', ')}): add reviewers, or override with a reason.`);
	}
	return pass('approvals', `${input.to} requires ${required} approval${required === 1 ? '' : 's'}; the pull request asks ${input.reviewers.join(', ')} and states the count (branch protection enforces it).`);
}

function complianceGate(input: GateInput): PromotionGate {
	const c = input.compliance;
	const clusters = input.targetClusters.length > 0 ? ` (${input.targetClusters.join(', ')})` : '';
	if (!c) return fail('compliance', `The changed tree was not checked for ${input.to}'s clusters${clusters}.`);
	if (c.error) return fail('compliance', `The changed tree could not be checked for ${input.to}'s clusters: ${c.error}`);
	const n = c.newFindings.length;
	if (n === 0) return pass('compliance', `No new error-level finding for ${input.to}'s clusters${clusters}.`);
	const first = c.newFindings.slice(0, 3).map((f) => `${f.file}:${f.line} ${f.ruleId}`).join('; ');
	return fail('compliance', `${n} new error-level finding${n === 1 ? '' : 's'} for ${input.to}'s clusters${clusters}: ${first}${n > 3 ? '; …' : ''}. Fix them in ${input.from} first, or override with a reason.`);
}

function liveGate(input: GateInput): PromotionGate {
	const seen = input.live ?? [];
	if (seen.length === 0) return { name: 'live', passed: true, status: 'not-checked', detail: `Not checked: no live state of ${input.from}'s clusters (optional: checked in the editor when Fleetscope is connected to them).` };
	const versions = [...new Set(input.artifacts.map((a) => a.to))];
	const problems: string[] = [];
	for (const cluster of input.sourceClusters) {
		const o = seen.find((x) => x.cluster === cluster);
		if (!o) problems.push(`${cluster}: no live state`);
		else if (!o.synced || !o.healthy) problems.push(`${cluster}: ${[o.synced ? '' : 'not synced', o.healthy ? '' : 'not healthy'].filter(Boolean).join(', ')}${o.detail ? ` (${o.detail})` : ''}`);
		else if (o.versions && versions.some((v) => !o.versions!.includes(v))) problems.push(`${cluster}: does not report ${versions.filter((v) => !o.versions!.includes(v)).join(', ')}`);
	}
	if (problems.length > 0) return fail('live', `${input.from}'s clusters do not all report this revision synced and healthy: ${problems.join('; ')}. Wait for them, or override with a reason.`);
	return pass('live', `${input.from}'s clusters (${input.sourceClusters.join(', ')}) report it synced and healthy.`);
}
