import * as path from 'node:path';
import type { Engine, FileAnalysis } from '../engine/analysis/engine';
import type { RepoIndex } from '../engine/context/repo-index';
import { sizeNote } from '../engine/core/skip';
import { readFileForValidation } from './node-fs';

/** A repository file as read for validation: its text, or why it was not read. */
export type LoadedFile = { text: string } | { tooLarge: number } | { error: string };

/**
 * Reads a repo file for validation: the text the index prefetched if it is within the limit,
 * else from disk, size-checked first (a file over `maxBytes` is never loaded).
 */
export async function loadRepoFile(repo: RepoIndex, root: string, rel: string, maxBytes: number): Promise<LoadedFile> {
	const prefetched = repo.takeText(rel);
	if (prefetched !== undefined && prefetched.length <= maxBytes) return { text: prefetched };
	return readFileForValidation(path.join(root, ...rel.split('/')), maxBytes);
}

/**
 * Analyses a loaded file the way every host does: a file over the limit gets the size note,
 * an unreadable one (deleted meanwhile, no permission) gives undefined.
 */
export function analyzeLoaded(engine: Engine, repo: RepoIndex, rel: string, loaded: LoadedFile, maxBytes: number): FileAnalysis | undefined {
	if ('error' in loaded) return undefined;
	if ('tooLarge' in loaded) return engine.skipped(rel, sizeNote(loaded.tooLarge, maxBytes));
	return engine.analyze({ path: rel, text: loaded.text }, repo);
}
