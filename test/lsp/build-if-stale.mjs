// Builds dist/ (`npm run build:dev`) when an output named on the command line (default dist/server.js)
// is missing or older than its sources. Run under `flock` by the LSP and CLI tests, so parallel test
// files build once, not at the same time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
	let t = 0;
	if (!existsSync(dir)) return t;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}

// The loaders (dist/server.js, dist/cli.js) run the programs beside them: those must be fresh too.
const named = process.argv.length > 2 ? process.argv.slice(2) : ['dist/server.js'];
const outs = named.flatMap((o) => [o, o.replace(/\.js$/, '-program.js')]);
const sources = Math.max(newest('server/src'), newest('shared'), statSync('esbuild.js').mtimeMs, statSync('package.json').mtimeMs);
if (outs.some((out) => !existsSync(out) || statSync(out).mtimeMs < sources)) {
	const r = spawnSync('npm', ['run', '-s', 'build:dev'], { stdio: ['ignore', 'inherit', 'inherit'] });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
