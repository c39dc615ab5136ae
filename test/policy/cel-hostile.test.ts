import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CelEnvironment } from '../../server/src/engine/cel';

/**
 * A hostile policy cannot hang the server: every CEL evaluation is bounded in loop steps and time,
 * and expressions too deep or too large are refused when compiled. Each case must end, quickly,
 * with a clear error (never a wrong true/false).
 */

const ten = `[${Array.from({ length: 10 }, (_, i) => i).join(', ')}]`;

function nested(levels: number): string {
	let e = `${ten}.size()`;
	for (let i = 0; i < levels; i++) e = `${ten}.map(x${i}, ${e})`;
	return e;
}

test('a huge nested list comprehension stops at the budget with an error', () => {
	const env = new CelEnvironment({ variables: ['object'] });
	const c = env.compile(nested(8)); // 10^8 steps
	assert.ok(c.ok);
	const started = Date.now();
	const r = env.evaluate(c.program, {});
	const took = Date.now() - started;
	assert.equal(r.ok, false);
	assert.ok(!r.ok && r.limit, 'the error says a limit was hit');
	assert.match(r.ok ? '' : r.error, /budget|longer than/);
	assert.ok(took < 2000, `stopped after ${took} ms`);
});

test('the step budget is counted, not only time: a small budget stops a moderate loop', () => {
	const env = new CelEnvironment({ variables: [], limits: { steps: 500, timeMs: 60_000 } });
	const c = env.compile(nested(3)); // 10^3 steps
	assert.ok(c.ok);
	const r = env.evaluate(c.program, {});
	assert.ok(!r.ok && /500 loop steps/.test(r.error));
	// Within budget the same shape evaluates normally.
	const small = env.compile(nested(1));
	assert.ok(small.ok);
	assert.equal(env.evaluate(small.program, {}).ok, true);
});

test('errors absorbed by || cannot keep a loop running past the budget', () => {
	const env = new CelEnvironment({ variables: [], limits: { steps: 2_000, timeMs: 60_000 } });
	const inner = `${ten}.all(b, ${ten}.all(c, ${ten}.all(d, c >= 0)))`;
	const c = env.compile(`${ten}.all(a, ${ten}.all(z, (${inner}) || true))`);
	assert.ok(c.ok);
	const r = env.evaluate(c.program, {});
	assert.equal(r.ok, false, 'exhausted, whatever || absorbed');
});

test('deep nesting is refused at compile time, and the server stays up', () => {
	const env = new CelEnvironment({ variables: ['self'] });
	const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
	const c = env.compile(deep);
	assert.ok(!c.ok);
	assert.match(c.errors[0].message, /nests brackets more than/);
	const chain = Array.from({ length: 30_000 }, () => '1').join(' + ');
	const d = env.compile(chain);
	assert.ok(!d.ok, 'a 30000-term chain is refused');
	const long = env.compile(`self == '${'x'.repeat(70_000)}'`);
	assert.ok(!long.ok);
	assert.match(long.errors[0].message, /longer than/);
});

test('a regex bomb runs in linear time (RE2)', () => {
	const env = new CelEnvironment({ variables: [] });
	const subject = `'${'a'.repeat(5000)}!'`;
	for (const expr of [`${subject}.matches('(a+)+$')`, `${subject}.matches('(a|aa)*$')`, `${subject}.find('(a+)+b')`]) {
		const c = env.compile(expr);
		assert.ok(c.ok, expr);
		const started = Date.now();
		const r = env.evaluate(c.program, {});
		assert.ok(Date.now() - started < 2000, `${expr.slice(0, 40)} took ${Date.now() - started} ms`);
		assert.ok(r.ok);
	}
	const tooMany = env.compile("'a'.matches('a{1001}')");
	assert.ok(tooMany.ok);
	const r = env.evaluate(tooMany.program, {});
	assert.equal(r.ok, false, 'RE2 refuses repetition counts over 1000');
});
