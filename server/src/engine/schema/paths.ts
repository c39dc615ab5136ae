import type { NodePath } from '../core/parse';

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * A path as people write it: `spec.template.spec.containers[0].image`, with keys that are not
 * plain words quoted: `metadata.annotations["app.kubernetes.io/name"]`.
 */
export function formatPath(path: NodePath): string {
	let out = '';
	for (const seg of path) {
		if (typeof seg === 'number') out += `[${seg}]`;
		else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
		else out += `[${JSON.stringify(seg)}]`;
	}
	return out;
}

/** A plain object (not an array, not null, not a YAML timestamp read as a Date). */
export function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Turns an ajv `instancePath` (JSON pointer) into a node path, reading `root` to tell array
 * indexes (numbers) from keys that look like numbers.
 */
export function pointerToPath(pointer: string, root: unknown): NodePath {
	if (pointer === '') return [];
	const path: NodePath = [];
	let cur: unknown = root;
	for (const raw of pointer.slice(1).split('/')) {
		const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (Array.isArray(cur) && /^\d+$/.test(key)) {
			path.push(Number(key));
			cur = cur[Number(key)];
		} else {
			path.push(key);
			cur = isObject(cur) ? cur[key] : undefined;
		}
	}
	return path;
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: NodePath): unknown {
	let cur = root;
	for (const seg of path) {
		if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
		else if (isObject(cur)) cur = cur[String(seg)];
		else return undefined;
	}
	return cur;
}
