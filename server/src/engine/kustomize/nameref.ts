import { NAME_REFERENCES, type FieldSpec } from './fieldspecs';
import { FieldPathError, visitFieldSpec } from './fieldpath';
import { get, scalar, str, textOf, type KMap, type KNode } from './node';
import { curId, effectiveNamespace, gvkSelected, isClusterScoped, nsEquals, orgId, type Gvk, type Res } from './resource';

/**
 * Name references (kustomize's nameReferenceTransformer and api/filters/nameref): after
 * prefixes, suffixes, namespaces and hashes changed names, every field that names another
 * object of the build (a ConfigMap in envFrom, a ServiceAccount in a RoleBinding, ...) gets that
 * object's new name. A referral is found among the objects whose previous names include the
 * written one, narrowed like kustomize does (kind, roleRef, namespace, prefixes and suffixes).
 * The field keeps the place it was written at: that is where a user reads and edits it.
 */

export type Warn = (message: string, r: Res) => void;

function sameEndingSubarray(a: string[], b: string[]): boolean {
	let [shortest, longest] = a.length <= b.length ? [a, b] : [b, a];
	const diff = longest.length - shortest.length;
	if (shortest.length === 0) return diff === 0;
	for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
	return true;
}

function roleBindingNamespaces(r: Res): Set<string> {
	const out = new Set<string>();
	if (curId(r).kind !== 'RoleBinding') return out;
	const subjects = get(r.node, 'subjects');
	if (subjects?.kind !== 'seq') return out;
	for (const s of subjects.items) {
		const ns = str(get(s, 'namespace'));
		if (ns !== undefined && str(get(s, 'kind')) === 'ServiceAccount') out.add(ns);
	}
	return out;
}

/**
 * The objects that had a name, indexed so a referrer finds those it could refer to without
 * scanning every object of that name (a build with thousands of same-named ConfigMaps in as many
 * namespaces stays linear): cluster-scoped ones, by effective namespace, by written namespace.
 */
interface NameIndex {
	all: Res[];
	cluster: Res[];
	byNs: Map<string, Res[]>;
	byRawNs: Map<string, Res[]>;
}

export function fixNameReferences(resources: Res[], warn: Warn): void {
	// Ids do not change while references are fixed (only the referring fields do): compute each once.
	const ids = new Map<Res, ReturnType<typeof curId>>();
	const id = (r: Res) => {
		let v = ids.get(r);
		if (!v) ids.set(r, (v = curId(r)));
		return v;
	};
	const order = new Map<Res, number>();
	resources.forEach((r, i) => order.set(r, i));
	// Only objects whose name changed (those with previous ids) can be referred to under an old name.
	const byPrevName = new Map<string, NameIndex>();
	for (const r of resources) {
		const names = new Set(r.prevIds.map((x) => x.name));
		for (const n of names) {
			let ix = byPrevName.get(n);
			if (!ix) byPrevName.set(n, (ix = { all: [], cluster: [], byNs: new Map(), byRawNs: new Map() }));
			ix.all.push(r);
			const t = id(r);
			if (isClusterScoped(t)) ix.cluster.push(r);
			else {
				const eff = effectiveNamespace(t);
				ix.byNs.set(eff, [...(ix.byNs.get(eff) ?? []), r]);
				ix.byRawNs.set(t.namespace, [...(ix.byRawNs.get(t.namespace) ?? []), r]);
			}
		}
	}
	if (byPrevName.size === 0) return;
	/** What `couldBeReferenced` keeps of the objects once named `old`, in build order. */
	const candidatesFor = (old: string, referrer: Res, rbNs: Set<string>): Res[] => {
		const ix = byPrevName.get(old);
		if (!ix) return [];
		const rid = id(referrer);
		if (isClusterScoped(rid)) return ix.all;
		const picked = new Set<Res>([...ix.cluster, ...(ix.byNs.get(effectiveNamespace(rid)) ?? [])]);
		for (const ns of rbNs) for (const r of ix.byRawNs.get(ns) ?? []) picked.add(r);
		return [...picked].sort((a, b) => order.get(a)! - order.get(b)!);
	};
	for (const referrer of resources) {
		const org = orgId(referrer);
		let rbNs: Set<string> | undefined;
		for (const { spec, target, visit } of referralsOfKind(org.kind)) {
			if ((spec.group && spec.group !== org.group) || (spec.version && spec.version !== org.version)) continue;
			rbNs ??= roleBindingNamespaces(referrer);
			const ns = rbNs;
			const ctx: Ctx = { referrer, spec, target, candidates: (old) => candidatesFor(old, referrer, ns), id, rbNs: ns, warn };
			try {
				visitFieldSpec(referrer.node, visit, (node) => setRef(ctx, node));
			} catch (e) {
				if (!(e instanceof FieldPathError)) throw e;
			}
		}
	}
}

/** A field that may name an object of `target`, with the spec its path is visited by (no selector: the referrer is already selected). */
interface Referral {
	spec: FieldSpec;
	target: Partial<Gvk>;
	visit: FieldSpec;
}

