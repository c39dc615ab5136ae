import { diffLines } from 'diff';
import type { PromotionArtifact, PromotionEdit, PromotionFileChange } from '../../../../shared/protocol';
import { normalisePath } from '../core/paths';
import type { FleetApp, FleetModel } from '../fleet/types';
import { listWords, otherEnvironmentsReached, type PromotionTree } from './tree';

/**
 * Directory promotion (Telefonistka's model): the target environment's directory of the app is
 * made equal to the source's. Every file of the source directory is written to the same place
 * under the target's, and files only the target has are removed.
 */

export interface DirectoryChanges {
	source: string;
	target: string;
	artifacts: PromotionArtifact[];
	edits: PromotionEdit[];
	changes: PromotionFileChange[];
	notes: string[];
}

export type DirectoryResult = { ok: true; value: DirectoryChanges } | { ok: false; error: string };

function directoryOf(app: FleetApp, env: string): { path?: string; error?: string } {
	const paths = app.paths[env] ?? [];
	if (paths.length === 0) return { error: `the Fleet file gives ${app.name} no path in ${env} (spec.apps[].environments.${env}), so there is no directory to promote` };
	if (paths.length > 1) return { error: `${app.name} has ${paths.length} paths in ${env} (${paths.join(', ')}): directory promotion needs one` };
	const sub = app.promotion?.directory;
	return { path: normalisePath(sub ? `${paths[0]}/${sub}` : paths[0]) };
}

export function directoryChanges(fleet: FleetModel, tree: PromotionTree, app: FleetApp, from: string, to: string): DirectoryResult {
	const s = directoryOf(app, from);
	if (!s.path) return { ok: false, error: s.error! };
	const t = directoryOf(app, to);
	if (!t.path) return { ok: false, error: t.error! };
	const source = s.path;
	const target = t.path;
	if (source === target || source.startsWith(`${target}/`) || target.startsWith(`${source}/`)) return { ok: false, error: `${from} and ${to} share the directory ${source === target ? source : `${source} / ${target}`}: directory promotion needs a directory per environment` };
	const below = (dir: string) => tree.files().filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1));
	const sourceFiles = below(source);
	if (sourceFiles.length === 0) return { ok: false, error: `${source} (${from}) has no files` };
	const targetFiles = new Set(below(target));
	const changes: PromotionFileChange[] = [];
	const edits: PromotionEdit[] = [];
	for (const rel of [...new Set([...sourceFiles, ...targetFiles])].sort()) {
		const file = `${target}/${rel}`;
		const after = sourceFiles.includes(rel) ? tree.read(`${source}/${rel}`) : undefined;
		const before = targetFiles.has(rel) ? tree.read(file) : undefined;
		if (sourceFiles.includes(rel) && after === undefined) return { ok: false, error: `${source}/${rel} cannot be copied (not a text file, or too large)` };
		if (targetFiles.has(rel) && before === undefined) return { ok: false, error: `${file} cannot be replaced (not a text file, or too large)` };
		if (before === after) continue;
		const others = otherEnvironmentsReached(fleet, file, to);
		if (others.length > 0) return { ok: false, error: `${file} also reaches ${listWords(others)}, so changing it would not promote ${to} alone` };
		if (after === undefined) changes.push({ file, action: 'delete', before });
		else if (before === undefined) changes.push({ file, action: 'add', after });
		else changes.push({ file, action: 'modify', before, after });
		edits.push(...hunks(file, before ?? '', after ?? ''));
	}
	return { ok: true, value: { source, target, artifacts: versionsMoved(app, from, to, target, changes), edits, changes, notes: [] } };
}

/** The changed regions of a file as edits: 1-based line of the old text where the region starts, the removed and the added lines. */
export function hunks(file: string, before: string, after: string): PromotionEdit[] {
	const out: PromotionEdit[] = [];
	let line = 1;
	let open: { line: number; before: string[]; after: string[] } | undefined;
	const lines = (v: string) => v.replace(/\r?\n$/, '').split(/\r?\n/);
	const flush = () => {
		if (open) out.push({ file, line: open.line, before: open.before.join('\n'), after: open.after.join('\n') });
		open = undefined;
	};
	for (const part of diffLines(before, after)) {
		const count = lines(part.value).length;
		if (!part.added && !part.removed) {
			flush();
			line += count;
			continue;
		}
		open ??= { line, before: [], after: [] };
		if (part.removed) {
			open.before.push(...lines(part.value));
			line += count;
		} else open.after.push(...lines(part.value));
	}
	flush();
	return out;
}

/** The versions the directory copy moves: what the target ran and what the source runs, per artifact set inside the directories. */
function versionsMoved(app: FleetApp, from: string, to: string, target: string, changes: PromotionFileChange[]): PromotionArtifact[] {
	if (changes.length === 0) return [];
	const out: PromotionArtifact[] = [];
	for (const t of app.versions.filter((v) => v.environment === to && v.location.file.startsWith(`${target}/`))) {
		const s = app.versions.find((v) => v.environment === from && v.artifact === t.artifact && v.kind === t.kind);
		if (!s || s.version === t.version) continue;
		const line = t.location.range.start.line + 1;
		if (out.some((a) => a.file === t.location.file && a.line === line)) continue;
		out.push({ artifact: t.artifact, kind: t.kind, from: t.version, to: s.version, file: t.location.file, line, sourceFile: s.location.file, sourceLine: s.location.range.start.line + 1, clusters: [...t.clusters].sort() });
	}
	return out;
}
