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
	// The language server and the CLI: each a small loader that runs the program's bundle with V8's code cache (server/src/bin).
	{ entryPoints: ['server/src/bin/server.ts'], outfile: 'dist/server.js' },
	{ entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server-program.js' },
	{ entryPoints: ['server/src/bin/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
	{ entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-program.js' },
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
	// Development builds keep comments (the yaml package's have typographic quotes) and are not measured.
	if (production && !latin1Bundles(fs)) process.exit(1);
}

/**
 * V8 holds a script's source for as long as it runs, as one-byte characters when every character is
 * Latin-1 and as two bytes each otherwise: one μ in a regular expression (esbuild escapes strings, not
 * regular expressions) doubled the 5 MB CLI and server sources in memory. Write such characters as
 * escapes (`\u03bc`).
 */
function latin1Bundles(fs) {
	let ok = true;
	for (const { outfile } of entries) {
		if (!fs.existsSync(outfile)) continue;
		const text = fs.readFileSync(outfile, 'utf8');
		const at = text.search(/[^\u0000-\u00ff]/);
		if (at < 0) continue;
		ok = false;
		console.error(`✘ [ERROR] ${outfile} has a character beyond Latin-1 (${JSON.stringify(text.slice(Math.max(0, at - 40), at + 20))}): V8 would hold the whole bundle as two-byte text. Write it as an escape in the source.`);
	}
	return ok;
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
