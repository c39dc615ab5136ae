import semver from 'semver';
import { hasIndex } from '../cross';
import { isPlainObject, type Resource } from '../../../core/resource';
import type { NodePath } from '../../../core/parse';
import { containersOf, isPodTemplateKind, podSpecOf, POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceContext, ComplianceProblem, ComplianceRule } from '../rule';

/** Names that are branches in practice; other names may be tags and are not reported. */
const BRANCHES = new Set(['main', 'master', 'develop', 'dev', 'trunk']);
const WHY = 'DORA Art 9(4)(e) asks for production changes to be tested and approved in a controlled manner, and a moving reference changes production without any change in this repository';

/**
 * A version constraint that moves to new minor or major versions (`8.x`, `^1.2`, `>=1`, `*`). A
 * patch-level range (`1.15.x`, `~1.15.0`) is a deliberate patch policy and not reported.
 */
function isRange(v: string): boolean {
	if (semver.valid(v, { loose: true }) !== null || semver.validRange(v, { loose: true }) === null) return false;
	const min = semver.minVersion(v, { loose: true });
	if (!min) return false;
	return semver.satisfies(`${min.major}.${min.minor + 1}.0`, v, { loose: true }) || semver.satisfies(`${min.major + 1}.0.0`, v, { loose: true });
}

function problem(path: NodePath, target: 'key' | 'value', what: string, fix: string): ComplianceProblem {
	return { path, target, message: `${what} in production: ${WHY}. ${fix} (DORA Art 9(4)(e))` };
}

function argo(resource: Resource, ctx: ComplianceContext): ComplianceProblem[] {
	const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
	const sources: { s: Record<string, unknown>; path: NodePath }[] = [];
	if (isPlainObject(spec.source)) sources.push({ s: spec.source, path: ['spec', 'source'] });
	if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => isPlainObject(s) && sources.push({ s, path: ['spec', 'sources', i] }));
	const out: ComplianceProblem[] = [];
	const app = `Argo CD Application "${resource.name ?? '?'}"`;
	for (const { s, path } of sources) {
		const rev = typeof s.targetRevision === 'string' ? s.targetRevision : undefined;
		const at: [NodePath, 'key' | 'value'] = rev === undefined ? [path, 'key'] : [[...path, 'targetRevision'], 'value'];
		if (typeof s.chart === 'string') {
			if (rev === undefined || rev === '' || rev === '*' || isRange(rev)) out.push(problem(...at, `${app} installs chart ${s.chart} at ${rev ? `the range "${rev}", which moves to new minor versions` : 'its latest version'}`, 'Pin targetRevision to one chart version.'));
			continue;
		}
		// This repository's own paths are promoted by its directories and reviews: a branch is fine there.
		if (typeof s.path === 'string' && ctx.repo.exists(s.path)) continue;
		if (rev === undefined || rev === '' || rev === 'HEAD' || BRANCHES.has(rev)) {
			out.push(problem(...at, `${app} follows ${rev ? `"${rev}"` : 'the default branch (HEAD)'} of ${typeof s.repoURL === 'string' ? s.repoURL : 'its repository'}`, 'Set targetRevision to a tag or commit SHA and change it through this repository.'));
		}
	}
	return out;
}

function fleetRepoUrls(ctx: ComplianceContext): Set<string> {
	const urls = new Set<string>();
	for (const g of ctx.objects.ofKind('GitRepository')) {
		if (g.name === 'flux-system' && isPlainObject(g.value.spec) && typeof g.value.spec.url === 'string') urls.add(g.value.spec.url.replace(/\.git$/, '').replace(/\/$/, ''));
	}
	return urls;
}

function flux(resource: Resource, ctx: ComplianceContext): ComplianceProblem[] {
	const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
	const ref = isPlainObject(spec.ref) ? spec.ref : undefined;
	const name = `${resource.kind} "${resource.name ?? '?'}"`;
	if (resource.kind === 'GitRepository') {
		// The bootstrap source is this repository itself, whose directories carry the promotion.
		const url = typeof spec.url === 'string' ? spec.url.replace(/\.git$/, '').replace(/\/$/, '') : undefined;
		if (resource.name === 'flux-system' || (url && fleetRepoUrls(ctx).has(url))) return [];
		if (ref && ['tag', 'semver', 'commit', 'name'].some((k) => typeof ref[k] === 'string' && !(k === 'semver' && isRange(ref[k] as string)))) return [];
		if (ref && typeof ref.semver === 'string') return [problem(['spec', 'ref', 'semver'], 'value', `${name} follows the version range "${ref.semver}"`, 'Pin spec.ref to one tag or commit.')];
		const branch = ref && typeof ref.branch === 'string' ? ref.branch : undefined;
		return [problem(branch ? ['spec', 'ref', 'branch'] : ref ? ['spec', 'ref'] : ['spec'], branch ? 'value' : 'key', `${name} follows ${branch ? `the branch "${branch}"` : 'the default branch (master)'} of ${url ?? 'its repository'}`, 'Set spec.ref.tag or spec.ref.commit and change it through this repository.')];
	}
	// OCIRepository
	if (ref && (typeof ref.digest === 'string' || (typeof ref.tag === 'string' && ref.tag !== 'latest') || (typeof ref.semver === 'string' && !isRange(ref.semver)))) return [];
	if (ref && typeof ref.semver === 'string') return [problem(['spec', 'ref', 'semver'], 'value', `${name} follows the version range "${ref.semver}"`, 'Pin spec.ref to one tag or digest.')];
	const tagged = ref && typeof ref.tag === 'string';
	return [problem(tagged ? ['spec', 'ref', 'tag'] : ref ? ['spec', 'ref'] : ['spec'], tagged ? 'value' : 'key', `${name} follows the "latest" tag`, 'Set spec.ref.tag to a fixed version or spec.ref.digest.')];
}

