import { MAX_ALIAS_COUNT, parseFile } from '../core/parse';
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
import { objectsOfText } from './repo-objects';

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
	if (wantsNamespaces || wantsFleet || kustomization || chainsaw) {
		const values = parseDocuments(text);
		if (kustomization) {
			const patches = patchPathsOf(path, values[0]);
			if (patches.length > 0) out.patches = patches;
			const inputs = kustomizationReferences(path, text).filter((r) => !r.remote && KUSTOMIZE_INPUTS.has(r.field)).map((r) => r.target);
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
	const objects = objectsOfText(path, text);
	if (objects.length > 0) out.objects = objects;
	return Object.keys(out).length === 0 ? NO_FACTS : out;
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
 * read one snapshot from start to end. Derived lookups are built on first use and owned by the
 * snapshot that built them.
 *
 * `version` changes exactly when something a check reads changes (files, facts, the fleet model),
 * so cached validations stay valid across edits that change no repository fact.
 */
export class RepoSnapshot implements RepoContext {
	private derived?: Derived;

	private constructor(
		private readonly fileSet: ReadonlySet<string>,
		private readonly factsByFile: ReadonlyMap<string, FileFacts>,
		readonly version: number,
		/** What the snapshot carries besides the files and their facts. */
		private readonly views: Views,
		private readonly parent?: RepoSnapshot,
	) {}

	/** A repository of no files, where every path exists (single files checked on their own). */
	static empty(): RepoSnapshot {
		return new RepoSnapshot(new Set(), new Map(), ++lastVersion, NO_VIEWS);
	}

	/** The fleet model: environments, clusters, apps, and which clusters each file reaches. */
	get fleet(): FleetModel | undefined {
		return this.views.fleet;
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
		return new RepoSnapshot(this.fileSet, this.factsByFile, version, { ...this.views, ...views }, this);
	}

	/**
	 * Lists and reads the repository once. `keep` receives every YAML text read (up to
	 * PREFETCH_MAX_CHARS), so a host can validate them without reading them again.
	 */
	static async build(fs: RepoFileSystem, keep?: (path: string, text: string) => void): Promise<RepoSnapshot> {
		const files = new Set((await fs.listFiles()).map(normalisePath));
		const facts = new Map<string, FileFacts>();
		const yaml = [...files].filter(isYamlFile);
		for (let i = 0; i < yaml.length; i += BUILD_BATCH) {
			if (i > 0) await fs.pause?.();
			await Promise.all(
				yaml.slice(i, i + BUILD_BATCH).map(async (f) => {
					const text = await fs.readFile(f, PREFETCH_MAX_CHARS);
					const found = factsOf(f, text);
					if (found !== NO_FACTS) facts.set(f, found);
					if (text !== undefined && text.length <= PREFETCH_MAX_CHARS) keep?.(f, text);
				}),
			);
		}
		return new RepoSnapshot(files, facts, ++lastVersion, NO_VIEWS);
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
		return new RepoSnapshot(files ?? this.fileSet, facts ?? this.factsByFile, ++lastVersion, this.views, this);
	}

	/** The snapshot with this fleet model; `this` when the model equals the current one. */
	withFleet(model: FleetModel): RepoSnapshot {
		// Locations compare by their anchor: computing every range would parse every document slowly.
		const key = JSON.stringify(model, (_k, v: unknown) => (v && typeof v === 'object' && 'anchor' in v && typeof (v as { anchor: unknown }).anchor === 'string' ? (v as { anchor: string }).anchor : v));
		if (key === this.views.fleetKey) return this;
		return this.with({ fleet: model, fleetKey: key }, ++lastVersion);
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
		const d = this.lookups();
		if (d.kustomizeInputs.has(p)) return true;
		// The paths Flux builds, once per snapshot; then the file's directories (a look-up per level, not per synced path).
		if (!d.fluxPaths) {
			const paths = new Set<string>();
			for (const c of this.fleet?.clusters ?? []) for (const s of c.syncs) if (s.kind === 'flux-kustomization' || s.kind === 'fleet') paths.add(s.path);
			d.fluxPaths = paths;
		}
		if (d.fluxPaths.size === 0) return false;
		if (d.fluxPaths.has('')) return true;
		for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) if (d.fluxPaths.has(p.slice(0, i))) return true;
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

	/** Lookups over the fleet model (apps by path, problems by document), built once per snapshot. */
	get fleetIndex(): FleetIndex {
		const d = this.lookups();
		if (!d.fleetIndex) {
			const inherited = this.parent?.fleet === this.fleet ? this.parent?.derived?.fleetIndex : undefined;
			d.fleetIndex = inherited ?? new FleetIndex(this.fleet ?? EMPTY_FLEET);
		}
		return d.fleetIndex;
	}

	private lookups(): Derived {
		if (this.derived) return this.derived;
		// A snapshot that shares its parent's files and facts shares its lookups too.
		const p = this.parent?.derived;
		if (p && this.parent!.fileSet === this.fileSet && this.parent!.factsByFile === this.factsByFile) return (this.derived = { ...p, fleetIndex: undefined, fluxPaths: undefined });
		return (this.derived = derive(this.fileSet, this.factsByFile));
	}
}

interface Views {
	fleet?: FleetModel;
	/** The fleet model as compared (locations by anchor): equal models, equal keys. */
	fleetKey: string;
	rendered?: RenderedView;
	live?: LiveView;
	drift?: DriftView;
	settingsFile?: string;
}

const NO_VIEWS: Views = { fleetKey: '' };

interface Derived {
	sortedFiles: readonly string[];
	dirs: ReadonlySet<string>;
	patchFiles: ReadonlySet<string>;
	kustomizeInputs: ReadonlySet<string>;
	namespaces: ReadonlyMap<string, Labels>;
	exemptions: ExemptionSet;
	objects: ObjectIndex;
	fleetIndex?: FleetIndex;
	/** The paths Flux Kustomizations (and Fleet files) of the model sync. */
	fluxPaths?: ReadonlySet<string>;
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
	const out: unknown[] = [];
	for (const d of parseFile(text).documents) {
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
