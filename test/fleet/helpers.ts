import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore, type RepoReader } from '../../server/src/engine/fleet/reader';
import type { FleetModel } from '../../server/src/engine/fleet/types';

/** A repository held in memory: repo-relative path → text. */
export function memoryRepo(files: Record<string, string>): RepoReader {
	const paths = Object.keys(files).sort();
	return { files: () => paths, read: (p) => files[p] };
}

export function discover(files: Record<string, string>): FleetModel {
	return discoverFleet(new DocumentStore(memoryRepo(files)));
}

/** Strips the common indentation of a template literal, so fixtures can be indented in the test. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
	const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
	const lines = raw.replace(/^\n/, '').split('\n');
	const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^[\t ]*/)![0].length));
	return lines.map((l) => l.slice(indent)).join('\n');
}

/** `file:line` (1-based) of a location, compact for assertions. */
export const at = (l: { file: string; range: { start: { line: number } } } | undefined) => (l ? `${l.file}:${l.range.start.line + 1}` : undefined);

/** The model's problems without discovery's one dora-fleet-file note (a repository without a Fleet file that deploys to production). */
export const brokenReferences = (m: FleetModel) => m.problems.filter((p) => p.ruleId !== 'dora-fleet-file');
