import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine } from '../server/src/engine/analysis/engine';
import { EMPTY_REPO } from '../server/src/engine/context/check-context';
import { nodeEngineDeps } from '../server/src/host/engine-deps';
import { defaultSettings } from '../shared/settings';

/** Each snippet, expanded with its defaults as VS Code would, is valid for Fleetscope itself. */

/** Expands placeholders innermost first: `${1:default}` → default, `${1|a,b|}` → a, `$1`/`${1}`/`$0` → ''. */
function expand(body: string): string {
	let out = body;
	for (let i = 0; i < 20 && /\$\{\d+[:|]/.test(out); i++) {
		out = out.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
	}
	return out.replace(/\$\{\d+\}|\$\d+/g, '');
}

test('every snippet expands to YAML without an error finding', () => {
	const snippets = JSON.parse(readFileSync('snippets/fleetscope.json', 'utf8')) as Record<string, { prefix: string[] | string; body: string[] }>;
	const names = Object.keys(snippets);
	assert.deepEqual(names.sort(), ['ClusterClaim', 'Fleet', 'Kyverno ClusterPolicy']);
	const { registry, checks } = nodeEngineDeps();
	const engine = new Engine(registry, defaultSettings(), checks);
	for (const name of names) {
		const text = expand(snippets[name].body.join('\n')) + '\n';
		assert.doesNotMatch(text, /\$\{?\d/, `${name}: a placeholder was left`);
		const findings = engine.analyze({ path: `${name}.yaml`, text }, EMPTY_REPO).findings;
		assert.deepEqual(findings.map((f) => `${f.ruleId}: ${f.message}`), [], name);
	}
});
