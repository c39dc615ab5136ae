import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { nodeEngineDeps } from '../host/engine-deps';
import { openRepository } from '../workspace/standalone';
import { renderedYaml, renderNotes } from '../workspace/views/rendered';
import { UsageError, type RenderOptions } from './args';

/**
 * `fleetscope render [PATH] --cluster NAME`: what one cluster of the repository receives, as a
 * YAML stream, each object headed by the file (and synced path) it comes from. Notes about what
 * could not be rendered go to `notes` (the CLI prints them on stderr).
 */
export async function runRender(options: RenderOptions, cwd: string): Promise<{ yaml: string; notes: string[] }> {
	const root = path.resolve(cwd, options.path ?? '.');
	try {
		if (!(await fsp.stat(root)).isDirectory()) throw new UsageError(`${options.path}: not a directory (render reads a whole repository)`);
	} catch (e) {
		if (e instanceof UsageError) throw e;
		throw new UsageError(`${options.path}: no such directory`);
	}
	const folder = await openRepository(root, nodeEngineDeps());
	// Only this cluster is rendered (no compliance evaluation: render prints what the cluster receives).
	const service = await folder.fleet();
	const known = service.model.clusters.map((c) => c.name);
	if (!known.includes(options.cluster)) {
		throw new UsageError(`no cluster "${options.cluster}" in this repository (${known.length > 0 ? `known: ${known.join(', ')}` : 'fleetscope fleet finds none'})`);
	}
	const render = service.renderOf(options.cluster);
	return { yaml: renderedYaml(render?.objects ?? []), notes: renderNotes(render) };
}
