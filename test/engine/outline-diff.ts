/**
 * The differential check of the outline against the slow parse: on every document of the given
 * files that the fast path reads, every node's value span and key span as the outline sees them
 * must equal the `yaml` package's, wherever the outline answers. Shared by the test and by a
 * command-line run over bigger corpora (`node --import tsx test/engine/outline-diff.ts DIR...`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { keyNodeAt, nodeAt, parseFile, spanOf } from '../../server/src/engine/core/parse';
import { Outline } from '../../server/src/engine/core/outline';

export interface DiffResult {
	documents: number;
	outlined: number;
	nodes: number;
	answered: number;
	mismatches: string[];
}

function paths(node: YamlNode | null | undefined, path: (string | number)[], out: (string | number)[][]): void {
	out.push(path);
	if (isMap(node)) for (const p of node.items) if (isPair(p) && isScalar(p.key)) paths(p.value as YamlNode, [...path, String(p.key.value)], out);
	if (isSeq(node)) node.items.forEach((x, i) => paths(x as YamlNode, [...path, i], out));
}

const same = (a: { start: number; end: number } | undefined, b: { start: number; end: number } | null | 'unsure') => (b === 'unsure' ? true : b === null ? a === undefined : a !== undefined && a.start === b.start && a.end === b.end);

export function diffText(name: string, text: string, into: DiffResult): void {
	const parsed = parseFile(text);
	for (const d of parsed.documents) {
		if (d.syntax.length > 0 || d.value === undefined || d.value === null) continue;
		into.documents++;
		const outline = Outline.read(d.segment.text, d.span, d.value);
		if (!outline) continue;
		into.outlined++;
		const all: (string | number)[][] = [];
		paths(nodeAt(d.doc, []), [], all);
		// Paths that do not exist: a missing key below each map, an index past each sequence.
		for (const p of [...all]) all.push([...p, 'no-such-key'], [...p, 999]);
		for (const p of all) {
			into.nodes++;
			const v = outline.value(p);
			const k = outline.key(p);
			if (v !== 'unsure') into.answered++;
			const sv = spanOf(nodeAt(d.doc, p));
			const sk = spanOf(keyNodeAt(d.doc, p));
			if (!same(sv, v)) into.mismatches.push(`${name}#${d.index} value ${JSON.stringify(p)}: slow ${JSON.stringify(sv)} outline ${JSON.stringify(v)}`);
			if (!same(sk, k)) into.mismatches.push(`${name}#${d.index} key ${JSON.stringify(p)}: slow ${JSON.stringify(sk)} outline ${JSON.stringify(k)}`);
		}
		const root = nodeAt(d.doc, []);
		const firstKey = isMap(root) && root.items[0] && isPair(root.items[0]) ? spanOf(root.items[0].key as YamlNode) : undefined;
		if (!same(firstKey, outline.firstKey() ?? null)) into.mismatches.push(`${name}#${d.index} first key: slow ${JSON.stringify(firstKey)} outline ${JSON.stringify(outline.firstKey())}`);
	}
}

export function yamlFilesUnder(dir: string, out: string[] = []): string[] {
	for (const e of readdirSync(dir)) {
		if (e === 'node_modules' || e === '.git') continue;
		const p = join(dir, e);
		if (statSync(p).isDirectory()) yamlFilesUnder(p, out);
		else if (/\.ya?ml$/.test(e)) out.push(p);
	}
	return out;
}

export function diffFiles(files: readonly string[]): DiffResult {
	const r: DiffResult = { documents: 0, outlined: 0, nodes: 0, answered: 0, mismatches: [] };
	for (const f of files) diffText(f, readFileSync(f, 'utf8'), r);
	return r;
}

if (process.argv[1] && /outline-diff\.ts$/.test(process.argv[1])) {
	const r = diffFiles(process.argv.slice(2).flatMap((d) => yamlFilesUnder(d)));
	console.log(`${r.documents} documents, ${r.outlined} outlined; ${r.nodes} paths, ${r.answered} answered; ${r.mismatches.length} mismatches`);
	for (const m of r.mismatches.slice(0, 40)) console.log(m);
}
