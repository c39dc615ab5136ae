import { isMap, isPair, isScalar, type Node as YamlNode } from 'yaml';
import type { FleetscopeSettings } from '../../../../shared/settings';
import { keyNodeAt, nodeAt, parseFile, segmentDocuments, spanOf, type NodePath, type ParsedDocument, type ParsedFile, type ParsedSegment } from '../core/parse';
import { isPlainObject, resourceHeader, type Resource } from '../core/resource';
import { frameworksOf, ruleMeta } from '../core/rule-meta';
import type { SchemaProblem, SchemaRegistry } from '../schema/types';
import { LineIndex, type TextSpan } from '../core/text';
import { valueSpanInSource } from '../core/scalar-offsets';
import type { Finding, FindingData, Severity } from '../core/types';
import { classifyContent } from '../core/skip';
import { applyInlineExemptions } from '../core/inline-exemptions';
import { applyFleetExemptions, isoDay } from '../fleet/exemptions';
import { EMPTY_FLEET, type FleetModel } from '../fleet/types';
import { targetsOf } from '../fleet/clusters';
import { NO_OBJECTS } from '../core/objects';
import { EMPTY_REPO, type CheckContext, type Evaluation, type RenderedProblem, type RepoContext, type ResourceCheck } from '../context/check-context';


/**
 * Problems from outside the engine's own checks for the resources of a file: the live state of the
 * clusters it reaches (`lsp/live.ts`). See `Engine.extraFindings`.
 */
export interface ExtraProblems {
	/**
	 * Everything the problems depend on besides a document's text (which cluster states, targets and
	 * repository objects): results cached per document are reused while the key stays the same.
	 */
	readonly key: string;
	problems(resource: Resource, partial: boolean): SchemaProblem[];
}

/** The cached extra findings of one segment (see `Engine.extraFindings`). */
interface ExtraResult {
	key: string;
	/** Segment-local lines, as `SegmentResult.findings`. */
	findings: Finding[];
	placed: Finding[];
	placedAtLine: number;
}

export interface FileInput {
	/** Repo-relative posix path (used for patch detection and messages). */
	path: string;
	text: string;
}

/** The result of analysing one version of a file. Pass it back as `previous` for the next version. */
export interface FileAnalysis {
	readonly path: string;
	readonly parsed: ParsedFile;
	readonly lines: LineIndex;
	readonly resources: Resource[];
	readonly findings: Finding[];
	/** Set when the file was not parsed at all (Helm template, SOPS, binary, too large). */
	readonly skipped?: string;
	/**
	 * Which checks evaluated which resource: with the findings, what a compliance report needs to
	 * tell "passed" from "not evaluated". Absent for files that were not parsed.
	 */
	readonly evaluations?: readonly Evaluation[];
}

/** A finding whose span is relative to its segment: what is cached per segment. */
interface LocalFinding {
	ruleId: string;
	severity: Severity;
	message: string;
	span: TextSpan;
	data?: FindingData;
}

type LocalResource = Omit<Resource, 'span'> & { localSpan: TextSpan };

interface SegmentResult {
	key: string;
	/** Findings with severity overrides applied, ranges relative to the segment's first line. */
	findings: Finding[];
	resources: LocalResource[];
	/** Checks that evaluated each resource (document index local to the segment, as in `resources`). */
	evaluations: Evaluation[];
	/** The findings placed at `placedAtLine`, reused while the segment stays on that line. */
	placed: Finding[];
	placedAtLine: number;
}

function placeAt(f: Finding, line: number): Finding {
	if (line === 0) return f;
	const r = f.range;
	return { ...f, range: { start: { line: r.start.line + line, character: r.start.character }, end: { line: r.end.line + line, character: r.end.character } } };
}

/**
 * The analysis with its line index, resources and evaluations built on first use: validating an
 * edit needs none of them, only hover, completion, symbols and reports do.
 */
function lazyAnalysis(path: string, parsed: ParsedFile, findings: Finding[], text: string, placeResources: () => Resource[], placeEvaluations: () => Evaluation[]): FileAnalysis {
	let lines: LineIndex | undefined;
	let resources: Resource[] | undefined;
	let evaluations: Evaluation[] | undefined;
	return {
		path,
		parsed,
		findings,
		get lines() {
			return (lines ??= new LineIndex(text));
		},
		get resources() {
			return (resources ??= placeResources());
		},
		get evaluations() {
			return (evaluations ??= placeEvaluations());
		},
	};
}

/**
 * The validation engine: pure, synchronous and cache-friendly. It parses a file (reusing unchanged
 * documents of the previous version), validates each document against its schema and the
 * semantic checks, and returns findings with exact ranges.
 */
