/**
 * A minimal test runner for the extension host (no test framework is a dependency): tests are
 * registered with `test`, run one after the other by `run()` (the `extensionTestsPath` module's
 * entry point, as @vscode/test-electron and code-server's extension host call it), each line of
 * the outcome logged; `run()` rejects when a test failed, which makes the host exit with code 1.
 */
const tests: { name: string; fn: () => Promise<void>; timeoutMs: number }[] = [];

export function test(name: string, fn: () => Promise<void>, timeoutMs = 120_000): void {
	tests.push({ name, fn, timeoutMs });
}

export async function runAll(): Promise<void> {
	let failed = 0;
	const started = Date.now();
	for (const t of tests) {
		const t0 = Date.now();
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([t.fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs / 1000} s`)), t.timeoutMs)))]);
			console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
		} catch (e) {
			failed++;
			console.log(`FAIL ${t.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
		} finally {
			clearTimeout(timer);
		}
	}
	console.log(`extension-host suite: ${tests.length - failed} passed, ${failed} failed in ${Math.round((Date.now() - started) / 1000)} s`);
	if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
}

/** Resolves once `pred()` holds, checked after each `event` (and now); rejects after `ms`. No fixed sleeps. */
export async function until<T>(what: string, pred: () => Promise<T | undefined> | T | undefined, events: ((listener: () => void) => { dispose(): void })[], ms = 90_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		let wake!: () => void;
		const woken = new Promise<void>((resolve) => (wake = resolve));
		const subs = events.map((e) => e(() => wake()));
		try {
			const v = await pred();
			if (v !== undefined && v !== false) return v as T;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`timed out waiting for ${what}`);
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(left, 1000))))]);
			clearTimeout(timer);
		} finally {
			for (const s of subs) s.dispose();
		}
	}
}
