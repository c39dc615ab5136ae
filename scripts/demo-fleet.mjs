// The demo's fleet repository and its hosting: a fresh copy of examples/fleet with a git history of its
// own (the fleet committed a month ago, so staging's versions have soaked, and its README an hour ago:
// the simulated clusters' GitOps status names these two commits as HEAD~1 and HEAD, see
// tools/kube-sim/fixtures/*-gitops.yaml), pushed to a bare remote on
// disk that its `origin` (https://github.com/acme/fleet.git, as teams configure it) reaches through
// `url.<bare>.insteadOf`, and the GitHub API simulator (dist/scm-sim.js) for the pull requests. With
// both, `Fleetscope: Promote...` runs end to end in the demo: orders-api is behind in production.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startTool } from './tool-process.mjs';

export const DEMO_REMOTE_URL = 'https://github.com/acme/fleet.git';
/** The simulator's token: a demo value, asked for by the editor when it opens the pull request. */
export const DEMO_GITHUB_TOKEN = 'ghp_fleetscopeDemoToken0000000000000000';

/**
 * Replaces `dir` with the demo repository (`dir/fleet`) and its remote (`dir/remote.git`).
 * @param {{ source: string, dir: string, log?: (line: string) => void }} options
 * @returns {{ folder: string, remote: string, branches: () => string[] }}
 */
export function prepareDemoFleet({ source, dir, log = () => {} }) {
	const folder = join(dir, 'fleet');
	const remote = join(dir, 'remote.git');
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const ago = (ms) => new Date(Date.now() - ms).toISOString();
	// The user's global git configuration is not read: a commit.gpgsign or a hook of theirs must not stop the demo.
	const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
	const git = (args, cwd = folder, date = ago(0)) => execFileSync('git', args, { cwd, env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	git(['init', '-q', '--bare', '-b', 'main', remote], dir);
	cpSync(source, folder, { recursive: true });
	git(['init', '-q', '-b', 'main']);
	// The repository's own identity: promotion commits are authored by it, not by whoever runs the demo.
	git(['config', 'user.name', 'Fleetscope Demo']);
	git(['config', 'user.email', 'demo@fleetscope.invalid']);
	git(['config', 'commit.gpgsign', 'false']);
	git(['remote', 'add', 'origin', DEMO_REMOTE_URL]);
	git(['config', `url.${remote}.insteadOf`, DEMO_REMOTE_URL]);
	git(['add', '-A', '--', '.', ':!README.md']);
	git(['commit', '-q', '-m', 'The acme platform fleet'], folder, ago(30 * 24 * 3600_000));
	git(['add', 'README.md']);
	git(['commit', '-q', '-m', 'What the example fleet shows'], folder, ago(3600_000));
	git(['push', '-q', 'origin', 'main']);
	log(`demo fleet repository: ${folder} (origin ${DEMO_REMOTE_URL} -> ${remote})`);
	return { folder, remote, branches: () => git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], remote).trim().split('\n') };
}

/**
 * Starts the GitHub API simulator for acme/fleet; `url` is its API base (GITHUB_API_URL).
 * @param {{ log?: (line: string) => void, onRequest?: (line: string) => void }} options
 * @returns {Promise<{ url: string, token: string, stop: () => Promise<void>, exit: Promise<number | string>, output: () => string }>}
 */
export async function startGitHubSimulator({ log = (l) => console.error(l), onRequest = () => {} } = {}) {
	let url = '';
	const onLine = (line) => {
		const m = /^scm-sim: github \S+ on (\S+)$/.exec(line);
		if (m) url = m[1];
		else if (line.startsWith('scm-sim: ')) onRequest(line.slice('scm-sim: '.length));
	};
	const tool = await startTool({ bundle: 'scm-sim.js', args: ['github', '--owner', 'acme', '--repo', 'fleet', '--token', DEMO_GITHUB_TOKEN], onLine, log });
	return { url, token: DEMO_GITHUB_TOKEN, ...tool };
}