export class Engine {
	private readonly segmentResults = new WeakMap<ParsedSegment, SegmentResult>();
	private freshAnalyses = 0;
	private readonly resourceSegments = new WeakMap<ParsedSegment, boolean>();
	private readonly extraResults = new WeakMap<ParsedSegment, ExtraResult>();
	private generation = 0;

	constructor(
		private readonly registry: SchemaRegistry,
		private settings: FleetscopeSettings,
		private readonly checks: ResourceCheck[] = [],
		/** The clock for exemption expiry dates (injected by tests). */
		private readonly clock: () => Date = () => new Date(),
	) {}

	/** Today, `YYYY-MM-DD` (UTC): exemptions expire by the day. */
	today(): string {
		return isoDay(this.clock());
	}

	/** Replaces the settings; every cached validation result becomes stale. */
	configure(settings: FleetscopeSettings): void {
		this.settings = settings;
		this.generation++;
	}

	get currentSettings(): FleetscopeSettings {
		return this.settings;
	}

	analyze(input: FileInput, repo: RepoContext = EMPTY_REPO, previous?: FileAnalysis): FileAnalysis {
		const skip = classifyContent(input.text, this.settings.maxFileSizeKb * 1024);
		if (skip) return this.skipped(input.path, skip, input.text);
		const parsed = parseFile(input.text, previous?.path === input.path ? previous.parsed : undefined);
		const partial = repo.isPatchFile(input.path);
		const looksLikeManifest = parsed.segments.some((s) => this.hasResource(s.segment));
		// Segments are shared between parses of the same text: a fresh analysis (no earlier version of
		// the file) computes its findings afresh, as a host that changed injected state expects.
		const fresh = previous?.path === input.path ? '' : `#${++this.freshAnalyses}`;
		const key = `${this.generation}${fresh}|${this.today()}|${repo.version ?? 0}|${repo.rendered?.stamp(input.path) ?? ''}|${partial ? 'p' : 'f'}|${looksLikeManifest ? 'm' : '-'}|${input.path}`;
		const fleet = repo.fleet ?? EMPTY_FLEET;
		const ctx: CheckContext = { path: input.path, today: this.today(), repo, settings: this.settings, targets: targetsOf(fleet, input.path), objects: repo.objects ?? NO_OBJECTS, fleet };
		const findings: Finding[] = [];
		const placements: { result: SegmentResult; base: number; docIndex: number }[] = [];
		let docIndex = 0;
		let startLine = 0;
		for (const { base, segment } of parsed.segments) {
			let result = this.segmentResults.get(segment);
			if (!result || result.key !== key) {
				result = this.validateSegment(segment, key, partial, looksLikeManifest, ctx, segmentDocuments(segment, base, docIndex));
				this.segmentResults.set(segment, result);
			}
			// Findings are cached per segment in segment-local lines and re-placed only when the segment moved to another line.
			if (result.placedAtLine !== startLine) {
				result.placed = result.findings.map((f) => placeAt(f, startLine));
				result.placedAtLine = startLine;
			}
			for (const f of result.placed) findings.push(f);
			placements.push({ result, base, docIndex });
			docIndex += segment.documents.length;
			startLine += segment.newlines;
		}
		return lazyAnalysis(input.path, parsed, findings, input.text, () => {
			const resources: Resource[] = [];
			for (const { result, base, docIndex: first } of placements) {
				for (const { localSpan, ...rest } of result.resources) {
					resources.push({ ...rest, documentIndex: first + rest.documentIndex, span: { start: localSpan.start + base, end: localSpan.end + base } });
				}
			}
			return resources;
		}, () =>
			// Segment-local document indexes made file-wide, as for resources.
			placements.flatMap(({ result, docIndex: first }) => result.evaluations.map((e) => ({ documentIndex: first + e.documentIndex, checks: e.checks }))),
		);
	}

