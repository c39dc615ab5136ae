/**
 * Generates the rule documentation from the rule metadata, so docs cannot drift from the code:
 * one page per rule in docs/rules/<id>.md (the target of each diagnostic's codeDescription link),
 * the rules table of docs/checks.md and the settings table of docs/settings.md, between their markers.
 * `npm run gen:docs` writes; test/docs.test.ts fails when the committed files differ.
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { type RuleMeta } from '../server/src/engine/core/rule-meta';
import { allRules } from '../server/src/engine/rules/catalog';
import { SETTINGS, SETTINGS_SECTION } from '../shared/settings';

export function rulePage(r: RuleMeta): string {
	const lines = [
		`# ${r.id}: ${r.title}`,
		'',
		`Default severity: **${r.defaultSeverity}**. Change it or turn the rule off with the setting \`fleetscope.severity\` (\`{ "${r.id}": "warning" }\` or \`"off"\`).`,
		'',
		'## Why it matters',
		'',
		r.rationale,
		'',
	];
	if (r.remediation) lines.push('## How to fix it', '', r.remediation, '');
	if (r.controls.length > 0) lines.push('## Controls', '', ...r.controls.map((c) => `- ${c}`), '');
	lines.push('## What the diagnostic says', '', 'Each diagnostic names the exact field and, where one exists, the fix (for example the closest valid field name).', '');
	return lines.join('\n');
}

export function rulesTable(): string {
	const rows = allRules()
		.sort((a, b) => a.id.localeCompare(b.id))
		.map((r) => `| [\`${r.id}\`](rules/${r.id}.md) | ${r.title} | ${r.defaultSeverity} | ${r.controls.join(', ') || '—'} |`);
	return ['| Rule | What it finds | Default | Controls |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function settingsTable(): string {
	const rows = Object.values(SETTINGS).map((s) => `| \`${SETTINGS_SECTION}.${s.key}\` | \`${JSON.stringify(s.default)}\` | ${s.description} |`);
	return ['| Setting | Default | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

/** A document with its generated tables (the rules and settings tables, where it has their markers) brought up to date. */
export function renderTables(doc: string): string {
	return doc
		.replace(/(<!-- rules:start -->)[\s\S]*?(<!-- rules:end -->)/, `$1\n${rulesTable()}\n$2`)
		.replace(/(<!-- settings:start -->)[\s\S]*?(<!-- settings:end -->)/, `$1\n${settingsTable()}\n$2`);
}

/** The documents that hold generated tables. */
export const TABLE_DOCS = ['docs/checks.md', 'docs/settings.md'];

if (process.argv[1] && process.argv[1].endsWith('gen-docs.ts')) {
	mkdirSync('docs/rules', { recursive: true });
	for (const f of readdirSync('docs/rules')) rmSync(`docs/rules/${f}`);
	for (const r of allRules()) writeFileSync(`docs/rules/${r.id}.md`, rulePage(r));
	for (const doc of TABLE_DOCS) writeFileSync(doc, renderTables(readFileSync(doc, 'utf8')));
	console.log(`wrote ${allRules().length} rule pages and the tables of ${TABLE_DOCS.join(', ')}`);
}
