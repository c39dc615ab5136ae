import { asKustomizeReads, mayHaveYaml11Booleans } from '../kustomize/kyaml-scalars';
import type { ParsedDocument, ParsedSegment } from '../core/parse';
import { resourceHeader, resourceOf, type Resource } from '../core/resource';
import type { CheckContext, Evaluation, RenderedProblem, ResourceCheck } from '../context/check-context';
import { NO_EXEMPTIONS } from '../fleet/exemptions';
import type { SchemaProblem, SchemaRegistry } from '../schema/types';
import { foldTypos, placeProblem, scalarSource, shapeProblems, type LocalFinding } from './placement';

/** A resource whose span is relative to its segment, as cached with the segment. */
export type LocalResource = Omit<Resource, 'span'> & { localSpan: { start: number; end: number } };

/** What the static sources found in one segment: findings (segment-local, not yet adjusted), resources, evaluations. */
export interface SegmentChecks {
	findings: LocalFinding[];
	resources: LocalResource[];
	/** Checks that evaluated each resource (document index local to the segment, as in `resources`). */
	evaluations: Evaluation[];
}

export interface StaticSources {
	registry: SchemaRegistry;
	checks: readonly ResourceCheck[];
	/** The file holds at least one Kubernetes object: a document that is none is then a mistake. */
	looksLikeManifest: boolean;
	ctx: CheckContext;
	/** The shared copy of a list of check ids (most resources of a kind were evaluated by the same checks). */
	shareIds?: (ids: string[]) => readonly string[];
}

/**
 * The static sources of one YAML segment, document by document: syntax, the schema, the resource
 * checks, the fleet graph's problems and the rendered compliance findings (what the clusters
 * receive). Where the renders cover a document, its compliance findings come from them instead of
 * the raw checks. Fleet exemptions apply to each resource's findings.
 */
export function checkSegment(segment: ParsedSegment, docs: readonly ParsedDocument[], s: StaticSources): SegmentChecks {
	const { ctx } = s;
	const findings: LocalFinding[] = [];
	const resources: LocalResource[] = [];
	const evaluations: Evaluation[] = [];
	const exemptions = ctx.repo.exemptions ?? NO_EXEMPTIONS;
	const kustomizeReads = (ctx.repo.readsThroughKustomize?.(ctx.path) ?? false) && mayHaveYaml11Booleans(segment.text);
	if (segment.fatal) {
		findings.push({ ruleId: segment.fatal.code === 'PARSE_FAILED' ? 'yaml-syntax' : 'yaml-limits', severity: 'error', message: segment.fatal.message, span: segment.fatal.span });
	}
	for (const d of docs) {
		for (const p of d.syntax) {
			const ruleId = p.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : p.code === 'RESOURCE_EXHAUSTION' ? 'yaml-limits' : 'yaml-syntax';
			findings.push({ ruleId, severity: p.severity, message: p.message, span: p.span });
		}
		if (d.toJsError) findings.push({ ruleId: 'yaml-limits', severity: 'error', message: d.toJsError.message, span: d.toJsError.span });
		if (d.value === undefined && (d.syntax.some((p) => p.severity === 'error') || d.toJsError)) continue;
		if (d.value === null || d.value === undefined) continue; // empty document: allowed
		// What kustomize reads (YAML 1.2) is what the cluster receives: `on` is the string "on" there.
		const value = kustomizeReads ? asKustomizeReads(d.doc, d.value) : d.value;
		const header = resourceHeader(value);
		const rendered = ctx.repo.rendered?.problems(ctx.path, d.index) ?? [];
		if (!header) {
			// kustomization.yaml may omit apiVersion and kind: the registry knows it by its file name.
			const fileSchema = s.registry.schemaForFile?.(ctx.path, value);
			if (fileSchema) for (const p of fileSchema.validate(value, { partial: ctx.partial, sourceText: scalarSource(d) })) findings.push(placeProblem(d, p));
			else if (s.looksLikeManifest && !ctx.partial) findings.push(...shapeProblems(d, value));
			for (const p of ctx.fleetIndex.problemsOf(ctx.path, d.index)) findings.push(placeProblem(d, p));
			// A kustomization's own fields produce rendered values (an images entry, a namespace).
			findings.push(...placeRendered(d, rendered, ctx));
			continue;
		}
		const { apiVersion, kind, group, version, name, namespace } = header;
		const resource: LocalResource = { apiVersion, kind, group, version, name, namespace, documentIndex: d.index - docs[0].index, value: value as Record<string, unknown>, localSpan: d.span };
		resources.push(resource);
		const problems: SchemaProblem[] = [];
		const schema = s.registry.lookup(header.apiVersion, header.kind);
		if (schema) problems.push(...schema.validate(value, { partial: ctx.partial, sourceText: scalarSource(d) }));
		const full = resourceOf(header, d.index, d.span, value as Record<string, unknown>);
		const evaluated: string[] = [];
		// What a cluster receives is what compliance judges: where the renders cover this document, their findings replace the raw ones.
		const covered = ctx.repo.rendered?.covers(ctx.path, d.index) ?? false;
		for (const c of checksForKind(s.checks, kind)) {
			if ((covered && c.compliance) || !c.appliesTo(full)) continue;
			problems.push(...c.check(full, ctx));
			// Recorded for compliance reports (a pass is "evaluated, nothing found"); cached with the findings.
			if (c.evaluates?.(full, ctx) ?? true) evaluated.push(c.id);
		}
		if (covered) evaluated.push(...ctx.repo.rendered!.evaluated(ctx.path, d.index));
		if (evaluated.length > 0) evaluations.push({ documentIndex: resource.documentIndex, checks: s.shareIds?.(evaluated) ?? evaluated });
		problems.push(...ctx.fleetIndex.problemsOf(ctx.path, d.index));
		findings.push(...exemptions.apply(ctx.today, full, ctx.path, foldTypos(problems).map((p) => placeProblem(d, p))));
		// Also on documents no object is rendered from: a patch that set the value, for one.
		findings.push(...placeRendered(d, rendered, ctx));
	}
	return { findings, resources, evaluations };
}

