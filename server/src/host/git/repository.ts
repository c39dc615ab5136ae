import * as path from 'node:path';
import { GitError, type GitRunner, type GitRunOptions } from './runner';

/**
 * One git repository, seen from a directory inside it (the fleet's root may be a sub-directory:
 * `examples/fleet`). Reads only, besides `fetch` (which updates remote-tracking refs as any fetch
 * does): the working tree, the index, the current branch and HEAD are never touched here.
 */
export class GitRepository {
	private constructor(
		/** The directory git runs in: the top level. */
		readonly cwd: string,
		/** The repository's top level (absolute). */
		readonly top: string,
		/** The fleet root relative to the top level (posix, '' or ending in '/'). */
		readonly prefix: string,
		private readonly runner: GitRunner,
	) {}

	/** Credentials for commands that talk to the remote (see credentials.ts): config arguments and environment, never written. */
	private auth: { args: string[]; env: Record<string, string> } = { args: [], env: {} };

	/** Gives the commands that reach the remote these credentials (an env-scoped credential helper). */
	useCredentials(args: string[], env: Record<string, string>): void {
		this.auth = { args, env };
	}

	/** The repository that holds `dir`; a GitError when it is not in one. */
	static async open(dir: string, runner: GitRunner): Promise<GitRepository> {
		const r = await runner(['rev-parse', '--show-toplevel', '--show-prefix'], { cwd: dir });
		if (r.code !== 0) throw new GitError(`${dir} is not in a git repository (promotion writes a commit and pushes it): clone the fleet's repository and run there`, ['rev-parse'], r.stderr, r.code);
		const [top, prefix = ''] = r.stdout.split('\n');
		// Git runs at the top level, so every path is the repository path (`repoPath`) whatever the command.
		return new GitRepository(path.resolve(top.trim()), path.resolve(top.trim()), prefix.trim(), runner);
	}

	/** Runs git; a failure throws a GitError carrying git's own message. `network`: the command reaches the remote (credentials apply). */
	async git(args: readonly string[], options: Omit<GitRunOptions, 'cwd'> & { network?: boolean } = {}): Promise<string> {
		const r = await this.tryGit(args, options);
		if (r.code !== 0) throw new GitError(`git ${args[0]} failed: ${firstLines(r.stderr) || `exit code ${r.code}`}`, args, r.stderr, r.code);
		return r.stdout;
	}

	/** Runs git and returns the raw result (for commands whose failure is an answer). */
	async tryGit(args: readonly string[], options: Omit<GitRunOptions, 'cwd'> & { network?: boolean } = {}) {
		const { network, ...rest } = options;
		if (!network) return this.runner(args, { ...rest, cwd: this.cwd });
		return this.runner([...this.auth.args, ...args], { ...rest, env: { ...rest.env, ...this.auth.env }, cwd: this.cwd });
	}

	/** A fleet-root-relative path as a path from the repository's top level. */
	repoPath(rel: string): string {
		return `${this.prefix}${rel}`;
	}

	/** One config value as written (`git config --get`), or undefined. */
	async config(key: string): Promise<string | undefined> {
		const r = await this.tryGit(['config', '--get', key]);
		return r.code === 0 ? r.stdout.trim() : undefined;
	}

	/**
	 * The remote's URL as configured (`remote.<name>.url`), not `git remote get-url`, which applies
	 * `url.*.insteadOf` rewrites: the host and repository are those the team wrote down.
	 */
	async remoteUrl(remote: string): Promise<string> {
		const url = await this.config(`remote.${remote}.url`);
		if (url === undefined) {
			const names = (await this.tryGit(['remote'])).stdout.split('\n').filter(Boolean);
			throw new GitError(`no remote "${remote}" in this repository${names.length > 0 ? ` (remotes: ${names.join(', ')}); choose one with --remote NAME` : ': add one with git remote add origin URL'}`, ['config'], '', 1);
		}
		return url;
	}

	/** The user's identity as git would write it; throws with how to set it. */
	async identity(): Promise<string> {
		const r = await this.tryGit(['var', 'GIT_AUTHOR_IDENT']);
		if (r.code !== 0) throw new GitError('git does not know who you are, and the promotion commit needs an author: run git config --global user.name "Your Name" and git config --global user.email you@example.com', ['var'], r.stderr, r.code);
		return r.stdout.trim().replace(/\s+\d+\s+[+-]\d{4}$/, '');
	}

	/** The remote's default branch (its HEAD), asked of the remote itself. */
	async defaultBranch(remote: string): Promise<string> {
		const out = await this.git(['ls-remote', '--symref', remote, 'HEAD'], { timeoutMs: 60_000, network: true }).catch((e: unknown) => {
			throw unreachable(remote, e);
		});
		const m = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(out);
		if (m) return m[1];
		const local = (await this.tryGit(['symbolic-ref', '--short', `refs/remotes/${remote}/HEAD`])).stdout.trim();
		if (local.startsWith(`${remote}/`)) return local.slice(remote.length + 1);
		throw new GitError(`the remote "${remote}" does not say which branch is its default (no HEAD)`, ['ls-remote'], out, 1);
	}

	/** The commits the remote's branches point at (absent: the branch does not exist there). */
	async remoteHeads(remote: string, branches: readonly string[]): Promise<Map<string, string>> {
		const out = await this.git(['ls-remote', '--heads', remote, ...branches.map((b) => `refs/heads/${b}`)], { timeoutMs: 60_000, network: true }).catch((e: unknown) => {
			throw unreachable(remote, e);
		});
		const heads = new Map<string, string>();
		for (const line of out.split('\n')) {
			const m = /^([0-9a-f]{40,64})\s+refs\/heads\/(.+)$/.exec(line.trim());
			if (m) heads.set(m[2], m[1]);
		}
		return heads;
	}

	/** Fetches branches of the remote into its remote-tracking refs; returns their commits. */
	async fetch(remote: string, branches: readonly string[]): Promise<void> {
		if (branches.length === 0) return;
		await this.git(['fetch', '--no-tags', '--no-write-fetch-head', remote, ...branches.map((b) => `+refs/heads/${b}:refs/remotes/${remote}/${b}`)], { timeoutMs: 300_000, network: true }).catch((e: unknown) => {
			throw unreachable(remote, e);
		});
	}

	/** A file's text at a commit (a fleet-root-relative path), or undefined when it does not exist there. */
	async readAt(commit: string, rel: string): Promise<string | undefined> {
		const r = await this.tryGit(['cat-file', 'blob', `${commit}:${this.repoPath(rel)}`]);
		return r.code === 0 ? r.stdout : undefined;
	}

	/** The tree of a commit. */
	async treeOf(commit: string): Promise<string> {
		return (await this.git(['rev-parse', `${commit}^{tree}`])).trim();
	}
}

function firstLines(s: string): string {
	return s
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean)
		.slice(0, 3)
		.join(' ');
}

/** A remote that cannot be reached or read: git's words, and what to check. */
function unreachable(remote: string, e: unknown): GitError {
	const g = e instanceof GitError ? e : undefined;
	const said = g ? firstLines(g.stderr) : String(e);
	const auth = /authentication|could not read Username|permission denied|403|401/i.test(said);
	const hint = auth
		? 'check your git credentials for it (a credential helper, an SSH key, or GITHUB_TOKEN / GITLAB_TOKEN for an https remote)'
		: 'check the network and the remote URL (git remote -v)';
	return new GitError(`the remote "${remote}" could not be read (${said}): ${hint}`, g?.args ?? [], g?.stderr ?? '', g?.code ?? 1);
}
