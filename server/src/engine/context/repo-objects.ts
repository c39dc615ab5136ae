import { parseSegment, segmentStarts } from '../core/parse';
import { isPlainObject, resourceHeader } from '../core/resource';
import type { IndexedObject, ObjectIndex } from '../core/objects';

/**
 * The repository-wide raw object index: the objects of the few kinds cross-resource rules read
 * (network policies, namespaces, service accounts, Velero schedules, disruption budgets, admission
 * policies, persistent volume claims, kustomizations…), kept per file and current through
 * `read`/`remove` as files change. `complete` is false: raw files often leave the namespace to
 * kustomize, Flux or Argo CD, so a rule must not conclude that something is missing from a
 * namespace where a candidate object has no namespace written.
 *
 * Cheap on purpose: a file is split at its `---` markers and only documents whose top-level `kind:`
 * (or Gatekeeper constraint apiVersion) matches are parsed, so the workspace scan reads the rest
 * of the repository once, as before.
 */

/** The kinds indexed, whatever their API group (rules check the group where it matters). */
export const INDEXED_KINDS = [
	// Network segmentation (CIS 5.3.2, DORA Art 9(4)(b)).
	'NetworkPolicy',
	'CiliumNetworkPolicy',
	'CiliumClusterwideNetworkPolicy',
	'GlobalNetworkPolicy',
	'AdminNetworkPolicy',
	'BaselineAdminNetworkPolicy',
	'Namespace',
	// Token mounts (CIS 5.1.5/5.1.6).
	'ServiceAccount',
	// Backups (DORA Art 12).
	'Schedule',
	'BackupStorageLocation',
	'PersistentVolumeClaim',
	'StatefulSet',
	// Redundancy (DORA Art 10).
	'PodDisruptionBudget',
	'HorizontalPodAutoscaler',
	// Policy control (CIS 5.2.1): Kyverno, native admission policies; Gatekeeper constraints match by apiVersion.
	'ClusterPolicy',
	'Policy',
	'ValidatingPolicy',
	'ValidatingAdmissionPolicy',
	'ValidatingAdmissionPolicyBinding',
	// The repository's own admission policies judge its objects (rules/policy).
	'PolicyException',
	'ConstraintTemplate',
	// Kyverno CLI and Chainsaw tests: the resources they name are test data (bad on purpose), never judged.
	'Test',
	// The Flux source of the fleet repository itself. (kustomization.yaml files are indexed by name, for
	// their images overrides; Flux Kustomizations are many and not needed.)
	'GitRepository',
] as const;

