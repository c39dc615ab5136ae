import type { ClustersResult, DriftCluster, DriftField, DriftObject, DriftResult, DriftState } from '../../../shared/protocol';
import { ago } from '../../../shared/time';
import { driftWords, ICONS, md, plural, type DriftTarget, type ExplorerNode, type NodeIcon } from './nodes';

/**
 * The Drift view: where each connected cluster differs from Git (docs/drift.md). Clusters (state
 * icon, objects per state), then namespaces, then the objects that are not in sync (state icon,
 * how many fields differ, or why); a drifted object's children are its fields with `desired ->
 * live`, the manager that set the live value and how long ago. Built from the server's report
 * (`fleetscope/drift`); nothing here decides what drift is.
 */

/** What an object's state looks like. */
const STATE_ICONS: Record<DriftState, NodeIcon> = {
	drifted: { id: 'diff-modified', color: 'list.warningForeground' },
	missing: { id: 'diff-removed', color: 'errorForeground' },
	extraneous: { id: 'diff-added', color: 'list.warningForeground' },
	unmanaged: { id: 'question', color: 'notificationsInfoIcon.foreground' },
	unknown: ICONS.muted('circle-slash'),
	skipped: ICONS.muted('debug-step-over'),
	'in-sync': ICONS.passed,
};

/** What each state means, for tooltips. */
const STATE_WORDS: Record<DriftState, string> = {
	drifted: 'differs from Git',
	missing: 'in Git, absent from the cluster',
	extraneous: "carries this repository's GitOps ownership but is no longer in Git",
	unmanaged: 'in a namespace the repository deploys to, managed by nothing',
	unknown: 'could not be compared',
	skipped: 'not compared',
	'in-sync': 'as Git says',
};

/** Objects are listed in this order within a namespace. */
const STATE_ORDER: DriftState[] = ['drifted', 'missing', 'extraneous', 'unmanaged', 'unknown', 'skipped', 'in-sync'];

/** Above this many drifted objects in a namespace, their fields start collapsed. */
const EXPAND_FIELDS_UP_TO = 10;
/** Values longer than this are cut in descriptions (tooltips show them whole). */
const SHORT_VALUE = 40;

export function driftTree(result: DriftResult, now: Date): ExplorerNode[] {
	const folders = result.folders.filter((f) => f.report.clusters.length > 0);
	if (folders.length === 1) return clusterNodes(folders[0].folderUri, folders[0].report.clusters, now);
	return folders.map((f) => ({
		id: `drift-folder:${f.folderUri}`,
		label: decodeURIComponent(f.folderUri.replace(/\/+$/, '').split('/').pop() ?? f.folderUri),
		description: plural(f.report.clusters.length, 'cluster'),
		tooltip: `Drift of the ${plural(f.report.clusters.length, 'connected cluster')} of ${md(f.folderUri)}`,
		icon: { id: 'root-folder' },
		contextValue: 'folder',
		expanded: true,
		children: () => clusterNodes(f.folderUri, f.report.clusters, now),
	}));
}

/**
 * Why the view is empty (the welcome content shown for each reason is in package.json, under the
 * context key `fleetscope.driftEmpty`), from the drift report, the clusters' connections and the
 * `fleetscope.drift.enabled` setting; undefined when there is something to show.
 */
export type DriftEmptyReason = 'untrusted' | 'live-off' | 'drift-off' | 'no-fleet' | 'no-context' | 'reading' | 'not-connected';

export function driftEmptyReason(result: DriftResult, clusters: ClustersResult, driftEnabled: boolean): DriftEmptyReason | undefined {
	if (result.folders.some((f) => f.report.clusters.length > 0)) return undefined;
	if (clusters.live === 'untrusted') return 'untrusted';
	if (clusters.live === 'disabled') return 'live-off';
	if (!driftEnabled) return 'drift-off';
	if (clusters.clusters.length === 0) return 'no-fleet';
	if (clusters.clusters.some((c) => c.status === 'connected' || c.status === 'connecting' || c.status === 'forbidden-partial' || c.status === 'cached')) return 'reading';
	if (clusters.clusters.every((c) => c.status === 'no-context')) return 'no-context';
	return 'not-connected';
}

