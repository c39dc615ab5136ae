import { isPlainObject, type Resource } from '../core/resource';
import type { FleetModel, SourceLocation } from '../fleet/types';
import type { Range } from '../core/types';

/**
 * What the fleet model says about one file, for hovers: where it is deployed (clusters grouped
 * by environment, in promotion order) and, for the apps it belongs to, which version each
 * environment runs. Plain Markdown; undefined when the file reaches no cluster.
 */
export function deploymentMarkdown(model: FleetModel, path: string, resource?: Pick<Resource, 'kind' | 'name' | 'value'>): string | undefined {
	const clusters = model.files[path];
	if (!clusters || clusters.length === 0) return undefined;
	const byEnv = new Map<string, string[]>();
	for (const name of clusters) {
		const env = model.clusters.find((c) => c.name === name)?.environment ?? 'no environment';
		const list = byEnv.get(env) ?? [];
		list.push(name);
		byEnv.set(env, list);
	}
	const order = (e: string) => model.environments.find((x) => x.name === e)?.order ?? model.environments.length;
	const envs = [...byEnv.keys()].sort((a, b) => order(a) - order(b));
	const lines = [`**Deployed to** ${clusters.length === 1 ? '1 cluster' : `${clusters.length} clusters`}:`];
	for (const e of envs) lines.push(`- ${escape(e)}: ${byEnv.get(e)!.map((c) => `\`${c}\``).join(', ')}`);
	const apps = model.apps.filter((a) => a.versions.some((v) => v.location.file === path) || (resource !== undefined && belongs(resource, a.name)));
	for (const app of apps) {
		const rows = model.environments
			.map((e) => {
				const vs = app.versions.filter((v) => v.environment === e.name);
				if (vs.length === 0) return undefined;
				const text = [...new Set(vs.map((v) => `\`${v.version}\``))].join(', ');
				const behind = app.behind.find((b) => b.environment === e.name);
				return `${escape(e.name)} ${text}${behind ? ` (behind ${escape(behind.newerIn)}: \`${behind.newer}\`)` : ''}`;
			})
			.filter((x): x is string => x !== undefined);
		if (rows.length > 0) lines.push(`**${escape(app.name)}** runs ${rows.join(' · ')}`);
	}
	return lines.join('\n\n');
}

function belongs(resource: Pick<Resource, 'name' | 'value'>, app: string): boolean {
	const meta = isPlainObject(resource.value.metadata) ? resource.value.metadata : {};
	const labels = isPlainObject(meta.labels) ? meta.labels : {};
	return resource.name === app || labels['fleetscope.io/app'] === app || labels['app.kubernetes.io/name'] === app || labels.app === app;
}

function escape(s: string): string {
	return s.replace(/([\\*_[\]<>`])/g, '\\$1');
}

export type FleetSymbolKind = 'cluster' | 'environment' | 'app';

export interface FleetSymbol {
	name: string;
	kind: FleetSymbolKind;
	/** environment, region, provider of a cluster; the clusters of an environment; the owner of an app. */
	detail: string;
	location: { file: string; range: Range };
}

/** Workspace symbols: clusters, environments and apps whose name contains the query (case-insensitive). */
export function fleetSymbols(model: FleetModel, query: string): FleetSymbol[] {
	const q = query.toLowerCase();
	const out: FleetSymbol[] = [];
	const push = (name: string, kind: FleetSymbolKind, detail: string, location: SourceLocation | undefined) => {
		if (!location || (q !== '' && !name.toLowerCase().includes(q))) return;
		out.push({ name, kind, detail, location: { file: location.file, range: location.range } });
	};
	for (const e of model.environments) {
		const members = model.clusters.filter((c) => c.environment === e.name).map((c) => c.name);
		push(e.name, 'environment', `environment ${e.order + 1} of ${model.environments.length}${e.production ? ', production' : ''}${members.length > 0 ? `: ${members.join(', ')}` : ''}`, e.location ?? model.clusters.find((c) => c.environment === e.name)?.location);
	}
	for (const c of model.clusters) {
		const facts = [c.environment, c.region, c.provider].filter(Boolean).join(', ');
		push(c.name, 'cluster', `cluster${facts ? ` (${facts})` : ''}${c.source === 'inferred' ? ', inferred' : ''}`, c.location ?? c.syncs.find((s) => s.location)?.location);
	}
	for (const a of model.apps) {
		push(a.name, 'app', `app${a.facts.owner ? ` of ${a.facts.owner}` : ''}${a.source === 'inferred' ? ', inferred' : ''}`, a.location ?? a.versions[0]?.location);
	}
	return out;
}
