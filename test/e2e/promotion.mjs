// Fleetscope: Promote... in real VS Code (code-server + Chromium): a fleet repository cloned from a bare
// remote on disk (its remote URL says github.com; `url.<bare>.insteadOf` sends git to the disk) and the
// GitHub test server (GITHUB_API_URL). From the command palette: pick the app, then the environment that
// is behind, see the diff preview, choose to open the pull request, enter a token (kept in VS Code's
// secret storage), confirm the push in the modal naming the branch and the remote. The pull request must
// be recorded by the test server with the promotion's labels, and the branch be in the bare remote.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { answerDialog, pick, runCommand } from './workbench.mjs';

export const PROMOTION_BRANCH = 'fleetscope/promote/checkout/production';
const REMOTE_URL = 'https://github.com/acme/fleet.git';

/** The repository and the GitHub test server; `env` goes to code-server (its language server reads it). */
export async function promotionFixture(dir) {
	const { checkoutFleet } = await import('../promotion/fleet-fixture.ts');
	const { githubServer } = await import('../../tools/scm-sim/github.ts');
	const remote = join(dir, 'remote.git');
	const work = join(dir, 'fleet');
	// Staging got its version a month ago: the soak gate passes; the repository's own identity signs the commit.
	const date = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
	const git = (args, cwd = work) => execFileSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	mkdirSync(dir, { recursive: true });
	git(['init', '-q', '--bare', '-b', 'main', remote], dir);
	git(['init', '-q', '-b', 'main', work], dir);
	git(['config', 'user.name', 'Promo Tester']);
	git(['config', 'user.email', 'promo@example.com']);
	git(['remote', 'add', 'origin', REMOTE_URL]);
	git(['config', `url.${remote}.insteadOf`, REMOTE_URL]);
	for (const [rel, text] of Object.entries(checkoutFleet())) {
		mkdirSync(dirname(join(work, rel)), { recursive: true });
		writeFileSync(join(work, rel), text);
	}
	git(['add', '-A']);
	git(['commit', '-q', '-m', 'The checkout fleet']);
	git(['push', '-q', 'origin', 'main']);
	const gh = await githubServer();
	return { work, remote, gh, env: { GITHUB_API_URL: gh.url }, branches: () => git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], remote).trim().split('\n') };
}

/**
 * The checks, on a page that shows nothing yet.
 * @param {import('playwright-core').Page} page
 */
export async function checkPromotion(page, { url, fixture, results, log }) {
	await page.goto(`${url}/?folder=${encodeURIComponent(fixture.work)}`);
	await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
	// Fleetscope has discovered the fleet once its Promotion view shows the app behind in production.
	await page.locator('.activitybar .action-item a[aria-label^="Fleetscope"]').first().click({ timeout: 60_000 });
	await page.locator('.pane:has(.pane-header[aria-label^="Promotion"]) .monaco-list-row', { hasText: 'behind: staging runs 2.4.0' }).first().waitFor({ state: 'visible', timeout: 120_000 });
	await runCommand(page, 'Fleetscope: Promote...', { waitHidden: false });
	await pick(page, 'checkout');
	// Environments that are behind come first.
	await pick(page, 'production');
	// The preview: the target overlay as it is and as the promotion writes it.
	await page.locator('.tabs-container .tab', { hasText: 'production now ↔ promoted from staging' }).first().waitFor({ state: 'visible', timeout: 120_000 });
	await page.screenshot({ path: join(results, 'e2e-promotion-preview.png') });
	await answerDialog(page, 'Promote checkout 2.4.0 to production (from staging)', 'Push and Open Pull Request');
	await pick(page, 'Enter a token');
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible' });
	await input.fill(fixture.gh.token);
	await page.keyboard.press('Enter');
	// The server asks right before it pushes: the modal names the branch and the remote.
	await answerDialog(page, `Push ${PROMOTION_BRANCH} to origin (${REMOTE_URL})?`, 'Push');
	// What the user waits for: the pull request on the host (polled: the test server records it as it arrives)…
	const { until } = await import('../live/helpers.ts');
	await until(() => fixture.gh.pulls.length > 0, 120_000, `a pull request on the GitHub test server (requests so far: ${fixture.gh.requests.length})`);
	// …and the editor saying so (in the notification center: a toast may already be gone).
	await runCommand(page, 'Notifications: Show Notifications');
	await page.locator('.notifications-center .notification-list-item', { hasText: 'Pull request #1 opened' }).first().waitFor({ state: 'visible', timeout: 60_000 });
	await page.screenshot({ path: join(results, 'e2e-promotion.png') });
	const pulls = fixture.gh.pulls;
	if (pulls.length !== 1 || pulls[0].head !== PROMOTION_BRANCH || JSON.stringify(pulls[0].labels) !== JSON.stringify(['promotion', 'env:production'])) throw new Error(`expected one pull request from ${PROMOTION_BRANCH} labelled promotion, env:production; got ${JSON.stringify(pulls)}`);
	if (!fixture.branches().includes(PROMOTION_BRANCH)) throw new Error(`the bare remote has no ${PROMOTION_BRANCH}: ${fixture.branches().join(', ')}`);
	log(`pull request #${pulls[0].number} "${pulls[0].title}" from ${pulls[0].head}; screenshots: ${join(results, 'e2e-promotion*.png')}`);
}
