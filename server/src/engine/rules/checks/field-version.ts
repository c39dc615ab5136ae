import type { CheckContext, ResourceCheck } from '../../context/check-context';
import type { Resource } from '../../core/resource';
import { kubernetesMinor } from '../../schema/api-versions';
import type { FieldVersionSource } from '../../schema/k8s-versions';
import type { SchemaProblem } from '../../schema/types';
import { fieldVersionProblem } from '../../schema/version-problem';

/**
 * `schema-version`: a field of a built-in kind that the Kubernetes version of a cluster receiving
 * the file does not have. Each target cluster is judged at its own version (its ClusterClaim, the
 * live cluster, the Fleet file); a cluster without a known version, or a file no cluster is known
 * to receive, at `fleetscope.kubernetesVersion`. The message names the clusters and the version
 * that introduced the field.
 */

interface Judged {
	/** Cluster name, or undefined for the repository-wide setting. */
	cluster?: string;
	minor: number;
	version: string;
}

/** Each version the file is judged at: per target cluster, else the setting. */
function judgedVersions(ctx: CheckContext): Judged[] {
	const setting = kubernetesMinor(ctx.settings.kubernetesVersion);
	if (ctx.targets.length === 0) return setting === undefined ? [] : [{ minor: setting, version: `1.${setting}` }];
	const out: Judged[] = [];
	for (const t of ctx.targets) {
		const own = t.kubernetesVersion !== undefined ? kubernetesMinor(t.kubernetesVersion) : undefined;
		const minor = own ?? setting;
		if (minor !== undefined) out.push({ cluster: t.name, minor, version: `1.${minor}` });
	}
	return out;
}

function who(older: Judged[], ctx: CheckContext): string {
	if (older.length === 1 && older[0].cluster === undefined) return `this repository targets ${older[0].version} (fleetscope.kubernetesVersion ${ctx.settings.kubernetesVersion})`;
	if (older.length === 1) return `${older[0].cluster} runs ${older[0].version}`;
	const names = older.map((o) => `${o.cluster} (${o.version})`);
	return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} run older versions`;
}

export function fieldVersionCheck(source: FieldVersionSource): ResourceCheck {
	return {
		id: 'schema-version',
		appliesTo: (r: Resource) => source.covers(r.apiVersion, r.kind),
		check(r, ctx): SchemaProblem[] {
			const window = source.window();
			if (!window) return [];
			const judged = judgedVersions(ctx);
			// Only versions older than the newest the table knows can lack a field it lists.
			if (!judged.some((j) => j.minor < window.newest)) return [];
			const out: SchemaProblem[] = [];
			for (const f of source.newerFields(r.apiVersion, r.kind, r.value)) {
				const older = judged.filter((j) => j.minor < f.since);
				if (older.length > 0) out.push(fieldVersionProblem(f, who(older, ctx)));
			}
			return out;
		},
	};
}