const REFERRALS: readonly Referral[] = NAME_REFERENCES.flatMap((backRef) =>
	backRef.referrers.map((spec) => ({ spec, target: backRef.target, visit: { ...spec, create: false, kind: undefined, group: undefined, version: undefined } })),
);
/** The referrals a kind may hold, in NAME_REFERENCES' order (the order kustomize fixes them in): built once per kind listed there. */
const REFERRALS_BY_KIND = new Map<string, readonly Referral[]>(
	[...new Set(REFERRALS.map((r) => r.spec.kind).filter((k): k is string => k !== undefined))].map((kind) => [kind, REFERRALS.filter((r) => r.spec.kind === undefined || r.spec.kind === kind)]),
);
const REFERRALS_OF_ANY_KIND = REFERRALS.filter((r) => r.spec.kind === undefined);

/**
 * The referrals whose spec selects this kind (group and version are checked by the caller). Every
 * object of every render looked at every spec before, with a selector object made per pair: 117 MB
 * of the bench fleet's 1.5 GB allocated while it opened every file.
 */
function referralsOfKind(kind: string): readonly Referral[] {
	return REFERRALS_BY_KIND.get(kind) ?? REFERRALS_OF_ANY_KIND;
}

interface Ctx {
	referrer: Res;
	spec: FieldSpec;
	target: Partial<Gvk>;
	/** The objects once named so that the referrer could refer to (`couldBeReferenced`), in build order. */
	candidates(old: string): Res[];
	/** `curId`, computed once per object for this pass. */
	id(r: Res): ReturnType<typeof curId>;
	rbNs: Set<string>;
	warn: Warn;
}

function setRef(ctx: Ctx, node: KNode): void {
	if (node.kind === 'scalar') {
		if (node.value === null) return;
		setScalar(ctx, node);
	} else if (node.kind === 'map') setMapping(ctx, node);
	else {
		for (const item of node.items) {
			if (item.kind === 'scalar' && item.value !== null) setScalar(ctx, item);
			else if (item.kind === 'map') setMapping(ctx, item);
		}
	}
}

function setScalar(ctx: Ctx, node: KNode & { kind: 'scalar' }): void {
	const old = textOf(node);
	const candidates = ctx.candidates(old);
	const referral = selectReferral(ctx, old, candidates, (rs) => rs.every((r) => ctx.id(r).name === ctx.id(rs[0]).name));
	if (!referral) return;
	const name = ctx.id(referral).name;
	if (name !== old) node.value = name;
}

function setMapping(ctx: Ctx, node: KMap): void {
	const nameNode = node.entries.get('name');
	if (nameNode === undefined || nameNode.kind !== 'scalar') return;
	const old = textOf(nameNode);
	let candidates = ctx.candidates(old);
	const nsNode = node.entries.get('namespace');
	if (nsNode !== undefined) {
		// As kustomize's ResId, an empty namespace is `default`: a subject in `default` names an account written without one.
		const ns = textOf(nsNode);
		const same = (a: string) => (a === '' ? 'default' : a) === (ns === '' ? 'default' : ns);
		const byOrg = candidates.filter((t) => same(orgId(t).namespace));
		candidates = byOrg.length > 0 ? byOrg : candidates.filter((t) => same(ctx.id(t).namespace));
	}
	const referral = selectReferral(ctx, old, candidates, (rs) =>
		rs.every((r) => ctx.id(r).name === ctx.id(rs[0]).name && ctx.id(r).namespace === ctx.id(rs[0]).namespace),
	);
	if (!referral) return;
	const id = ctx.id(referral);
	if (id.name === old && id.namespace === '') return;
	nameNode.value = id.name;
	if (id.namespace === '') return;
	if (nsNode?.kind === 'scalar') nsNode.value = id.namespace;
	else node.entries.set('namespace', scalar(id.namespace, nameNode.src));
}

function selectReferral(ctx: Ctx, old: string, candidates: Res[], identical: (rs: Res[]) => boolean): Res | undefined {
	let c = candidates.filter((r) => r.prevIds.some((id) => id.name === old) && r.prevIds.some((id) => gvkSelected(id, ctx.target)));
	if (ctx.spec.path.endsWith('roleRef/name')) {
		const roleRef = get(ctx.referrer.node, 'roleRef');
		const group = get(roleRef, 'apiGroup');
		const kind = get(roleRef, 'kind');
		if (group !== undefined && kind !== undefined) c = c.filter((r) => r.prevIds.some((id) => gvkSelected(id, { group: textOf(group), kind: textOf(kind) })));
	}
	const rid = ctx.id(ctx.referrer);
	if (!isClusterScoped(rid)) {
		c = c.filter((r) => {
			const t = ctx.id(r);
			return isClusterScoped(t) || t.kind === 'ServiceAccount' || nsEquals(t, rid);
		});
	}
	if (c.length === 1) return c[0];
	c = c.filter((r) => sameEndingSubarray(r.prefixes, ctx.referrer.prefixes) && sameEndingSubarray(r.suffixes, ctx.referrer.suffixes));
	if (c.length === 1) return c[0];
	if (c.length === 0) return undefined;
	if (identical(c)) return c[0];
	ctx.warn(`'${old}' could refer to several objects (${c.map((r) => `${ctx.id(r).kind} '${ctx.id(r).name}'`).join(', ')}), so kustomize refuses the build; the reference is left as written.`, ctx.referrer);
	return undefined;
}
