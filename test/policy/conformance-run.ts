import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseFile } from '../../server/src/engine/core/parse';
import { PolicyEvaluator } from '../../server/src/engine/rules/policy/policy-set';
import { agrees, isKyvernoTest, runKyvernoTest, type TestRow } from '../../server/src/engine/rules/policy/testing/kyverno-test';

/** The conformance measure over a copy of the Kyverno policy library (shared by the script and its test). */

export interface Miss extends TestRow {
	file: string;
}

export interface ConformanceReport {
	categories: { name: string; agree: number; total: number; outside: number }[];
	agree: number;
	total: number;
	outside: number;
	misses: Miss[];
}

function testFiles(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir).sort()) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) testFiles(p, out);
		else if (name === 'kyverno-test.yaml') out.push(p);
	}
	return out;
}

export function conformance(root: string): ConformanceReport {
	const evaluator = new PolicyEvaluator();
	const byCategory = new Map<string, { agree: number; total: number; outside: number }>();
	const misses: Miss[] = [];
	for (const file of testFiles(root)) {
		const rel = relative(root, file);
		const category = rel.split(/[\\/]/)[0];
		const c = byCategory.get(category) ?? { agree: 0, total: 0, outside: 0 };
		byCategory.set(category, c);
		const test = parseFile(readFileSync(file, 'utf8')).documents[0]?.value;
		if (!isKyvernoTest(test)) continue;
		const result = runKyvernoTest(evaluator, rel, test, (p) => {
			try {
				return readFileSync(join(dirname(file), p), 'utf8');
			} catch {
				return undefined;
			}
		});
		for (const row of result.results) {
			if (row.scope !== 'validate') {
				c.outside++;
				continue;
			}
			c.total++;
			if (agrees(row)) c.agree++;
			else misses.push({ ...row, file: rel });
		}
	}
	const categories = [...byCategory].map(([name, c]) => ({ name, ...c }));
	return { categories, agree: categories.reduce((n, c) => n + c.agree, 0), total: categories.reduce((n, c) => n + c.total, 0), outside: categories.reduce((n, c) => n + c.outside, 0), misses };
}
