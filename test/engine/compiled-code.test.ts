import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileWithStore, type CompiledCodeStore } from '../../server/src/engine/schema/compiled-code';
import { createSchemaRegistry } from '../../server/src/engine/schema/registry';
import { nodeCompiledCodeStore } from '../../server/src/host/compiled-code-store';
import { isPrivateFile } from '../../server/src/host/cache-dir';
import { nodeK8sValidators } from '../../server/src/host/registry';
import { NodeSchemaSource } from '../../server/src/host/schema-source';
import { createAjv, prepareSchema } from '../../server/src/engine/schema/json-schema';

/**
 * CRD validators kept between runs (engine/schema/compiled-code.ts, host/compiled-code-store.ts):
 * a validator read back from the store judges exactly as a freshly compiled one, and nothing a
 * store holds or lacks changes the findings.
 */

function memoryStore(): CompiledCodeStore & { entries: Map<string, string>; reads: number } {
	const entries = new Map<string, string>();
	return {
		entries,
		reads: 0,
		read(identity) {
			this.reads++;
			return entries.get(identity);
		},
		write(identity, code) {
			entries.set(identity, code);
		},
	};
}

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-labels
spec:
  validationFailureActon: Enforce
  background: "yes"
  rules:
  - name: check-team
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "label team is required"
      pattern:
        metadata:
          labels:
            team: "?*"
`;
const VALID = POLICY.replace('validationFailureActon', 'validationFailureAction').replace('"yes"', 'true');

function findings(store: CompiledCodeStore | undefined, text: string): string[] {
	const registry = createSchemaRegistry({ source: new NodeSchemaSource(), k8sValidators: nodeK8sValidators, compiledCode: store });
	const schema = registry.lookup('kyverno.io/v1', 'ClusterPolicy')!;
	return schema.validate(parse(text), { partial: false }).map((p) => `${p.ruleId} ${p.path.join('.')}: ${p.message}`);
}

test('a validator read back from the store finds what a fresh compile finds, on both sides', () => {
	const store = memoryStore();
	const fresh = findings(undefined, POLICY);
	assert.ok(fresh.some((f) => f.includes('validationFailureActon')), fresh.join('\n'));
	assert.ok(fresh.some((f) => f.includes('background')), fresh.join('\n'));
	assert.deepEqual(findings(store, POLICY), fresh, 'compiled, then stored');
	assert.equal(store.entries.size, 1);
	const stored = memoryStore();
	stored.entries.set(...[...store.entries][0]);
	assert.deepEqual(findings(stored, POLICY), fresh, 'from the store');
	assert.equal(stored.entries.size, 1, 'nothing compiled, nothing written');
	assert.deepEqual(findings(stored, VALID), []);
});

test('stored code that does not evaluate to a validator is compiled afresh and written again', () => {
	const store = memoryStore();
	findings(store, POLICY);
	const [identity] = store.entries.keys();
	for (const bad of ['this is not javascript(', 'module.exports = 42;', 'require("child_process").execSync("true"); module.exports = () => true;']) {
		store.entries.set(identity, bad);
		assert.deepEqual(findings(store, POLICY), findings(undefined, POLICY), bad);
		assert.notEqual(store.entries.get(identity), bad);
	}
});

test('the identity is the schema as compiled: another schema never reads this one\'s code', () => {
	const store = memoryStore();
	const ajv = createAjv();
	compileWithStore(ajv, prepareSchema({ type: 'object', properties: { a: { type: 'string' } } }), store);
	compileWithStore(ajv, prepareSchema({ type: 'object', properties: { a: { type: 'integer' } } }), store);
	assert.equal(store.entries.size, 2);
	const v = compileWithStore(createAjv(), prepareSchema({ type: 'object', properties: { a: { type: 'integer' } } }), store);
	assert.equal(v({ a: 1 }), true);
	assert.equal(v({ a: 'x' }), false);
});

test('on disk: files of this user alone, in a directory per build; off, or written by others, nothing is used', () => {
	const dir = mkdtempSync(join(tmpdir(), 'fleetscope-ajv-'));
	try {
		const program = join(dir, 'server-program.js');
		writeFileSync(program, '// a build');
		const env = { FLEETSCOPE_CACHE_DIR: dir };
		const store = nodeCompiledCodeStore(env, program)!;
		assert.equal(store.read('x'), undefined);
		store.write('x', 'module.exports = 1;');
		assert.equal(store.read('x'), 'module.exports = 1;');
		const [build] = readdirSync(join(dir, 'ajv'));
		assert.match(build, /^server-program-\d+-\d+$/);
		const [file] = readdirSync(join(dir, 'ajv', build));
		assert.match(file, /^[0-9a-f]{64}\.js$/);
		assert.equal(statSync(join(dir, 'ajv', build, file)).mode & 0o777, 0o600);
		chmodSync(join(dir, 'ajv', build, file), 0o644);
		assert.equal(store.read('x'), undefined, 'a file others could have written is not run');
		assert.equal(nodeCompiledCodeStore({ ...env, FLEETSCOPE_COMPILE_CACHE: 'off' }, program), undefined);
		// A new build starts afresh and removes the old one's directory.
		writeFileSync(program, '// another build, longer');
		const next = nodeCompiledCodeStore(env, program)!;
		assert.equal(next.read('x'), undefined);
		next.write('y', 'module.exports = 2;');
		assert.deepEqual(readdirSync(join(dir, 'ajv')).length, 1);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('what counts as written by this user alone: mode 0600 and this owner; on Windows, where modes say nothing, the owner only', () => {
	const me = process.getuid?.() ?? 0;
	assert.equal(isPrivateFile({ mode: 0o100600, uid: me }, 'linux'), true);
	assert.equal(isPrivateFile({ mode: 0o100644, uid: me }, 'linux'), false);
	assert.equal(isPrivateFile({ mode: 0o100620, uid: me }, 'darwin'), false);
	assert.equal(isPrivateFile({ mode: 0o100666, uid: me }, 'win32'), true);
	if (process.getuid) assert.equal(isPrivateFile({ mode: 0o100600, uid: me + 1 }, 'linux'), false);
});

test('a cache directory others may write into is not used', () => {
	const dir = mkdtempSync(join(tmpdir(), 'fleetscope-ajv-'));
	try {
		const program = join(dir, 'server-program.js');
		writeFileSync(program, '// a build');
		const env = { FLEETSCOPE_CACHE_DIR: dir };
		nodeCompiledCodeStore(env, program)!.write('x', 'module.exports = 1;');
		chmodSync(join(dir, 'ajv'), 0o777);
		assert.equal(nodeCompiledCodeStore(env, program), undefined);
		chmodSync(join(dir, 'ajv'), 0o700);
		assert.equal(nodeCompiledCodeStore(env, program)!.read('x'), 'module.exports = 1;');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
