import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { renderReadme, rulePage } from '../scripts/gen-docs';
import { allRules } from '../server/src/engine/rules/catalog';

/** The rule pages and the README tables are generated from the code; these fail when they drift (fix: npm run gen:docs). */

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

test('the README rules and settings tables match the code', () => {
	const readme = readFileSync('README.md', 'utf8');
	assert.equal(readme, renderReadme(readme), 'README.md tables are stale: run npm run gen:docs');
	for (const r of allRules()) assert.ok(readme.includes(`[\`${r.id}\`](docs/rules/${r.id}.md)`), r.id);
});
