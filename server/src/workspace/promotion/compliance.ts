import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PromotionFinding } from '../../../../shared/protocol';
import type { FleetscopeSettings } from '../../../../shared/settings';
import type { Finding } from '../../engine/core/types';
import type { FleetModel } from '../../engine/fleet/types';
import type { ComplianceFact, PreparedPromotion } from '../../engine/promotion';
import { isoDay } from '../../engine/fleet/exemptions';
import { nodeEngineDeps } from '../../host/engine-deps';
import { nodeFileSystem } from '../../host/node-fs';
import { openRepository } from '../standalone';

/** The findings of every validated file of a repository, by file, as `fleetscope check` judges them (renders included). */
type Judged = { path: string; findings: Finding[] }[];

async function judge(root: string, user: FleetscopeSettings, now: () => Date): Promise<Judged> {
	const folder = await openRepository(root, { ...nodeEngineDeps(), clock: now });
	// The repository's settings file applies over the caller's settings, as in the editor and in CI.
	const settings = folder.engine(await folder.settingsOver(user)).currentSettings;
	await folder.render({ settings, today: isoDay(now()) });
	const out: Judged = [];
	await folder.validateAll(folder.snapshot.validatedFiles(settings), settings, (f) => void out.push({ path: f.rel, findings: f.analysis?.findings ?? [] }));
	return out;
}

/**
 * The compliance gate's engine run, for the editor and the CLI alike: the repository as it is and a
 * copy with the promotion's changes applied, each opened and judged as the workspace judges a
 * folder (the same engine, renders and settings). New error-level findings in the changed files, or
 * in files that reach the target environment's clusters, are the delta.
 */
export async function promotionCompliance(root: string, fleet: FleetModel, prepared: PreparedPromotion, settings: FleetscopeSettings, now: () => Date): Promise<ComplianceFact> {
	const copy = mkdtempSync(path.join(tmpdir(), 'fleetscope-promote-'));
	try {
		for (const rel of await nodeFileSystem(root).listFiles()) {
			const to = path.join(copy, ...rel.split('/'));
			mkdirSync(path.dirname(to), { recursive: true });
			copyFileSync(path.join(root, ...rel.split('/')), to);
		}
		for (const c of prepared.changes) {
			const to = path.join(copy, ...c.file.split('/'));
			if (c.action === 'delete') rmSync(to, { force: true });
			else {
				mkdirSync(path.dirname(to), { recursive: true });
				writeFileSync(to, c.after ?? '');
			}
		}
		const before = await judge(root, settings, now);
		const after = await judge(copy, settings, now);
		const target = new Set(prepared.clusters);
		const changed = new Set(prepared.changes.map((c) => c.file));
		const relevant = (file: string) => changed.has(file) || (fleet.files[file] ?? []).some((c) => target.has(c));
		return { newFindings: newErrors(before, after, relevant) };
	} finally {
		rmSync(copy, { recursive: true, force: true });
	}
}

/** Error-level findings (not exempted) of `after` that `before` does not have (per file, rule and message: lines may move). */
function newErrors(before: Judged, after: Judged, relevant: (file: string) => boolean): PromotionFinding[] {
	const key = (file: string, ruleId: string, message: string) => `${file}\u0000${ruleId}\u0000${message}`;
	const seen = new Map<string, number>();
	const counts = (x: { severity: string; data?: { exempted?: string } }) => x.severity === 'error' && x.data?.exempted === undefined;
	for (const f of before) for (const x of f.findings) if (counts(x)) seen.set(key(f.path, x.ruleId, x.message), (seen.get(key(f.path, x.ruleId, x.message)) ?? 0) + 1);
	const out: PromotionFinding[] = [];
	for (const f of after) {
		if (!relevant(f.path)) continue;
		for (const x of f.findings) {
			if (!counts(x)) continue;
			const k = key(f.path, x.ruleId, x.message);
			const n = seen.get(k) ?? 0;
			if (n > 0) seen.set(k, n - 1);
			else out.push({ file: f.path, line: x.range.start.line + 1, ruleId: x.ruleId, message: x.message });
		}
	}
	return out;
}
