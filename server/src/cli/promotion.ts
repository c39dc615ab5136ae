import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { PromotionAppRow } from '../../../shared/protocol';
import { nodeEngineDeps } from '../host/engine-deps';
import { openRepository } from '../workspace/standalone';
import { promotionView } from '../workspace/views/promotion';
import { UsageError, type PromotionViewOptions } from './args';

/**
 * `fleetscope promotion [PATH]`: the Promotion view of the editor for CI and scripts: per app, the
 * version each environment runs (and the line that sets it), which environments are behind the one
 * they are promoted from, and the gates of each step (`workspace/views/promotion.ts`).
 */
export async function runPromotionView(options: PromotionViewOptions, cwd: string): Promise<string> {
	const root = path.resolve(cwd, options.path ?? '.');
	try {
		if (!(await fsp.stat(root)).isDirectory()) throw new UsageError(`${options.path}: not a directory (promotion reads a whole repository)`);
	} catch (e) {
		if (e instanceof UsageError) throw e;
		throw new UsageError(`${options.path}: no such directory`);
	}
	const apps = promotionView((await (await openRepository(root, nodeEngineDeps())).fleet()).model);
	return options.format === 'json' ? `${JSON.stringify(promotionJson(apps), null, 2)}\n` : promotionText(apps);
}

/** The JSON shape of `fleetscope promotion --format json` (docs/explorer.md): environments in promotion order. */
export function promotionJson(apps: PromotionAppRow[]): unknown {
	return {
		apps: apps.map((a) => ({
			name: a.name,
			environments: a.environments.map((e) => ({ name: e.name, versions: e.versions, behind: e.behind, gates: e.gates })),
		})),
	};
}

export function promotionText(apps: PromotionAppRow[]): string {
	const out: string[] = [];
	for (const a of apps) {
		if (out.length > 0) out.push('');
		out.push(`${a.name}${a.inferred ? ' (inferred)' : ''}${a.style === 'directory' ? ' (directory promotion)' : ''}`);
		for (const e of a.environments) {
			const versions = e.versions.map((v) => `${v.artifact} ${v.version}  ${v.file}:${v.line}`);
			out.push(`  ${e.name.padEnd(12)} ${versions[0] ?? 'no version Fleetscope can read'}`);
			for (const v of versions.slice(1)) out.push(`  ${''.padEnd(12)} ${v}`);
			if (e.behind) out.push(`  ${''.padEnd(12)} behind: ${e.behind.of} runs ${e.behind.versions.map((v) => `${v.artifact} ${v.version}`).join(', ')}`);
			if (e.gates.length > 0) out.push(`  ${''.padEnd(12)} gates: ${e.gates.map((g) => g.detail).join('; ')}`);
		}
	}
	return `${out.join('\n')}\n`;
}
