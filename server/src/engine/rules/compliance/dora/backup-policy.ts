import { isPlainObject } from '../../../core/resource';
import type { IndexedObject } from '../../../core/objects';
import type { ComplianceContext, ComplianceProblem, ComplianceRule } from '../rule';
import { scopesOf, type Scope } from '../cross';
import { appOfObject, durationMs, factOf, formatDuration, metadataFacts } from './facts';
import { holdsData } from './backup-coverage';
import { isVeleroSchedule, schedulePaused, scheduleCovers, scheduleInterval } from './velero';
import { resourceHeader } from '../../../core/resource';

/** The RPO that applies to a namespace: its Namespace's labels, else the app it belongs to. */
function rpoOf(scope: Scope, ns: string, ctx: ComplianceContext): { rpo: number; text: string; app?: string } | undefined {
	const nsObj = scope.objects('Namespace').find((n) => n.name === ns);
	const meta = nsObj?.value.metadata;
	const app = nsObj ? appOfObject(meta, ctx.fleet, []) : ctx.fleet.apps.find((a) => a.name === ns);
	const text = factOf(metadataFacts(meta), 'rpo') ?? factOf(app?.facts, 'rpo');
	const rpo = durationMs(text);
	return rpo === undefined ? undefined : { rpo, text: text!, app: app?.name };
}

/** Namespaces of the scope that hold persistent data (PVCs, StatefulSets with volume claims), with namespace written. */
function dataNamespaces(scope: Scope): Set<string> {
	const out = new Set<string>();
	for (const o of [...scope.objects('PersistentVolumeClaim'), ...scope.objects('StatefulSet')]) {
		const h = resourceHeader(o.value);
		if (h && o.namespace && holdsData({ kind: o.kind, group: h.group, value: o.value })) out.add(o.namespace);
	}
	return out;
}

function self(ctx: ComplianceContext, name: string | undefined, scope: Scope): IndexedObject | undefined {
	return scope.objects('Schedule').find((s) => isVeleroSchedule(s) && s.file === ctx.path && s.name === name);
}

/**
 * DORA Art 12(1)(a): a production Velero Schedule that is paused, whose backups expire (ttl) before
 * the next one runs, or that is the most frequent schedule of a namespace holding data and still
 * runs less often than the RPO of that namespace's app.
 */
export const backupPolicy: ComplianceRule = {
	id: 'dora-backup-policy',
	title: 'Backup schedule misses its purpose',
	severity: 'warning',
	kinds: ['Schedule'],
	rationale:
		'DORA Art 12(1)(a) asks for backup policies whose minimum frequency follows the criticality of the data. A paused schedule takes no backups, a ttl shorter than the interval leaves times with no backup at all, and a schedule slower than the recovery point objective loses more data than the business accepted.',
	remediation: 'Unpause the schedule, keep backups (template.ttl) longer than the interval between runs, and run the schedule at least as often as the RPO of the apps it protects.',
	controls: ['DORA-Art12(1)(a)'],
	appliesTo: (r) => r.group === 'velero.io',
	check(resource, ctx): ComplianceProblem[] {
		if (!ctx.production) return [];
		const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
		const name = `Velero Schedule "${resource.name ?? '?'}"`;
		if (spec.paused === true) {
			return [{ path: ['spec', 'paused'], target: 'value', message: `${name} is paused in production, so it takes no backups: DORA Art 12(1)(a) asks for backups at a minimum frequency set by the data's criticality. Remove paused: true (or delete the schedule if another one replaces it). (DORA Art 12(1)(a))` }];
		}
		const interval = scheduleInterval(spec.schedule, ctx.objects);
		if (interval === undefined) return [];
		const out: ComplianceProblem[] = [];
		const template = isPlainObject(spec.template) ? spec.template : {};
		const ttl = durationMs(template.ttl);
		if (ttl !== undefined && ttl < interval) {
			out.push({ path: ['spec', 'template', 'ttl'], target: 'value', message: `${name} keeps its backups for ${formatDuration(ttl)} (template.ttl) but runs only every ${formatDuration(interval)}: between expiry and the next run there is no backup at all. DORA Art 12(1)(a) asks for backups at a minimum frequency. Keep backups longer than the interval between runs. (DORA Art 12(1)(a))` });
		}
		const reported = new Set<string>();
		for (const scope of scopesOf(ctx)) {
			const me = self(ctx, resource.name, scope);
			if (!me) continue;
			const schedules = scope.objects('Schedule').filter((s) => isVeleroSchedule(s) && !schedulePaused(s));
			for (const ns of dataNamespaces(scope)) {
				if (reported.has(ns) || !scheduleCovers(me, ns)) continue;
				const covering = schedules.filter((s) => scheduleCovers(s, ns) && scheduleInterval((s.value.spec as Record<string, unknown>).schedule, ctx.objects) !== undefined);
				// Only the most frequent covering schedule says how much data can be lost (ties: the first).
				const fastest = covering.reduce<IndexedObject | undefined>((best, s) => (!best || scheduleInterval((s.value.spec as Record<string, unknown>).schedule, ctx.objects)! < scheduleInterval((best.value.spec as Record<string, unknown>).schedule, ctx.objects)! ? s : best), undefined);
				if (fastest !== me) continue;
				const rpo = rpoOf(scope, ns, ctx);
				if (!rpo || interval <= rpo.rpo) continue;
				reported.add(ns);
				out.push({
					path: ['spec', 'schedule'],
					target: 'value',
					message: `${name} is the most frequent backup of namespace "${ns}", which holds persistent data, but runs only every ${formatDuration(interval)} while ${rpo.app ? `app "${rpo.app}"` : `namespace "${ns}"`} accepts at most ${rpo.text} of data loss (rpo): DORA Art 12(1)(a) asks for a backup frequency that follows the data's criticality. Run it at least every ${rpo.text}, or add a more frequent schedule for "${ns}". (DORA Art 12(1)(a))`,
				});
			}
		}
		return out;
	},
};

