import type { FleetscopeSettings } from '../../../../shared/settings';
import { NO_OBJECTS } from '../core/objects';
import { parseFile, segmentDocuments, unparsedFile, type ParsedDocument, type ParsedFile, type ParsedSegment } from '../core/parse';
import { resourceHeader, resourceOf, type Resource } from '../core/resource';
import { settingsFileFindings } from '../rules/settings-file';
import { classifyContent, templateNote } from '../core/skip';
import { LineIndex } from '../core/text';
import type { SegmentedText } from '../core/segmented-text';
import { SharedValues } from '../core/shared-values';
import type { Finding } from '../core/types';
import { EMPTY_REPO, type CheckContext, type DriftLineFinding, type Evaluation, type RepoContext, type ResourceCheck } from '../context/check-context';
import { targetsOf } from '../fleet/clusters';
import { isoDay } from '../fleet/exemptions';
import { FleetIndex } from '../fleet/fleet-index';
import { EMPTY_FLEET } from '../fleet/types';
import type { SchemaRegistry } from '../schema/types';
import { adjust, adjustText } from './adjust';
import { checkSegment, checkSegmentLive, type LocalResource } from './document-checks';
import { placeAt } from './placement';
import { limitFloods } from './flood';

export interface FileInput {
	/** Repo-relative posix path (used for patch detection and messages). */
	path: string;
	/** The file's text: a string, or an open document's segmented text (an edit of it re-parses only the segments it changed). */
	text: string | SegmentedText;
}

/** The result of analysing one version of a file. Pass it back as `previous` for the next version. */
export interface FileAnalysis {
	readonly path: string;
	readonly parsed: ParsedFile;
	readonly lines: LineIndex;
	readonly resources: Resource[];
	/** Every finding of every source, adjusted (severity settings, exemptions), in document order. */
	readonly findings: Finding[];
	/** Set when the file was not parsed at all (Helm template, SOPS, binary, too large). */
	readonly skipped?: string;
	/**
	 * Which checks evaluated which resource: with the findings, what a compliance report needs to
	 * tell "passed" from "not evaluated". Absent for files that were not parsed.
	 */
	readonly evaluations?: readonly Evaluation[];
	/** @internal The engine's results per segment, for the analysis of the next version (`previous`). */
	readonly segmentResults?: unknown;
}

/** What one source found in one segment, with the key it was computed for; findings are adjusted and segment-local. */
interface Cached {
	key: string;
	findings: Finding[];
	/** The same findings placed at `placedAtLine`, reused while the segment stays on that line. */
	placed: Finding[];
	placedAtLine: number;
}

interface StaticCached extends Cached {
	resources: LocalResource[];
	evaluations: Evaluation[];
}

/**
 * Each segment's results of one analysis, by position, kept with the analysis: the next version's
 * analysis (an edit) finds the results of the segments it did not change there. A long-lived
 * `WeakMap` keyed by segment held them before, and V8's scavenger moved every edited segment's
 * results to the old generation even after the edit after it had dropped the segment (the
 * server's memory grew while the user typed).
 */
interface SegmentResults {
	readonly engine: Engine;
	readonly segments: readonly ParsedSegment[];
	readonly statics: readonly StaticCached[];
	readonly lives: readonly (Cached | undefined)[];
}

/** The entry of a segment in the previous version's results: at the same position, or at the same distance from the end (after an edit above it). */
function cachedAt<T>(previous: SegmentResults, list: readonly T[], segments: readonly ParsedSegment[], i: number): T | undefined {
	if (previous.segments[i] === segments[i]) return list[i];
	const j = i - segments.length + previous.segments.length;
	return j >= 0 && previous.segments[j] === segments[i] ? list[j] : undefined;
}

/**
 * The validation engine: pure, synchronous and cache-friendly. One call of `analyze` is one
 * analysis of one version of a file: every source of findings (syntax, schema, checks, fleet
 * problems, rendered compliance, live state, the settings file) runs through the same pipeline and
 * is adjusted in one place (`adjust.ts`). Each source's results are cached per YAML segment under
 * the key of what they depend on, so an edit re-runs only the changed documents, and a change of
 * the live state re-runs only the live source.
 */
export class Engine {
	/** Live results of fresh analyses (the background's), reused while the live view is the same. */
	private readonly liveResults = new WeakMap<ParsedSegment, Cached>();
	private readonly resourceSegments = new WeakMap<ParsedSegment, boolean>();
	/** The fleet lookups of the last model seen, for repositories that do not bring their own. */
	private fleetIndex = new FleetIndex(EMPTY_FLEET);
	/** The distinct messages of the findings made so far (see `shareMessages`). */
	private readonly messages = new SharedValues<string>(MAX_SHARED_MESSAGES);
	/** The distinct lists of check ids that evaluated a resource (an open document's analysis keeps one per resource). */
	private readonly idLists = new SharedValues<readonly string[]>(MAX_SHARED_ID_LISTS);
	private readonly shareIds = (ids: string[]): readonly string[] => this.idLists.share(ids.join(','), ids);
	private generation = 0;
	/** Analyses run so far (tests count them per edit). */
	analyses = 0;

