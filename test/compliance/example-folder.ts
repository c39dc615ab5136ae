import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeEngineDeps } from '../../server/src/host/engine-deps';
import { EnginePool } from '../../server/src/workspace/engines';
import { Folder } from '../../server/src/workspace/folder';

export const FLEET = join(__dirname, '..', '..', 'examples', 'fleet');
export const TODAY = '2026-12-07';

/** A folder of the example fleet whose texts can be edited as the editor edits them (`edits` win over the disk). */
export async function exampleFolder(edits: Map<string, string>): Promise<Folder> {
	const deps = nodeEngineDeps();
	const folder = new Folder(pathToFileURL(FLEET).href, FLEET, 'fleet', { openText: (rel) => edits.get(rel), engines: new EnginePool(deps.registry, deps.checks, () => new Date(`${TODAY}T12:00:00Z`)), log: () => undefined });
	await folder.ready();
	return folder;
}