const MAX_KINDS_KEPT = 1000;

/** Per list of checks: for each kind met, the checks that may apply to it, in their order. */
const BY_KIND = new WeakMap<readonly ResourceCheck[], Map<string, readonly ResourceCheck[]>>();

/** The checks of a list that may apply to a kind: those that name their kinds and list it, and those that do not name them. */
function checksForKind(checks: readonly ResourceCheck[], kind: string): readonly ResourceCheck[] {
	let byKind = BY_KIND.get(checks);
	if (!byKind) BY_KIND.set(checks, (byKind = new Map()));
	let out = byKind.get(kind);
	if (!out) {
		out = checks.filter((c) => c.kinds === undefined || c.kinds.has(kind));
		// A repository has a few dozen kinds; a hostile one as many as it likes: those are not kept.
		if (byKind.size < MAX_KINDS_KEPT) byKind.set(kind, out);
	}
	return out;
}

/**
 * Places the rendered compliance problems of a document; Fleet exemptions match the rendered
 * object (its final namespace), since that is what the cluster receives.
 */
function placeRendered(d: ParsedDocument, rendered: readonly RenderedProblem[], ctx: CheckContext): LocalFinding[] {
	if (rendered.length === 0) return [];
	const exemptions = ctx.repo.exemptions ?? NO_EXEMPTIONS;
	return rendered.flatMap((p) => exemptions.apply(ctx.today, p.object, ctx.path, [placeProblem(d, p)]));
}

/**
 * The live source of one YAML segment: what the live state of the clusters the file reaches says
 * about each resource (`RepoContext.live`), with Fleet exemptions applied like the static findings.
 */
export function checkSegmentLive(docs: readonly ParsedDocument[], ctx: CheckContext): LocalFinding[] {
	const live = ctx.repo.live;
	if (!live) return [];
	const exemptions = ctx.repo.exemptions ?? NO_EXEMPTIONS;
	const out: LocalFinding[] = [];
	for (const d of docs) {
		const header = d.value === undefined || d.value === null ? undefined : resourceHeader(d.value);
		if (!header) continue;
		const resource = resourceOf(header, d.index, { start: d.span.start + d.base, end: d.span.end + d.base }, d.value as Record<string, unknown>);
		const problems = live.problems(resource, ctx.path, ctx.partial);
		if (problems.length > 0) out.push(...exemptions.apply(ctx.today, resource, ctx.path, problems.map((p) => placeProblem(d, p))));
	}
	return out;
}