/** The shell command that shows the object as the cluster has it, through the context Fleetscope reads the cluster by. */
export function kubectlCommand(t: Pick<DriftTarget, 'context' | 'object'>): string {
	const { object: o } = t;
	const slash = o.apiVersion.indexOf('/');
	const group = slash >= 0 ? o.apiVersion.slice(0, slash) : '';
	const resource = `${o.kind.toLowerCase()}${group ? `.${group}` : ''}`;
	return ['kubectl', ...(t.context ? ['--context', shellWord(t.context)] : []), ...(o.namespace ? ['-n', shellWord(o.namespace)] : []), 'get', resource, shellWord(o.name), '-o', 'yaml'].join(' ');
}

/** A word as a POSIX shell reads it: as is where it is plain, else in single quotes. */
function shellWord(s: string): string {
	return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A value as one line of text: strings as they are, others as JSON; `(absent)` for none. */
function show(v: unknown, max = Infinity): string {
	const s = v === null || v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v);
	return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * `desired -> live` in a row's few characters: where both are strings with a common path before
 * they differ (`ghcr.io/acme/web:1.2` and `ghcr.io/acme/web:1.3`), that path is left out (`…/web:1.2
 * -> …/web:1.3`); each side is cut to a few dozen characters. Tooltips show both whole.
 */
export function changeText(desired: unknown, live: unknown): string {
	if (typeof desired === 'string' && typeof live === 'string') {
		let common = 0;
		while (common < desired.length && desired[common] === live[common]) common++;
		const cut = desired.lastIndexOf('/', common - 1);
		if (cut >= 8) return `…${show(desired.slice(cut), SHORT_VALUE)} -> …${show(live.slice(cut), SHORT_VALUE)}`;
	}
	return `${show(desired, SHORT_VALUE)} -> ${show(live, SHORT_VALUE)}`;
}

/** A field path's last two segments (`containers[name=web].image`, `labels["app.kubernetes.io/name"]`): the row's label; the whole path is in its tooltip. */
export function shortPath(path: string): string {
	const segments: string[] = [];
	let current = '';
	let depth = 0;
	let quoted = false;
	for (const ch of path) {
		if (ch === '"') quoted = !quoted;
		else if (!quoted && ch === '[') depth++;
		else if (!quoted && ch === ']') depth--;
		if (ch === '.' && depth === 0 && !quoted) {
			segments.push(current);
			current = '';
		} else current += ch;
	}
	segments.push(current);
	return segments.slice(-2).join('.');
}

/** Inline code in a markdown tooltip. */
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

const objectName = (o: Pick<DriftObject, 'kind' | 'namespace' | 'name'>) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

function counts(objects: readonly DriftObject[]): Record<DriftState, number> {
	const out = Object.fromEntries(STATE_ORDER.map((s) => [s, 0])) as Record<DriftState, number>;
	for (const o of objects) out[o.state]++;
	return out;
}

function clusterNodes(folderUri: string, clusters: readonly DriftCluster[], now: Date): ExplorerNode[] {
	return [...clusters].sort((a, b) => a.name.localeCompare(b.name)).map((c) => clusterNode(folderUri, c, now));
}

function clusterNode(folderUri: string, c: DriftCluster, now: Date): ExplorerNode {
	const n = counts(c.objects);
	const shown = c.objects.filter((o) => o.state !== 'in-sync');
	const words = driftWords({ drifted: n.drifted, missing: n.missing, extraneous: n.extraneous, unmanaged: n.unmanaged, unknown: n.unknown });
	const description = shown.length === 0 ? `in sync · ${plural(c.objects.length, 'object')}` : [words, n.skipped ? `${n.skipped} skipped` : '', n['in-sync'] ? `${n['in-sync']} in sync` : ''].filter(Boolean).join(' · ');
	// Objects that could not be compared, by reason (a cluster not read yet has one reason for all).
	const reasons = new Map<string, number>();
	for (const o of c.objects) if (o.state === 'unknown' && o.reason) reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
	const tooltip = [
		`**${md(c.name)}**: ${c.state === 'drifted' ? 'differs from Git' : c.state === 'in-sync' ? 'as Git says' : 'not everything could be compared'}${c.context ? `  \nContext: ${code(c.context)}` : ''}`,
		'',
		'| State | Objects |',
		'|---|---:|',
		...STATE_ORDER.filter((s) => n[s] > 0).map((s) => `| ${s} | ${n[s]} |`),
		...(reasons.size > 0 ? ['', ...[...reasons].map(([r, k]) => `Unknown (${k}): ${md(r)}`)] : []),
	]
		.join('\n')
		.replace(/\n{3,}/g, '\n\n');
	return {
		// With its state: VS Code keeps a row's expansion by id, and a cluster that starts drifting (it is read after it shows as unknown) opens.
		id: `drift-cluster:${folderUri}:${c.name}:${c.state}`,
		label: c.name,
		description,
		tooltip,
		icon: c.state === 'drifted' ? STATE_ICONS.drifted : c.state === 'in-sync' ? ICONS.passed : STATE_ICONS.unknown,
		contextValue: `driftCluster ${c.state}`,
		expanded: c.state === 'drifted',
		...(shown.length > 0 ? { children: () => namespaceNodes(folderUri, c, shown, now) } : {}),
	};
}

function namespaceNodes(folderUri: string, c: DriftCluster, shown: DriftObject[], now: Date): ExplorerNode[] {
	const byNs = new Map<string, DriftObject[]>();
	for (const o of shown) byNs.set(o.namespace ?? '', [...(byNs.get(o.namespace ?? '') ?? []), o]);
	// The namespaces with the worst states first (drifted, then missing…), then by name, cluster-scoped objects first.
	const worstOf = (objects: DriftObject[]) => Math.min(...objects.map((o) => STATE_ORDER.indexOf(o.state)));
	return [...byNs]
		.sort(([a, x], [b, y]) => worstOf(x) - worstOf(y) || (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
		.map(([ns, objects]) => {
			const n = counts(objects);
			const worst = STATE_ORDER[worstOf(objects)];
			const drifted = objects.filter((o) => o.state === 'drifted').length;
			const sorted = [...objects].sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
			return {
				id: `drift-ns:${folderUri}:${c.name}:${ns}`,
				label: ns || 'cluster-scoped',
				description: driftWords({ drifted: n.drifted, missing: n.missing, extraneous: n.extraneous, unmanaged: n.unmanaged, unknown: n.unknown }) || `${n.skipped} skipped`,
				tooltip: `${ns ? `Namespace **${md(ns)}**` : '**Cluster-scoped objects**'} of ${md(c.name)}: ${STATE_ORDER.filter((s) => n[s] > 0).map((s) => `${n[s]} ${s}`).join(', ')}`,
				icon: { id: ns ? 'symbol-namespace' : 'globe', color: STATE_ICONS[worst].color },
				contextValue: 'driftNamespace',
				expanded: true,
				children: () => sorted.map((o) => objectNode(folderUri, c, o, now, drifted <= EXPAND_FIELDS_UP_TO)),
			};
		});
}

/** States the server has two documents for (Show Diff). */
const DIFFABLE: ReadonlySet<DriftState> = new Set(['drifted', 'missing', 'extraneous', 'unmanaged']);

function objectNode(folderUri: string, c: DriftCluster, o: DriftObject, now: Date, expandFields: boolean): ExplorerNode {
	const target: DriftTarget = { kind: 'drift', folderUri, cluster: c.name, context: c.context, object: { apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name, state: o.state, source: o.source } };
	const diffable = DIFFABLE.has(o.state);
	const description = o.state === 'drifted' ? `drifted · ${plural(o.fields.length, 'field')}` : o.reason ? `${o.state} · ${o.reason}` : o.state;
	const tooltip = [
		`**${md(objectName(o))}** (${md(o.apiVersion)}) on ${md(c.name)}: **${o.state}**, ${STATE_WORDS[o.state]}`,
		o.reason ? `\n${md(o.reason)}` : '',
		...(o.fields.length > 0 ? ['', ...o.fields.map((f) => `- ${code(f.path)}: Git ${code(show(f.desired, 160))}, live ${code(show(f.live, 160))}${f.manager ? `, set by ${md(f.manager)}${f.time ? ` ${ago(f.time, now)}` : ''}` : ''}`)] : []),
		'',
		o.source ? `Declared in ${md(o.source.file)}:${o.source.line}` : 'Not in Git.',
		c.context ? `\nCopy kubectl Command gives ${code(kubectlCommand(target))}, through the context Fleetscope reads ${md(c.name)} by.` : '',
	]
		.join('\n')
		.replace(/\n{3,}/g, '\n\n');
	const contextValue = ['driftObject', o.state, o.source ? 'source' : '', diffable ? 'diff' : '', c.context ? 'kubectl' : ''].filter(Boolean).join(' ');
	const click = diffable && o.state !== 'missing' ? { command: { command: 'fleetscope.drift.showDiff', title: 'Show Diff', arguments: [target] } } : o.source ? { open: { folderUri, path: o.source.file, line: o.source.line } } : {};
	return {
		id: `drift-object:${folderUri}:${c.name}:${groupOf(o.apiVersion)}/${o.kind}:${o.namespace ?? ''}/${o.name}:${o.state}`,
		label: `${o.kind} ${o.name}`,
		description,
		tooltip,
		icon: STATE_ICONS[o.state],
		contextValue,
		...(o.source ? { file: { folderUri, path: o.source.file } } : {}),
		...click,
		target,
		...(o.fields.length > 0 ? { expanded: expandFields, children: () => o.fields.map((f) => fieldNode(folderUri, c, o, f, target, now)) } : {}),
	};
}

function fieldNode(folderUri: string, c: DriftCluster, o: DriftObject, f: DriftField, object: DriftTarget, now: Date): ExplorerNode {
	const at = f.source ?? o.source;
	const who = f.manager ? `${f.manager}${f.time ? ` ${ago(f.time, now)}` : ''}` : '';
	return {
		id: `drift-field:${folderUri}:${c.name}:${groupOf(o.apiVersion)}/${o.kind}:${o.namespace ?? ''}/${o.name}:${f.path}`,
		label: shortPath(f.path),
		description: [changeText(f.desired, f.live), who].filter(Boolean).join(' · '),
		tooltip: [
			`${code(f.path)} of ${md(objectName(o))} is ${code(show(f.live))} in ${md(c.name)}${f.manager ? `, set by **${md(f.manager)}**${f.time ? ` ${ago(f.time, now)} (${md(f.time)})` : ''}` : ''}; Git says ${code(show(f.desired))}.`,
			'',
			f.source ? `Git's value comes from ${md(f.source.file)}:${f.source.line}` : o.source ? `Declared in ${md(o.source.file)}:${o.source.line}` : '',
		].join('\n'),
		icon: { id: 'symbol-field', color: STATE_ICONS.drifted.color },
		contextValue: ['driftField', at ? 'source' : '', 'diff', c.context ? 'kubectl' : ''].filter(Boolean).join(' '),
		...(at ? { file: { folderUri, path: at.file }, open: { folderUri, path: at.file, line: at.line } } : {}),
		target: { ...object, field: { path: f.path, source: f.source } },
	};
}
