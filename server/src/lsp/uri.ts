import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';

/** The file system path of a `file:` URI, or undefined for other schemes (untitled, git). */
export function uriToPath(uri: string): string | undefined {
	if (!uri.startsWith('file:')) return undefined;
	try {
		return path.normalize(fileURLToPath(uri));
	} catch {
		return undefined;
	}
}

/** The `file:` URI of a path. */
export function pathToUri(p: string): string {
	return pathToFileURL(p).href;
}

/** The repo-relative posix path of `file` under `root`, or undefined if it is outside. */
export function relativeTo(root: string, file: string): string | undefined {
	const rel = path.relative(root, file);
	if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
	return rel.split(path.sep).join('/');
}
