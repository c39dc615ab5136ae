import { spawn } from 'node:child_process';

/**
 * The git CLI, run without a shell: arguments go to git as they are (no quoting, no expansion),
 * never through `sh -c`. Injected, so tests and the editor (VS Code's `git.path`) choose the
 * binary. No credential is ever an argument: tokens travel in the environment of one call only
 * (see credentials.ts), and nothing here logs.
 */

export interface GitRunOptions {
	cwd: string;
	/** Added to the process environment for this call only (GIT_INDEX_FILE, a token for the credential helper). */
	env?: Record<string, string>;
	/** Written to git's standard input. */
	input?: string;
	/** Milliseconds before the call is killed (default 120 s: a push over a slow link). */
	timeoutMs?: number;
}

export interface GitResult {
	code: number;
	stdout: string;
	stderr: string;
}

export type GitRunner = (args: readonly string[], options: GitRunOptions) => Promise<GitResult>;

/** A git command that failed: what git said, and what the user can do. */
export class GitError extends Error {
	constructor(
		message: string,
		readonly args: readonly string[],
		readonly stderr: string,
		readonly code: number,
	) {
		super(message);
	}
}

/**
 * Runs the git binary (default `git` on PATH). Prompts are off (a credential prompt would hang a
 * non-interactive run; the error says how to give credentials instead) and messages are in English
 * (the adapter reads a few of them, e.g. a rejected push).
 */
export function nodeGitRunner(gitPath = 'git', baseEnv: NodeJS.ProcessEnv = process.env): GitRunner {
	return (args, options) =>
		new Promise((resolve, reject) => {
			const env: NodeJS.ProcessEnv = { ...baseEnv, ...options.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C' };
			const child = spawn(gitPath, [...args], { cwd: options.cwd, env, shell: false, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
			const out: Buffer[] = [];
			const err: Buffer[] = [];
			const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 120_000);
			child.stdout.on('data', (d: Buffer) => out.push(d));
			child.stderr.on('data', (d: Buffer) => err.push(d));
			child.on('error', (e) => {
				clearTimeout(timer);
				reject(new GitError(`git could not be run (${(e as NodeJS.ErrnoException).code ?? e.message}): install git, or put it on PATH`, args, '', -1));
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				const stderr = Buffer.concat(err).toString('utf8');
				resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: signal && code === null ? `${stderr}\n(git was stopped: ${signal})` : stderr });
			});
			child.stdin.on('error', () => undefined);
			child.stdin.end(options.input ?? '');
		});
}