	constructor(
		private readonly registry: SchemaRegistry,
		private settings: FleetscopeSettings,
		private readonly checks: readonly ResourceCheck[] = [],
		/** The clock for dates (exemption expiry, DR evidence), injected by tests. */
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
		this.analyses++;
		const skip = classifyContent(input.text, this.settings.maxFileSizeKb * 1024);
		if (skip) return this.skipped(input.path, skip, input.text.toString());
		const parsed = parseFile(input.text, previous?.path === input.path ? previous.parsed : undefined);
		const template = templateNote(input.path, input.text, parsed, (p) => repo.exists(p));
		if (template) return this.skipped(input.path, template, input.text.toString());
		const ctx = this.contextOf(input.path, repo);
		const segments = parsed.segmentList;
		const bases = parsed.segmentBases;
		const looksLikeManifest = segments.some((s) => this.hasResource(s));
		// Segments are shared between parses of the same text: a fresh analysis (no earlier version of
		// the file) computes its findings afresh, as a host that changed injected state expects.
		const fresh = previous?.path !== input.path;
		const base = `${this.generation}|${ctx.today}|${repo.version ?? 0}|${ctx.partial ? 'p' : 'f'}|${input.path}`;
		const staticKey = `${base}|${repo.rendered?.stamp(input.path) ?? ''}|${looksLikeManifest ? 'm' : '-'}`;
		const liveKey = repo.live ? `${base}|${repo.live.key}` : undefined;
		const findings: Finding[] = [];
		const kept = previous?.path === input.path ? (previous.segmentResults as SegmentResults | undefined) : undefined;
		const reusable = kept?.engine === this ? kept : undefined;
		// Per segment, in order: its static results (placed into the file only when resources or evaluations are read), and its live ones.
		const results = new Array<StaticCached>(segments.length);
		const lives = new Array<Cached | undefined>(liveKey ? segments.length : 0);
		let docIndex = 0;
		let startLine = 0;
		for (let i = 0; i < segments.length; i++) {
			const segment = segments[i];
			const offset = bases[i];
			// Placed only for the sources computed now: an edit reuses the results of every other segment.
			let docs: ParsedDocument[] | undefined;
			// A fresh analysis (no earlier version) computes afresh: most are of files nobody edits next (the scan, the CLI).
			let result = fresh || !reusable ? undefined : cachedAt(reusable, reusable.statics, segments, i);
			if (!result || result.key !== staticKey) {
				docs = segmentDocuments(segment, offset, docIndex);
				const checked = checkSegment(segment, docs, { registry: this.registry, checks: this.checks, looksLikeManifest, ctx, shareIds: this.shareIds });
				result = { key: staticKey, findings: this.shareMessages(adjustText(segment.text, checked.findings, this.settings, true)), resources: checked.resources, evaluations: checked.evaluations, placed: [], placedAtLine: -1 };
			}
			for (const f of placed(result, startLine)) findings.push(f);
			if (liveKey) {
				let live = fresh ? this.liveResults.get(segment) : reusable && cachedAt(reusable, reusable.lives, segments, i);
				if (!live || live.key !== liveKey) {
					docs ??= segmentDocuments(segment, offset, docIndex);
					live = { key: liveKey, findings: adjustText(segment.text, checkSegmentLive(docs, ctx), this.settings, false), placed: [], placedAtLine: -1 };
					if (fresh) this.liveResults.set(segment, live);
				}
				for (const f of placed(live, startLine)) findings.push(f);
				lives[i] = live;
			}
			results[i] = result;
			docIndex += segment.documents.length;
			startLine += segment.newlines;
		}
		if (repo.settingsFile === input.path) findings.push(...this.settingsFileSource(input.text.toString()));
		const drift = repo.drift?.findings(input.path) ?? [];
		if (drift.length > 0) findings.push(...this.driftSource(input.text.toString(), drift));
		// Identical findings merge; syntax findings are capped per document (flood.ts).
		const segmentResults: SegmentResults = { engine: this, segments, statics: results, lives };
		return new LazyAnalysis(input.path, parsed, limitFloods(findings, () => documentStartLines(segments)), input.text, segmentResults);
	}

	/**
	 * The analysis of a file that is not validated, with the reason as an info note on its first
	 * line. Hosts call it directly for files they do not read at all (over the size limit, unreadable).
	 */
	skipped(path: string, note: string, text = ''): FileAnalysis {
		const lines = new LineIndex(text);
		const firstLine = lines.lineCount > 1 ? lines.lineStart(1) - 1 : text.length;
		const finding = adjust({ ruleId: 'file-skipped', severity: 'info', message: note, span: { start: 0, end: Math.min(firstLine, 200) } }, this.settings, lines);
		return { path, parsed: unparsedFile(text), lines, resources: [], findings: finding ? [finding] : [], skipped: note };
	}

	/**
	 * Findings with their messages shared: a repository repeats few messages many times (the Kyverno
	 * library: 463 distinct messages of about 260 characters in 69,000 findings), and each finding
	 * would otherwise hold its own copy, built piece by piece.
	 */
	private shareMessages(findings: Finding[]): Finding[] {
		for (const f of findings) f.message = this.messages.share(f.message, f.message);
		return findings;
	}

