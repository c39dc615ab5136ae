// Generates the settings-derived parts of package.json from shared/settings.ts, so the manifest
// cannot drift from the typed settings (test/manifest.test.ts checks it):
//   contributes.configuration                        ← SETTINGS, plus fleetscope.trace.server
//   capabilities.untrustedWorkspaces.restrictedConfigurations ← settings with scope machine-overridable
// Usage: npm run gen:manifest
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, SETTINGS_SECTION } from '../shared/settings';

export interface ManifestConfiguration {
	title: string;
	properties: Record<string, Record<string, unknown>>;
}

/** `contributes.configuration`, one property per setting, in SETTINGS order. */
export function manifestConfiguration(): ManifestConfiguration {
	const properties: Record<string, Record<string, unknown>> = {};
	let order = 0;
	for (const spec of Object.values(SETTINGS)) {
		properties[`${SETTINGS_SECTION}.${spec.key}`] = {
			...spec.schema,
			default: spec.default,
			markdownDescription: spec.description,
			scope: spec.scope,
			order: order++,
		};
	}
	// Read by vscode-languageclient itself (`<client id>.trace.server`), not by the server.
	properties[`${SETTINGS_SECTION}.trace.server`] = {
		type: 'string',
		enum: ['off', 'messages', 'verbose'],
		default: 'off',
		markdownDescription: 'Traces the messages between VS Code and the Fleetscope language server, in the Fleetscope output.',
		scope: 'window',
		order: order++,
	};
	return { title: 'Fleetscope', properties };
}

/** Settings an untrusted workspace may not set (they will choose kubeconfigs and clusters). */
export function restrictedConfigurations(): string[] {
	return Object.values(SETTINGS)
		.filter((s) => s.scope === 'machine-overridable')
		.map((s) => `${SETTINGS_SECTION}.${s.key}`);
}

export const UNTRUSTED_DESCRIPTION =
	'In an untrusted workspace Fleetscope validates YAML files as usual, but contacts no cluster and runs no kubeconfig credential plugin; the workspace cannot set the settings that choose kubeconfig files, contexts or whether clusters are contacted.';

/** Writes the generated parts into a parsed package.json, leaving every other field alone. */
export function applyTo(pkg: Record<string, any>): Record<string, any> {
	pkg.contributes = { ...(pkg.contributes ?? {}), configuration: manifestConfiguration() };
	pkg.capabilities = {
		...(pkg.capabilities ?? {}),
		untrustedWorkspaces: { supported: 'limited', description: UNTRUSTED_DESCRIPTION, restrictedConfigurations: restrictedConfigurations() },
	};
	return pkg;
}

if (process.argv[1] && /gen-manifest\.ts$/.test(process.argv[1])) {
	const file = join(__dirname, '..', 'package.json');
	const pkg = applyTo(JSON.parse(readFileSync(file, 'utf8')));
	writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
	console.log(`package.json: ${Object.keys(pkg.contributes.configuration.properties).length} settings`);
}
