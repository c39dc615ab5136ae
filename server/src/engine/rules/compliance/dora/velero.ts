import { Cron } from 'croner';
import { isPlainObject } from '../../../core/resource';
import type { IndexedObject, ObjectIndex } from '../../../core/objects';
import { durationMs } from './facts';

/** Whether an object is a Velero Schedule. */
export function isVeleroSchedule(o: Pick<IndexedObject, 'apiVersion' | 'kind'>): boolean {
	return o.kind === 'Schedule' && o.apiVersion.startsWith('velero.io/');
}

function template(o: IndexedObject): Record<string, unknown> {
	const spec = isPlainObject(o.value.spec) ? o.value.spec : {};
	return isPlainObject(spec.template) ? spec.template : {};
}

function strings(v: unknown): string[] {
	return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * Whether a Velero Schedule backs up namespace `ns`: `includedNamespaces` empty, absent or `*` means
 * every namespace, minus `excludedNamespaces`. A list with `${…}` variables (Flux substitutions)
 * counts as covering: it cannot be read before the variables are known.
 */
export function scheduleCovers(o: IndexedObject, ns: string): boolean {
	const t = template(o);
	const inc = strings(t.includedNamespaces);
	const exc = strings(t.excludedNamespaces);
	if (exc.includes(ns)) return false;
	return inc.length === 0 || inc.includes('*') || inc.includes(ns) || inc.some((n) => n.includes('${'));
}

export function schedulePaused(o: IndexedObject): boolean {
	return isPlainObject(o.value.spec) && o.value.spec.paused === true;
}

/**
 * The longest gap between two runs of a schedule expression (standard cron, `@hourly`-style
 * descriptors, or Velero's `@every <duration>`), in milliseconds; undefined if unreadable.
 * Computed over the runs of a fixed year, so it is deterministic; the object set the rule reads
 * keeps each expression's interval (800 runs are computed per expression).
 */
export function scheduleInterval(expr: unknown, objects?: ObjectIndex): number | undefined {
	if (typeof expr !== 'string' || expr.trim() === '') return undefined;
	const e = expr.trim();
	const memo = objects?.derived('schedule-intervals', () => new Map<string, number | undefined>());
	if (memo?.has(e)) return memo.get(e);
	let out: number | undefined;
	const every = /^@every\s+(\S+)$/.exec(e);
	if (every) out = durationMs(every[1]);
	else {
		try {
			const cron = new Cron(e, { paused: true, timezone: 'Etc/UTC' });
			const runs = cron.nextRuns(800, new Date('2026-01-01T00:00:00Z'));
			let max = 0;
			for (let i = 1; i < runs.length; i++) max = Math.max(max, runs[i].getTime() - runs[i - 1].getTime());
			out = runs.length > 1 ? max : undefined;
		} catch {
			out = undefined;
		}
	}
	memo?.set(e, out);
	return out;
}

export function scheduleTtl(o: IndexedObject): number | undefined {
	return durationMs(template(o).ttl);
}

/** Backup tools whose policies are not evaluated: where one is deployed, coverage is not judged. */
export function otherBackupTool(o: IndexedObject): boolean {
	return o.apiVersion.startsWith('config.kio.kasten.io/');
}
