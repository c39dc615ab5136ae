// The few gestures the end-to-end checks make in VS Code's workbench (code-server in Chromium).

/**
 * Runs a command from the palette by its title (the first row that contains it). `waitHidden`: wait
 * until the palette has closed (false when the command opens a quick pick of its own at once).
 * @param {import('playwright-core').Page} page
 */
export async function runCommand(page, title, { waitHidden = true } = {}) {
	await page.keyboard.press('F1');
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible' });
	await input.fill(`>${title}`);
	await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
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
