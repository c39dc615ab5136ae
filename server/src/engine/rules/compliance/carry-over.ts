import type { IndexedObject, ObjectIndex } from '../../core/objects';
import { resourceHeader } from '../../core/resource';
import type { TargetObject } from '../../fleet/targets';
import type { ComplianceRule } from './rule';

/**
 * What a rule read of the other objects of a cluster while it judged the cluster's render: the kinds
 * it listed, or `all` (every object, or a value derived from them). Its result for an object that is
 * still in a new render of the cluster holds as long as no object of those kinds came or went.
 */
export type Reads = ReadonlySet<string> | 'all';

/**
 * The objects of one cluster's render, as the rules see them, recording what each rule reads: the
 * evaluator sets `reader` before it runs a rule. One per evaluation of a render, so that what rules
 * keep per object index (the compiled policies) is kept for the whole render.
 */
export class ReadRecorder implements ObjectIndex {
	/** The rule now running (undefined: nothing is recorded). */
	reader: ComplianceRule | undefined;
	private readonly reads = new Map<ComplianceRule, Set<string> | 'all'>();

	constructor(
		private readonly inner: ObjectIndex,
		/** What the rules read in the evaluation whose results this one keeps (carried over with them). */
		kept?: ReadonlyMap<ComplianceRule, Reads>,
	) {
		if (kept) for (const [rule, r] of kept) this.reads.set(rule, r === 'all' ? 'all' : new Set(r));
	}

	get complete(): boolean {
		return this.inner.complete;
	}

	ofKind(kind: string, namespace?: string): readonly IndexedObject[] {
		this.record(kind);
		return this.inner.ofKind(kind, namespace);
	}

	all(): readonly IndexedObject[] {
		this.record(undefined);
		return this.inner.all();
	}

	derived<T>(kind: string, make: () => T): T {
		// What the value was made from is not known here (another rule may have made it).
		this.record(undefined);
		return this.inner.derived(kind, make);
	}

	/** What each rule read (the kinds), this evaluation and the kept one together. */
	recorded(): ReadonlyMap<ComplianceRule, Reads> {
		return this.reads;
	}

	private record(kind: string | undefined): void {
		const rule = this.reader;
		if (!rule) return;
		const r = this.reads.get(rule);
		if (r === 'all') return;
		if (kind === undefined) this.reads.set(rule, 'all');
		else if (r) r.add(kind);
		else this.reads.set(rule, new Set([kind]));
	}
}

/**
 * What the evaluation of a cluster's previous render lends to the evaluation of its new render:
 * for each object still there (the same rendered object: its path was not rendered again), the
 * results of the rules that do not read the model, for the rules that read no kind of object that
 * came or went. Undefined when a Namespace came or went (labels decide Pod Security levels).
 */
export interface CarryOver<T> {
	/** The previous result of the new render's object `i`, or undefined (a new object). */
	resultOf(i: number): T | undefined;
	/** Whether a rule's previous results hold for the objects still there. */
	holds(rule: ComplianceRule): boolean;
	/** What the rules whose results hold read before. */
	reads: ReadonlyMap<ComplianceRule, Reads>;
}

export function carryOver<T>(previous: readonly TargetObject[], results: readonly T[], reads: ReadonlyMap<ComplianceRule, Reads>, next: readonly TargetObject[]): CarryOver<T> | undefined {
	const at = new Map<TargetObject, number>();
	previous.forEach((o, i) => at.set(o, i));
	const stayed = new Set<TargetObject>();
	const came: TargetObject[] = [];
	for (const o of next) {
		if (at.has(o)) stayed.add(o);
		else came.push(o);
	}
	const went = previous.filter((o) => !stayed.has(o));
	// Only the kinds that matter are compared by content: Namespaces, and the kinds some rule read.
	const matters = new Set<string>(['Namespace']);
	for (const r of reads.values()) if (r !== 'all') for (const k of r) matters.add(k);
	const changed = changedKinds(came, went, matters);
	if (changed.has('Namespace')) return undefined;
	const holding = new Map<ComplianceRule, Reads>();
	for (const [rule, r] of reads) if (r !== 'all' && ![...r].some((k) => changed.has(k))) holding.set(rule, r);
	// A rule that ran and read nothing has no entry: its results hold too.
	const ran = new Set(reads.keys());
	return {
		resultOf: (i) => {
			const j = at.get(next[i]);
			return j === undefined ? undefined : results[j];
		},
		holds: (rule) => holding.has(rule) || !ran.has(rule),
		reads: holding,
	};
}

/**
 * The kinds of the objects that came or went. The path rendered again mostly renders the same
 * objects again (a retag changes one Deployment of the overlay; its Namespace is as it was): an
 * object of a kind that `matters` that came with the same value and source as one that went is no
 * change. Objects of other kinds are not compared (no rule read them; a big file's objects would
 * cost a serialisation each).
 */
function changedKinds(came: readonly TargetObject[], went: readonly TargetObject[], matters: ReadonlySet<string>): Set<string> {
	const kindOf = (o: TargetObject) => resourceHeader(o.object.value)?.kind ?? '';
	const changed = new Set<string>();
	// An object of a kind that does not matter changes its kind; the others are compared below.
	const compared = (o: TargetObject): boolean => {
		const kind = kindOf(o);
		if (!matters.has(kind)) changed.add(kind);
		return matters.has(kind);
	};
	const keyOf = (o: TargetObject) => `${o.object.source.file}#${o.object.source.documentIndex}|${JSON.stringify(o.object.value)}`;
	const gone = new Map<string, number>();
	const wentCompared = went.filter(compared);
	for (const o of wentCompared) gone.set(keyOf(o), (gone.get(keyOf(o)) ?? 0) + 1);
	for (const o of came.filter(compared)) {
		const k = keyOf(o);
		const n = gone.get(k) ?? 0;
		if (n > 0) gone.set(k, n - 1);
		else changed.add(kindOf(o));
	}
	// What went and did not come back.
	for (const o of wentCompared) {
		const k = keyOf(o);
		const n = gone.get(k) ?? 0;
		if (n > 0) {
			gone.set(k, n - 1);
			changed.add(kindOf(o));
		}
	}
	return changed;
}
