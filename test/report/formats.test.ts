import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_FLEET } from '../../server/src/engine/fleet/types';
import { esc, REPORT_CSP, reportHtml } from '../../server/src/engine/report/html';
import { reportJson } from '../../server/src/engine/report/json';
import { mdText, reportMarkdown } from '../../server/src/engine/report/markdown';
import { buildReport, SCORING } from '../../server/src/engine/report/model';
import { FILES, HOSTILE_REASON, input } from './fixture';

/** The three renderings of one report: JSON (shape pinned), Markdown tables, self-contained HTML with every repository string escaped. */

const keys = (o: object) => Object.keys(o).sort();

test('JSON: versioned, and the shape of every object is pinned (fields are only ever added: change docs/cli.md with this test)', () => {
	const json = JSON.parse(reportJson(buildReport(input())));
	assert.equal(json.formatVersion, 1);
	assert.equal(json.report, 'compliance');
	assert.deepEqual(json.tool, { name: 'fleetscope', version: '9.9.9' });
	assert.equal(json.generatedAt, '2026-06-01T10:00:00.000Z');
	assert.deepEqual(keys(json), ['coverage', 'exemptions', 'findings', 'fleet', 'formatVersion', 'frameworks', 'generatedAt', 'report', 'root', 'rules', 'scoring', 'sections', 'settings', 'summary', 'tool']);
	assert.deepEqual(keys(json.settings), ['clusterVersions', 'kubernetesVersion', 'podSecurityLevel', 'profiles']);
	assert.deepEqual(keys(json.settings.clusterVersions[0]), ['cluster', 'source', 'version']);
	assert.deepEqual(keys(json.summary), ['evaluated', 'exempted', 'failed', 'passed', 'resources', 'score']);
	assert.deepEqual(keys(json.frameworks[0]), ['controls', 'enabled', 'id', 'name', 'rules']);
	const env = json.sections[0];
	assert.deepEqual(keys(env), ['clusters', 'controls', 'declared', 'id', 'kind', 'name', 'order', 'production', 'resources', 'summary']);
	assert.deepEqual(keys(env.controls[0]), ['control', 'evaluated', 'exempted', 'failed', 'framework', 'passed', 'rules', 'score']);
	assert.deepEqual(keys(env.clusters[0]), ['controls', 'kubernetesVersion', 'name', 'provider', 'region', 'resources', 'summary']);
	assert.deepEqual(keys(json.findings[0]), ['clusters', 'column', 'controls', 'endColumn', 'endLine', 'environments', 'expiredExemption', 'file', 'line', 'message', 'resource', 'ruleId', 'severity', 'status']);
	assert.deepEqual(keys(json.exemptions[0]), ['expires', 'file', 'findings', 'id', 'match', 'reason', 'rules', 'source', 'status']);
	assert.deepEqual(keys(json.exemptions[3]), ['file', 'findings', 'id', 'line', 'reason', 'rules', 'source', 'status']);
	assert.deepEqual(keys(json.coverage), ['files', 'internalErrors', 'otherFindings', 'resources', 'resourcesEvaluated', 'skipped']);
	assert.deepEqual(json.rules['r-priv'], { title: 'Privileged containers', controls: ['CIS-K8S-5.2.2', 'PSS-baseline-privileged'] });
	assert.equal(json.scoring, SCORING);
	// The reason is kept as written: JSON consumers escape for their own output.
	assert.equal(json.exemptions[3].reason, HOSTILE_REASON);
});

test('Markdown: a score table, one section per environment with its control table and per-cluster matrix, findings and exemptions tables', () => {
	const md = reportMarkdown(buildReport(input()));
	assert.match(md, /^# Compliance report: acme-fleet\n/);
	assert.match(md, /^Generated 2026-06-01 10:00 UTC by Fleetscope 9\.9\.9 /m);
	// What each cluster was judged at: the one with a ClusterClaim version at it, the others at the setting.
	assert.match(md, /Judged at Kubernetes 1\.30 \(dev-1\) from their ClusterClaims; 1\.30 \(the setting\) for the other clusters and the files no cluster receives; Pod Security level baseline/);
	assert.ok(md.includes('| Section | Resources | Evaluated | Passed | Exempted | Failed | Score |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'));
	assert.ok(md.includes('| Environment dev | 2 | 5 | 2 | 1 | 2 | 60 % |'));
	assert.ok(md.includes('| Environment production | 2 | 6 | 0 | 3 | 3 | 50 % |'));
	assert.ok(md.includes('| Not deployed to a known cluster | 1 | 2 | 0 | 0 | 2 | 0 % |'));
	assert.deepEqual(
		[...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]),
		['Score', 'Frameworks', 'Environment dev', 'Environment production', 'Not deployed to a known cluster', 'Findings', 'Exemptions', 'Coverage'],
	);
	assert.ok(md.includes('| CIS-K8S-5.2.2 | r-priv (Privileged containers) | 2 | 0 | 1 | 1 | 50 % |'), 'production control row');
	assert.ok(md.includes('| Control | prod-a | prod-b |'), 'per-cluster matrix of production');
	assert.ok(md.includes('| CIS-K8S-5.2.6 | 1/2 · 1 fail · 1 exempted | 1/1 · 1 exempted |'), 'cells: passed-with-exemptions / evaluated');
	assert.ok(md.includes('| apps/api.yaml:6 | r-esc | CIS-K8S-5.2.6 | error | fail: exemption expired on 2020-01-31 (fleet.yaml) | Deployment "api" in namespace "shop" | production |'));
	assert.ok(md.includes('| fleet.yaml (Fleet exemption 1) | r-esc | name api | Waiver for the api migration | 2020-01-31 | **EXPIRED on 2020-01-31: covers nothing** | 1 |'));
	// Every table row has as many cells as its header.
	for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
		const widths = block.split('\n').map((row) => row.split(/(?<!\\)\|/).length);
		assert.ok(widths.every((w) => w === widths[0]), `ragged table:\n${block}`);
	}
});

