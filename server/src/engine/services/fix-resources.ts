import { isMap, isScalar, type YAMLMap } from 'yaml';
import { nodeAt } from '../core/parse';
import { addToMap, containerPath, fillEmptyPair, isEmptyValue, pairOf, type EditContext, type Entry, type Fix, type TextEditEntry } from './yaml-edit';

/**
 * The quick fix of `workload-resources`: adds the requests and the memory limit the container
 * lacks (the finding's `data.missing`, e.g. `requests.cpu`), with placeholder values the user then
 * sizes from measured usage: cpu 100m and memory 128Mi. A memory limit added next to an existing
 * memory request takes the request's value, so the limit is never below the request (the API
 * server would reject that).
 */

const PLACEHOLDER: Record<string, string> = { 'requests.cpu': '100m', 'requests.memory': '128Mi', 'limits.memory': '128Mi' };

const NOTE = 'placeholders: size from measured usage';

/** The source text of `requests.memory` when the container sets one. */
function memoryRequest(resources: YAMLMap | undefined, ec: EditContext): string | undefined {
	const requests = resources ? pairOf(resources, 'requests')?.value : undefined;
	const memory = isMap(requests) ? pairOf(requests, 'memory')?.value : undefined;
	return isScalar(memory) && memory.range && memory.value !== null ? ec.text.slice(ec.doc.base + memory.range[0], ec.doc.base + memory.range[1]) : undefined;
}

export const resourcesFix: Fix = (ec, finding, path) => {
	const missing = (finding.data?.missing ?? []).filter((m) => m in PLACEHOLDER);
	const cPath = containerPath(path) ?? path;
	const container = nodeAt(ec.doc.doc, cPath);
	if (missing.length === 0 || !isMap(container)) return undefined;
	const resourcesPair = pairOf(container, 'resources');
	const resources = resourcesPair && isMap(resourcesPair.value) ? resourcesPair.value : undefined;
	const value = (m: string) => (m === 'limits.memory' ? (memoryRequest(resources, ec) ?? PLACEHOLDER[m]) : PLACEHOLDER[m]);
	const wanted: Record<'requests' | 'limits', Entry[]> = { requests: [], limits: [] };
	for (const m of missing) {
		const [section, key] = m.split('.') as ['requests' | 'limits', string];
		wanted[section].push([key, value(m)]);
	}
	const sections = (['requests', 'limits'] as const).filter((s) => wanted[s].length > 0);
	const asEntries = sections.map((s): Entry => [s, wanted[s]]);
	const title = `Add ${missing.map((m) => `${m} ${value(m)}`).join(', ')} (placeholder values: adjust to measured usage)`;
	const done = (edits: (TextEditEntry | undefined)[] | undefined) => {
		const list = edits?.filter((e): e is TextEditEntry => e !== undefined);
		return list && list.length === edits!.length ? { title, edits: list } : undefined;
	};
	if (!resourcesPair) return done([addToMap(ec, container, [['resources', asEntries]], { comment: NOTE })]);
	if (isEmptyValue(resourcesPair)) return done(fillEmptyPair(ec, resourcesPair, asEntries, NOTE));
	if (!resources) return undefined; // `resources: 5`: a schema finding, nothing to complete
	const edits: (TextEditEntry | undefined)[] = [];
	const newSections: Entry[] = [];
	for (const s of sections) {
		const pair = pairOf(resources, s);
		if (!pair) newSections.push([s, wanted[s]]);
		else if (isEmptyValue(pair)) edits.push(...(fillEmptyPair(ec, pair, wanted[s]) ?? [undefined]));
		else if (isMap(pair.value)) edits.push(addToMap(ec, pair.value, wanted[s], { comment: 'placeholder' }));
		else return undefined;
	}
	// New sections go before the existing ones, so they never share an offset with an addition to the last of them.
	if (newSections.length > 0) edits.push(addToMap(ec, resources, newSections, { first: true, comment: NOTE }));
	return done(edits);
};
