import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Obj } from './store';

/**
 * Objects a fixture takes from other files (`include: [staging-gitops.yaml]`, relative to the
 * fixture): YAML lists of objects, where `${GIT_HEAD}` and `${GIT_HEAD~1}` stand for the commits of
 * the repository the fixture is in, so that a simulated cluster can report a revision that is, or
 * is not, the repository's HEAD (Flux `lastAppliedRevision`). Without git history (a shallow clone,
 * a tarball) fixed stand-ins are used: the sync state then shows "not at HEAD". `gitDir` names
 * another repository to take them from (the demo's copy of the example fleet).
 */

const FALLBACK = { head: '2222222222222222222222222222222222222222', previous: '1111111111111111111111111111111111111111' };

function commits(dir: string): { head: string; previous: string } {
	const rev = (ref: string) => {
		const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir, encoding: 'utf8' });
		return r.status === 0 ? r.stdout.trim() : undefined;
	};
	const head = rev('HEAD');
	return { head: head ?? FALLBACK.head, previous: (head && rev('HEAD~1')) ?? FALLBACK.previous };
}

export function includedObjects(files: unknown, base: string, gitDir?: string): Obj[] {
	if (!Array.isArray(files)) return [];
	const out: Obj[] = [];
	let git: { head: string; previous: string } | undefined;
	for (const f of files) {
		const file = resolve(base, String(f));
		const text = readFileSync(file, 'utf8').replace(/\$\{GIT_HEAD(~1)?\}/g, (_m, previous: string | undefined) => {
			git ??= commits(gitDir ?? dirname(file));
			return previous ? git.previous : git.head;
		});
		const list = parse(text) as unknown;
		if (!Array.isArray(list)) throw new Error(`${file}: not a list of objects`);
		out.push(...(list as Obj[]));
	}
	return out;
}
