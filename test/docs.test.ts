import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { renderTables, rulePage, TABLE_DOCS } from '../scripts/gen-docs';
import { allRules } from '../server/src/engine/rules/catalog';

/** The rule pages and the docs' tables are generated from the code; these fail when they drift (fix: npm run gen:docs). */

test('every rule has its documentation page, up to date, and no page is orphaned', () => {
	const rules = allRules();
	assert.ok(rules.length > 10);
	for (const r of rules) {
		const file = `docs/rules/${r.id}.md`;
		assert.ok(existsSync(file), `${file} is missing: run npm run gen:docs`);
		assert.equal(readFileSync(file, 'utf8'), rulePage(r), `${file} is stale: run npm run gen:docs`);
	}
	const ids = new Set(rules.map((r) => r.id));
	assert.deepEqual(readdirSync('docs/rules').filter((f) => !ids.has(f.replace(/\.md$/, ''))), []);
});

test('the rules table (docs/checks.md) and the settings table (docs/settings.md) match the code', () => {
	for (const file of TABLE_DOCS) {
		const doc = readFileSync(file, 'utf8');
		assert.equal(doc, renderTables(doc), `${file}: its tables are stale: run npm run gen:docs`);
	}
	const checks = readFileSync('docs/checks.md', 'utf8');
	for (const r of allRules()) assert.ok(checks.includes(`[\`${r.id}\`](rules/${r.id}.md)`), r.id);
	assert.match(readFileSync('docs/settings.md', 'utf8'), /<!-- settings:start -->/);
});

test('every relative link of the README and of docs/ points at a file that exists', () => {
	const docs = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
	const broken: string[] = [];
	for (const file of docs) {
		const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
		for (const m of readFileSync(file, 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
			const target = m[1];
			if (/^[a-z]+:/.test(target)) continue;
			if (!existsSync(`${dir}/${target}`)) broken.push(`${file}: ${target}`);
		}
	}
	assert.deepEqual(broken, []);
});
