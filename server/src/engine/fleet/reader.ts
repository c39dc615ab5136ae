import { nodeAt, keyNodeAt, parseFile, spanOf, type NodePath, type ParsedDocument } from '../core/parse';
import { dirName, isYamlFile, normalisePath } from '../core/paths';
import { isPlainObject, resourceHeader } from '../core/resource';
import { LineIndex, type TextSpan } from '../core/text';
import type { Range } from '../core/types';
import type { SourceLocation } from './types';

/**
 * What fleet discovery reads of a repository: its file list and file texts, synchronously (the
 * host keeps the texts in memory; the editor's unsaved text wins over the disk). Pure interface:
 * Node, tests and the language server each provide one.
 */
export interface RepoReader {
	/** Every repo-relative posix file path. */
	files(): readonly string[];
	/** A file's text, or undefined when it does not exist or is not kept (too large, binary). */
	read(path: string): string | undefined;
	/**
	 * Whether a path the file list lacks exists all the same (a symbolic link, a directory the
	 * listing skips): asked only before a path is reported missing. Readers that list everything omit it.
	 */
	probe?(path: string): 'file' | 'directory' | undefined;
}

/** A document of a file with the header fields discovery keys on, and a way to locate its nodes. */
export interface DocRef {
	file: string;
	documentIndex: number;
	apiVersion: string;
	kind: string;
	name?: string;
	namespace?: string;
	value: Record<string, unknown>;
	/** The location of the value (or, with `key`, of the key) at a path in this document; the document's first line when the path does not exist. */
	locate(path: NodePath, key?: boolean): SourceLocation;
}

