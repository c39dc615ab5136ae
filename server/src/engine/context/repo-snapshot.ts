import { MAX_ALIAS_COUNT, parseFile, type ParsedFile } from '../core/parse';
import { isIncluded, isKustomizationFile, isYamlFile, normalisePath } from '../core/paths';
import { isPlainObject } from '../core/resource';
import { ObjectSet, type IndexedObject, type ObjectIndex } from '../core/objects';
import type { FleetscopeSettings } from '../../../../shared/settings';
import { ExemptionSet, readFleetExemptions, type FleetExemption } from '../fleet/exemptions';
import { FleetIndex } from '../fleet/fleet-index';
import { EMPTY_FLEET, type FleetModel } from '../fleet/types';
import { patchPathsOf } from '../kustomize/patch-paths';
import { kustomizationReferences } from '../kustomize/references';
import { chainsawAssertionPaths, isKuttlAssertionFile } from '../fleet/tool-configs';
import type { DriftView, LiveView, RenderedView, RepoContext } from './check-context';
import { objectsOfDocuments, objectsOfText } from './repo-objects';

/** The file system of one repository, injected by the host (Node fs in the CLI and server, an in-memory map in tests). */
export interface RepoFileSystem {
	/** Every file of the repository, as repo-relative posix paths (directories are derived). */
	listFiles(): Promise<string[]>;
	/** A file's text, or undefined if it cannot be read or is larger than `maxBytes` (then it is not loaded at all). */
	readFile(relPath: string, maxBytes?: number): Promise<string | undefined>;
	/** Lets other work run (the host's event loop): `build` reads the repository in batches with a pause between them. */
	pause?(): Promise<void>;
}

/** Files read and judged between two pauses while a snapshot is built. */
const BUILD_BATCH = 128;

/**
 * A key that is a JMESPath expression (a filter, a comparison, a function call): `(conditions[?type ==
 * 'Ready'])`, `(length(spec.containers))`. Kyverno's conditional anchor `(image)` is a plain field
 * name in parentheses and does not match.
 */
