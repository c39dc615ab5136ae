import type { RemoteRepository } from './remote-url';

/**
 * The browser URL that opens a new pull (merge) request with title and body filled in, for hosts
 * without an API client here or without a token. GitHub: `compare/<base>...<head>?quick_pull=1`
 * with `title`, `body`, `labels`; GitLab: `-/merge_requests/new?merge_request[...]`; others (Gitea,
 * Forgejo and GitHub-like hosts): `compare/<base>...<head>?title=&body=`. Bodies are cut so the URL
 * stays under what hosts accept (GitHub answers 414 past about 8 KB).
 */

const MAX_BODY = 4000;

export function compareUrl(remote: RemoteRepository, kind: 'github' | 'gitlab' | 'other', input: { base: string; head: string; title: string; body: string; labels: string[] }): string {
	const body = input.body.length > MAX_BODY ? `${input.body.slice(0, MAX_BODY)}\n\n…(cut: run fleetscope promote --format json for the whole plan)` : input.body;
	const enc = encodeURIComponent;
	if (kind === 'gitlab') {
		const q = [
			['merge_request[source_branch]', input.head],
			['merge_request[target_branch]', input.base],
			['merge_request[title]', input.title],
			['merge_request[description]', body],
		].map(([k, v]) => `${enc(k)}=${enc(v)}`);
		return `${remote.webUrl}/-/merge_requests/new?${q.join('&')}`;
	}
	const ref = (b: string) => b.split('/').map(enc).join('/');
	const refs = `${ref(input.base)}...${ref(input.head)}`;
	const q = [...(kind === 'github' ? [['quick_pull', '1']] : []), ['title', input.title], ['body', body], ...(kind === 'github' && input.labels.length > 0 ? [['labels', input.labels.join(',')]] : [])].map(([k, v]) => `${k}=${enc(v)}`);
	return `${remote.webUrl}/compare/${refs}?${q.join('&')}`;
}
