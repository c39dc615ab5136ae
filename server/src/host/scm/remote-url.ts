/**
 * Host, owner and repository of a git remote URL as configured: https (`https://github.com/acme/fleet.git`,
 * with or without user info), ssh (`ssh://git@host:2222/acme/fleet.git`) and the scp-like form
 * (`git@github.com:acme/fleet.git`). The owner is the whole namespace path (GitLab subgroups:
 * `platform/teams`). User info is dropped: a token written into a remote URL never leaves here.
 */

export interface RemoteRepository {
	/** Host name, lower case, without port or user info. */
	host: string;
	/** The namespace path: `acme`, or `group/subgroup`. */
	owner: string;
	/** The repository name, without `.git`. */
	repo: string;
	protocol: 'https' | 'http' | 'ssh';
	/** Where the repository is browsed: `https://host/owner/repo` (an http remote keeps http, and its port). */
	webUrl: string;
}

export function parseRemoteUrl(url: string): RemoteRepository | undefined {
	const s = url.trim();
	let host: string;
	let path: string;
	let protocol: RemoteRepository['protocol'];
	let webOrigin: string;
	const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(s);
	if (/^(https?|ssh|git\+ssh):\/\//i.test(s)) {
		let u: URL;
		try {
			u = new URL(s.replace(/^git\+ssh:/i, 'ssh:'));
		} catch {
			return undefined;
		}
		protocol = u.protocol === 'http:' ? 'http' : u.protocol === 'https:' ? 'https' : 'ssh';
		host = u.hostname.toLowerCase();
		path = decodeURIComponent(u.pathname);
		webOrigin = protocol === 'ssh' ? `https://${host}` : `${protocol}://${u.host.toLowerCase()}`;
	} else if (scp && !/^[a-z]:[\\/]/i.test(s)) {
		protocol = 'ssh';
		host = scp[1].toLowerCase();
		path = scp[2];
		webOrigin = `https://${host}`;
	} else return undefined;
	const parts = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/').filter(Boolean);
	if (parts.length < 2 || !host) return undefined;
	const repo = parts[parts.length - 1];
	const owner = parts.slice(0, -1).join('/');
	return { host, owner, repo, protocol, webUrl: `${webOrigin}/${owner}/${repo}` };
}

/** A URL fit for a message: user info (a token someone wrote into it) removed. */
export function displayUrl(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