test('Markdown: text from the repository cannot make markup (pipes, HTML, emphasis, links)', () => {
	assert.equal(mdText('a|b <script> *x* [l](http://e) `c` @team'), 'a\\|b \\<script\\> \\*x\\* \\[l\\](http://e) \\`c\\` \\@team');
	const md = reportMarkdown(buildReport(input()));
	assert.ok(!md.includes('<script>'));
	assert.ok(md.includes('Reviewed in SEC-142 \\<script\\>alert("x")\\</script\\> \\& approved'));
});

test('HTML: one self-contained document, no script, nothing external, a CSP that forbids loading anything', () => {
	const html = reportHtml(buildReport(input()));
	assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
	assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">`));
	assert.ok(!/<script\b/i.test(html), 'no script element');
	assert.ok(!/<link\b|<img\b|<iframe\b|<object\b|@import|url\(|src=/i.test(html), 'no external resource');
	assert.deepEqual([...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]), ['http://www.w3.org/2000/svg'], 'the only URL is the SVG namespace, which loads nothing');
	assert.ok(!/\son[a-z]+=/i.test(html), 'no event handler attribute');
});

test('HTML: exemption reasons, messages and paths are text, never markup', () => {
	const files = FILES.map((f) => (f.path === 'apps/api.yaml' ? { ...f, path: 'apps/"><b>api</b>.yaml' } : f));
	const fleet = { ...input().fleet, files: { ...input().fleet.files, 'apps/"><b>api</b>.yaml': ['prod-a'] } };
	const html = reportHtml(buildReport(input({ files, fleet })));
	assert.ok(html.includes('Reviewed in SEC-142 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; approved'));
	assert.ok(html.includes('apps/&quot;&gt;&lt;b&gt;api&lt;/b&gt;.yaml:6'));
	assert.ok(!html.includes('<b>api</b>'));
});

test('HTML: the chart has one bar per section, its label the score, its segments the shares', () => {
	const report = buildReport(input());
	const html = reportHtml(report);
	const bars = [...html.matchAll(/<g class="bar" data-section="([^"]*)" data-score="(\d*)">(.*?)<\/g>/g)];
	assert.deepEqual(
		bars.map((b) => [b[1], b[2], /<text class="pct"[^>]*>([^<]*)</.exec(b[3])?.[1]]),
		[
			['env:dev', '60', '60 %'],
			['env:production', '50', '50 %'],
			['not-deployed', '0', '0 %'],
		],
	);
	// dev: 2 passed, 1 exempted, 2 failed of 5, on a 420-wide bar.
	const widths = (cls: string) => Number(new RegExp(`class="${cls}"[^>]*width="([\\d.]+)"`).exec(bars[0][3])?.[1]);
	assert.equal(widths('seg-pass'), 168);
	assert.equal(widths('seg-exempt'), 84);
	assert.equal(widths('seg-fail'), 168);
	assert.ok(html.includes(`<p class="note scoring">${esc(SCORING)}</p>`), 'the score is explained under the chart');
});

test('HTML without a fleet model: one Repository section, and the header says why', () => {
	const html = reportHtml(buildReport(input({ fleet: EMPTY_FLEET })));
	assert.deepEqual(
		[...html.matchAll(/<section class="env"[^>]*>\n<h2>([^<]*)/g)].map((m) => m[1]),
		['Repository'],
	);
	assert.ok(html.includes('no fleet model (no clusters known): the repository is counted as a whole'));
	assert.ok(!html.includes('<th>Deployed to</th>'), 'no "deployed to" column when nothing is known to be deployed');
});
