import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NodeRepoReader } from '../../server/src/host/repo-reader';

test('the fleet reader keeps a text the snapshot build already read, instead of reading the disk again once the build lets go of it', (t) => {
	const root = mkdtempSync(path.join(tmpdir(), 'fleetscope-reader-'));
	t.after(() => rmSync(root, { recursive: true, force: true }));
	writeFileSync(path.join(root, 'a.yaml'), 'kind: Disk\n');
	writeFileSync(path.join(root, 'b.yaml'), 'kind: Disk\n');
	const known = new Map([['a.yaml', 'kind: Known\n']]);
	const open = new Map<string, string>();
	const reader = new NodeRepoReader(root, ['a.yaml', 'b.yaml', 'bin.yaml'], (rel) => open.get(rel), (rel) => known.get(rel));
	assert.equal(reader.read('a.yaml'), 'kind: Known\n', 'the text the build read');
	// The build hands its texts over once (validation takes them): the reader still has it.
	known.clear();
	assert.equal(reader.read('a.yaml'), 'kind: Known\n');
	assert.equal(reader.read('b.yaml'), 'kind: Disk\n', 'a text nobody read comes from the disk');
	// A binary text is not a fleet file, wherever it was read.
	const binary = new NodeRepoReader(root, ['bin.yaml'], () => undefined, () => 'x\u0000y');
	assert.equal(binary.read('bin.yaml'), undefined);
	// The editor's text wins, and is not kept: closing the document shows the kept text again.
	open.set('a.yaml', 'kind: Editor\n');
	assert.equal(reader.read('a.yaml'), 'kind: Editor\n');
	open.clear();
	assert.equal(reader.read('a.yaml'), 'kind: Known\n');
	// A change on disk: forgotten, read again.
	reader.invalidate('a.yaml');
	assert.equal(reader.read('a.yaml'), 'kind: Disk\n');
});
