// A child started with `detached: true` leads its own process group: stopping the group stops
// everything it started too (code-server's extension host, kube-sim's servers), never leaving one behind.

/**
 * Watches a detached child: `exited()` says whether it is gone, `exit` resolves with its code or
 * signal, and `stop()` sends its process group SIGTERM, then SIGKILL after `graceMs`, and resolves
 * once it has exited.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 * @returns {{ exit: Promise<number | string>, exited: () => boolean, stop: () => Promise<void> }}
 */
export function processGroup(child, graceMs = 5000) {
	let gone = false;
	const exit = new Promise((resolve) => child.once('exit', (code, signal) => ((gone = true), resolve(code ?? signal))));
	const stop = async () => {
		if (gone) return;
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			return;
		}
		const killer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}, graceMs);
		await exit;
		clearTimeout(killer);
	};
	return { exit, exited: () => gone, stop };
}
