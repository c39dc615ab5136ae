import type { PromotionArtifact, PromotionEdit, PromotionFileChange, PromotionGateName, PromotionPlan, PromotionStyle } from '../../../../shared/protocol';
import type { FleetModel } from '../fleet/types';
import { directoryChanges } from './directory';
import { evaluateGates, GATE_NAMES, type ComplianceFact, type GateOverride, type LiveObservation, type SoakFact } from './gates';
import { promotionBranch } from './marker';
import { commitMessage, promotionBody, promotionTitle, type RepositoryWeb } from './text';
import { listWords, type PromotionTree } from './tree';
import { valueChanges } from './value-edits';

/**
 * The promotion plan, pure: from the fleet model and the files' texts, the edits that move an app
 * from one environment to the next, then, given the facts the host gathers (commit times from git,
 * the compliance delta from the engine, live state), the gates, the branch, the pull request's
 * words. Two steps because those facts depend on the edits: `preparePromotion`, then
 * `finishPromotion`.
 */

export interface PromotionRequest {
	app: string;
	/** Target environment. */
	to: string;
	/** Source environment; default: the target's `promotion.from`. */
	from?: string;
}

/** What the host must find out before the gates can be judged. */
export type SoakSubject = { kind: 'lines'; lines: { file: string; line: number }[] } | { kind: 'directory'; path: string } | { kind: 'none' };

export interface PreparedPromotion {
	app: string;
	from: string;
	to: string;
	style: PromotionStyle;
	artifacts: PromotionArtifact[];
	edits: PromotionEdit[];
	changes: PromotionFileChange[];
	/** Target environment's clusters the changed files reach. */
	clusters: string[];
	sourceClusters: string[];
	/** The files the commit writes, and every file the plan read to compute them (the base branch must have them unchanged). */
	readFiles: string[];
	soak: SoakSubject;
	notes: string[];
	reviewers: string[];
	requiredApprovals: number;
	sourceDirectory?: string;
	targetDirectory?: string;
}

export type PrepareResult = { ok: true; prepared: PreparedPromotion } | { ok: false; error: string };

export function preparePromotion(fleet: FleetModel, tree: PromotionTree, request: PromotionRequest): PrepareResult {
	const app = fleet.apps.find((a) => a.name === request.app);
	if (!app) return { ok: false, error: `no app "${request.app}" in the fleet; the apps are ${listWords(fleet.apps.map((a) => a.name)) || 'none'} (fleetscope fleet lists them)` };
	const envNames = fleet.environments.map((e) => e.name);
	const target = fleet.environments.find((e) => e.name === request.to);
	if (!target) return { ok: false, error: `no environment "${request.to}"; the environments are ${listWords(envNames) || 'none'}` };
	const from = request.from ?? target.promotesFrom[0];
	if (from === undefined) return { ok: false, error: `${target.name} is promoted from no environment (it comes first in the promotion order): name the source with --from` };
	if (!envNames.includes(from)) return { ok: false, error: `no environment "${from}"; the environments are ${listWords(envNames)}` };
	if (from === target.name) return { ok: false, error: `${from} cannot be promoted to itself` };
	const style: PromotionStyle = app.promotion?.style ?? 'value';
	let artifacts: PromotionArtifact[];
	let edits: PromotionEdit[];
	let changes: PromotionFileChange[];
	let notes: string[];
	let soak: SoakSubject;
	let readFiles: string[];
	let dirs: { sourceDirectory?: string; targetDirectory?: string } = {};
	if (style === 'directory') {
		const r = directoryChanges(fleet, tree, app, from, target.name);
		if (!r.ok) return r;
		({ artifacts, edits, changes, notes } = r.value);
		dirs = { sourceDirectory: r.value.source, targetDirectory: r.value.target };
		soak = { kind: 'directory', path: r.value.source };
		readFiles = [...changes.map((c) => c.file), ...tree.files().filter((f) => f.startsWith(`${r.value.source}/`))];
	} else {
		if (!app.versions.some((v) => v.environment === from)) return { ok: false, error: `${app.name} runs no version Fleetscope can read in ${from} (fleetscope fleet shows what each environment runs)` };
		if (!app.versions.some((v) => v.environment === target.name)) return { ok: false, error: `${app.name} runs no version Fleetscope can read in ${target.name}, so there is no line to promote into (fleetscope fleet shows what each environment runs)` };
		const r = valueChanges(fleet, tree, app, from, target.name);
		if (!r.ok) return r;
		({ artifacts, edits, changes, notes } = r.value);
		soak = r.value.sourceLines.length > 0 ? { kind: 'lines', lines: r.value.sourceLines } : { kind: 'none' };
		readFiles = [...changes.map((c) => c.file), ...r.value.sourceLines.map((l) => l.file)];
	}
	const inTarget = new Set(fleet.clusters.filter((c) => c.environment === target.name).map((c) => c.name));
	const clusters = [...new Set([...changes.flatMap((c) => fleet.files[c.file] ?? []), ...artifacts.flatMap((a) => a.clusters)])].filter((c) => inTarget.has(c)).sort();
	const envReviewers = target.promotion?.reviewers ?? [];
	const reviewers = [...new Set([...envReviewers, ...(app.promotion?.reviewers ?? [])])];
	return {
		ok: true,
		prepared: {
			app: app.name,
			from,
			to: target.name,
			style,
			artifacts,
			edits,
			changes,
			clusters: clusters.length > 0 ? clusters : [...inTarget].sort(),
			sourceClusters: fleet.clusters.filter((c) => c.environment === from).map((c) => c.name).sort(),
			readFiles: [...new Set(readFiles)].sort(),
			soak,
			notes,
			reviewers,
			requiredApprovals: target.promotion?.approvals ?? 0,
			...dirs,
		},
	};
}

