/**
 * A token for git over https, when git has none of its own: an env-scoped credential helper
 * given with `-c` on the command line of one git call. The helper reads the token from that
 * call's environment, so the token is never an argument (not in `ps`), never written to
 * `.git/config`, the remote URL or the reflog. Git runs helpers that start with `!` through its
 * shell: that is git's mechanism, not ours; our own calls to git use no shell.
 *
 * The helper is scoped to the remote's https origin and comes after the user's own helpers, so
 * credentials the user already has are used first.
 */

const TOKEN_VAR = 'FLEETSCOPE_GIT_TOKEN';
const USER_VAR = 'FLEETSCOPE_GIT_USERNAME';

const HELPER = `!f() { test "$1" = get || exit 0; echo "username=\${${USER_VAR}}"; echo "password=\${${TOKEN_VAR}}"; }; f`;

/** The `-c` arguments and environment that let git use `token` for `url`'s https origin; none for ssh or file remotes. */
export function tokenCredentials(url: string, token: string | undefined, username: string): { args: string[]; env: Record<string, string> } {
	if (!token) return { args: [], env: {} };
	let origin: string;
	try {
		const u = new URL(url);
		if (u.protocol !== 'https:') return { args: [], env: {} };
		origin = `${u.protocol}//${u.host}`;
	} catch {
		return { args: [], env: {} };
	}
	return { args: ['-c', `credential.${origin}.helper=${HELPER}`], env: { [TOKEN_VAR]: token, [USER_VAR]: username } };
}
