import type { NodePath } from '../core/parse';
import type { Severity } from '../core/types';
import { isProductionEnvironment, type AppVersion, type FleetApp, type FleetModel } from './types';

/** A broken reference of the fleet graph in one document, as the engine places it. */
export interface FleetDocumentProblem {
	ruleId: string;
	path: NodePath;
	target: 'key' | 'value';
	message: string;
	severity: Severity;
}

/**
 * Lookups over one fleet model that checks ask for every resource of every file: the apps a path
 * belongs to, the model's problems by document, the production versions a file sets. Built on first
 * use and owned by whoever holds the model (a repository snapshot).
 */
export class FleetIndex {
	private problems?: Map<string, FleetDocumentProblem[]>;
	private appPrefixes?: Map<string, FleetApp[]>;
	private readonly appsByPath = new Map<string, readonly FleetApp[]>();
	private productionVersions?: Map<string, { app: FleetApp; v: AppVersion }[]>;

	constructor(readonly model: FleetModel) {}

	/** Broken references of the fleet graph in one document (missing path, unknown sourceRef, dependsOn cycle), found by discovery. */
	problemsOf(file: string, documentIndex: number): readonly FleetDocumentProblem[] {
		if (!this.problems) {
			this.problems = new Map();
			for (const fp of this.model.problems) {
				const key = `${fp.location.file}#${fp.documentIndex}`;
				const list = this.problems.get(key) ?? [];
				list.push({ ruleId: fp.ruleId, path: fp.path, target: fp.target, message: fp.message, severity: fp.severity });
				this.problems.set(key, list);
			}
		}
		return this.problems.get(`${file}#${documentIndex}`) ?? NONE;
	}

	/** The Fleet apps whose paths (per environment) contain a repo-relative file, in the Fleet file's order. */
	appsOf(path: string): readonly FleetApp[] {
		let hit = this.appsByPath.get(path);
		if (hit) return hit;
		const prefixes = (this.appPrefixes ??= appPrefixes(this.model));
		// The file itself, each directory above it, and the repository root ('').
		const found = new Set<FleetApp>(prefixes.get(path));
		for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) for (const a of prefixes.get(path.slice(0, i)) ?? []) found.add(a);
		for (const a of prefixes.get('') ?? []) found.add(a);
		hit = found.size === 0 ? NO_APPS : this.model.apps.filter((a) => found.has(a));
		this.appsByPath.set(path, hit);
		return hit;
	}

	/** The versions a file sets for production environments, with their apps. */
	productionVersionsIn(file: string): readonly { app: FleetApp; v: AppVersion }[] {
		if (!this.productionVersions) {
			this.productionVersions = new Map();
			for (const app of this.model.apps) {
				for (const v of app.versions) {
					if (!isProductionEnvironment(this.model, v.environment)) continue;
					const list = this.productionVersions.get(v.location.file) ?? [];
					list.push({ app, v });
					this.productionVersions.set(v.location.file, list);
				}
			}
		}
		return this.productionVersions.get(file) ?? [];
	}
}

const NONE: readonly FleetDocumentProblem[] = [];
const NO_APPS: readonly FleetApp[] = [];

/** Each path an app deploys (any environment), with the apps that deploy it. */
function appPrefixes(fleet: FleetModel): Map<string, FleetApp[]> {
	const out = new Map<string, FleetApp[]>();
	for (const a of fleet.apps) {
		for (const p of new Set(Object.values(a.paths).flat())) {
			let list = out.get(p);
			if (!list) out.set(p, (list = []));
			list.push(a);
		}
	}
	return out;
}
