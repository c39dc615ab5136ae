import type { Session } from '../lsp/harness';

/**
 * Counts the explorer's change notifications of an LSP session and waits for them (no sleeps: a
 * wait resolves on a notification, or the test times out).
 */
export class Notifications {
	readonly counts = new Map<string, number>();
	private waiters: { method: string; n: number; resolve: () => void }[] = [];

	constructor(session: Session, methods: readonly string[]) {
		for (const method of methods) {
			this.counts.set(method, 0);
			session.conn.onNotification(method, () => {
				const n = (this.counts.get(method) ?? 0) + 1;
				this.counts.set(method, n);
				this.waiters = this.waiters.filter((w) => {
					if (w.method !== method || n < w.n) return true;
					w.resolve();
					return false;
				});
			});
		}
	}

	count(method: string): number {
		return this.counts.get(method) ?? 0;
	}

	/** Every method's count, to compare before and after something. */
	snapshot(): Record<string, number> {
		return Object.fromEntries(this.counts);
	}

	/** Resolves once `method` has arrived at least `n` times in all. */
	atLeast(method: string, n: number): Promise<void> {
		if (this.count(method) >= n) return Promise.resolve();
		return new Promise((resolve) => this.waiters.push({ method, n, resolve }));
	}

	/** Resolves at the next arrival of `method`. */
	next(method: string): Promise<void> {
		return this.atLeast(method, this.count(method) + 1);
	}
}
