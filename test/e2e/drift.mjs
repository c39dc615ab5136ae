// Drift in real VS Code (code-server + Chromium), on the page the explorer check leaves (examples/fleet
// with its two simulated clusters open, the Fleetscope container shown): the Drift view must show the
// drift planted in the demo's production cluster (tools/kube-sim/fixtures/production.yaml) without
// anything to read elsewhere: prod-us-east-1 drifted, podinfo's Deployment with its image changed by
// kubectl set (Git 6.5.3, live 6.5.4), and a click on the object opens Show Diff, a diff editor whose
// two sides show Git's image and the live one. Screenshots go to test-results/.
import { join } from 'node:path';

const pane = (view) => `.pane:has(.pane-header[aria-label^="${view}"])`;

/** Waits until a row of `view` contains every one of `texts`; returns that row. */
async function row(page, view, texts, timeout = 120_000) {
	let locator = page.locator(`${pane(view)} .monaco-list-row`);
	for (const t of texts) locator = locator.filter({ hasText: t });
	await locator.first().waitFor({ state: 'visible', timeout });
	return locator.first();
}

/** Expands (true) or collapses (false) a view's pane of the Fleetscope container. */
async function setPane(page, view, expanded) {
	const header = page.locator(`.pane-header[aria-label^="${view}"]`);
	await header.waitFor({ state: 'visible' });
	if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
}

/**
 * @param {import('playwright-core').Page} page a page showing the Fleetscope container on examples/fleet
 */
export async function checkDrift(page, { results, log }) {
	// The Drift view gets the side bar's height: the other views fold to their headers.
	for (const view of ['Clusters', 'Promotion', 'Compliance']) await setPane(page, view, false);
	await setPane(page, 'Drift', true);
	await row(page, 'Drift', ['prod-us-east-1', '1 drifted · 1 missing · 1 extraneous']);
	await row(page, 'Drift', ['staging-eu-west-1', 'in sync']);
	const deployment = await row(page, 'Drift', ['Deployment podinfo', 'drifted · 2 fields']);
	await row(page, 'Drift', ['containers[name=podinfo].image', '-> …/podinfo:6.5.4 · kubectl-set']);
	await row(page, 'Drift', ['containers[name=podinfo].command[2]', '--level=info -> --level=debug · kubectl-edit']);
	await row(page, 'Drift', ['PodDisruptionBudget podinfo', 'missing']);
	await row(page, 'Drift', ['ConfigMap podinfo-legacy', 'extraneous']);
	if ((await deployment.locator('.codicon-diff-modified').count()) !== 1) throw new Error('the drifted Deployment has no drifted icon');
	log(`Drift rows: ${JSON.stringify(await page.locator(`${pane('Drift')} .monaco-list-row`).evaluateAll((rs) => rs.map((r) => (r.innerText || '').replace(/\s+/g, ' ').trim())))}`);
	await page.locator(pane('Drift')).screenshot({ path: join(results, 'e2e-drift.png') });

	// A click on the object: Show Diff, Git's side and the cluster's, side by side (the diff editor
	// shows one column below 900 px: the side bar gives the editor room first).
	const sidebar = await page.locator('.part.sidebar').boundingBox();
	if (sidebar && sidebar.width > 400) {
		const y = sidebar.y + sidebar.height / 2;
		await page.mouse.move(sidebar.x + sidebar.width + 1, y);
		await page.mouse.down();
		await page.mouse.move(sidebar.x + 400, y, { steps: 10 });
		await page.mouse.up();
	}
	await deployment.click();
	await page.locator('.tabs-container .tab[aria-label^="Deployment podinfo/podinfo: Git ↔ prod-us-east-1"]').first().waitFor({ state: 'visible' });
	const shows = (which, text) =>
		page.waitForFunction(([w, t]) => [...document.querySelectorAll(`.monaco-diff-editor .editor.${w} .view-line`)].some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(t)), [which, text], { timeout: 60_000 });
	await page.locator('.monaco-diff-editor .editor.original .view-lines').first().waitFor({ state: 'visible' });
	await shows('original', 'image: ghcr.io/stefanprodan/podinfo:6.5.3@sha256:');
	await shows('modified', 'image: ghcr.io/stefanprodan/podinfo:6.5.4');
	log('Show Diff: Git\'s side has podinfo:6.5.3, the live side podinfo:6.5.4');
	await page.screenshot({ path: join(results, 'e2e-drift-diff.png') });
}
