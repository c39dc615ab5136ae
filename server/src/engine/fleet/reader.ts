import { nodeAt, keyNodeAt, parseFile, spanOf, type NodePath, type ParsedFile } from '../parse';
import { dirName, isYamlFile, normalisePath } from '../repo';
import { isPlainObject, resourceHeader } from '../resource';
import { LineIndex } from '../text';
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

/** Kinds discovery reads; other documents are never parsed by it. */
const KIND_LINE = /^kind:\s*["']?(Fleet|ClusterClaim|Kustomization|HelmRelease|GitRepository|OCIRepository|Bucket|HelmRepository|ArtifactGenerator|Application|ApplicationSet|Secret|Component)["']?\s*$/m;

/**
 * Parses files once per text and hands out their documents. Discovery runs again whenever a
 * fleet-relevant file changes; unchanged files cost a map lookup.
 */
export class DocumentStore {
	private readonly parsed = new Map<string, { text: string; file: ParsedFile; docs: DocRef[]; all: DocRef[]; lines?: LineIndex }>();
	private dirs?: Set<string>;
	private fileSet?: Set<string>;

	constructor(readonly reader: RepoReader) {}

	/** Call when files were added or removed (texts are compared on every read anyway). */
	filesChanged(): void {
		this.dirs = undefined;
		this.fileSet = undefined;
		for (const p of this.parsed.keys()) if (!this.fileSetOf().has(p)) this.parsed.delete(p);
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

	/** Files directly in a directory. */
	listDirectory(dir: string): string[] {
		const d = normalisePath(dir);
		return this.reader.files().filter((f) => dirName(f) === d);
	}

	/** YAML files at or under a directory (recursively). */
	yamlUnder(dir: string): string[] {
		const d = normalisePath(dir);
		return this.reader.files().filter((f) => isYamlFile(f) && (d === '' || f.startsWith(`${d}/`)));
	}

	/** The documents of a file that are Kubernetes-style objects (apiVersion and kind). */
	documents(path: string): DocRef[] {
		return this.entry(path)?.docs ?? [];
	}

	/** Every mapping document of a file, objects or not (a kustomization may omit apiVersion and kind). */
	mappings(path: string): DocRef[] {
		return this.entry(path)?.all ?? [];
	}

	private entry(path: string) {
		const p = normalisePath(path);
		const text = this.reader.read(p);
		if (text === undefined) return undefined;
		const hit = this.parsed.get(p);
		if (hit && hit.text === text) return hit;
		const entry = { text, file: parseFile(text), docs: [] as DocRef[], all: [] as DocRef[], lines: undefined as LineIndex | undefined };
		const lines = () => (entry.lines ??= new LineIndex(text));
		for (const d of entry.file.documents) {
			if (!isPlainObject(d.value)) continue;
			const h = resourceHeader(d.value) ?? { apiVersion: '', kind: '', group: '', version: '', name: undefined, namespace: undefined };
			const locate = (path: NodePath, key = false): SourceLocation => {
				let node = key ? keyNodeAt(d.doc, path) : nodeAt(d.doc, path);
				for (let i = path.length - 1; !node && i > 0; i--) node = keyNodeAt(d.doc, path.slice(0, i));
				const span = spanOf(node) ?? { start: d.span.start, end: d.span.start };
				return { file: p, range: lines().rangeOf({ start: span.start + d.base, end: span.end + d.base }) };
			};
			const ref: DocRef = { file: p, documentIndex: d.index, apiVersion: h.apiVersion, kind: h.kind, name: h.name, namespace: h.namespace, value: d.value, locate };
			entry.all.push(ref);
			if (h.kind !== '') entry.docs.push(ref);
		}
		this.parsed.set(p, entry);
		return entry;
	}

	/** Whether a file may hold a document discovery reads (a cheap look at its `kind:` lines). */
	mayHoldFleetKinds(path: string): boolean {
		const text = this.reader.read(path);
		return text !== undefined && KIND_LINE.test(text);
	}

	/** Every document of the given kinds in the repository's YAML files. */
	ofKinds(kinds: readonly string[]): DocRef[] {
		const wanted = new Set(kinds);
		const out: DocRef[] = [];
		for (const f of this.reader.files()) {
			if (!isYamlFile(f) || !this.mayHoldFleetKinds(f)) continue;
			for (const d of this.documents(f)) if (wanted.has(d.kind)) out.push(d);
		}
		return out;
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
