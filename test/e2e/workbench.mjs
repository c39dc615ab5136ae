// The few gestures the end-to-end checks make in VS Code's workbench (code-server in Chromium).

/**
 * Runs a command from the palette by its title (the first row that contains it). `waitHidden`: wait
 * until the palette has closed (false when the command opens a quick pick of its own at once).
 * @param {import('playwright-core').Page} page
 */
export async function runCommand(page, title, { waitHidden = true } = {}) {
	const input = page.locator('.quick-input-widget input');
	const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
	// A command whose `when` clause turns true after the palette listed its rows (Promote... waits for
	// the fleet and the workspace's trust) may not show in that palette: it is opened again until the
	// row shows, within the same two minutes as before. One CI-like run lost the row for 120 s.
	const deadline = Date.now() + 120_000;
	for (;;) {
		await page.keyboard.press('F1');
		await input.waitFor({ state: 'visible' });
		await input.fill(`>${title}`);
		const left = deadline - Date.now();
		try {
			await row.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(15_000, left)) });
			break;
		} catch (e) {
			if (Date.now() >= deadline) throw e;
			await page.keyboard.press('Escape');
			await input.waitFor({ state: 'hidden' });
		}
	}
	await page.keyboard.press('Enter');
	if (waitHidden) await input.waitFor({ state: 'hidden' });
}

/**
 * Picks the quick pick row that contains `text`.
 * @param {import('playwright-core').Page} page
 */
export async function pick(page, text) {
	const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
	await row.waitFor({ state: 'visible', timeout: 60_000 });
	await row.click();
}

/**
 * Clicks a button of the modal dialog whose message contains `message`.
 * @param {import('playwright-core').Page} page
 */
export async function answerDialog(page, message, button) {
	const dialog = page.locator('.monaco-dialog-box', { hasText: message });
	await dialog.waitFor({ state: 'visible', timeout: 120_000 });
	await dialog.locator('.monaco-button', { hasText: button }).first().click();
	await dialog.waitFor({ state: 'detached' });
}
