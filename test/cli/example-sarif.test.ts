import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Log, Result } from 'sarif';
import { allRules } from '../../server/src/engine/rules/catalog';
import { EXAMPLE_FLEET, plantedAt, runExample, type PlantedFinding } from './example-fleet';

/**
 * The example fleet's SARIF output, pinned. `fleetscope check examples/fleet --format sarif`, run
 * in this process on the example's day (EXAMPLE_DAY: DR-test ages and end-of-support dates move with
 * time), must equal test/fixtures/example-fleet.sarif.json once what legitimately varies is
 * normalised: the tool version and the absolute path of the checked root. Besides the pin:
 * - every compliance rule of the registry (a rule with controls, live-* excepted: they need a
 *   cluster) fires on the example at least once, so a new rule without a planted trigger fails here;
 * - every result is a planted mistake of test/fixtures/example-expectations.json and every planted
 *   mistake is a result (no unplanned finding, none missing), exempted ones as suppressed results.
 * What a cluster receives is judged at the Kubernetes version of its ClusterClaim (staging: 1.35), so
 * the Pod Security checks of later versions fire there by default.
 *
 * After an intended change of findings or rule metadata, regenerate the pin and review its diff:
 *   UPDATE_PINS=1 node scripts/run-tests.mjs example-sarif
 */

const PIN = 'test/fixtures/example-fleet.sarif.json';

/** The log with what varies between machines and releases replaced by placeholders. */
function normalised(log: Log): Log {
	const copy = JSON.parse(JSON.stringify(log)) as Log;
	for (const run of copy.runs) {
		run.tool.driver.version = '<version>';
		run.tool.driver.semanticVersion = '<version>';
		for (const base of Object.values(run.originalUriBaseIds ?? {})) base.uri = '<root>';
	}
	return copy;
}

async function sarif(extra: string[] = []): Promise<Log> {
	const r = await runExample(['check', EXAMPLE_FLEET, '--format', 'sarif', '--fail-on', 'never', ...extra]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(r.stderr, '');
	return JSON.parse(r.stdout) as Log;
}

interface Placed {
	file: string;
	line: number;
	column: number;
	ruleId: string;
	level: string;
	message: string;
	suppressed: boolean;
}

function placed(log: Log): Placed[] {
	return (log.runs[0].results ?? []).map((r: Result) => {
		const loc = r.locations![0].physicalLocation!;
		return {
			file: decodeURIComponent(loc.artifactLocation!.uri!),
			line: loc.region!.startLine!,
			column: loc.region!.startColumn!,
			ruleId: r.ruleId!,
			level: r.level!,
			message: r.message.text!,
			suppressed: (r.suppressions?.length ?? 0) > 0,
		};
	});
}

const show = (p: Placed) => `${p.file}:${p.line}:${p.column} ${p.level} ${p.ruleId}${p.suppressed ? ' (suppressed)' : ''}`;
const where = (p: PlantedFinding) => `${p.file}:${p.line} ${p.ruleId} "${p.messageIncludes}"`;

/** Pairs each result with one planted finding (file, line, rule, message); returns what is left over on either side. */
function match(results: Placed[], planted: PlantedFinding[]): { unplanned: Placed[]; missing: PlantedFinding[]; pairs: [Placed, PlantedFinding][] } {
	const left = [...planted];
	const unplanned: Placed[] = [];
	const pairs: [Placed, PlantedFinding][] = [];
	for (const r of results) {
		const i = left.findIndex((p) => p.file === r.file && p.line === r.line && p.ruleId === r.ruleId && r.message.includes(p.messageIncludes));
		if (i < 0) unplanned.push(r);
		else pairs.push([r, left.splice(i, 1)[0]]);
	}
	return { unplanned, missing: left, pairs };
}

describe('the example fleet as SARIF (examples/fleet)', () => {
	let log: Log;

	before(async () => {
		log = await sarif();
	});

	it('equals the pinned log (UPDATE_PINS=1 rewrites it)', () => {
		const actual = normalised(log);
		if (process.env.UPDATE_PINS === '1') writeFileSync(PIN, `${JSON.stringify(actual, null, '\t')}\n`);
		assert.ok(existsSync(PIN), `${PIN} is missing: run UPDATE_PINS=1 node scripts/run-tests.mjs example-sarif`);
		const pinned = JSON.parse(readFileSync(PIN, 'utf8')) as Log;
		// The results first, one line each, so a moved or new finding reads as a short diff.
		assert.deepEqual(placed(actual).map(show), placed(pinned).map(show), `the findings differ from ${PIN}; if intended, run UPDATE_PINS=1 node scripts/run-tests.mjs example-sarif`);
		assert.deepEqual(actual, pinned, `the SARIF log differs from ${PIN} (messages or rule metadata); if intended, run UPDATE_PINS=1 node scripts/run-tests.mjs example-sarif`);
	});

	it('names every rule the engine knows, with its controls, and the example as the checked root', () => {
		const driver = log.runs[0].tool.driver;
		assert.deepEqual(
			driver.rules!.map((r) => r.id),
			allRules().map((r) => r.id),
		);
		for (const r of driver.rules!) assert.deepEqual(r.properties?.controls, allRules().find((m) => m.id === r.id)!.controls, r.id);
		assert.match(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri!, /^file:\/\/\/.*\/examples\/fleet\/$/);
	});

	it('every compliance rule of the registry fires at least once (a new rule needs a planted trigger)', () => {
		// dora-fleet-file notes a repository without a Fleet file, which the example has (test/fleet/fleet-file-note.test.ts covers it).
		const compliance = allRules()
			.filter((r) => r.controls.length > 0 && !r.id.startsWith('live-') && r.id !== 'dora-fleet-file')
			.map((r) => r.id);
		assert.ok(compliance.length >= 70, `only ${compliance.length} compliance rules registered`);
		const fired = new Set(placed(log).map((p) => p.ruleId));
		const never = compliance.filter((id) => !fired.has(id));
		assert.deepEqual(never, [], 'compliance rules without a trigger in examples/fleet: plant one (README.md table, test/fixtures/example-expectations.json)');
	});

	it('every result is a planted mistake, every planted mistake is a result, and only exempted ones are suppressed', () => {
		const { unplanned, missing, pairs } = match(placed(log), plantedAt(undefined));
		assert.deepEqual(unplanned.map(show), [], 'findings that test/fixtures/example-expectations.json does not plant');
		assert.deepEqual(missing.map(where), [], 'planted mistakes the check does not report');
		for (const [r, p] of pairs) assert.equal(r.suppressed, p.exempted === true, `${show(r)}: suppressed exactly when the expectation says exempted`);
	});
});