const KIND_LINE = new RegExp(`^kind:[ \\t]*["']?(?:${INDEXED_KINDS.join('|')})["']?[ \\t]*(?:#.*)?$`, 'm');
const GATEKEEPER_LINE = /^apiVersion:[ \t]*["']?constraints\.gatekeeper\.sh\//m;
const INDEXED = new Set<string>(INDEXED_KINDS);

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

export function isGatekeeperConstraint(apiVersion: string): boolean {
	return apiVersion.startsWith('constraints.gatekeeper.sh/');
}

/** The indexed objects one file declares (the documents of other kinds are not parsed). */
export function objectsOfText(file: string, text: string): IndexedObject[] {
	const kustomizationFile = KUSTOMIZATION_FILE.test(file);
	if (!kustomizationFile && !KIND_LINE.test(text) && !GATEKEEPER_LINE.test(text)) return [];
	const out: IndexedObject[] = [];
	const starts = segmentStarts(text);
	let documentIndex = 0;
	for (let i = 0; i < starts.length; i++) {
		const seg = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
		if (!kustomizationFile && !mayIndex(seg)) {
			documentIndex++;
			continue;
		}
		for (const d of parseSegment(seg).documents) indexDocument(file, d.value, documentIndex++, kustomizationFile, out);
	}
	return out;
}

/** The same from a file's documents already parsed (facts that parse the whole file anyway: a kustomization, Namespaces). */
export function objectsOfDocuments(file: string, documents: readonly { value: unknown; segment: { text: string } }[]): IndexedObject[] {
	const kustomizationFile = KUSTOMIZATION_FILE.test(file);
	const out: IndexedObject[] = [];
	documents.forEach((d, documentIndex) => {
		if (kustomizationFile || mayIndex(d.segment.text)) indexDocument(file, d.value, documentIndex, kustomizationFile, out);
	});
	return out;
}

/** Whether a segment's text names a kind the index holds (a cheap look before parsing). */
function mayIndex(segment: string): boolean {
	return KIND_LINE.test(segment) || GATEKEEPER_LINE.test(segment);
}

function indexDocument(file: string, value: unknown, documentIndex: number, kustomizationFile: boolean, out: IndexedObject[]): void {
	const h = resourceHeader(value);
	if (h && isPlainObject(value) && (INDEXED.has(h.kind) || isGatekeeperConstraint(h.apiVersion) || (kustomizationFile && h.kind === 'Kustomization'))) {
		out.push({ apiVersion: h.apiVersion, kind: h.kind, name: h.name, namespace: h.namespace, value, file, documentIndex });
	} else if (!h && kustomizationFile && isPlainObject(value)) {
		// kustomization.yaml may omit apiVersion and kind.
		out.push({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', value, file, documentIndex });
	}
}

/** The raw object index of a repository, per file; kustomize patch files are left out (they are partial objects). */
export class RepoObjects implements ObjectIndex {
	readonly complete = false;
	private readonly byFile = new Map<string, IndexedObject[]>();
	private byKind?: Map<string, IndexedObject[]>;
	private list?: IndexedObject[];
	private readonly values = new Map<string, unknown>();

	constructor(
		private readonly isPatchFile: (path: string) => boolean = () => false,
		/** Which objects of a file to index (the live checks index other kinds: `live/repo-objects.ts`). */
		private readonly extract: (file: string, text: string) => IndexedObject[] = objectsOfText,
	) {}

	/** Records the objects of a created or changed file; returns whether the index changed. */
	read(file: string, text: string | undefined): boolean {
		const found = text === undefined ? [] : this.extract(file, text);
		const before = this.byFile.get(file);
		if (found.length === 0) return this.remove(file);
		if (before && sameObjects(before, found)) return false;
		this.byFile.set(file, found);
		this.invalidate();
		return true;
	}

	/** Forgets a deleted file; returns whether the index changed. */
	remove(file: string): boolean {
		if (!this.byFile.delete(file)) return false;
		this.invalidate();
		return true;
	}

	/** Drops the per-kind lists (after a change of the files or of the patch files). */
	invalidate(): void {
		this.byKind = undefined;
		this.list = undefined;
		this.values.clear();
	}

	derived<T>(kind: string, make: () => T): T {
		if (!this.values.has(kind)) this.values.set(kind, make());
		return this.values.get(kind) as T;
	}

	ofKind(kind: string, namespace?: string): readonly IndexedObject[] {
		if (!this.byKind) {
			this.byKind = new Map();
			for (const o of this.all()) {
				let l = this.byKind.get(o.kind);
				if (!l) this.byKind.set(o.kind, (l = []));
				l.push(o);
			}
		}
		const l = this.byKind.get(kind) ?? [];
		return namespace === undefined ? l : l.filter((o) => o.namespace === namespace);
	}

	all(): readonly IndexedObject[] {
		this.list ??= [...this.byFile.entries()]
			.filter(([f]) => !this.isPatchFile(f))
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.flatMap(([, os]) => os);
		return this.list;
	}
}

function sameObjects(a: IndexedObject[], b: IndexedObject[]): boolean {
	return a.length === b.length && JSON.stringify(a.map((o) => o.value)) === JSON.stringify(b.map((o) => o.value));
}