function helmRelease(resource: Resource): ComplianceProblem[] {
	const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
	if (!isPlainObject(spec.chart) || !isPlainObject(spec.chart.spec)) return []; // chartRef: the OCI source is checked itself
	const c = spec.chart.spec;
	const v = typeof c.version === 'string' ? c.version : undefined;
	if (v !== undefined && v !== '*' && !isRange(v)) return [];
	const what = `HelmRelease "${resource.name ?? '?'}" installs chart ${typeof c.chart === 'string' ? c.chart : '?'} at ${v ? `the range "${v}", which moves to new minor versions` : 'its latest version'}`;
	return [problem(v === undefined ? ['spec', 'chart', 'spec'] : ['spec', 'chart', 'spec', 'version'], v === undefined ? 'key' : 'value', what, 'Pin spec.chart.spec.version to one chart version.')];
}

/** `repo/name:tag@digest` → name without tag and digest, tag, digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
	const at = image.indexOf('@');
	const digest = at === -1 ? undefined : image.slice(at + 1);
	const rest = at === -1 ? image : image.slice(0, at);
	const colon = rest.lastIndexOf(':');
	const slash = rest.lastIndexOf('/');
	return colon > slash ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest } : { name: rest, digest };
}

function overriddenByKustomize(ctx: ComplianceContext, name: string): boolean {
	return ctx.objects.ofKind('Kustomization').some((k) => {
		const images = k.value.images;
		return Array.isArray(images) && images.some((i) => isPlainObject(i) && i.name === name && (typeof i.newTag === 'string' || typeof i.digest === 'string'));
	});
}

function images(resource: Resource, ctx: ComplianceContext): ComplianceProblem[] {
	const pod = podSpecOf(resource);
	const out: ComplianceProblem[] = [];
	for (const c of pod ? containersOf(pod) : []) {
		const image = c.container.image;
		if (typeof image !== 'string' || image.includes('${')) continue;
		const { name, tag, digest } = splitImage(image);
		if (digest || (tag && tag !== 'latest')) continue;
		// Raw files: kustomize may still set the tag (images: newTag) when the overlay is built.
		if (!ctx.objects.complete && overriddenByKustomize(ctx, name)) continue;
		out.push(problem([...c.path, 'image'], 'value', `${c.label} runs ${image}, ${tag ? 'the mutable "latest" tag' : 'without a tag (that is "latest")'},`, 'Use a fixed version tag or a digest (image@sha256:…).'));
	}
	return out;
}

/**
 * DORA Art 9(4)(e): production follows references that move without a change in the repository:
 * Argo CD targetRevision HEAD or a branch of another repository, a Flux GitRepository on a branch
 * (the bootstrap source of this repository excepted), OCIRepository `latest`, chart version ranges,
 * images without a tag or with `latest`.
 */
export const immutableRevisions: ComplianceRule = {
	id: 'dora-immutable-revisions',
	title: 'Production follows a moving reference',
	severity: 'warning',
	kinds: ['Application', 'GitRepository', 'OCIRepository', 'HelmRelease', ...POD_TEMPLATE_KINDS],
	rationale:
		'DORA Art 9(4)(e) asks that changes be recorded, tested, approved and implemented in a controlled manner. A production source that follows a branch head, a version range or the latest tag changes production whenever someone pushes elsewhere, without a reviewed change in the fleet repository.',
	remediation: 'Pin production to tags, commit SHAs, exact chart versions or image digests, and promote changes by editing them in the fleet repository.',
	controls: ['DORA-Art9(4)(e)'],
	appliesTo: (r) =>
		(r.kind === 'Application' && r.group === 'argoproj.io') ||
		((r.kind === 'GitRepository' || r.kind === 'OCIRepository') && r.group === 'source.toolkit.fluxcd.io') ||
		(r.kind === 'HelmRelease' && r.group === 'helm.toolkit.fluxcd.io') ||
		isPodTemplateKind(r),
	check(resource, ctx): ComplianceProblem[] {
		if (!ctx.production || !hasIndex(ctx)) return [];
		if (resource.kind === 'Application') return argo(resource, ctx);
		if (resource.kind === 'GitRepository' || resource.kind === 'OCIRepository') return flux(resource, ctx);
		if (resource.kind === 'HelmRelease') return helmRelease(resource);
		return images(resource, ctx);
	},
};
