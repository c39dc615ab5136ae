import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { displayUrl, parseRemoteUrl } from '../../server/src/host/scm/remote-url';
import { resolveScm } from '../../server/src/host/scm/provider';
import { compareUrl } from '../../server/src/host/scm/compare-url';

describe('remote URLs as configured: host, owner, repository', () => {
	it('reads https and ssh forms, with ports, user info and GitLab subgroups', () => {
		const cases: [string, { host: string; owner: string; repo: string; webUrl: string }][] = [
			['https://github.com/acme/fleet.git', { host: 'github.com', owner: 'acme', repo: 'fleet', webUrl: 'https://github.com/acme/fleet' }],
			['https://x-access-token:ghp_secret@github.com/acme/fleet', { host: 'github.com', owner: 'acme', repo: 'fleet', webUrl: 'https://github.com/acme/fleet' }],
			['git@github.com:acme/fleet.git', { host: 'github.com', owner: 'acme', repo: 'fleet', webUrl: 'https://github.com/acme/fleet' }],
			['ssh://git@gitlab.example.com:2222/platform/teams/fleet.git', { host: 'gitlab.example.com', owner: 'platform/teams', repo: 'fleet', webUrl: 'https://gitlab.example.com/platform/teams/fleet' }],
			['http://git.internal:3000/ops/fleet.git/', { host: 'git.internal', owner: 'ops', repo: 'fleet', webUrl: 'http://git.internal:3000/ops/fleet' }],
		];
		for (const [url, want] of cases) {
			const r = parseRemoteUrl(url)!;
			assert.deepEqual({ host: r.host, owner: r.owner, repo: r.repo, webUrl: r.webUrl }, want, url);
		}
	});

	it('is undefined for remotes that are paths, and a URL shown in a message loses its user info', () => {
		assert.equal(parseRemoteUrl('/srv/git/fleet.git'), undefined);
		assert.equal(parseRemoteUrl('../fleet.git'), undefined);
		assert.equal(parseRemoteUrl('C:\\repos\\fleet.git'), undefined);
		assert.equal(displayUrl('https://x-access-token:ghp_secret@github.com/acme/fleet.git'), 'https://github.com/acme/fleet.git');
	});

	it('chooses the host and API base from the remote and the CI variables (GitHub Enterprise, self-hosted GitLab)', () => {
		const gh = resolveScm(parseRemoteUrl('git@github.com:acme/fleet.git')!, { GITHUB_TOKEN: 't1' });
		assert.deepEqual({ kind: gh.kind, apiUrl: gh.apiUrl, token: gh.token }, { kind: 'github', apiUrl: 'https://api.github.com', token: 't1' });
		const ghe = resolveScm(parseRemoteUrl('https://ghe.acme.example/acme/fleet')!, { GITHUB_SERVER_URL: 'https://ghe.acme.example', GITHUB_API_URL: 'https://ghe.acme.example/api/v3' });
		assert.deepEqual({ kind: ghe.kind, apiUrl: ghe.apiUrl, token: ghe.token }, { kind: 'github', apiUrl: 'https://ghe.acme.example/api/v3', token: undefined });
		const gl = resolveScm(parseRemoteUrl('https://code.acme.example/platform/fleet.git')!, { CI_SERVER_URL: 'https://code.acme.example', CI_API_V4_URL: 'https://code.acme.example/api/v4', GITLAB_TOKEN: 't2' });
		assert.deepEqual({ kind: gl.kind, apiUrl: gl.apiUrl, token: gl.token }, { kind: 'gitlab', apiUrl: 'https://code.acme.example/api/v4', token: 't2' });
		assert.equal(resolveScm(parseRemoteUrl('https://bitbucket.org/acme/fleet.git')!, {}).kind, 'other');
		assert.equal(resolveScm(parseRemoteUrl('https://bitbucket.org/acme/fleet.git')!, {}, { provider: 'gitlab' }).kind, 'gitlab');
	});

	it('builds compare URLs that open a prefilled pull (merge) request', () => {
		const input = { base: 'main', head: 'fleetscope/promote/checkout/production', title: 'Promote checkout 2.4.0 to production (from staging)', body: 'Body & more', labels: ['promotion', 'env:production'] };
		assert.equal(
			compareUrl(parseRemoteUrl('git@github.com:acme/fleet.git')!, 'github', input),
			'https://github.com/acme/fleet/compare/main...fleetscope/promote/checkout/production?quick_pull=1&title=Promote%20checkout%202.4.0%20to%20production%20(from%20staging)&body=Body%20%26%20more&labels=promotion%2Cenv%3Aproduction',
		);
		const gl = new URL(compareUrl(parseRemoteUrl('https://gitlab.com/platform/fleet.git')!, 'gitlab', input));
		assert.equal(gl.pathname, '/platform/fleet/-/merge_requests/new');
		assert.equal(gl.searchParams.get('merge_request[source_branch]'), input.head);
		assert.equal(gl.searchParams.get('merge_request[target_branch]'), 'main');
		assert.equal(gl.searchParams.get('merge_request[title]'), input.title);
		assert.equal(gl.searchParams.get('merge_request[description]'), 'Body & more');
	});
});
