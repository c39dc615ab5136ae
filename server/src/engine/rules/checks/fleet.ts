import type { CheckContext, ResourceCheck } from '../../context/check-context';
import type { NodePath } from '../../core/parse';
import { isPlainObject, type Resource } from '../../core/resource';
import { formatPath } from '../../schema/paths';
import type { SchemaProblem } from '../../schema/types';
import { expiryOf } from '../../fleet/exemptions';

/**
 * `fleet-semantics`: what the Fleet schema cannot say. Clusters and app overlays name known
 * environments, names are unique, promotion comes from a known environment without a cycle, and
 * every path the fleet points at (cluster paths, claims, app overlays) exists in the repository.
 * Each check reads only values of the right type: a wrong type is the schema's finding, not ours.
 */

const RULE = 'fleet-semantics';

export const fleetCheck: ResourceCheck = {
	id: RULE,
	appliesTo: (r: Resource) => r.apiVersion === 'platform.gitops.io/v1alpha1' && r.kind === 'Fleet',
	check(r: Resource, ctx: CheckContext): SchemaProblem[] {
		const spec = r.value.spec;
		if (!isPlainObject(spec)) return [];
		const out: SchemaProblem[] = [];
		const problem = (path: NodePath, message: string, target: SchemaProblem['target'] = 'value') => out.push({ ruleId: RULE, path, target, message });
		// An exemption past its date no longer exempts anything: say so where it is written.
		const compliance = isPlainObject(spec.compliance) ? spec.compliance : undefined;
		if (compliance && Array.isArray(compliance.exemptions)) {
			compliance.exemptions.forEach((e, i) => {
				if (!isPlainObject(e)) return;
				// An empty string is the schema's finding (minLength); blanks pass it but exempt nothing.
				if (typeof e.reason === 'string' && e.reason !== '' && e.reason.trim() === '') {
					problem(['spec', 'compliance', 'exemptions', i, 'reason'], 'This exemption\'s reason is blank, so it exempts nothing: write why its findings are acceptable.');
				}
				const expires = expiryOf(e.expires);
				if (expires && expires < ctx.today) {
					const rules = Array.isArray(e.rules) ? e.rules.join(', ') : 'its rules';
					out.push({
						ruleId: 'exemption-expired',
						path: ['spec', 'compliance', 'exemptions', i, 'expires'],
						target: 'value',
						severity: 'warning',
						message: `This exemption (${rules}) expired on ${expires}, so its findings are reported again. Renew it with a new date and a fresh review, or remove it.`,
					});
				}
			});
		}
		const environments = items(spec.environments, ['spec', 'environments']);
		const clusters = items(spec.clusters, ['spec', 'clusters']);
		const apps = items(spec.apps, ['spec', 'apps']);

		// Environment names, first declaration wins; without spec.environments nothing can be unknown.
		const envs = uniqueNames(environments, 'Environment', problem);
		uniqueNames(clusters, 'Cluster', problem);
		uniqueNames(apps, 'App', problem);
		const known = Array.isArray(spec.environments) ? envs : undefined;
		const knownList = () => (envs.size > 0 ? [...envs.keys()].join(', ') : 'none');

		for (const { value, path } of clusters) {
			const env = value.environment;
			if (known && typeof env === 'string' && !known.has(env)) {
				problem([...path, 'environment'], `Cluster ${quoteName(value.name)}names the environment "${env}", which is not in spec.environments (known: ${knownList()}).`);
			}
			for (const field of ['path', 'claim'] as const) checkPath(value[field], [...path, field], ctx, problem);
		}

		// spec.compliance.enforce: environment names (or `production`, every production environment).
		if (known && compliance && Array.isArray(compliance.enforce)) {
			compliance.enforce.forEach((e, i) => {
				if (typeof e === 'string' && e !== 'production' && !known.has(e)) {
					problem(['spec', 'compliance', 'enforce', i], `spec.compliance.enforce names the environment "${e}", which is not in spec.environments (known: ${knownList()}), so it raises nothing. Name a declared environment, or production for every production one.`);
				}
			});
		}

		for (const { value, path } of apps) {
			if (!isPlainObject(value.environments)) continue;
			for (const [env, overlay] of Object.entries(value.environments)) {
				const at = [...path, 'environments', env];
				if (known && !known.has(env)) problem(at, `App ${quoteName(value.name)}has an overlay for the environment "${env}", which is not in spec.environments (known: ${knownList()}).`, 'key');
				checkPath(overlay, at, ctx, problem);
			}
		}

		// Promotion: `from` names a known environment, and following `from` never comes back.
		const from = new Map<string, { from: string; path: NodePath }>();
		for (const { value, path } of environments) {
			const promotion = value.promotion;
			if (typeof value.name !== 'string' || !isPlainObject(promotion) || typeof promotion.from !== 'string') continue;
			const at = [...path, 'promotion', 'from'];
			if (!envs.has(promotion.from)) problem(at, `Environment "${value.name}" is promoted from "${promotion.from}", which is not in spec.environments (known: ${knownList()}).`);
			else if (envs.get(value.name) === path[2]) from.set(value.name, { from: promotion.from, path: at }); // a repeated name is reported above
		}
		const reported = new Set<string>();
		for (const start of envs.keys()) {
			const chain: string[] = [];
			let cur: string | undefined = start;
			while (cur !== undefined && !chain.includes(cur) && !reported.has(cur)) {
				chain.push(cur);
				cur = from.get(cur)?.from;
			}
			if (cur === undefined || reported.has(cur)) continue;
			// `chain` walks against the promotion direction; the cycle is its tail from `cur`.
			const cycle = chain.slice(chain.indexOf(cur)).reverse();
			for (const e of chain) reported.add(e);
			// Name it from the first-declared environment of the cycle, which carries the finding.
			const first = cycle.reduce((a, b) => ((envs.get(a) ?? 0) <= (envs.get(b) ?? 0) ? a : b));
			const i = cycle.indexOf(first);
			const ordered = [...cycle.slice(i), ...cycle.slice(0, i), first];
			problem(from.get(first)!.path, `The promotion order has a cycle: ${ordered.join(' → ')}. Promotion must start from an environment that is promoted from none.`);
		}
		return out;
	},
};