	/**
	 * The findings of `extra` for an analysed file, placed on the exact nodes like the engine's own
	 * (severity settings, Fleet and inline exemptions applied) and cached per YAML document like them:
	 * re-checking an edited file runs `extra` again only for its changed documents, or for all of
	 * them when `extra.key` changed.
	 */
	extraFindings(analysis: FileAnalysis, repo: RepoContext, extra: ExtraProblems): Finding[] {
		if (analysis.skipped) return [];
		const partial = repo.isPatchFile(analysis.path);
		const key = `${this.generation}|${this.today()}|${repo.version ?? 0}|${partial ? 'p' : 'f'}|${analysis.path}|${extra.key}`;
		const out: Finding[] = [];
		let docIndex = 0;
		let startLine = 0;
		for (const { base, segment } of analysis.parsed.segments) {
			let result = this.extraResults.get(segment);
			if (!result || result.key !== key) {
				result = this.checkExtra(segment, segmentDocuments(segment, base, docIndex), key, partial, analysis.path, repo, extra);
				this.extraResults.set(segment, result);
			}
			if (result.placedAtLine !== startLine) {
				result.placed = result.findings.map((f) => placeAt(f, startLine));
				result.placedAtLine = startLine;
			}
			for (const f of result.placed) out.push(f);
			docIndex += segment.documents.length;
			startLine += segment.newlines;
		}
		return out;
	}

	private checkExtra(segment: ParsedSegment, docs: ParsedDocument[], key: string, partial: boolean, path: string, repo: RepoContext, extra: ExtraProblems): ExtraResult {
		const local: LocalFinding[] = [];
		for (const d of docs) {
			const header = d.value === undefined || d.value === null ? undefined : resourceHeader(d.value);
			if (!header) continue;
			const resource: Resource = { ...header, documentIndex: d.index, value: d.value as Record<string, unknown>, span: { start: d.span.start + d.base, end: d.span.end + d.base } };
			const problems = extra.problems(resource, partial);
			if (problems.length > 0) local.push(...applyFleetExemptions(repo.fleetExemptions?.(), this.today(), resource, path, problems.map((p) => this.place(d, p))));
		}
		if (local.length === 0) return { key, findings: [], placed: [], placedAtLine: -1 };
		const lines = new LineIndex(segment.text);
		const findings: Finding[] = [];
		for (const lf of local) {
			const f = this.finish(lf, 0, lines);
			if (f) findings.push(f);
		}
		// The directives' own findings (a fleetscope-ignore without reason) are the engine's, reported once.
		const ids = new Set(findings.map((f) => f.ruleId));
		return { key, findings: applyInlineExemptions(segment.text, findings).filter((f) => ids.has(f.ruleId)), placed: [], placedAtLine: -1 };
	}

	private hasResource(segment: ParsedSegment): boolean {
		let v = this.resourceSegments.get(segment);
		if (v === undefined) {
			v = segment.documents.some((d) => resourceHeader(d.value) !== undefined);
			this.resourceSegments.set(segment, v);
		}
		return v;
	}

	/**
	 * The analysis of a file that is not validated, with the reason as an info note on its first
	 * line. Hosts call it directly for files they do not read at all (over the size limit, unreadable).
	 */
	skipped(path: string, note: string, text = ''): FileAnalysis {
		const lines = new LineIndex(text);
		const firstLine = lines.lineCount > 1 ? lines.lineStart(1) - 1 : text.length;
		const span = { start: 0, end: Math.min(firstLine, 200) };
		const finding = this.finish({ ruleId: 'file-skipped', severity: 'info', message: note, span }, 0, lines);
		return { path, parsed: { text, segments: [], documents: [] }, lines, resources: [], findings: finding ? [finding] : [], skipped: note };
	}

