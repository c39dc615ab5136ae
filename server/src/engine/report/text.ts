import { scorePercent, type ComplianceReport, type Counts, type ReportCluster, type ReportExemption, type ReportFinding, type ReportSection } from './model';

/** Wording shared by the Markdown and HTML reports, so both say the same things the same way. */

/** `2026-11-22 09:30 UTC` from an ISO timestamp. */
export function formatTimestamp(iso: string): string {
	const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
	return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** `87 %`, or `n/a` when nothing was evaluated. */
export function percentLabel(c: Pick<Counts, 'evaluated' | 'passed' | 'exempted'>): string {
	const p = scorePercent(c);
	return p === null ? 'n/a' : `${p} %`;
}

/** The last path segment of the root, for titles. */
export function rootName(root: string): string {
	const parts = root.split(/[\\/]+/).filter(Boolean);
	return parts[parts.length - 1] ?? root;
}

export function sectionTitle(s: ReportSection): string {
	if (s.kind === 'repository') return 'Repository';
	if (s.kind === 'not-deployed') return 'Not deployed to a known cluster';
	if (s.id === 'env:') return 'Clusters without an environment';
	return `Environment ${s.name}`;
}

/** One sentence under a section's heading: what it counts. */
export function sectionNote(s: ReportSection, report: ComplianceReport): string {
	if (s.kind === 'repository') {
		return report.fleet.clusters === 0
			? 'No fleet model is known for this repository (no clusters), so every resource is counted once, for the repository as a whole.'
			: 'Every resource of the repository, counted once.';
	}
	if (s.kind === 'not-deployed') return 'Resources in files that reach no cluster of the fleet model (bases used by nothing, leftovers, files outside every synced path).';
	const clusters = s.clusters.length;
	const order = s.order !== undefined ? `Promotion order ${s.order + 1}${s.production ? ', production' : ''}. ` : '';
	const undeclared = s.declared ? '' : 'Only a cluster names this environment; the Fleet file does not declare it. ';
	if (clusters === 0) return `${order}${undeclared}No cluster runs this environment, so nothing is counted.`;
	return `${order}${undeclared}Resources that reach any of its ${clusters === 1 ? 'cluster' : `${clusters} clusters`}, each counted once.`;
}

/**
 * Which Kubernetes version the report judged at: `Kubernetes 1.35 (prod-eu-west-1, prod-us-east-1),
 * 1.34 (staging-eu-west-1) from their ClusterClaims; 1.30 (the setting) for the other clusters and
 * the files no cluster receives`.
 */
export function versionsLabel(report: ComplianceReport): string {
	const setting = report.settings.kubernetesVersion;
	const claimed = report.settings.clusterVersions.filter((c) => c.source === 'claim');
	if (claimed.length === 0) return `Kubernetes ${setting} (the setting)`;
	const byVersion = new Map<string, string[]>();
	for (const c of claimed) byVersion.set(c.version, [...(byVersion.get(c.version) ?? []), c.cluster]);
	const minor = (v: string) => Number(v.split('.')[1]);
	const parts = [...byVersion].sort((a, b) => minor(b[0]) - minor(a[0])).map(([v, cs]) => `${v} (${cs.join(', ')})`);
	const others = report.settings.clusterVersions.length > claimed.length ? 'the other clusters and the files no cluster receives' : 'the files no cluster receives';
	return `Kubernetes ${parts.join(', ')} from their ClusterClaims; ${setting} (the setting) for ${others}`;
}

/** `eu-west-1 · aws · Kubernetes 1.30`. */
export function clusterFacts(c: ReportCluster): string {
	return [c.region, c.provider, c.kubernetesVersion ? `Kubernetes ${c.kubernetesVersion}` : undefined].filter(Boolean).join(' · ');
}

/** `Deployment "web" in namespace "shop"`. */
export function resourceLabel(f: ReportFinding): string {
	const r = f.resource;
	if (!r) return '';
	return `${r.kind}${r.name !== undefined ? ` "${r.name}"` : ''}${r.namespace !== undefined ? ` in namespace "${r.namespace}"` : ''}`;
}

/** Where a finding is deployed: `dev, staging` or `not deployed`. */
export function reachLabel(f: ReportFinding, report: ComplianceReport): string {
	if (report.fleet.clusters === 0) return '';
	return f.environments.length > 0 ? f.environments.join(', ') : f.clusters.length > 0 ? f.clusters.join(', ') : 'not deployed';
}

/** `apps/web.yaml:12` or `fleet.yaml (Fleet exemption 2)`. */
export function exemptionWhere(e: ReportExemption): string {
	if (e.source === 'inline') return `${e.file}:${e.line}`;
	return `${e.file} (Fleet exemption ${e.id.slice(e.id.lastIndexOf('#') + 1)})`;
}

/** `namespace=shop, kind=Deployment` for a Fleet exemption's match. */
export function matchLabel(e: ReportExemption): string {
	if (e.source === 'inline') return e.line !== undefined ? 'this line' : '';
	const m = e.match ?? {};
	const parts = (['namespace', 'kind', 'name', 'path'] as const).filter((k) => m[k] !== undefined).map((k) => `${k} ${m[k]}`);
	return parts.length > 0 ? parts.join(', ') : 'every object';
}

export function exemptionStatus(e: ReportExemption): string {
	if (e.status === 'expired') return `EXPIRED on ${e.expires}: covers nothing`;
	if (e.status === 'unused') return 'active, covers no finding';
	return 'active';
}

/** What a finding's status cell says. */
export function findingStatus(f: ReportFinding, report: ComplianceReport): string {
	const byId = (id: string | undefined) => report.exemptions.find((e) => e.id === id);
	if (f.status === 'exempted') {
		const e = byId(f.exemption);
		return e ? `exempted (${e.source === 'inline' ? `inline, ${e.file}:${e.line}` : `${e.file}`}${e.expires ? `, until ${e.expires}` : ''})` : 'exempted';
	}
	const x = byId(f.expiredExemption);
	return x ? `fail: exemption expired on ${x.expires} (${x.file})` : 'fail';
}

/** `12/14 pass · 2 fail · 1 exempted` for a matrix cell. */
export function cellLabel(c: Counts): string {
	if (c.evaluated === 0) return '—';
	const parts = [`${c.passed + c.exempted}/${c.evaluated}`];
	if (c.failed > 0) parts.push(`${c.failed} fail`);
	if (c.exempted > 0) parts.push(`${c.exempted} exempted`);
	return parts.join(' · ');
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** One line (CLI stderr, editor notification): the score per section, findings and exemptions. */
export function reportSummary(report: ComplianceReport): string {
	const scores = report.sections.map((s) => `${sectionTitle(s)} ${percentLabel(s.summary)}`).join(', ');
	const failing = report.findings.filter((f) => f.status === 'fail').length;
	const exempted = report.findings.length - failing;
	const expired = report.exemptions.filter((e) => e.status === 'expired').length;
	return `Compliance score: ${scores} · ${failing} failing, ${exempted} exempted finding${exempted === 1 ? '' : 's'}${expired > 0 ? ` · ${expired} expired exemption${expired === 1 ? '' : 's'}` : ''} · ${report.coverage.files} files`;
}
