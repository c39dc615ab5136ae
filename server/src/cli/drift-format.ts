import type { Log, Result } from 'sarif';
import type { DriftField, DriftObject, DriftReport, DriftSource } from '../../../shared/protocol';
import { ago } from '../../../shared/time';
import { INFORMATION_URI, SARIF_SCHEMA } from './format/sarif';

/**
 * The outputs of `fleetscope drift`: JSON (the report's own shape, pinned by tests), text for a
 * terminal, and SARIF (one result per drifted field, missing, extraneous and unmanaged object).
 * In-sync objects only with `--all`.
 */

export function visible(report: DriftReport, all: boolean): DriftReport {
	return { clusters: report.clusters.map((c) => ({ ...c, objects: all ? c.objects : c.objects.filter((o) => o.state !== 'in-sync') })) };
}

export function driftJson(report: DriftReport, all: boolean): string {
	return `${JSON.stringify(visible(report, all), null, 2)}\n`;
}

const value = (v: unknown) => (v === null || v === undefined ? 'absent' : typeof v === 'string' ? v : JSON.stringify(v));
const where = (s: DriftSource | null) => (s ? `${s.file}:${s.line}` : '');
const label = (o: DriftObject) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/** `spec.replicas is 5 in prod-eu-west-1, set by kubectl-edit 2 h ago; Git says 3`. */
export function fieldSentence(f: DriftField, cluster: string, now: Date): string {
	const when = f.time ? ago(f.time, now) : '';
	const by = f.manager ? `, set by ${f.manager}${when ? ` ${when}` : ''}` : '';
	return `${f.path} is ${value(f.live)} in ${cluster}${by}; Git says ${value(f.desired)}`;
}

export function driftText(report: DriftReport, all: boolean, now: Date): string {
	const out: string[] = [];
	for (const c of report.clusters) {
		const counts = new Map<string, number>();
		for (const o of c.objects) counts.set(o.state, (counts.get(o.state) ?? 0) + 1);
		const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
		out.push(`${c.name}${c.context ? ` (${c.context})` : ''}: ${c.state}${summary ? ` (${summary})` : ''}`);
		for (const o of c.objects) {
			if (o.state === 'in-sync' && !all) continue;
			out.push(`  ${o.state.padEnd(10)} ${label(o)}${o.source ? `  ${where(o.source)}` : ''}`);
			for (const f of o.fields) out.push(`      ${fieldSentence(f, c.name, now)}${f.source ? `  ${where(f.source)}` : ''}`);
			if (o.reason && o.state !== 'in-sync') out.push(`      ${o.reason}`);
		}
	}
	const drifted = report.clusters.filter((c) => c.state === 'drifted').length;
	const unknown = report.clusters.filter((c) => c.state === 'unknown').length;
	const partly = unknown > 0 ? ` ${unknown} cluster(s) could not be read completely: what could not be read is unknown, not in sync.` : '';
	out.push(drifted === 0 ? `No drift found.${partly}` : `Drift in ${drifted} of ${report.clusters.length} cluster(s).${partly}`);
	return `${out.join('\n')}\n`;
}

const RULES = [
	{ id: 'drift-drifted', text: 'A field of a live object differs from what Git declares' },
	{ id: 'drift-missing', text: 'An object Git declares is not in the cluster' },
	{ id: 'drift-extraneous', text: 'An object this repository deployed is no longer in Git' },
	{ id: 'drift-unmanaged', text: 'An object in a namespace this repository deploys to that nothing manages' },
];

function location(s: DriftSource | null): Result['locations'] {
	return s ? [{ physicalLocation: { artifactLocation: { uri: s.file, uriBaseId: '%SRCROOT%' }, region: { startLine: s.line } } }] : [];
}

export function driftSarif(report: DriftReport, version: string, now: Date): string {
	const results: Result[] = [];
	const push = (ruleId: string, text: string, s: DriftSource | null, cluster: string, o: DriftObject) =>
		results.push({ ruleId, ruleIndex: RULES.findIndex((r) => r.id === ruleId), level: 'warning', message: { text }, locations: location(s), properties: { cluster, kind: o.kind, namespace: o.namespace, name: o.name } });
	for (const c of report.clusters) {
		for (const o of c.objects) {
			if (o.state === 'drifted') for (const f of o.fields) push('drift-drifted', `${label(o)}: ${fieldSentence(f, c.name, now)}.`, f.source ?? o.source, c.name, o);
			else if (o.state === 'missing' || o.state === 'extraneous' || o.state === 'unmanaged') push(`drift-${o.state}`, `${label(o)} is ${o.state} in ${c.name}: ${o.reason ?? ''}`.trim(), o.source, c.name, o);
		}
	}
	const log: Log = {
		$schema: SARIF_SCHEMA,
		version: '2.1.0',
		runs: [{ tool: { driver: { name: 'fleetscope', version, informationUri: INFORMATION_URI, rules: RULES.map((r) => ({ id: r.id, shortDescription: { text: r.text } })) } }, results }],
	};
	return `${JSON.stringify(log, null, 2)}\n`;
}
