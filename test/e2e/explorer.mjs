// The fleet explorer in real VS Code (code-server + Chromium): examples/fleet with its two simulated
// clusters. The Fleetscope container's three views must show what a platform engineer needs to see
// without reading anything: both clusters with their status and versions, the failing
// Kustomization, a behind marker, a control with failures; a click opens the file at the line;
// Render Cluster shows what a cluster receives. A screenshot of each view goes to test-results/.
import { join } from 'node:path';

/** The text of the rows of one view (label and description, as shown). */
async function rows(page, view) {
	return page.locator(`.pane:has(.pane-header[aria-label^="${view}"]) .monaco-list-row`).evaluateAll((rs) => rs.map((r) => (r.innerText || '').replace(/\s+/g, ' ').trim()));
}

/** Waits until a row of `view` contains every one of `texts`; returns that row. */
async function row(page, view, texts, timeout = 120_000) {
	let locator = page.locator(`.pane:has(.pane-header[aria-label^="${view}"]) .monaco-list-row`);
	for (const t of texts) locator = locator.filter({ hasText: t });
	await locator.first().waitFor({ state: 'visible', timeout });
	return locator.first();
}

/** Opens a view of the Fleetscope container (expanding its pane if collapsed). */
async function expandPane(page, view) {
	const header = page.locator(`.pane-header[aria-label^="${view}"]`);
	await header.waitFor({ state: 'visible' });
	if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
}

/**
 * The checks, on a page that shows nothing yet.
 * @param {import('playwright-core').Page} page
 */
export async function checkExplorer(page, { url, folder, results, log }) {
	await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
	await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
	await page.locator('.activitybar .action-item a[aria-label^="Fleetscope"]').first().click({ timeout: 60_000 });
	// A wider side bar, so that descriptions are readable in the screenshots.
	const sidebar = await page.locator('.part.sidebar').boundingBox();
	if (sidebar) {
		const y = sidebar.y + sidebar.height / 2;
		await page.mouse.move(sidebar.x + sidebar.width + 1, y);
		await page.mouse.down();
		await page.mouse.move(sidebar.x + 660, y, { steps: 10 });
		await page.mouse.up();
	}

	// Clusters: both simulated clusters, connected, with versions and sync state; the others not contacted.
	const staging = await row(page, 'Clusters', ['staging-eu-west-1', '1.35.2 · connected · 1 sync failed']);
	const prod = await row(page, 'Clusters', ['prod-us-east-1', '1.27.16 (claim 1.35) · connected · behind HEAD']);
	if ((await prod.locator('.codicon-warning').count()) !== 1) throw new Error('prod-us-east-1 has no warning icon though its live version differs from its claim');
	if ((await staging.locator('.codicon-error').count()) !== 1) throw new Error('staging-eu-west-1 has no error icon though a Kustomization failed');
	await row(page, 'Clusters', ['dev-eu-west-1', 'claim 1.36 · no context']);
	log(`Clusters rows: ${JSON.stringify(await rows(page, 'Clusters'))}`);
	// The status bar: clusters connected of total, and the errors.
	const status = page.locator('.statusbar-item', { hasText: '2/7 clusters' });
	await status.first().waitFor({ state: 'visible' });
	log(`status bar: ${(await status.first().innerText()).trim()}`);
	await page.screenshot({ path: join(results, 'e2e-explorer-overview.png') });
	// The side bar and the status bar item (docs/images/explorer.png is this picture).
	const side = await page.locator('.part.sidebar').boundingBox();
	const viewport = page.viewportSize();
	if (side && viewport) await page.screenshot({ path: join(results, 'e2e-explorer-sidebar.png'), clip: { x: 0, y: 0, width: Math.min(viewport.width, side.x + side.width + 4), height: viewport.height } });

	// The failing Kustomization, under its cluster; a click opens the file at the line that declares it.
	await staging.click();
	const apps = await row(page, 'Clusters', ['apps', 'Kustomization · apps/staging · HealthCheckFailed']);
	await page.screenshot({ path: join(results, 'e2e-explorer-clusters.png') });
	await apps.click();
	await page.locator('.tabs-container .tab[aria-label^="apps.yaml"]').first().waitFor({ state: 'visible' });
	await page.locator('.statusbar-item', { hasText: 'Ln 15, Col 1' }).first().waitFor({ state: 'visible' });

	// Promotion: orders-api in production is behind staging.
	await expandPane(page, 'Promotion');
	await row(page, 'Promotion', ['production', '2.14.0 · behind: staging runs 2.14.1']);
	log(`Promotion rows: ${JSON.stringify((await rows(page, 'Promotion')).slice(0, 12))}`);
	await page.locator('.pane:has(.pane-header[aria-label^="Promotion"])').screenshot({ path: join(results, 'e2e-explorer-promotion.png') });

	// Compliance: a control with failures per environment.
	await expandPane(page, 'Compliance');
	const cis = await row(page, 'Compliance', ['CIS Kubernetes Benchmark', 'controls evaluated']);
	await cis.click();
	await row(page, 'Compliance', ['CIS-K8S-5.1.1', 'production 1 failed']);
	await page.locator('.pane:has(.pane-header[aria-label^="Compliance"])').screenshot({ path: join(results, 'e2e-explorer-compliance.png') });

	// Render Cluster from the palette: the virtual document shows a known object of what staging receives.
	// The palette, then the command's own quick pick of clusters.
	await page.keyboard.press('F1');
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible' });
	await input.fill('>Fleetscope: Render Cluster...');
	await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Fleetscope: Render Cluster...' }).first().waitFor({ state: 'visible' });
	await page.keyboard.press('Enter');
	await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'prod-us-east-1' }).first().waitFor({ state: 'visible' });
	await input.fill('staging-eu-west-1');
	await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'staging-eu-west-1' }).first().waitFor({ state: 'visible' });
	await page.keyboard.press('Enter');
	await page.locator('.tabs-container .tab[aria-label^="staging-eu-west-1.yaml"]').first().waitFor({ state: 'visible' });
	await page.waitForFunction(() => [...document.querySelectorAll('.monaco-editor .view-line')].some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').startsWith('# What staging-eu-west-1 receives')));
	await page.keyboard.press('Control+F');
	await page.keyboard.type('# Source: apps/base/orders-api/deployment.yaml (via apps/staging)');
	const count = page.locator('.find-widget .matchesCount');
	await page.waitForFunction(() => /^1 of \d+$/.test(document.querySelector('.find-widget .matchesCount')?.textContent?.trim() ?? ''), undefined, { timeout: 30_000 });
	log(`Render Cluster: "# Source: apps/base/orders-api/deployment.yaml (via apps/staging)" found (${(await count.innerText()).trim()})`);
	await page.keyboard.press('Escape');
	await page.screenshot({ path: join(results, 'e2e-explorer-render.png') });
}
