import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceCheck } from '../engine/context/check-context';
import type { FactsCache } from '../engine/context/repo-snapshot';
import type { SchemaRegistry } from '../engine/schema/types';
import { EnginePool } from './engines';
import { Folder } from './folder';

/**
 * One repository on its own, as the CLI reads it: a folder with no editor around it (no open
 * documents) and engines of its own, ready once its snapshot is built and its fleet discovered.
 */
export async function openRepository(root: string, deps: { registry: SchemaRegistry; checks: ResourceCheck[]; clock?: () => Date; log?: (line: string) => void; factsCache?: (root: string) => FactsCache | undefined }): Promise<Folder> {
	const folder = new Folder(pathToFileURL(root).href, root, path.basename(root), {
		openText: () => undefined,
		engines: new EnginePool(deps.registry, deps.checks, deps.clock),
		log: deps.log ?? (() => undefined),
		factsCache: deps.factsCache,
	});
	await folder.ready();
	return folder;
}
