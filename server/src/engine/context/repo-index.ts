import { MAX_ALIAS_COUNT, parseFile } from '../core/parse';
import { isIncluded, isKustomizationFile, isYamlFile, normalisePath } from '../core/paths';
import { readFleetExemptions, type FleetExemption } from '../fleet/exemptions';
import type { FleetscopeSettings } from '../../../../shared/settings';
import type { RepoContext } from './check-context';
import { isPlainObject } from '../core/resource';
import { patchPathsOf } from '../kustomize/patch-paths';
import { kustomizationReferences } from '../kustomize/references';
import type { FleetModel } from '../fleet/types';
import { chainsawAssertionPaths, isKuttlAssertionFile } from '../fleet/tool-configs';
import type { RenderedView } from './check-context';
import { RepoObjects } from './repo-objects';

/** The file system of one repository, injected by the host (Node fs in the CLI and server, an in-memory map in tests). */
export interface RepoFileSystem {
	/** Every file of the repository, as repo-relative posix paths (directories are derived). */
	listFiles(): Promise<string[]>;
	/** A file's text, or undefined if it cannot be read or is larger than `maxBytes` (then it is not loaded at all). */
	readFile(relPath: string, maxBytes?: number): Promise<string | undefined>;
}

/** The kustomization fields whose files kustomize reads as objects (generator sources are data, not YAML objects). */
const KUSTOMIZE_INPUTS = new Set(['resources', 'bases', 'patches', 'crds']);

/** Larger files are not kept from the index build (hosts read them again, with their size limit). */
const PREFETCH_MAX_CHARS = 1024 * 1024;

/**
 * What the engine needs to know about a repository: which files exist, which YAML files are
 * validated (include/exclude globs), and which are kustomize patches (partial by design).
 * Built once, then kept current with `updateFile`/`removeFile` as files change.
 */
export class RepoIndex implements RepoContext {
	private readonly files = new Set<string>();
	private dirs = new Set<string>();
	/** Patch files named by each kustomization file. */
	private readonly patchesBy = new Map<string, string[]>();
	/** The files each kustomization file builds from (resources, patches, crds): kustomize reads them (see `readsThroughKustomize`). */
	private readonly inputsBy = new Map<string, string[]>();
	private inputSet = new Set<string>();
	private patchSet = new Set<string>();
	/** Labels of the Namespace objects declared in each file (for Pod Security levels). */
	private readonly namespacesBy = new Map<string, Map<string, Record<string, string>>>();
	/** Exemptions of the Fleet file(s), by file. */
	private readonly exemptionsBy = new Map<string, FleetExemption[]>();
	private exemptionList: FleetExemption[] = [];
	private namespaceIndex = new Map<string, Record<string, string>>();
	private _version = 0;
	private fleetModel?: FleetModel;
	private renderedView?: RenderedView;
	private fleetKey = '';
	/** The raw objects cross-resource rules read (RepoContext.objects). */
	readonly objects = new RepoObjects((p) => this.patchSet.has(p));
	/** Texts read while building, handed once to the first validation so a workspace scan reads nothing twice. */
	private readonly prefetched = new Map<string, string>();

	private constructor(private readonly fs: RepoFileSystem) {}

	static async build(fs: RepoFileSystem): Promise<RepoIndex> {
		const index = new RepoIndex(fs);
		for (const f of await fs.listFiles()) index.files.add(normalisePath(f));
		index.rebuildDirs();
		await Promise.all([...index.files].filter(isKustomizationFile).map((k) => index.readKustomization(k)));
		index.rebuildPatchSet();
		await Promise.all(
			[...index.files].filter(isYamlFile).map(async (f) => {
				const text = await fs.readFile(f, PREFETCH_MAX_CHARS);
				index.readNamespaces(f, text);
				index.readAssertions(f, text);
				index.readFleet(f, text);
				index.objects.read(f, text);
				if (text !== undefined && text.length <= PREFETCH_MAX_CHARS) index.prefetched.set(f, text);
			}),
		);
		index.rebuildNamespaceIndex();
		index.rebuildExemptions();
		if (index.patchesBy.size > 0) index.rebuildPatchSet();
		return index;
	}

	/** An index of no files, where everything exists (single files checked without a repository). */
	static empty(fs: RepoFileSystem = { listFiles: async () => [], readFile: async () => undefined }): RepoIndex {
		return new RepoIndex(fs);
	}

	/** Bumped whenever paths, patch files, namespaces or indexed objects change (see RepoContext.version). */
	get version(): number {
		return this._version;
	}

	/** The text of a file as read when the index was built, without taking it (the fleet model reads it too). */
	peekText(path: string): string | undefined {
		return this.prefetched.get(normalisePath(path));
	}