	/** The context every check of one file's analysis receives. */
	private contextOf(path: string, repo: RepoContext): CheckContext {
		const fleet = repo.fleet ?? EMPTY_FLEET;
		let fleetIndex = repo.fleetIndex;
		if (!fleetIndex || fleetIndex.model !== fleet) {
			if (this.fleetIndex.model !== fleet) this.fleetIndex = new FleetIndex(fleet);
			fleetIndex = this.fleetIndex;
		}
		return {
			path,
			today: this.today(),
			repo,
			settings: this.settings,
			targets: targetsOf(fleet, path),
			objects: repo.objects ?? NO_OBJECTS,
			fleet,
			fleetIndex,
			partial: repo.isPatchFile(path),
			perResource: new WeakMap(),
		};
	}

	/** The repository's settings file: its first mistake, on its text (the editor's, unsaved). */
	private settingsFileSource(text: string): Finding[] {
		const found = settingsFileFindings(text);
		return found ? adjustText(text, [found], this.settings, false) : [];
	}

	/** Drift on the lines that produced the values the clusters run otherwise: each from the first character of its line to its end. */
	private driftSource(text: string, drift: readonly DriftLineFinding[]): Finding[] {
		const lines = new LineIndex(text);
		const local = drift.map((d) => {
			const start = lines.lineStart(d.line);
			const end = d.line + 1 < lines.lineCount ? lines.lineStart(d.line + 1) - 1 : text.length;
			const indent = /^[ \t-]*/.exec(text.slice(start, end))![0].length;
			return { ruleId: d.ruleId, severity: d.severity, message: d.message, span: { start: Math.min(start + indent, end), end } };
		});
		return adjustText(text, local, this.settings, false);
	}

	private hasResource(segment: ParsedSegment): boolean {
		let v = this.resourceSegments.get(segment);
		if (v === undefined) {
			v = segment.documents.some((d) => resourceHeader(d.value) !== undefined);
			this.resourceSegments.set(segment, v);
		}
		return v;
	}
}

/** Distinct messages kept for sharing; past this many the table starts again. */
const MAX_SHARED_MESSAGES = 20_000;
/** Distinct lists of check ids kept for sharing. */
const MAX_SHARED_ID_LISTS = 2_000;

/** Each segment's static results with the segment's offset in the file and the file-wide index of its first document. */
function forEachPlaced(parsed: ParsedFile, results: readonly StaticCached[], visit: (result: StaticCached, offset: number, firstDocument: number) => void): void {
	let docIndex = 0;
	parsed.segmentList.forEach((segment, i) => {
		visit(results[i], parsed.segmentBases[i], docIndex);
		docIndex += segment.documents.length;
	});
}

/** The first line of each segment (what flood control needs to cap syntax findings per document). */
function documentStartLines(segments: readonly ParsedSegment[]): number[] {
	const out = new Array<number>(segments.length);
	let line = 0;
	for (let i = 0; i < segments.length; i++) {
		out[i] = line;
		line += segments[i].newlines;
	}
	return out;
}

/** A source's cached findings placed at a segment's first line (re-placed only when the segment moved). */
function placed(result: Cached, line: number): Finding[] {
	if (result.placedAtLine !== line) {
		result.placed = result.findings.map((f) => placeAt(f, line));
		result.placedAtLine = line;
	}
	return result.placed;
}

/**
 * The analysis with its line index, resources and evaluations built on first use: validating an
 * edit needs none of them, only hover, completion, symbols and reports do. A class, not an object
 * literal with getters and closures: an open document's analysis is kept per document, and each
 * literal held five functions of its own.
 */
class LazyAnalysis implements FileAnalysis {
	private lineIndex: LineIndex | undefined;
	private placedResources: Resource[] | undefined;
	private placedEvaluations: Evaluation[] | undefined;

	constructor(
		readonly path: string,
		readonly parsed: ParsedFile,
		readonly findings: Finding[],
		private readonly text: string | SegmentedText,
		readonly segmentResults: SegmentResults,
	) {}

	get lines(): LineIndex {
		return (this.lineIndex ??= new LineIndex(this.text));
	}

	get resources(): Resource[] {
		if (!this.placedResources) {
			const resources: Resource[] = [];
			forEachPlaced(this.parsed, this.segmentResults.statics, (result, offset, first) => {
				for (const r of result.resources) resources.push(resourceOf(r, first + r.documentIndex, { start: r.localSpan.start + offset, end: r.localSpan.end + offset }, r.value));
			});
			this.placedResources = resources;
		}
		return this.placedResources;
	}

	get evaluations(): Evaluation[] {
		if (!this.placedEvaluations) {
			// Segment-local document indexes made file-wide, as for resources.
			const evaluations: Evaluation[] = [];
			forEachPlaced(this.parsed, this.segmentResults.statics, (result, _offset, first) => {
				for (const e of result.evaluations) evaluations.push({ documentIndex: first + e.documentIndex, checks: e.checks });
			});
			this.placedEvaluations = evaluations;
		}
		return this.placedEvaluations;
	}
}
