// Bundles the entry points: the extension, the language server, the CLI and the two simulators (tests and demo). Type checking is separate (`npm run typecheck`).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors as file:line:column so editors' problem matchers pick them up. */
const problemMatcher = {
	name: 'problem-matcher',
	setup(build) {
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
			}
		});
	},
};

const common = {
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	minify: production,
	sourcemap: !production,
	sourcesContent: false,
	logLevel: 'silent',
	plugins: [problemMatcher],
};

const entries = [
	{ entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
	{ entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
	{ entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
	// The Kubernetes API simulator of the tests and the demo: built beside the rest, never packaged (.vscodeignore is a whitelist).
	{ entryPoints: ['tools/kube-sim/main.ts'], outfile: 'dist/kube-sim.js' },
	// The GitHub API simulator of the demo (promotion pull requests land there); never packaged either.
	{ entryPoints: ['tools/scm-sim/main.ts'], outfile: 'dist/scm-sim.js' },
];

async function main() {
	const fs = require('fs');
	const contexts = await Promise.all(
		entries.filter((e) => fs.existsSync(e.entryPoints[0])).map((e) => esbuild.context({ ...common, ...e })),
	);
	if (watch) {
		await Promise.all(contexts.map((c) => c.watch()));
		return;
	}
	const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
	await Promise.all(contexts.map((c) => c.dispose()));
	if (results.some((r) => r.status === 'rejected')) process.exit(1);
	if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