	private validateSegment(
		segment: ParsedSegment,
		key: string,
		partial: boolean,
		looksLikeManifest: boolean,
		ctx: CheckContext,
		docs: ParsedDocument[],
	): SegmentResult {
		const findings: LocalFinding[] = [];
		const resources: LocalResource[] = [];
		const evaluations: Evaluation[] = [];
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
			const value = d.value;
			if (value === null || value === undefined) continue; // empty document: allowed
			const header = resourceHeader(value);
			if (!header) {
				// kustomization.yaml may omit apiVersion and kind: the registry knows it by its file name.
				const fileSchema = this.registry.schemaForFile?.(ctx.path, value);
				if (fileSchema) for (const p of fileSchema.validate(value, { partial, sourceText: scalarSource(d) })) findings.push(this.place(d, p));
				else if (looksLikeManifest && !partial) findings.push(...this.shapeProblems(d, value));
				for (const p of fleetProblemsOf(ctx, d.index)) findings.push(this.place(d, p));
				// A kustomization's own fields produce rendered values (an images entry, a namespace).
				const rendered = ctx.repo.rendered?.problems(ctx.path, d.index) ?? [];
				if (rendered.length > 0) findings.push(...this.placeRendered(ctx, d, rendered));
				continue;
			}
			const resource: LocalResource = {
				...header,
				documentIndex: d.index - docs[0].index, // local to the segment; placed in analyze()
				value: value as Record<string, unknown>,
				localSpan: d.span,
			};
			resources.push(resource);
			const problems: SchemaProblem[] = [];
			const schema = this.registry.lookup(header.apiVersion, header.kind);
			if (schema) problems.push(...schema.validate(value, { partial, sourceText: scalarSource(d) }));
			const full: Resource = { ...resource, span: d.span };
			const evaluated: string[] = [];
			// What a cluster receives is what compliance judges: where the renders cover this document, their findings replace the raw ones.
			const covered = ctx.repo.rendered?.covers(ctx.path, d.index) ?? false;
			for (const c of this.checks) {
				if ((covered && c.compliance) || !c.appliesTo(full)) continue;
				problems.push(...c.check(full, ctx));
				// Recorded for compliance reports (a pass is "evaluated, nothing found"); cached with the findings.
				if (c.evaluates?.(full, ctx) ?? true) evaluated.push(c.id);
			}
			if (covered) evaluated.push(...ctx.repo.rendered!.evaluated(ctx.path, d.index));
			if (evaluated.length > 0) evaluations.push({ documentIndex: resource.documentIndex, checks: evaluated });
			problems.push(...fleetProblemsOf(ctx, d.index));
			const placed = foldTypos(problems).map((p) => this.place(d, p));
			findings.push(...applyFleetExemptions(ctx.repo.fleetExemptions?.(), this.today(), full, ctx.path, placed));
			// Also on documents no object is rendered from: a patch that set the value, for one.
			const rendered = ctx.repo.rendered?.problems(ctx.path, d.index) ?? [];
			if (rendered.length > 0) findings.push(...this.placeRendered(ctx, d, rendered));
		}
		const local = new LineIndex(segment.text);
		const placed: Finding[] = [];
		for (const lf of findings) {
			const f = this.finish(lf, 0, local);
			if (f) placed.push(f);
		}
		const exempted = applyInlineExemptions(segment.text, placed).flatMap((f) => {
			// Findings the exemptions add still obey the severity settings.
			const override = f.ruleId === 'exemption-invalid' ? this.settings.severity[f.ruleId] : undefined;
			return override === 'off' ? [] : [override ? { ...f, severity: override } : f];
		});
		return { key, findings: exempted, resources, evaluations, placed: [], placedAtLine: -1 };
	}

	/**
	 * Places the rendered compliance problems of a document; Fleet exemptions match the rendered
	 * object (its final namespace), since that is what the cluster receives.
	 */
	private placeRendered(ctx: CheckContext, d: ParsedDocument, rendered: readonly RenderedProblem[]): LocalFinding[] {
		const out: LocalFinding[] = [];
		for (const p of rendered) {
			const placed = [this.place(d, p)];
			const o = p.object;
			const like = { apiVersion: '', kind: o.kind, group: '', version: '', name: o.name, namespace: o.namespace, documentIndex: d.index, span: d.span, value: {} } as Resource;
			out.push(...applyFleetExemptions(ctx.repo.fleetExemptions?.(), this.today(), like, ctx.path, placed));
		}
		return out;
	}

	private shapeProblems(d: ParsedDocument, value: unknown): LocalFinding[] {
		const span = d.span.end > d.span.start ? { start: d.span.start, end: firstLineEnd(d.segment.text, d.span.start, d.span.end) } : d.span;
		if (!isPlainObject(value)) {
			const what = Array.isArray(value) ? 'a list' : `a ${typeof value} value`;
			return [{ ruleId: 'resource-shape', severity: 'error', message: `This document is ${what}, not a Kubernetes object. Each document of a manifest file must be a mapping with apiVersion and kind.`, span }];
		}
		const missing = ['apiVersion', 'kind'].filter((k) => typeof value[k] !== 'string');
		if (missing.length === 2 && Object.keys(value).length > 0 && !('metadata' in value) && !('spec' in value)) return [];
		const root = nodeAt(d.doc, []);
		const first = isMap(root) && root.items[0] && isPair(root.items[0]) ? spanOf(root.items[0].key as YamlNode) : undefined;
		return [
			{
				ruleId: 'resource-shape',
				severity: 'error',
				message: `This object has no ${missing.join(' and no ')}: every Kubernetes object needs ${missing.join(' and ')} as strings, or it cannot be applied.`,
				span: first ?? span,
			},
		];
	}

	/** Turns a schema problem (a path inside the resource) into a finding on the exact node. */
	private place(d: ParsedDocument, p: SchemaProblem): LocalFinding {
		let node: YamlNode | undefined;
		if (p.target === 'key') node = keyNodeAt(d.doc, p.path) ?? nodeAt(d.doc, p.path);
		else if (p.target === 'value') node = nodeAt(d.doc, p.path) ?? keyNodeAt(d.doc, p.path);
		else node = p.path.length > 0 ? keyNodeAt(d.doc, p.path) : undefined;
		// Fall back to the nearest ancestor that exists, then to the first key of the document.
		for (let i = p.path.length - 1; !node && i > 0; i--) node = keyNodeAt(d.doc, p.path.slice(0, i));
		let span = spanOf(node);
		if (p.within && isScalar(node) && typeof node.value === 'string' && node.range) span = valueSpanInSource(d.segment.text, node.range[0], node.range[1], node.type ?? 'PLAIN', node.value, p.within) ?? span;
		if (!span) {
			const root = nodeAt(d.doc, []);
			const first = isMap(root) && root.items[0] && isPair(root.items[0]) ? (root.items[0].key as YamlNode) : undefined;
			span = spanOf(first) ?? { start: d.span.start, end: firstLineEnd(d.segment.text, d.span.start, d.span.end) };
		}
		const meta = ruleMeta(p.ruleId);
		return { ruleId: p.ruleId, severity: p.severity ?? meta?.defaultSeverity ?? 'error', message: p.message, span, data: p.data };
	}

	/** Applies severity overrides and places a local finding in the file. */
	private finish(lf: LocalFinding, base: number, lines: LineIndex): Finding | undefined {
		const override = this.settings.severity[lf.ruleId];
		if (override === 'off') return undefined;
		// A compliance finding is reported while any framework it evidences is enabled.
		const meta = ruleMeta(lf.ruleId);
		const frameworks = meta ? frameworksOf(meta) : [];
		if (frameworks.length > 0 && !frameworks.some((f) => (this.settings['compliance.profiles'] as string[]).includes(f))) return undefined;
		return {
			ruleId: lf.ruleId,
			severity: override ?? lf.severity,
			message: lf.message,
			range: lines.rangeOf({ start: lf.span.start + base, end: lf.span.end + base }),
			data: lf.data,
		};
	}
}