	/** Compliance findings of what each cluster receives, set by the host after rendering (see `setRendered`). */
	get rendered(): RenderedView | undefined {
		return this.renderedView;
	}

	/**
	 * Sets the rendered findings. The repository's version does not change: each file's stamp in
	 * the view tells the engine which cached validations to redo.
	 */
	setRendered(view: RenderedView | undefined): void {
		this.renderedView = view;
	}

	/** The fleet model of the repository, set by the host after discovery (see `setFleet`). */
	get fleet(): FleetModel | undefined {
		return this.fleetModel;
	}

	/**
	 * Sets the fleet model. Cached validations are redone when it differs from the previous one
	 * (targets, production severity and fleet problems depend on it).
	 */
	setFleet(model: FleetModel): boolean {
		// Locations compare by their anchor: computing every range would parse every document slowly.
		const key = JSON.stringify(model, (_k, v: unknown) => (v && typeof v === 'object' && 'anchor' in v && typeof (v as { anchor: unknown }).anchor === 'string' ? (v as { anchor: string }).anchor : v));
		if (key === this.fleetKey) return false;
		this.fleetModel = model;
		this.fleetKey = key;
		this._version++;
		return true;
	}

	/**
	 * The text of a file as read when the index was built, once: the caller validates it, and a later
	 * change (updateFile/removeFile) drops it. Undefined when not prefetched or already taken.
	 */
	takeText(path: string): string | undefined {
		const p = normalisePath(path);
		const text = this.prefetched.get(p);
		this.prefetched.delete(p);
		return text;
	}

	/** The exemptions the repository's Fleet file declares (spec.compliance.exemptions). */
	fleetExemptions(): readonly FleetExemption[] {
		return this.exemptionList;
	}

	/** The labels of a Namespace the repository declares, or undefined. */
	namespaceLabels(name: string): Record<string, string> | undefined {
		return this.namespaceIndex.get(name);
	}

	/** Kustomize patches and test assertions (chainsaw, KUTTL): documents partial by design. */
	isPatchFile(path: string): boolean {
		const p = normalisePath(path);
		return this.patchSet.has(p) || isKuttlAssertionFile(p);
	}

	exists(path: string): boolean {
		const p = normalisePath(path);
		if (this.files.size === 0) return true; // nothing known: never claim a path is missing
		return p === '' || this.files.has(p) || this.dirs.has(p);
	}

	/** All files of the repository. */
	allFiles(): string[] {
		return [...this.files];
	}

	/** YAML files that the settings include and do not exclude. */
	validatedFiles(settings: FleetscopeSettings): string[] {
		return [...this.files].filter((f) => isYamlFile(f) && isIncluded(f, settings)).sort();
	}

	/** Records a created or changed file; re-reads it if it is a kustomization. Returns true if patch files changed. */
	async updateFile(path: string, text?: string): Promise<boolean> {
		const p = normalisePath(path);
		this.prefetched.delete(p);
		const isNew = !this.files.has(p);
		this.files.add(p);
		if (isNew) {
			this.rebuildDirs();
			this._version++;
		}
		if (!isYamlFile(p)) return false;
		const src = text ?? (await this.fs.readFile(p));
		const factsBefore = JSON.stringify([[...this.namespaceIndex], this.exemptionList]);
		this.readNamespaces(p, src);
		this.rebuildNamespaceIndex();
		this.readFleet(p, src);
		this.rebuildExemptions();
		const namespacesChanged = factsBefore !== JSON.stringify([[...this.namespaceIndex], this.exemptionList]);
		const objectsChanged = this.objects.read(p, src);
		let patchesChanged = false;
		const hadAssertions = this.patchesBy.has(p) && !isKustomizationFile(p);
		if (isKustomizationFile(p) || hadAssertions || isChainsawTest(src)) {
			const before = [...this.patchSet].sort().join('\n');
			if (isKustomizationFile(p)) await this.readKustomization(p, src);
			else this.readAssertions(p, src);
			this.rebuildPatchSet();
			patchesChanged = before !== [...this.patchSet].sort().join('\n');
		}
		if (patchesChanged || namespacesChanged || objectsChanged) this._version++;
		return patchesChanged;
	}

	/** Records a deleted file. Returns true if patch files changed. */
	removeFile(path: string): boolean {
		const p = normalisePath(path);
		this.prefetched.delete(p);
		this.files.delete(p);
		this.rebuildDirs();
		this._version++;
		this.objects.remove(p);
		if (this.namespacesBy.delete(p)) this.rebuildNamespaceIndex();
		if (this.exemptionsBy.delete(p)) this.rebuildExemptions();
		if (this.inputsBy.delete(p)) this.inputSet = new Set([...this.inputsBy.values()].flat());
		if (!this.patchesBy.delete(p)) return false;
		this.rebuildPatchSet();
		return true;
	}

