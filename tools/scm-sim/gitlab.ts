import { recordingServer, type RecordedRequest, type RecordingServer, type Reply } from './recording';

/**
 * A GitLab REST API (v4) test server for merge requests: projects, users by name, merge requests
 * (list by source branch, create with GitLab's 409 for a second open one from the same branch,
 * edit, show, approvals). Every request must carry the token in PRIVATE-TOKEN (else 401), and the
 * project is addressed by its URL-encoded path, as Gitbeaker sends it.
 */

export interface FakeMergeRequest {
	iid: number;
	title: string;
	description: string;
	source_branch: string;
	target_branch: string;
	labels: string[];
	reviewer_ids: number[];
	state: 'opened' | 'merged' | 'closed';
	remove_source_branch?: boolean;
}

export interface GitLabServer extends RecordingServer {
	project: string;
	token: string;
	mergeRequests: FakeMergeRequest[];
	users: Record<string, number>;
	/** Requests that change something (not GET). */
	writes(): RecordedRequest[];
	/** Hide open merge requests from the source-branch filter once (a create racing another run: GitLab then answers 409). */
	control: { hideFromListOnce: boolean };
}

export async function gitlabServer(opts: { project?: string; token?: string; users?: Record<string, number> } = {}): Promise<GitLabServer> {
	const project = opts.project ?? 'platform/teams/fleet';
	const token = opts.token ?? 'glpat-testtoken0000000000';
	const users = opts.users ?? { alice: 7, bob: 8 };
	const mergeRequests: FakeMergeRequest[] = [];
	const control = { hideFromListOnce: false };
	const api = `/api/v4/projects/${encodeURIComponent(project)}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const guard = (f: (req: RecordedRequest, m: RegExpExecArray) => Reply) => (req: RecordedRequest, m: RegExpExecArray) =>
		req.headers['private-token'] === token ? f(req, m) : { status: 401, body: { message: '401 Unauthorized' } };
	const json = (mr: FakeMergeRequest) => ({ ...mr, id: 1000 + mr.iid, web_url: `https://gitlab.example.com/${project}/-/merge_requests/${mr.iid}`, head_pipeline: { status: 'running' } });
	const find = (iid: string) => mergeRequests.find((m) => m.iid === Number(iid));
	const server = await recordingServer([
		['GET', new RegExp(`^${api}$`), guard(() => ({ status: 200, body: { id: 42, path_with_namespace: project, default_branch: 'main' } }))],
		['GET', /^\/api\/v4\/users$/, guard((req) => ({ status: 200, body: users[req.query.username] ? [{ id: users[req.query.username], username: req.query.username }] : [] }))],
		[
			'GET',
			new RegExp(`^${api}/merge_requests$`),
			guard((req) => {
				if (req.query.source_branch && control.hideFromListOnce) {
					control.hideFromListOnce = false;
					return { status: 200, body: [] };
				}
				return { status: 200, body: mergeRequests.filter((m) => (!req.query.state || m.state === req.query.state) && (!req.query.source_branch || m.source_branch === req.query.source_branch)).map(json) };
			}),
		],
		[
			'POST',
			new RegExp(`^${api}/merge_requests$`),
			guard((req) => {
				const b = req.body as { source_branch: string; target_branch: string; title: string; description?: string; labels?: string; reviewer_ids?: number[]; remove_source_branch?: boolean };
				const open = mergeRequests.find((m) => m.state === 'opened' && m.source_branch === b.source_branch);
				if (open) return { status: 409, body: { message: [`Another open merge request already exists for this source branch: !${open.iid}`] } };
				const mr: FakeMergeRequest = { iid: mergeRequests.length + 1, title: b.title, description: b.description ?? '', source_branch: b.source_branch, target_branch: b.target_branch, labels: (b.labels ?? '').split(',').filter(Boolean), reviewer_ids: b.reviewer_ids ?? [], state: 'opened', remove_source_branch: b.remove_source_branch };
				mergeRequests.push(mr);
				return { status: 201, body: json(mr) };
			}),
		],
		[
			'PUT',
			new RegExp(`^${api}/merge_requests/(\\d+)$`),
			guard((req, m) => {
				const mr = find(m[1]);
				if (!mr) return { status: 404, body: { message: '404 Not found' } };
				const b = req.body as { title?: string; description?: string; labels?: string; reviewer_ids?: number[] };
				if (b.title !== undefined) mr.title = b.title;
				if (b.description !== undefined) mr.description = b.description;
				if (b.labels !== undefined) mr.labels = b.labels.split(',').filter(Boolean);
				if (b.reviewer_ids !== undefined) mr.reviewer_ids = b.reviewer_ids;
				return { status: 200, body: json(mr) };
			}),
		],
		['GET', new RegExp(`^${api}/merge_requests/(\\d+)$`), guard((_req, m) => (find(m[1]) ? { status: 200, body: json(find(m[1])!) } : { status: 404, body: { message: '404 Not found' } }))],
		['GET', new RegExp(`^${api}/merge_requests/(\\d+)/approvals$`), guard(() => ({ status: 200, body: { approved_by: [{ user: { username: 'alice' } }] } }))],
	]);
	return Object.assign(server, { project, token, mergeRequests, users, writes: () => server.requests.filter((r) => r.method !== 'GET'), control });
}