/** Kinds the fleet's graph reads; documents of other kinds it never looks into (the versions read their images). */
export const GRAPH_KINDS: ReadonlySet<string> = new Set(['Fleet', 'ClusterClaim', 'Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'ArtifactGenerator', 'Application', 'ApplicationSet', 'Secret', 'Component']);

/** A `kind:` line of one of GRAPH_KINDS: files without one are never parsed by discovery's graph. */
const KIND_LINE = new RegExp(`^kind:\\s*["']?(${[...GRAPH_KINDS].join('|')})["']?\\s*$`, 'm');

/**
 * Parses files once per text and hands out their documents. Discovery runs again whenever a
 * fleet-relevant file changes; unchanged files cost a map lookup.
 */
export class DocumentStore {
	private readonly parsed = new Map<string, StoreEntry>();
	private dirs?: Set<string>;
	private fileSet?: Set<string>;
	private kindIndex?: Map<string, DocRef[]>;
	private readonly kindHints = new Map<string, { text: string; value: boolean }>();
	/** Values derived from one text of a file (kustomization references), kept while the text is the same. */
	private readonly derivedByFile = new Map<string, { text: string; values: Map<string, unknown> }>();
	/**
	 * Values derived from one document (its container images), kept with the document: one table per
	 * kind of value, not one per document (a map per document was 4.6 MiB of a 100-cluster fleet's heap).
	 */
	private readonly derivedByDoc = new Map<string, WeakMap<DocRef, unknown>>();
	private readonly under = new Map<string, string[]>();

	constructor(readonly reader: RepoReader) {}

	/**
	 * The documents of files whose text changed since the last run ended, as that run read them:
	 * what an edit is compared with (`versionOnlyEdit`), whoever read the new text first.
	 */
	private readonly readByRun = new Map<string, StoreEntry>();

	/** Marks the start of a discovery run: `ofKinds` answers from one scan of the repository until the next run. */
	beginRun(): void {
		this.kindIndex = undefined;
	}

	/** Marks the end of a discovery run: what it read is what the next edits are compared with. */
	endRun(): void {
		this.readByRun.clear();
	}

	/** A file's mapping documents as the last run read them (undefined: it did not read the file). */
	readByLastRun(path: string): readonly DocRef[] | undefined {
		return (this.readByRun.get(path) ?? this.parsed.get(path))?.all;
	}

	/** A file's text as the last run read it (undefined: it did not read the file). */
	textByLastRun(path: string): string | undefined {
		return (this.readByRun.get(path) ?? this.parsed.get(path))?.text;
	}

	/** Files whose text changed since the last run ended (as far as the store has read them again). */
	changedSinceRun(): readonly string[] {
		return [...this.readByRun.keys()];
	}

	/**
	 * Starts a run that reads only these files again, whose documents are the same in number and
	 * kind as the last run read (a version-only edit): the kind index keeps its order and holds their
	 * new documents in place of the old ones.
	 */
	beginPartialRun(files: readonly string[]): void {
		if (!this.kindIndex) return;
		const changed = new Set(files);
		for (const list of this.kindIndex.values()) {
			for (let i = 0; i < list.length; i++) {
				const d = list[i];
				if (!changed.has(d.file)) continue;
				const now = this.documents(d.file).find((x) => x.documentIndex === d.documentIndex && x.kind === d.kind);
				if (now) list[i] = now;
			}
		}
	}

	/** Call when files were added or removed (texts are compared on every read anyway). */
	filesChanged(): void {
		this.dirs = undefined;
		this.fileSet = undefined;
		this.kindIndex = undefined;
		this.under.clear();
		for (const p of this.parsed.keys()) if (!this.fileSetOf().has(p)) this.parsed.delete(p);
		for (const p of this.derivedByFile.keys()) if (!this.fileSetOf().has(p)) this.derivedByFile.delete(p);
	}

	/** Every file of the repository. */
	files(): readonly string[] {
		return this.reader.files();
	}

	exists(path: string): boolean {
		const p = normalisePath(path);
		return p === '' || this.fileSetOf().has(p) || this.dirSet().has(p);
	}

	isFile(path: string): boolean {
		return this.fileSetOf().has(normalisePath(path));
	}

	isDirectory(path: string): boolean {
		const p = normalisePath(path);
		return p === '' || this.dirSet().has(p);
	}

	/**
	 * What a path is, from the file list and then, for a path it lacks, from the reader's probe:
	 * what reports of missing paths ask, so a symbolic link kustomize follows is never "missing".
	 */
	probe(path: string): 'file' | 'directory' | undefined {
		const p = normalisePath(path);
		if (this.isFile(p)) return 'file';
		if (this.isDirectory(p)) return 'directory';
		if (p.startsWith('../') || p === '..') return undefined;
		return this.reader.probe?.(p);
	}

	/** Files directly in a directory. */
	listDirectory(dir: string): string[] {
		const d = normalisePath(dir);
		return this.filesUnder(d).filter((f) => dirName(f) === d);
	}

	/** YAML files at or under a directory (recursively). */
	yamlUnder(dir: string): string[] {
		return this.filesUnder(normalisePath(dir)).filter(isYamlFile);
	}

	/** Every file at or below a directory (recursively). */
	filesBelow(dir: string): readonly string[] {
		return this.filesUnder(normalisePath(dir));
	}

	/** Every file below a directory, memoised per directory until the file list changes. */
	private filesUnder(d: string): string[] {
		let hit = this.under.get(d);
		if (!hit) {
			// Narrow from the nearest memoised ancestor: walking many paths of one tree costs one scan of it.
			let from: readonly string[] = this.reader.files();
			for (let a = dirName(d); d !== '' && a !== d; a = dirName(a)) {
				const anc = this.under.get(a);
				if (anc) {
					from = anc;
					break;
				}
				if (a === '') break;
			}
			hit = d === '' ? [...from] : from.filter((f) => f.startsWith(`${d}/`));
			this.under.set(d, hit);
		}
		return hit;
	}

	/** The documents of a file that are Kubernetes-style objects (apiVersion and kind). */
	documents(path: string): DocRef[] {
		return this.entry(path)?.docs ?? [];
	}

	/** Every mapping document of a file, objects or not (a kustomization may omit apiVersion and kind). */
	mappings(path: string): DocRef[] {
		return this.entry(path)?.all ?? [];
	}

	private entry(p: string): StoreEntry | undefined {
		const text = this.reader.read(p);
		if (text === undefined) return undefined;
		const hit = this.parsed.get(p);
		if (hit && hit.text === text) return hit;
		if (hit && !this.readByRun.has(p)) this.readByRun.set(p, hit);
		const entry = new StoreEntry(text);
		for (const d of parseFile(text).documents) {
			if (!isPlainObject(d.value)) continue;
			const ref = new StoredDocRef(p, d, entry);
			entry.all.push(ref);
			if (ref.kind !== '') entry.docs.push(ref);
		}
		this.parsed.set(p, entry);
		return entry;
	}

	/** A value derived from a file's current text, computed once per text (`kind` names what it is). */
	derivedOfFile<T>(path: string, text: string, kind: string, make: () => T): T {
		let hit = this.derivedByFile.get(path);
		if (!hit || hit.text !== text) this.derivedByFile.set(path, (hit = { text, values: new Map() }));
		if (!hit.values.has(kind)) hit.values.set(kind, make());
		return hit.values.get(kind) as T;
	}

	/** A value derived from one document, computed once per document (`kind` names what it is). */
	derivedOfDocument<T>(doc: DocRef, kind: string, make: () => T): T {
		let values = this.derivedByDoc.get(kind);
		if (!values) this.derivedByDoc.set(kind, (values = new WeakMap()));
		if (!values.has(doc)) values.set(doc, make());
		return values.get(doc) as T;
	}

	/** Whether a file may hold a document discovery reads (a cheap look at its `kind:` lines, once per text). */
	mayHoldFleetKinds(path: string): boolean {
		const text = this.reader.read(path);
		if (text === undefined) return false;
		const hit = this.kindHints.get(path);
		if (hit && hit.text === text) return hit.value;
		const value = KIND_LINE.test(text);
		this.kindHints.set(path, { text, value });
		return value;
	}

	/** Every document of the given kinds in the repository's YAML files (one scan per discovery run). */
	ofKinds(kinds: readonly string[]): DocRef[] {
		if (!this.kindIndex) {
			const index = new Map<string, DocRef[]>();
			for (const f of this.reader.files()) {
				if (!isYamlFile(f) || !this.mayHoldFleetKinds(f)) continue;
				for (const d of this.documents(f)) {
					let list = index.get(d.kind);
					if (!list) index.set(d.kind, (list = []));
					list.push(d);
				}
			}
			this.kindIndex = index;
		}
		return kinds.flatMap((k) => this.kindIndex!.get(k) ?? []);
	}

	private fileSetOf(): Set<string> {
		return (this.fileSet ??= new Set(this.reader.files().map(normalisePath)));
	}

	private dirSet(): Set<string> {
		if (this.dirs) return this.dirs;
		const dirs = new Set<string>();
		for (const f of this.fileSetOf()) {
			let d = dirName(f);
			while (d !== '' && !dirs.has(d)) {
				dirs.add(d);
				d = dirName(d);
			}
		}
		return (this.dirs = dirs);
	}
}

/** Strips `./` and trailing slashes from a path written in a Flux or Argo object (`./apps/production/` → `apps/production`). */
export function repoPath(written: string): string {
	return normalisePath(written.trim());
}

/** Where a location points, from the document's outline (no slow parse), or undefined where it is unsure. */
function outlineSpanOf(d: ParsedDocument, path: NodePath, key: boolean): TextSpan | undefined {
	const o = d.outline;
	if (!o) return undefined;
	let r = key ? o.key(path) : o.value(path);
	for (let i = path.length - 1; r === null && i > 0; i--) r = o.key(path.slice(0, i));
	if (r === 'unsure') return undefined;
	return r ?? { start: d.span.start, end: d.span.start };
}

function slowSpanOf(d: ParsedDocument, path: NodePath, key: boolean): TextSpan {
	let node = key ? keyNodeAt(d.doc, path) : nodeAt(d.doc, path);
	for (let i = path.length - 1; !node && i > 0; i--) node = keyNodeAt(d.doc, path.slice(0, i));
	return spanOf(node) ?? { start: d.span.start, end: d.span.start };
}

/** A file's text as parsed by the store, and its mapping documents. */
class StoreEntry {
	readonly docs: DocRef[] = [];
	readonly all: DocRef[] = [];
	private index: LineIndex | undefined;

	constructor(readonly text: string) {}

	/** The text's lines, made when a location's range is first read. */
	lines(): LineIndex {
		return (this.index ??= new LineIndex(this.text));
	}
}

/**
 * A mapping document of a stored file. A class whose `locate` is a method: a closure per document
 * (100,000 of them in a 10,000-file fleet) held its own context. The parsed document and the entry
 * are private fields (`#`): spreads, JSON and comparisons of models see the `DocRef` fields only.
 */
class StoredDocRef implements DocRef {
	readonly documentIndex: number;
	readonly apiVersion: string;
	readonly kind: string;
	readonly name?: string;
	readonly namespace?: string;
	readonly value: Record<string, unknown>;
	readonly #d: ParsedDocument;
	readonly #entry: StoreEntry;

	constructor(
		readonly file: string,
		d: ParsedDocument,
		entry: StoreEntry,
	) {
		const h = resourceHeader(d.value);
		this.documentIndex = d.index;
		this.apiVersion = h?.apiVersion ?? '';
		this.kind = h?.kind ?? '';
		this.name = h?.name;
		this.namespace = h?.namespace;
		this.value = d.value as Record<string, unknown>;
		this.#d = d;
		this.#entry = entry;
	}

	/** Ranges need the slow, position-keeping parse of the document: computed only when read. */
	locate(path: NodePath, key = false): SourceLocation {
		return new LazyLocation(this.file, path, key, this.#d, this.#entry);
	}
}

/**
 * Where a value of a document is: the anchor at once, the range (which may need the slow parse of
 * the document) on first read. A class, not an object literal with a getter: each such literal got
 * a hidden class of its own.
 */
class LazyLocation implements SourceLocation {
	readonly anchor: string;
	private cached: Range | undefined;

	constructor(
		readonly file: string,
		private readonly path: NodePath,
		private readonly key: boolean,
		private readonly d: ParsedDocument,
		private readonly text: { lines(): LineIndex },
	) {
		this.anchor = `${file}#${d.index}/${path.join('/')}${key ? '!' : ''}`;
	}

	/**
	 * What JSON.stringify sees: what the object literal this class replaces showed, the range still
	 * computed only when read (a replacer that keeps only the anchor, as rediscovery's comparison
	 * does, never reads it).
	 */
	toJSON(): SourceLocation {
		const range = (): Range => this.range;
		return {
			file: this.file,
			anchor: this.anchor,
			get range() {
				return range();
			},
		};
	}

	get range(): Range {
		if (!this.cached) {
			const span = outlineSpanOf(this.d, this.path, this.key) ?? slowSpanOf(this.d, this.path, this.key);
			this.cached = this.text.lines().rangeOf({ start: span.start + this.d.base, end: span.end + this.d.base });
		}
		return this.cached;
	}
}
