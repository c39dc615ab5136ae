import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureServerBuilt, Session, uriOf } from './harness';

/**
 * A document opened as the editor starts is analysed as soon as the repository's files are read,
 * before the fleet is discovered (workspace/folder.ts `factsReady`), then again with the fleet: it
 * ends with every fleet-aware finding, and what it showed first held no error the final analysis
 * does not have.
 */

const ROOT = resolve('examples/fleet');
// A finding only the fleet gives (versions per environment), on a file no render re-publishes.
const REL = 'apps/statements/production/kustomization.yaml';
let session: Session | undefined;
after(async () => {
	await session?.stop();
});

const errors = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.severity === 1).map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`);
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

test('opened at start: first what the files say, then what the fleet adds, never a false error in between', { timeout: 60_000 }, async () => {
	ensureServerBuilt();
	session = await Session.start({ folders: [ROOT] });
	const uri = uriOf(join(ROOT, REL));
	await session.open(uri, readFileSync(join(ROOT, REL), 'utf8'));
	const first = await session.diagnosticsOfVersion(uri, 1);
	// The order of environments and what runs where come from the fleet model.
	const final = await session.diagnostics(uri, (p) => p.version === 1 && codes(p).includes('dora-promotion-order'));
	assert.match(final.diagnostics.find((d) => d.code === 'dora-promotion-order')!.message, /App "statements" runs ghcr\.io\/acme\/statements 1\.5\.0 in production/);
	for (const e of errors(first)) assert.ok(errors(final).includes(e), `${e} was shown before the fleet was known, and is not an error after`);
	await session.logged(/^Validated \d+ workspace files/);
	assert.deepEqual(codes(session.lastDiagnostics(uri)!).sort(), codes(final).sort(), 'nothing changes once the workspace is validated');
});