const ASSERTION_KEY = /^[ \t]*(?:- )?\((?=[^\n]*[[?='\s(][^\n]*\)[ \t]*:)[^\n]*\)[ \t]*:/m;

/** The kustomization fields whose files kustomize reads as objects (generator sources are data, not YAML objects). */
const KUSTOMIZE_INPUTS = new Set(['resources', 'bases', 'patches', 'crds']);

/** Larger files are not read while building a snapshot (hosts read them again, with their size limit). */
export const PREFETCH_MAX_CHARS = 1024 * 1024;

type Labels = Record<string, string>;

/** What one file contributes to the repository's facts: what rules read about the repository as a whole. */
export interface FileFacts {
	/** Patch files a kustomization names, or assertion files a chainsaw Test names (partial objects by design). */
	readonly patches?: readonly string[];
	/** The files a kustomization builds from (resources, patches, crds): kustomize reads them (`readsThroughKustomize`). */
	readonly kustomizeInputs?: readonly string[];
	/** Labels of the Namespaces it declares. */
	readonly namespaces?: ReadonlyMap<string, Labels>;
	/** Exemptions of a Fleet file. */
	readonly exemptions?: readonly FleetExemption[];
	/** The objects cross-resource rules read (`repo-objects.ts`). */
	readonly objects?: readonly IndexedObject[];
}

const NO_FACTS: FileFacts = {};

/** The facts of one file's text (undefined: unreadable or absent). Cheap pre-filters keep most files unparsed. */
export function factsOf(path: string, text: string | undefined): FileFacts {
	if (text === undefined || !isYamlFile(path)) return NO_FACTS;
	const out: { -readonly [K in keyof FileFacts]: FileFacts[K] } = {};
	const wantsNamespaces = /^kind:\s*["']?Namespace["']?\s*$/m.test(text);
	const wantsFleet = /^kind:\s*["']?Fleet["']?\s*$/m.test(text);
	const kustomization = isKustomizationFile(path);
	const chainsaw = !kustomization && /^apiVersion:\s*["']?chainsaw\.kyverno\.io\//m.test(text);
	// A file these facts parse whole is parsed once: its objects come from the same documents.
	let parsed: ParsedFile | undefined;
	if (wantsNamespaces || wantsFleet || kustomization || chainsaw) {
		parsed = parseFile(text);
		const values = documentValues(parsed);
		if (kustomization) {
			const patches = patchPathsOf(path, values[0]);
			if (patches.length > 0) out.patches = patches;
			const inputs = kustomizationReferences(path, text, undefined, parsed).filter((r) => !r.remote && KUSTOMIZE_INPUTS.has(r.field)).map((r) => r.target);
			if (inputs.length > 0) out.kustomizeInputs = inputs;
		}
		if (chainsaw) {
			// The files a chainsaw Test asserts against are partial, like patches (fleet/tool-configs.ts).
			const assertions = values.flatMap((v) => chainsawAssertionPaths(path, v));
			if (assertions.length > 0) out.patches = assertions;
		}
		if (wantsNamespaces) {
			const found = new Map<string, Labels>();
			for (const value of values) {
				if (!isPlainObject(value) || value.kind !== 'Namespace' || value.apiVersion !== 'v1' || !isPlainObject(value.metadata)) continue;
				const { name, labels } = value.metadata;
				if (typeof name !== 'string') continue;
				const l: Labels = {};
				if (isPlainObject(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') l[k] = v;
				found.set(name, l);
			}
			if (found.size > 0) out.namespaces = found;
		}
		if (wantsFleet) {
			const exemptions = values.flatMap((v) => readFleetExemptions(v, path));
			if (exemptions.length > 0) out.exemptions = exemptions;
		}
	}
	// A key written as a JMESPath expression (`(conditions[?type == 'Ready']):`) is chainsaw's or
	// Kyverno's assertion syntax, never a Kubernetes field: the file is an assertion, partial by design.
	if (!kustomization && ASSERTION_KEY.test(text)) out.patches = [...(out.patches ?? []), path];
	const objects = parsed ? objectsOfDocuments(path, parsed.documents) : objectsOfText(path, text);
	if (objects.length > 0) out.objects = objects;
	return Object.keys(out).length === 0 ? NO_FACTS : out;
}

/**
 * What `factsOf` found for files' exact texts, kept by a host between runs (its own storage and
 * keys): a later start reads the facts of unchanged files instead of parsing them again.
 */
export interface FactsCache {
	/** The facts kept for this exact text of this file, if any. */
	get(path: string, text: string): FileFacts | undefined;
	/** Keeps the facts of this text of this file. */
	set(path: string, text: string, facts: FileFacts): void;
	/** The build read every file: keep what it found for these (the other files are gone). */
	done(paths: ReadonlySet<string>): void;
}

/** A file's facts, from the cache when it has them for this text (an empty record there is NO_FACTS). */
function factsFor(path: string, text: string | undefined, cache: FactsCache | undefined): FileFacts {
	if (text === undefined || cache === undefined) return factsOf(path, text);
	const kept = cache.get(path, text);
	if (kept !== undefined) return Object.keys(kept).length === 0 ? NO_FACTS : kept;
	const found = factsOf(path, text);
	cache.set(path, text, found);
	return found;
}

/** A file created or changed (with its text; undefined when it cannot be read), or deleted. */
export type FileChange = { path: string; text: string | undefined } | { path: string; deleted: true };

/** Snapshot versions are unique across every repository of the process, so caches shared between folders never confuse two. */
let lastVersion = 0;

/**
 * An immutable view of one repository at one moment: which files exist, what they say about the
 * repository as a whole (patch files, Namespace labels, Fleet exemptions, the objects cross-resource
 * rules read), the fleet model, the rendered findings and the live view. Every change (a file edit,
 * a file event, a rediscovery, a render, a live update) makes a new snapshot with `with…`; checks
 * read one snapshot from start to end. Derived lookups are built on first use and shared by the
 * snapshots they hold for (`FileLookups`, `FleetLookups`); no snapshot holds an earlier one.
 *
 * `version` changes exactly when something a check reads changes (files, facts, the fleet model),
 * so cached validations stay valid across edits that change no repository fact.
 */
export class RepoSnapshot implements RepoContext {
	private constructor(
		/** The files, their facts and the lookups over them: shared by every snapshot of the same files and facts. */
		private readonly known: FileLookups,
		readonly version: number,
		/** What the snapshot carries besides the files and their facts. */
		private readonly views: Views,
	) {}

	/** A repository of no files, where every path exists (single files checked on their own). */
	static empty(): RepoSnapshot {
		return new RepoSnapshot(new FileLookups(new Set(), new Map()), ++lastVersion, NO_VIEWS);
	}

	private get fileSet(): ReadonlySet<string> {
		return this.known.files;
	}

	private get factsByFile(): ReadonlyMap<string, FileFacts> {
		return this.known.facts;
	}

	/** The fleet model: environments, clusters, apps, and which clusters each file reaches. */
	get fleet(): FleetModel | undefined {
		return this.views.fleet.model;
	}

	get rendered(): RenderedView | undefined {
		return this.views.rendered;
	}

	get live(): LiveView | undefined {
		return this.views.live;
	}

	get drift(): DriftView | undefined {
		return this.views.drift;
	}

	get settingsFile(): string | undefined {
		return this.views.settingsFile;
	}

	/** The same files and facts with other views (`version`: a new one where a check reads the change). */
	private with(views: Partial<Views>, version = this.version): RepoSnapshot {
		return new RepoSnapshot(this.known, version, { ...this.views, ...views });
	}

	/**
	 * Lists and reads the repository once. `keep` receives every YAML text read (up to
	 * PREFETCH_MAX_CHARS), so a host can validate them without reading them again; `cache` gives the
	 * facts of texts seen before and keeps the others'.
	 */
	static async build(fs: RepoFileSystem, keep?: (path: string, text: string) => void, cache?: FactsCache): Promise<RepoSnapshot> {
		const files = new Set((await fs.listFiles()).map(normalisePath));
		const facts = new Map<string, FileFacts>();
		const yaml = [...files].filter(isYamlFile);
		for (let i = 0; i < yaml.length; i += BUILD_BATCH) {
			if (i > 0) await fs.pause?.();
			await Promise.all(
				yaml.slice(i, i + BUILD_BATCH).map(async (f) => {
					const text = await fs.readFile(f, PREFETCH_MAX_CHARS);
					const found = factsFor(f, text, cache);
					if (found !== NO_FACTS) facts.set(f, found);
					if (text !== undefined && text.length <= PREFETCH_MAX_CHARS) keep?.(f, text);
				}),
			);
		}
		cache?.done(new Set(yaml));
		return new RepoSnapshot(new FileLookups(files, facts), ++lastVersion, NO_VIEWS);
	}

	/** The snapshot after these files changed; `this` when no file was added or removed and no fact changed. */
	withFiles(changes: readonly FileChange[]): RepoSnapshot {
		let files: Set<string> | undefined;
		let facts: Map<string, FileFacts> | undefined;
		for (const change of changes) {
			const p = normalisePath(change.path);
			const deleted = 'deleted' in change;
			if (deleted ? this.fileSet.has(p) || files?.has(p) : !(files ?? this.fileSet).has(p)) {
				files ??= new Set(this.fileSet);
				if (deleted) files.delete(p);
				else files.add(p);
			}
			const next = deleted ? NO_FACTS : factsOf(p, change.text);
			const before = (facts ?? this.factsByFile).get(p) ?? NO_FACTS;
			if (sameFacts(before, next)) continue;
			facts ??= new Map(this.factsByFile);
			if (next === NO_FACTS) facts.delete(p);
			else facts.set(p, next);
		}
		if (!files && !facts) return this;
		return new RepoSnapshot(new FileLookups(files ?? this.fileSet, facts ?? this.factsByFile), ++lastVersion, this.views);
	}

	/** The snapshot with this fleet model; `this` when the model equals the current one. */
	withFleet(model: FleetModel): RepoSnapshot {
		const current = this.views.fleet.model;
		if (current !== undefined && sameFleet(current, model)) return this;
		return this.with({ fleet: new FleetLookups(model) }, ++lastVersion);
	}

	/**
	 * The snapshot with these rendered findings. The version stays: each file's stamp in the view
	 * tells which cached validations to redo.
	 */
	withRendered(view: RenderedView | undefined): RepoSnapshot {
		return view === this.rendered ? this : this.with({ rendered: view });
	}

	/** The snapshot with this live view (its `key` tells which cached live findings to redo). */
	withLive(view: LiveView | undefined): RepoSnapshot {
		return view === this.live ? this : this.with({ live: view });
	}

	/** The snapshot with this settings file (the one its folder reads, whose mistakes are findings on it). */
	withSettingsFile(rel: string | undefined): RepoSnapshot {
		return rel === this.settingsFile ? this : this.with({ settingsFile: rel });
	}

	/** The snapshot with this drift between Git and the clusters. */
	withDrift(view: DriftView | undefined): RepoSnapshot {
		return view === this.drift ? this : this.with({ drift: view });
	}

	/** Every file of the repository, sorted. */
	files(): readonly string[] {
		return this.lookups().sortedFiles;
	}

	/** YAML files that the settings include and do not exclude, sorted. */
	validatedFiles(settings: FleetscopeSettings): string[] {
		return this.files().filter((f) => isYamlFile(f) && isIncluded(f, settings));
	}

	hasFile(path: string): boolean {
		return this.fileSet.has(normalisePath(path));
	}

	exists(path: string): boolean {
		const p = normalisePath(path);
		if (this.fileSet.size === 0) return true; // nothing known: never claim a path is missing
		return p === '' || this.fileSet.has(p) || this.lookups().dirs.has(p);
	}

	/** Kustomize patches and test assertions (chainsaw, KUTTL): documents partial by design. */
	isPatchFile(path: string): boolean {
		const p = normalisePath(path);
		return this.lookups().patchFiles.has(p) || isKuttlAssertionFile(p);
	}

	/**
	 * Whether kustomize reads a file before a cluster receives it: a kustomization names it, or it
	 * lies in a path a Flux Kustomization syncs (kustomize-controller builds every path). kustomize
	 * reads YAML 1.2, so `on`/`yes` there are strings (kustomize/kyaml-scalars.ts).
	 */
	readsThroughKustomize(path: string): boolean {
		const p = normalisePath(path);
		if (this.lookups().kustomizeInputs.has(p)) return true;
		// The paths Flux builds, once per fleet model; then the file's directories (a look-up per level, not per synced path).
		const fluxPaths = this.views.fleet.fluxPaths();
		if (fluxPaths.size === 0) return false;
		if (fluxPaths.has('')) return true;
		for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) if (fluxPaths.has(p.slice(0, i))) return true;
		return false;
	}

	namespaceLabels(name: string): Labels | undefined {
		return this.lookups().namespaces.get(name);
	}

	fleetExemptions(): readonly FleetExemption[] {
		return this.lookups().exemptions.list;
	}

	/** The Fleet exemptions with their path globs compiled once (what the engine applies). */
	get exemptions(): ExemptionSet {
		return this.lookups().exemptions;
	}

	/** The raw objects cross-resource rules read; kustomize patch files are left out (they are partial objects). */
	get objects(): ObjectIndex {
		return this.lookups().objects;
	}

	/** Lookups over the fleet model (apps by path, problems by document), built once per model. */
	get fleetIndex(): FleetIndex {
		return this.views.fleet.index();
	}

	private lookups(): Derived {
		return this.known.lookups();
	}
}

/**
 * One set of files and their facts, with the lookups over them built on first use. Every snapshot
 * of the same files and facts shares one (a new fleet model, render or live view keeps it); a
 * snapshot holds no earlier snapshot, so what an earlier one carried (a fleet model, rendered
 * findings, a live view) goes with it.
 */
class FileLookups {
	private derived?: Derived;

	constructor(
		readonly files: ReadonlySet<string>,
		readonly facts: ReadonlyMap<string, FileFacts>,
	) {}

	lookups(): Derived {
		return (this.derived ??= derive(this.files, this.facts));
	}
}

/** A fleet model with the lookups over it, built on first use and shared by every snapshot of the model. */
class FleetLookups {
	private indexed?: FleetIndex;
	private synced?: ReadonlySet<string>;

	constructor(readonly model: FleetModel | undefined) {}

	index(): FleetIndex {
		return (this.indexed ??= new FleetIndex(this.model ?? EMPTY_FLEET));
	}

	/** The paths Flux Kustomizations (and Fleet files) of the model sync. */
	fluxPaths(): ReadonlySet<string> {
		if (!this.synced) {
			const paths = new Set<string>();
			for (const c of this.model?.clusters ?? []) for (const s of c.syncs) if (s.kind === 'flux-kustomization' || s.kind === 'fleet') paths.add(s.path);
			this.synced = paths;
		}
		return this.synced;
	}
}

/**
 * Whether two fleet models are the same for the checks: equal as JSON, with locations compared by
 * their anchor (their ranges would need the slow parse of every document). Compared in place: the
 * JSON text of a 100-cluster fleet's model is 34 MB, and keeping it to compare with the next one
 * held that much for as long as the snapshot lived.
 */
export function sameFleet(a: FleetModel, b: FleetModel): boolean {
	return sameJson(a, b);
}

/** `JSON.stringify(a, byAnchor) === JSON.stringify(b, byAnchor)`, without the texts: the same keys in the same order, values alike. */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	const anchorA = anchorOf(a);
	const anchorB = anchorOf(b);
	if (anchorA !== undefined || anchorB !== undefined) return anchorA === anchorB;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		// JSON writes a missing item, undefined or a function in an array as null.
		for (let i = 0; i < a.length; i++) if (!sameJson(inArray(a[i]), inArray(b[i]))) return false;
		return true;
	}
	const x = a as Record<string, unknown>;
	const y = b as Record<string, unknown>;
	const kx = Object.keys(x);
	const ky = Object.keys(y);
	let i = 0;
	let j = 0;
	for (;;) {
		while (i < kx.length && unwritten(x[kx[i]])) i++;
		while (j < ky.length && unwritten(y[ky[j]])) j++;
		if (i === kx.length || j === ky.length) return i === kx.length && j === ky.length;
		if (kx[i] !== ky[j] || !sameJson(x[kx[i]], y[ky[j]])) return false;
		i++;
		j++;
	}
}

/** A location's anchor: an object with a string `anchor` is written as it. */
function anchorOf(v: object): string | undefined {
	const anchor = (v as { anchor?: unknown }).anchor;
	return typeof anchor === 'string' ? anchor : undefined;
}

/** JSON leaves out properties whose value is undefined, a function or a symbol. */
function unwritten(v: unknown): boolean {
	return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function inArray(v: unknown): unknown {
	return unwritten(v) ? null : v;
}

interface Views {
	fleet: FleetLookups;
	rendered?: RenderedView;
	live?: LiveView;
	drift?: DriftView;
	settingsFile?: string;
}

const NO_VIEWS: Views = { fleet: new FleetLookups(undefined) };

interface Derived {
	sortedFiles: readonly string[];
	dirs: ReadonlySet<string>;
	patchFiles: ReadonlySet<string>;
	kustomizeInputs: ReadonlySet<string>;
	namespaces: ReadonlyMap<string, Labels>;
	exemptions: ExemptionSet;
	objects: ObjectIndex;
}

function derive(files: ReadonlySet<string>, facts: ReadonlyMap<string, FileFacts>): Derived {
	const dirs = new Set<string>();
	for (const f of files) {
		for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) {
			const d = f.slice(0, i);
			if (dirs.has(d)) break;
			dirs.add(d);
		}
	}
	const patchFiles = new Set<string>();
	const kustomizeInputs = new Set<string>();
	const namespaces = new Map<string, Labels>();
	const exemptions: FleetExemption[] = [];
	const sorted = [...facts.keys()].sort();
	for (const f of sorted) {
		const x = facts.get(f)!;
		for (const p of x.patches ?? []) patchFiles.add(p);
		for (const p of x.kustomizeInputs ?? []) kustomizeInputs.add(p);
		for (const [n, l] of x.namespaces ?? []) namespaces.set(n, l);
		if (x.exemptions) exemptions.push(...x.exemptions);
	}
	// A partial file's objects are left out, except the test definitions (Kyverno CLI, chainsaw `Test`):
	// a chainsaw test with `($error != null)` checks is partial, yet the files it names are test data.
	const objects = new ObjectSet(sorted.flatMap((f) => (patchFiles.has(f) ? (facts.get(f)!.objects ?? []).filter((o) => o.kind === 'Test') : (facts.get(f)!.objects ?? []))), false);
	return { sortedFiles: [...files].sort(), dirs, patchFiles, kustomizeInputs, namespaces, exemptions: new ExemptionSet(exemptions), objects };
}

function sameFacts(a: FileFacts, b: FileFacts): boolean {
	if (a === b) return true;
	return JSON.stringify(a, factsReplacer) === JSON.stringify(b, factsReplacer);
}

function factsReplacer(_k: string, v: unknown): unknown {
	return v instanceof Map ? [...v] : v;
}

/**
 * The plain values of every readable document of a text, through the engine's parser (fast path
 * first; a duplicate key keeps the last value, as in Kubernetes). Unreadable documents are skipped:
 * the engine reports them when it validates the file.
 */
function parseDocuments(text: string): unknown[] {
	return documentValues(parseFile(text));
}

function documentValues(parsed: ParsedFile): unknown[] {
	const out: unknown[] = [];
	for (const d of parsed.documents) {
		if (d.value !== undefined) out.push(d.value);
		else if (!d.toJsError) {
			// A syntax error elsewhere in a kustomization must not hide its patch list: use what the parser did read.
			try {
				out.push(d.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
			} catch {
				// nothing usable: the engine reports the file's problems
			}
		}
	}
	return out;
}

/** The repo-relative paths of the patch files a kustomization's text names. */
export function patchPaths(kustomizationPath: string, text: string): string[] {
	return patchPathsOf(kustomizationPath, parseDocuments(text)[0]);
}
