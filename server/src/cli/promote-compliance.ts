import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PromotionFinding } from '../../../shared/protocol';
import type { FleetModel } from '../engine/fleet/types';
import type { ComplianceFact, PreparedPromotion } from '../engine/promotion';
import { nodeFileSystem } from '../host/node-fs';
import { runCheck, type CheckReport } from './check';

/**
 * The compliance gate's engine run, the one place the promotion calls the checker: the CLI's own
 * `runCheck` (the engine, rendering and settings file `fleetscope check` uses), on the repository
 * as it is and on a copy with the promotion's changes applied. New error-level findings in the
 * changed files, or in files that reach the target environment's clusters, are the delta. (The
 * lead moves the check loop to `server/src/workspace/`; this call moves with it.)
 */
export async function promotionCompliance(root: string, fleet: FleetModel, prepared: PreparedPromotion, now: () => Date): Promise<ComplianceFact> {
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
		const before = await runCheck({ paths: [] }, root, { now });
		const after = await runCheck({ paths: [] }, copy, { now });
		const target = new Set(prepared.clusters);
		const changed = new Set(prepared.changes.map((c) => c.file));
		const relevant = (file: string) => changed.has(file) || (fleet.files[file] ?? []).some((c) => target.has(c));
		return { newFindings: newErrors(before, after, relevant) };
	} finally {
		rmSync(copy, { recursive: true, force: true });
	}
}

/** Error-level findings (not exempted) of `after` that `before` does not have (per file, rule and message: lines may move). */
function newErrors(before: CheckReport, after: CheckReport, relevant: (file: string) => boolean): PromotionFinding[] {
	const key = (file: string, ruleId: string, message: string) => `${file}\u0000${ruleId}\u0000${message}`;
	const seen = new Map<string, number>();
	const counts = (x: { severity: string; data?: { exempted?: string } }) => x.severity === 'error' && x.data?.exempted === undefined;
	for (const f of before.files) for (const x of f.findings) if (counts(x)) seen.set(key(f.path, x.ruleId, x.message), (seen.get(key(f.path, x.ruleId, x.message)) ?? 0) + 1);
	const out: PromotionFinding[] = [];
	for (const f of after.files) {
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
