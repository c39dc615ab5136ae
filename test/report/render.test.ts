import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { withWebviewCsp, REPORT_WEBVIEW_CSP } from '../../client/src/webviews/html';
import { reportHtml } from '../../server/src/engine/report/html';
import { buildReport, scorePercent, type ComplianceReport } from '../../server/src/engine/report/model';
import { ensureCliBuilt, runCli } from '../cli/run';
import { HOSTILE_REASON, input } from './fixture';

/**
 * The HTML report as a reader sees it: rendered by headless Chromium (Debian's, driven by
 * playwright-core, as the e2e suite does) from the file on disk. The page has no script of its own;
 * what is asserted is what the page shows, not what the source says.
 */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let browser: Browser;
let dir: string;

before(async () => {
	if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	ensureCliBuilt();
	dir = mkdtempSync(join(tmpdir(), 'fleetscope-report-'));
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
});

after(async () => {
	await browser?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens an HTML file and records console errors, page errors and every request the page makes. */
async function open(file: string): Promise<{ page: Page; url: string; errors: string[]; requests: string[] }> {
	const url = pathToFileURL(file).href;
	// Scripts stay enabled: a script that slipped into the report would run into the CSP and log an error.
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const errors: string[] = [];
	const requests: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('request', (r) => requests.push(r.url()));
	await page.goto(url, { waitUntil: 'load' });
	return { page, url, errors, requests };
}

function write(name: string, report: ComplianceReport, wrap: (html: string) => string = (h) => h): string {
	const file = join(dir, name);
	writeFileSync(file, wrap(reportHtml(report)));
	return file;
}

test('a reader sees the title, one section per environment, and a chart whose labels are the scores', async () => {
	const report = buildReport(input());
	const { page, url, errors, requests } = await open(write('fleet.html', report));
	try {
		assert.equal(await page.title(), 'Compliance report: acme-fleet');
		assert.equal(await page.locator('h1').innerText(), 'Compliance report: acme-fleet');
		assert.deepEqual(await page.locator('section.env > h2').allInnerTexts(), ['Environment dev', 'Environment production production', 'Not deployed to a known cluster']);

		const bars = page.locator('svg g.bar');
		assert.equal(await bars.count(), report.sections.length);
		for (let i = 0; i < report.sections.length; i++) {
			const s = report.sections[i].summary;
			// The label a reader sees, and the bar segments' on-screen widths, against the counts.
			assert.equal(await bars.nth(i).locator('text.pct').textContent(), `${scorePercent(s)} %`);
			const total = (await bars.nth(i).locator('rect').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width))).reduce((a, b) => a + b, 0);
			const failWidth = (await bars.nth(i).locator('rect.seg-fail').boundingBox())?.width ?? 0;
			assert.ok(Math.abs(failWidth / total - s.failed / s.evaluated) < 0.01, `failed share of bar ${i}`);
		}
		assert.deepEqual(await bars.locator('text.pct').allTextContents(), ['60 %', '50 %', '0 %']);
		assert.match(await page.locator('p.scoring').innerText(), /^Score = \(passed \+ exempted\) ÷ evaluated/);

		const row = page.locator('table.findings tbody tr', { hasText: 'apps/web.yaml:11' });
		assert.equal(await row.count(), 1);
		assert.deepEqual((await row.locator('td').allInnerTexts()).slice(0, 5), ['apps/web.yaml:11', 'r-priv', 'CIS-K8S-5.2.2\nPSS-baseline-privileged', 'error', 'fail']);

		const inline = page.locator('table.exemptions tbody tr', { hasText: 'apps/web.yaml:12' });
		assert.equal(await inline.locator('td.reason').innerText(), HOSTILE_REASON, 'the <script> of the reason is shown as text');
		assert.equal(await page.locator('script').count(), 0, 'and is no element');
		const expired = page.locator('table.exemptions tbody tr', { hasText: 'Fleet exemption 1' });
		assert.match(await expired.innerText(), /EXPIRED on 2020-01-31: covers nothing/);

		assert.deepEqual(errors, []);
		assert.deepEqual(requests, [url], 'the page loads nothing but itself');
	} finally {
		await page.close();
	}
});

test('it prints: the print media shows the tables (not the contents list), and a PDF comes out', async () => {
	const { page } = await open(write('print.html', buildReport(input())));
	try {
		await page.emulateMedia({ media: 'print' });
		assert.equal(await page.locator('nav.toc').isVisible(), false, 'the contents list is for the screen');
		for (const table of ['table.summary', 'table.controls', 'table.matrix', 'table.findings', 'table.exemptions']) {
			assert.equal(await page.locator(table).first().isVisible(), true, `${table} prints`);
		}
		assert.equal(await page.evaluate('getComputedStyle(document.querySelector("table.findings thead")).display'), 'table-header-group', 'a long table repeats its header on each page');
		const pdf = await page.pdf({ format: 'A4', printBackground: true });
		assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
		assert.ok(pages >= 2, `a multi-page report, got ${pages} page(s)`);
	} finally {
		await page.close();
	}
});

test('the report the CLI writes for the example fleet opens with no error and no request, one section per environment in promotion order', async () => {
	const out = join(dir, 'example.html');
	const r = await runCli(['report', 'examples/fleet', '--format', 'html', '--output', out]);
	assert.equal(r.code, 0, r.stderr);
	assert.ok(readFileSync(out, 'utf8').length > 0);
	const { page, url, errors, requests } = await open(out);
	try {
		assert.equal(await page.title(), 'Compliance report: fleet');
		const headings = await page.locator('section.env > h2').allInnerTexts();
		assert.deepEqual(headings, ['Environment dev', 'Environment staging', 'Environment production production', 'Environment performance not declared in the Fleet', 'Not deployed to a known cluster']);
		const row = page.locator('table.findings tbody tr', { hasText: 'apps/staging/debug-deployment.yaml:48' });
		assert.match(await row.innerText(), /pss-privileged[\s\S]*CIS-K8S-5\.2\.2[\s\S]*fail/);
		assert.deepEqual(errors, []);
		assert.deepEqual(requests, [url]);
	} finally {
		await page.close();
	}
});

test('under the webview\'s CSP (as VS Code shows it, scripts off) the styles and the chart still apply, with no violation', async () => {
	const html = withWebviewCsp(reportHtml(buildReport(input())));
	assert.ok(html.startsWith(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta http-equiv="Content-Security-Policy" content="${REPORT_WEBVIEW_CSP}">`), 'the webview policy comes first in the head');
	const { page, url, errors, requests } = await open(write('webview.html', buildReport(input()), withWebviewCsp));
	try {
		// The inline stylesheet applied: the heading has the report's size, the fail cells their colour.
		assert.equal(await page.evaluate('getComputedStyle(document.querySelector("h1")).fontSize'), '26px');
		assert.equal(await page.evaluate('getComputedStyle(document.querySelector("td.num.fail")).color'), 'rgb(207, 34, 46)');
		assert.ok(((await page.locator('svg g.bar').first().boundingBox())?.width ?? 0) > 300, 'the chart is drawn');
		assert.deepEqual(errors, []);
		assert.deepEqual(requests, [url]);
	} finally {
		await page.close();
	}
});
