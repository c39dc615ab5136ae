import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KustomizeFs } from '../../server/src/engine/kustomize';
import { parseFile } from '../../server/src/engine/core/parse';

/** A KustomizeFs over a directory of this machine (the fixtures). */
export function dirFs(root: string): KustomizeFs {
	const abs = (p: string) => join(root, p);
	return {
		readFile(p) {
			try {
				const st = statSync(abs(p));
				return st.isFile() ? readFileSync(abs(p), 'utf8') : undefined;
			} catch {
				return undefined;
			}
		},
		isDirectory(p) {
			try {
				return statSync(abs(p)).isDirectory();
			} catch {
				return false;
			}
		},
		listDirectory(p) {
			try {
				return readdirSync(abs(p)).map((n) => (p === '' ? n : `${p}/${n}`));
			} catch {
				return [];
			}
		},
	};
}

/** A KustomizeFs over a map of files, counting reads (for cache tests). */
export function memFs(files: Record<string, string>): KustomizeFs & { reads: string[]; files: Record<string, string> } {
	const fs = {
		files,
		reads: [] as string[],
		readFile(p: string) {
			fs.reads.push(p);
			return Object.prototype.hasOwnProperty.call(fs.files, p) ? fs.files[p] : undefined;
		},
		isDirectory(p: string) {
			const prefix = p === '' ? '' : p + '/';
			return Object.keys(fs.files).some((f) => f.startsWith(prefix));
		},
		listDirectory(p: string) {
			const prefix = p === '' ? '' : p + '/';
			const out = new Set<string>();
			for (const f of Object.keys(fs.files)) {
				if (!f.startsWith(prefix)) continue;
				const rest = f.slice(prefix.length);
				out.add(prefix + rest.split('/')[0]);
			}
			return [...out];
		},
	};
	return fs;
}

/** The objects of a YAML stream, parsed as the engine parses (so both sides of a comparison agree on YAML 1.1 scalars). */
export function parseStream(text: string): unknown[] {
	return parseFile(text)
		.documents.map((d) => d.value)
		.filter((v) => v !== null && v !== undefined)
		.map(normalize);
}

/** Plain data with Dates as ISO strings, as the renderer gives them. */
export function normalize(v: unknown): unknown {
	if (v instanceof Date) return v.toISOString();
	if (Array.isArray(v)) return v.map(normalize);
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
	return v;
}
