import { isPlainObject } from '../core/resource';
import { repoPath, type DocRef, type DocumentStore } from './reader';
import type { AppPromotion, EnvironmentPromotion, FleetCluster, FleetEnvironment, SourceLocation } from './types';

/** What the Fleet file (`platform.gitops.io/v1alpha1` Fleet) declares, read leniently: the schema reports bad shapes. */
export interface DeclaredFleet {
	doc: DocRef;
	environments: { name: string; from?: string; promotion?: EnvironmentPromotion; location: SourceLocation }[];
	clusters: FleetCluster[];
	apps: { name: string; facts: Record<string, string>; paths: Record<string, string[]>; promotion?: AppPromotion; location: SourceLocation }[];
	/** `spec.compliance.enforce`: the environments whose compliance findings are raised one level. */
	enforce: string[];
}

const FACT_KEYS: Record<string, string> = {
	owner: 'owner',
	criticality: 'criticality',
	rto: 'rto',
	rpo: 'rpo',
	businessFunction: 'business-function',
	dataClassification: 'data-classification',
	lastDrTest: 'last-dr-test',
	exitPlan: 'exit-plan',
	drCluster: 'dr-cluster',
	internetExposed: 'internet-exposed',
};

const nameList = (v: unknown): string[] | undefined => {
	const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
	return list.length > 0 ? list : undefined;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** The Fleet file of the repository (the first one, by path), or undefined. */
export function readFleetFile(store: DocumentStore): DeclaredFleet | undefined {
	const doc = store
		.ofKinds(['Fleet'])
		.filter((d) => d.apiVersion === 'platform.gitops.io/v1alpha1')
		.sort((a, b) => a.file.localeCompare(b.file) || a.documentIndex - b.documentIndex)[0];
	if (!doc) return undefined;
	const spec = isPlainObject(doc.value.spec) ? doc.value.spec : {};
	const list = (v: unknown) => (Array.isArray(v) ? v : []);
	const compliance = isPlainObject(spec.compliance) ? spec.compliance : {};
	const enforce = [...new Set(list(compliance.enforce).filter((e): e is string => typeof e === 'string' && e !== ''))];
	const out: DeclaredFleet = { doc, environments: [], clusters: [], apps: [], enforce };
	list(spec.environments).forEach((e, i) => {
		if (!isPlainObject(e) || typeof e.name !== 'string' || out.environments.some((x) => x.name === e.name)) return;
		const p = isPlainObject(e.promotion) ? e.promotion : undefined;
		const from = p && typeof p.from === 'string' ? p.from : undefined;
		const promotion: EnvironmentPromotion | undefined = p && {
			minSoak: typeof p.minSoak === 'string' ? p.minSoak : undefined,
			approvals: typeof p.approvals === 'number' && Number.isInteger(p.approvals) && p.approvals >= 0 ? p.approvals : undefined,
			reviewers: nameList(p.reviewers),
			location: doc.locate(['spec', 'environments', i, 'promotion'], true),
		};
		out.environments.push({ name: e.name, from, promotion, location: doc.locate(['spec', 'environments', i, 'name']) });
	});
	list(spec.clusters).forEach((c, i) => {
		if (!isPlainObject(c) || typeof c.name !== 'string' || out.clusters.some((x) => x.name === c.name)) return;
		const labels: Record<string, string> = {};
		if (isPlainObject(c.labels)) for (const [k, v] of Object.entries(c.labels)) if (str(v) !== undefined) labels[k] = str(v)!;
		const path = typeof c.path === 'string' && c.path.trim() !== '' ? repoPath(c.path) : undefined;
		out.clusters.push({
			name: c.name,
			environment: str(c.environment),
			region: str(c.region),
			provider: str(c.provider),
			kubeContext: str(c.kubeContext),
			claim: typeof c.claim === 'string' ? repoPath(c.claim) : undefined,
			labels,
			syncs: path === undefined ? [] : [{ kind: 'fleet', name: c.name, path, location: doc.locate(['spec', 'clusters', i, 'path']) }],
			source: 'declared',
			inferred: [],
			location: doc.locate(['spec', 'clusters', i, 'name']),
		});
	});
	list(spec.apps).forEach((a, i) => {
		if (!isPlainObject(a) || typeof a.name !== 'string' || out.apps.some((x) => x.name === a.name)) return;
		const facts: Record<string, string> = {};
		for (const [key, fact] of Object.entries(FACT_KEYS)) {
			const v = str(a[key]);
			if (v !== undefined) facts[fact] = v;
		}
		const paths: Record<string, string[]> = {};
		if (isPlainObject(a.environments)) {
			for (const [env, p] of Object.entries(a.environments)) {
				const ps = (Array.isArray(p) ? p : [p]).filter((x): x is string => typeof x === 'string').map(repoPath);
				if (ps.length > 0) paths[env] = ps;
			}
		}
		const p = isPlainObject(a.promotion) ? a.promotion : undefined;
		const promotion: AppPromotion | undefined = p && {
			style: p.style === 'directory' ? 'directory' : 'value',
			directory: typeof p.directory === 'string' && p.directory.trim() !== '' ? repoPath(p.directory) : undefined,
			reviewers: nameList(p.reviewers),
			location: doc.locate(['spec', 'apps', i, 'promotion'], true),
		};
		out.apps.push({ name: a.name, facts, paths, promotion, location: doc.locate(['spec', 'apps', i, 'name']) });
	});
	return out;
}

/** Environments of the Fleet file in promotion order: those promoted from none first, then along `promotion.from` (declaration order breaks ties). */
export function orderDeclaredEnvironments(declared: DeclaredFleet['environments']): FleetEnvironment[] {
	const names = declared.map((e) => e.name);
	const depth = new Map<string, number>();
	const depthOf = (name: string, seen: string[] = []): number => {
		const known = depth.get(name);
		if (known !== undefined) return known;
		const from = declared.find((e) => e.name === name)?.from;
		// A cycle or an unknown source is the Fleet check's finding; count it as a start here.
		const d = from === undefined || !names.includes(from) || seen.includes(from) ? 0 : depthOf(from, [...seen, name]) + 1;
		depth.set(name, d);
		return d;
	};
	const ordered = [...declared].sort((a, b) => depthOf(a.name) - depthOf(b.name) || names.indexOf(a.name) - names.indexOf(b.name));
	return ordered.map((e, order) => ({
		name: e.name,
		order,
		promotesFrom: e.from !== undefined && names.includes(e.from) ? [e.from] : [],
		production: false, // set by discovery (names, cluster labels)
		...(e.promotion ? { promotion: e.promotion } : {}),
		source: 'declared',
		location: e.location,
	}));
}
