/**
 * One copy of each distinct value, found by a string key: messages, finding keys and lists that many
 * findings or objects would otherwise each hold a copy of. Bounded: once full it starts again (the
 * values already handed out stay shared by those who hold them).
 */
export class SharedValues<V> {
	private readonly table = new Map<string, V>();

	constructor(private readonly max: number) {}

	/** The value kept for `key`, else `value`, kept from now on. */
	share(key: string, value: V): V {
		const kept = this.table.get(key);
		if (kept !== undefined) return kept;
		if (this.table.size >= this.max) this.table.clear();
		this.table.set(key, value);
		return value;
	}
}
