/**
 * Field paths of drift: a list of segments (a map key, a list index, or a list item selected by
 * its merge keys), written for people in dots with list items by merge key:
 * `spec.template.spec.containers[name=web].image`, `spec.ports[port=80,protocol=TCP].targetPort`,
 * `metadata.labels["app.kubernetes.io/name"]`, `spec.template.spec.containers[name=web].args[0]`.
 */

export type Segment = { key: string } | { index: number } | { item: Record<string, string | number | boolean> };

const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function selectorValue(v: string | number | boolean): string {
	const s = String(v);
	return /^[^\],=\s"]+$/.test(s) ? s : JSON.stringify(s);
}

export function formatPath(segs: readonly Segment[]): string {
	let out = '';
	for (const s of segs) {
		if ('key' in s) out += PLAIN.test(s.key) ? `${out === '' ? '' : '.'}${s.key}` : `[${JSON.stringify(s.key)}]`;
		else if ('index' in s) out += `[${s.index}]`;
		else
			out += `[${Object.entries(s.item)
				.map(([k, v]) => `${k}=${selectorValue(v)}`)
				.join(',')}]`;
	}
	return out;
}

/** A JSON pointer (`/spec/template/spec/containers/0/image`) as map keys and list indices. */
export function pointerPath(pointer: string): (string | number)[] | undefined {
	if (pointer === '') return [];
	if (!pointer.startsWith('/')) return undefined;
	return pointer
		.slice(1)
		.split('/')
		.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
		.map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
}

/** Whether `path` starts with `prefix` (a number and its digits in a string are the same step). */
export function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
	if (prefix.length > path.length) return false;
	for (let i = 0; i < prefix.length; i++) if (String(path[i]) !== String(prefix[i])) return false;
	return true;
}
