import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { listFiles, PackageManager } from '@vscode/vsce';
import picomatch from 'picomatch';
import { applyTo, manifestConfiguration } from '../scripts/gen-manifest';
import { SETTINGS } from '../shared/settings';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('the manifest settings are exactly what gen-manifest derives from shared/settings.ts', () => {
	assert.deepEqual(pkg.contributes.configuration, manifestConfiguration(), 'run `npm run gen:manifest`');
	assert.deepEqual(pkg.capabilities, applyTo(structuredClone(pkg)).capabilities, 'run `npm run gen:manifest`');
	const keys = Object.keys(pkg.contributes.configuration.properties);
	assert.deepEqual(keys, [...Object.keys(SETTINGS).map((k) => `fleetscope.${k}`), 'fleetscope.trace.server']);
});

test('workspace trust is limited, not refused: validation works in untrusted folders', () => {
	assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
	assert.ok(Array.isArray(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations));
});

test('every command the extension registers is declared in the manifest, and only those', () => {
	const src = (readdirSync('client/src', { recursive: true }) as string[])
		.filter((f) => f.endsWith('.ts'))
		.map((f) => readFileSync(`client/src/${f}`, 'utf8'))
		.join('\n');
	// Commands are registered one by one, or as entries of the command table (commands/index.ts).
	const registered = [...src.matchAll(/registerCommand\('([^']+)'/g), ...src.matchAll(/^\t+'(fleetscope\.[\w.]+)': /gm)].map((m) => m[1]).sort();
	assert.deepEqual(pkg.contributes.commands.map((c: { command: string }) => c.command).sort(), registered);
	assert.ok(registered.includes('fleetscope.restartServer') && registered.includes('fleetscope.showOutput'));
});

test('activation is lazy: YAML files or a kustomize repository, never `*`', () => {
	assert.ok(pkg.activationEvents.includes('onLanguage:yaml'));
	assert.ok(pkg.activationEvents.includes('workspaceContains:**/kustomization.yaml'));
	assert.ok(!pkg.activationEvents.some((e: string) => e === '*' || e === 'onStartupFinished'));
	assert.deepEqual(pkg.contributes.snippets, [{ language: 'yaml', path: './snippets/fleetscope.json' }]);
});

test('the icon is a PNG of at least 128x128 pixels', () => {
	const png = readFileSync(pkg.icon);
	assert.equal(png.subarray(1, 4).toString(), 'PNG');
	assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128);
});

test('.vscodeignore is a whitelist: the VSIX holds only bundles, schemas, snippets, media and docs, under 10 MB', async () => {
	const files = await listFiles({ cwd: process.cwd(), packageManager: PackageManager.None });
	const allowed = picomatch(['dist/extension.js', 'dist/server.js', 'dist/server-program.js', 'dist/cli.js', 'dist/cli-program.js', 'schemas/**', 'snippets/**', 'media/**', 'package.json', 'README.md', 'LICENSE', 'docs/rules/**'], { dot: true });
	assert.deepEqual(files.filter((f) => !allowed(f)), []);
	assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.endsWith('.map') || f.endsWith('.ts')));
	// The VSIX is a deflate zip: the deflated sizes of its files bound its size.
	const zipped = files.reduce((n, f) => n + deflateSync(readFileSync(f)).length, 0);
	const raw = files.reduce((n, f) => n + statSync(f).size, 0);
	assert.ok(zipped < 10 * 1024 * 1024, `${(zipped / 1048576).toFixed(1)} MB compressed (${(raw / 1048576).toFixed(1)} MB raw)`);
});