/** Broken references of the fleet graph in one document (missing path, unknown sourceRef, dependsOn cycle), found by discovery. */
function fleetProblemsOf(ctx: CheckContext, documentIndex: number): SchemaProblem[] {
	let byFile = problemIndex.get(ctx.fleet);
	if (!byFile) {
		// Asked for every document of every file: index the model's problems once.
		byFile = new Map();
		for (const fp of ctx.fleet.problems) {
			const key = `${fp.location.file}#${fp.documentIndex}`;
			const list = byFile.get(key) ?? [];
			list.push({ ruleId: fp.ruleId, path: fp.path, target: fp.target, message: fp.message, severity: fp.severity });
			byFile.set(key, list);
		}
		problemIndex.set(ctx.fleet, byFile);
	}
	return byFile.get(`${ctx.path}#${documentIndex}`) ?? [];
}

const problemIndex = new WeakMap<FleetModel, Map<string, SchemaProblem[]>>();

/** The source text of the scalar at a path of a document: lets schema messages explain the YAML 1.1 trap (`1.30` read as 1.3). */
function scalarSource(d: ParsedDocument): (path: NodePath) => string | undefined {
	return (path) => {
		const node = nodeAt(d.doc, path);
		return isScalar(node) && node.range ? d.segment.text.slice(node.range[0], node.range[1]) : undefined;
	};
}

/**
 * One finding per problem: a misspelled required field (`intervall` for `interval`) is one unknown
 * field whose did-you-mean names the missing field, not also a separate "missing interval".
 */
export function foldTypos(problems: SchemaProblem[]): SchemaProblem[] {
	const typos = problems.filter((p) => p.ruleId === 'schema-unknown-field' && p.data?.replacement);
	if (typos.length === 0) return problems;
	const dropped = new Set<SchemaProblem>();
	const out: SchemaProblem[] = [];
	for (const p of problems) {
		const missing = p.ruleId === 'schema-required' ? p.data?.missing : undefined;
		if (missing && missing.length === 1 && p.data?.path) {
			const parent = JSON.stringify(p.data.path);
			const typo = typos.find((t) => t.data!.replacement === missing[0] && JSON.stringify(t.path.slice(0, -1)) === parent);
			if (typo) {
				dropped.add(typo);
				out.push({ ...typo, message: `${typo.message} It is required.` });
				continue;
			}
		}
		out.push(p);
	}
	return out.filter((p) => !dropped.has(p));
}

function firstLineEnd(text: string, start: number, end: number): number {
	const nl = text.indexOf('\n', start);
	return nl === -1 || nl > end ? end : nl;
}