	private readFleet(path: string, text: string | undefined): void {
		if (text === undefined || !/^kind:\s*["']?Fleet["']?\s*$/m.test(text)) {
			this.exemptionsBy.delete(path);
			return;
		}
		const found = parseDocuments(text).flatMap((v) => readFleetExemptions(v, path));
		if (found.length > 0) this.exemptionsBy.set(path, found);
		else this.exemptionsBy.delete(path);
	}

	private rebuildExemptions(): void {
		this.exemptionList = [...this.exemptionsBy.values()].flat();
	}

	private readNamespaces(path: string, text: string | undefined): void {
		// Cheap pre-filter: only files that mention a Namespace are parsed.
		if (text === undefined || !/^kind:\s*["']?Namespace["']?\s*$/m.test(text)) {
			this.namespacesBy.delete(path);
			return;
		}
		const found = new Map<string, Record<string, string>>();
		for (const value of parseDocuments(text)) {
			if (!isPlainObject(value) || value.kind !== 'Namespace' || value.apiVersion !== 'v1' || !isPlainObject(value.metadata)) continue;
			const { name, labels } = value.metadata;
			if (typeof name !== 'string') continue;
			const l: Record<string, string> = {};
			if (isPlainObject(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') l[k] = v;
			found.set(name, l);
		}
		if (found.size > 0) this.namespacesBy.set(path, found);
		else this.namespacesBy.delete(path);
	}

	private rebuildNamespaceIndex(): void {
		const index = new Map<string, Record<string, string>>();
		for (const byName of this.namespacesBy.values()) for (const [n, l] of byName) index.set(n, l);
		this.namespaceIndex = index;
	}

	/** The files a chainsaw Test asserts against (partial documents), kept with the patch files. */
	private readAssertions(path: string, text: string | undefined): void {
		if (isKustomizationFile(path)) return;
		const found = text !== undefined && isChainsawTest(text) ? parseDocuments(text).flatMap((v) => chainsawAssertionPaths(path, v)) : [];
		if (found.length > 0) this.patchesBy.set(path, found);
		else this.patchesBy.delete(path);
	}

	private async readKustomization(path: string, text?: string): Promise<void> {
		const src = text ?? (await this.fs.readFile(path));
		this.patchesBy.set(path, src === undefined ? [] : patchPaths(path, src));
		const inputs = src === undefined ? [] : kustomizationReferences(path, src).filter((r) => !r.remote && KUSTOMIZE_INPUTS.has(r.field)).map((r) => r.target);
		if (JSON.stringify(this.inputsBy.get(path) ?? []) === JSON.stringify(inputs)) return;
		if (inputs.length > 0) this.inputsBy.set(path, inputs);
		else this.inputsBy.delete(path);
		this.inputSet = new Set([...this.inputsBy.values()].flat());
		this._version++;
	}

	/**
	 * Whether kustomize reads a file before a cluster receives it: a kustomization names it, or it
	 * lies in a path a Flux Kustomization syncs (kustomize-controller builds every path). kustomize
	 * reads YAML 1.2, so `on`/`yes` there are strings (kustomize/kyaml-scalars.ts).
	 */
	readsThroughKustomize(path: string): boolean {
		const p = normalisePath(path);
		if (this.inputSet.has(p)) return true;
		for (const c of this.fleetModel?.clusters ?? []) {
			for (const s of c.syncs) if ((s.kind === 'flux-kustomization' || s.kind === 'fleet') && (s.path === '' || p.startsWith(`${s.path}/`))) return true;
		}
		return false;
	}

	private rebuildPatchSet(): void {
		this.patchSet = new Set([...this.patchesBy.values()].flat());
		this.objects.invalidate();
		this._version++;
	}

	private rebuildDirs(): void {
		const dirs = new Set<string>();
		for (const f of this.files) {
			let i = f.lastIndexOf('/');
			while (i > 0) {
				const d = f.slice(0, i);
				if (dirs.has(d)) break;
				dirs.add(d);
				i = d.lastIndexOf('/');
			}
		}
		this.dirs = dirs;
	}
}

/** The repo-relative paths of the patch files a kustomization names (patches, patchesStrategicMerge, patchesJson6902). */
/** Cheap pre-filter: only files that mention chainsaw's group are parsed for assertions. */
function isChainsawTest(text: string | undefined): text is string {
	return text !== undefined && /^apiVersion:\s*["']?chainsaw\.kyverno\.io\//m.test(text);
}

export function patchPaths(kustomizationPath: string, text: string): string[] {
	return patchPathsOf(kustomizationPath, parseDocuments(text)[0]);
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
