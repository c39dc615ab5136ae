/**
 * What was made for the last few keys asked for, by identity: a memo for work asked for several
 * times in a row (a resource judged by forty rules, or by every policy), which keeps nothing of
 * older keys alive. Not a WeakMap for every key ever asked: V8's scavenger keeps the values of a
 * long-lived WeakMap alive until the next full collection, even when their keys are gone.
 */
export class RecentMemo<K extends object, V> {
	private readonly keys: (K | undefined)[];
	private readonly values: (V | undefined)[];
	private next = 0;

	constructor(size: number) {
		this.keys = new Array<K | undefined>(size).fill(undefined);
		this.values = new Array<V | undefined>(size).fill(undefined);
	}

	/** The value made for `key` while it is among the last few, else `make()`'s, kept in place of the oldest. */
	get(key: K, make: () => V): V {
		for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === key) return this.values[i] as V;
		const value = make();
		this.keys[this.next] = key;
		this.values[this.next] = value;
		this.next = (this.next + 1) % this.keys.length;
		return value;
	}
}