/** The facts the host gathered, and the overrides the user gave. */
export interface PromotionFacts {
	now: Date;
	soak?: SoakFact;
	compliance?: ComplianceFact;
	live?: LiveObservation[];
	overrides?: readonly GateOverride[];
	web?: RepositoryWeb;
}

export function finishPromotion(fleet: FleetModel, tree: PromotionTree, p: PreparedPromotion, facts: PromotionFacts): PromotionPlan {
	const gates = evaluateGates({
		app: p.app,
		from: p.from,
		to: p.to,
		environments: fleet.environments,
		artifacts: p.artifacts,
		sourceClusters: p.sourceClusters,
		targetClusters: p.clusters,
		reviewers: p.reviewers,
		now: facts.now,
		soak: facts.soak,
		compliance: facts.compliance,
		live: facts.live,
		overrides: facts.overrides ?? [],
	});
	const branch = promotionBranch(p.app, p.to);
	const newFindings = facts.compliance?.newFindings ?? [];
	const changedFiles = p.changes.map((c) => c.file);
	const words = { ...p, branch, changedFiles, gates, newFindings, web: facts.web };
	return {
		app: p.app,
		from: p.from,
		to: p.to,
		style: p.style,
		artifacts: p.artifacts,
		edits: p.edits,
		changes: p.changes,
		clusters: p.clusters,
		gates,
		blocked: gates.some((g) => g.status === 'failed'),
		upToDate: p.changes.length === 0,
		compliance: { newFindings },
		branch,
		title: promotionTitle(p),
		body: promotionBody(words),
		commitMessage: commitMessage(words),
		labels: ['promotion', `env:${p.to}`],
		reviewers: p.reviewers,
		requiredApprovals: p.requiredApprovals,
		notes: p.notes,
		basis: p.readFiles.map((file) => ({ file, text: p.changes.find((c) => c.file === file)?.before ?? tree.read(file) ?? null })),
	};
}

/** Whether a name is a gate's (for `--override-gate`). */
export function isGateName(name: string): name is PromotionGateName {
	return (GATE_NAMES as readonly string[]).includes(name);
}
