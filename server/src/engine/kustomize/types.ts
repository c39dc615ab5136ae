/**
 * The public shapes of the kustomize renderer. The renderer is pure: it reads the repository only
 * through a `KustomizeFs`, never throws on bad input (every problem is a `RenderNote`), and gives
 * every rendered node the place in the repository that produced its value (`Origin`).
 */

export interface KustomizeFs {
	/** Text of a repo-relative posix file, or undefined when it does not exist or cannot be read. */
	readFile(path: string): string | undefined;
	/** Whether a repo-relative directory exists. */
	isDirectory(path: string): boolean;
	/** The repo-relative paths of the files directly in a directory (for Flux's generated kustomization). */
	listDirectory(path: string): string[];
}

/** A JSON path element: a map key or a list index. */
export type PathKey = string | number;

/** Where a rendered value came from: a document of a file in the repo, and the JSON path inside that document. */
export interface Origin {
	file: string;
	documentIndex: number;
	path: PathKey[];
}

export interface RenderedObject {
	value: Record<string, unknown>;
	/** The document the object comes from (a resource file, or the kustomization for generated objects). */
	source: Origin;
	/**
	 * The origin of the value at a path of the rendered object: the deepest node whose origin is
	 * known (a patched field points at the patch file, a transformed name at the kustomization
	 * field that set it, an image at the `images` entry).
	 */
	originOf(path: PathKey[]): Origin;
}

export type NoteSeverity = 'info' | 'warning' | 'error';

export interface RenderNote {
	severity: NoteSeverity;
	/** Stable identifier, e.g. `kustomize-unsupported-field`, `kustomize-missing-resource`. */
	code: string;
	message: string;
	/** The file and node the note is about (usually a field of a kustomization file). */
	file: string;
	documentIndex: number;
	path: PathKey[];
}

export interface RenderResult {
	objects: RenderedObject[];
	notes: RenderNote[];
	/** Every repo-relative file read or probed (for incremental re-rendering), sorted. */
	files: string[];
}
