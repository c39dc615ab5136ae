import { recordingServer, type RecordedRequest, type RecordingOptions, type RecordingServer, type Reply } from './recording';

/**
 * A GitHub REST API test server (the part promotion uses): repositories, pull requests (list with
 * `head`, create with GitHub's 422 for a second one from the same branch, update), labels,
 * requested reviewers, reviews, check runs and commit statuses. It checks the token of every
 * request (`Authorization: token …` or `Bearer …`; anything else is 401 Bad credentials) and keeps
 * state, so tests assert outcomes (one open pull request, its title and body) besides requests.
 * With `pages` (the demo) a pull request's `html_url` is a page of this server that shows it, so
 * "open the pull request" lands somewhere real.
 */

export interface FakePull {
	number: number;
	title: string;
	body: string;
	head: string;
	base: string;
	state: 'open' | 'closed';
	labels: string[];
	reviewers: string[];
	teamReviewers: string[];
	draft?: boolean;
	sha: string;
	reviews?: { user: string; state: string }[];
}

export interface GitHubServer extends RecordingServer {
	owner: string;
	repo: string;
	token: string;
	pulls: FakePull[];
	/** Requests that change something (not GET). */
	writes(): RecordedRequest[];
	control: {
		/** Hide open pull requests from the `head` filter once (a create racing another run: GitHub then answers 422). */
		hideFromListOnce: boolean;
		/** Names that cannot be asked to review (GitHub: 422 "not a collaborator"). */
		notCollaborators: Set<string>;
	};
}