type Problem = (path: NodePath, message: string, target?: SchemaProblem['target']) => void;

interface Item {
	value: Record<string, unknown>;
	path: NodePath;
}

/** The object items of a list field with their paths (non-objects are the schema's finding). */
function items(list: unknown, path: NodePath): Item[] {
	if (!Array.isArray(list)) return [];
	return list.flatMap((value, i) => (isPlainObject(value) ? [{ value, path: [...path, i] }] : []));
}

/** Names of the items → index of their first declaration; every repeated name is reported on itself. */
function uniqueNames(list: Item[], what: string, problem: Problem): Map<string, number> {
	const seen = new Map<string, number>();
	for (const { value, path } of list) {
		const name = value.name;
		if (typeof name !== 'string') continue;
		const first = seen.get(name);
		if (first === undefined) seen.set(name, path[path.length - 1] as number);
		else problem([...path, 'name'], `${what} "${name}" is declared twice: ${formatPath([...path.slice(0, -1), first])} has the same name.`);
	}
	return seen;
}

/** A repo-relative path that must exist. Absolute or `..` paths are the schema's finding. */
function checkPath(value: unknown, path: NodePath, ctx: CheckContext, problem: Problem): void {
	if (typeof value !== 'string' || value === '' || value.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(value)) return;
	const rel = value.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
	if (rel === '' || rel === '.') return;
	if (!ctx.repo.exists(rel)) problem(path, `${formatPath(path)} points at "${value}", which does not exist in the repository.`);
}

function quoteName(name: unknown): string {
	return typeof name === 'string' ? `"${name}" ` : '';
}