export interface GitHubServerOptions extends Pick<RecordingOptions, 'port' | 'onReply'> {
	owner?: string;
	repo?: string;
	token?: string;
	/** Serve a page per pull request at `/<owner>/<repo>/pull/<n>` and link `html_url` to it. */
	pages?: boolean;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page of a pull request: what a reviewer would read (title, branches, labels, reviewers, body). */
function pullPage(owner: string, repo: string, p: FakePull): string {
	const reviewers = [...p.reviewers, ...p.teamReviewers.map((t) => `${owner}/${t}`)];
	return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(p.title)} · ${owner}/${repo}#${p.number}</title></head>
<body style="font-family: sans-serif; max-width: 60em; margin: 2em auto">
<p>GitHub simulator (Fleetscope demo) · ${escapeHtml(`${owner}/${repo}`)}</p>
<h1>${escapeHtml(p.title)} <span style="color: #666">#${p.number}</span></h1>
<p><b>${p.state}</b> · ${escapeHtml(p.head)} → ${escapeHtml(p.base)} · labels: ${escapeHtml(p.labels.join(', ') || 'none')} · reviewers: ${escapeHtml(reviewers.join(', ') || 'none')}</p>
<pre style="white-space: pre-wrap; border: 1px solid #ccc; padding: 1em">${escapeHtml(p.body)}</pre>
</body></html>`;
}

export async function githubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
	const owner = opts.owner ?? 'acme';
	const repo = opts.repo ?? 'fleet';
	const token = opts.token ?? 'ghp_testtoken000000000000000000000000000';
	const pulls: FakePull[] = [];
	const state = { hideFromListOnce: false, notCollaborators: new Set<string>() };
	const base = `/repos/${owner}/${repo}`;
	const authed = (req: RecordedRequest): Reply | undefined => {
		const a = String(req.headers.authorization ?? '');
		return a === `token ${token}` || a === `Bearer ${token}` ? undefined : { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
	};
	const pullJson = (p: FakePull, url: string) => ({
		number: p.number,
		html_url: `${opts.pages ? url : 'https://github.com'}/${owner}/${repo}/pull/${p.number}`,
		url: `${url}${base}/pulls/${p.number}`,
		state: p.state,
		title: p.title,
		body: p.body,
		draft: p.draft ?? false,
		head: { ref: p.head, sha: p.sha, label: `${owner}:${p.head}` },
		base: { ref: p.base },
		labels: p.labels.map((name) => ({ name })),
	});
	const find = (n: string) => pulls.find((p) => p.number === Number(n));
	let server: RecordingServer;
	const guard = (f: (req: RecordedRequest, m: RegExpExecArray) => Reply) => (req: RecordedRequest, m: RegExpExecArray) => authed(req) ?? f(req, m);
	server = await recordingServer([
		['GET', new RegExp(`^${base}$`), guard(() => ({ status: 200, body: { full_name: `${owner}/${repo}`, default_branch: 'main', permissions: { push: true } } }))],
		[
			'GET',
			new RegExp(`^${base}/pulls$`),
			guard((req) => {
				let list = pulls.filter((p) => (req.query.state ?? 'open') === 'all' || p.state === (req.query.state ?? 'open'));
				if (req.query.head) {
					if (state.hideFromListOnce) {
						state.hideFromListOnce = false;
						list = [];
					}
					list = list.filter((p) => `${owner}:${p.head}` === req.query.head);
				}
				return { status: 200, body: list.map((p) => pullJson(p, server.url)) };
			}),
		],
		[
			'POST',
			new RegExp(`^${base}/pulls$`),
			guard((req) => {
				const b = req.body as { title: string; head: string; base: string; body?: string };
				if (pulls.some((p) => p.state === 'open' && p.head === b.head)) {
					return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${b.head}.` }], documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request' } };
				}
				const p: FakePull = { number: pulls.length + 1, title: b.title, body: b.body ?? '', head: b.head, base: b.base, state: 'open', labels: [], reviewers: [], teamReviewers: [], sha: 'f'.repeat(40) };
				pulls.push(p);
				return { status: 201, body: pullJson(p, server.url) };
			}),
		],
		[
			'PATCH',
			new RegExp(`^${base}/pulls/(\\d+)$`),
			guard((req, m) => {
				const p = find(m[1]);
				if (!p) return { status: 404, body: { message: 'Not Found' } };
				const b = req.body as { title?: string; body?: string };
				if (b.title !== undefined) p.title = b.title;
				if (b.body !== undefined) p.body = b.body;
				return { status: 200, body: pullJson(p, server.url) };
			}),
		],
		[
			'POST',
			new RegExp(`^${base}/issues/(\\d+)/labels$`),
			guard((req, m) => {
				const p = find(m[1]);
				if (!p) return { status: 404, body: { message: 'Not Found' } };
				for (const l of (req.body as { labels: string[] }).labels) if (!p.labels.includes(l)) p.labels.push(l);
				return { status: 200, body: p.labels.map((name) => ({ name })) };
			}),
		],
		[
			'POST',
			new RegExp(`^${base}/pulls/(\\d+)/requested_reviewers$`),
			guard((req, m) => {
				const p = find(m[1]);
				if (!p) return { status: 404, body: { message: 'Not Found' } };
				const b = req.body as { reviewers?: string[]; team_reviewers?: string[] };
				const bad = (b.reviewers ?? []).filter((r) => state.notCollaborators.has(r));
				if (bad.length > 0) return { status: 422, body: { message: 'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/fleet repository.' } };
				p.reviewers.push(...(b.reviewers ?? []));
				p.teamReviewers.push(...(b.team_reviewers ?? []));
				return { status: 201, body: pullJson(p, server.url) };
			}),
		],
		['GET', new RegExp(`^${base}/pulls/(\\d+)/reviews$`), guard((_req, m) => ({ status: 200, body: (find(m[1])?.reviews ?? []).map((r, i) => ({ id: i + 1, user: { login: r.user }, state: r.state })) }))],
		['GET', new RegExp(`^${base}/commits/([^/]+)/check-runs$`), guard(() => ({ status: 200, body: { total_count: 1, check_runs: [{ id: 1, name: 'fleetscope check', status: 'completed', conclusion: 'success' }] } }))],
		['GET', new RegExp(`^${base}/commits/([^/]+)/status$`), guard(() => ({ status: 200, body: { state: 'pending', total_count: 0, statuses: [] } }))],
		[
			'GET',
			new RegExp(`^/${owner}/${repo}/pull/(\\d+)$`),
			(_req, m) => {
				const p = opts.pages ? find(m[1]) : undefined;
				return p ? { status: 200, html: pullPage(owner, repo, p) } : { status: 404, html: '<p>Not Found</p>' };
			},
		],
	], { port: opts.port, onReply: opts.onReply });
	return Object.assign(server, {
		owner,
		repo,
		token,
		pulls,
		writes: () => server.requests.filter((r) => r.method !== 'GET'),
		control: state,
	});
}
