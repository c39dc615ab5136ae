import type { IndexedObject } from '../core/objects';
import { parseSegment, segmentStarts } from '../core/parse';
import { isPlainObject, resourceHeader } from '../core/resource';
import { generatedObjectsOf } from '../kustomize/generated-objects';

/**
 * What the live checks need to know of the repository's own objects: whether it creates an object a
 * resource references (a Namespace, Secret, ConfigMap, ServiceAccount, claim, class), or a generator
 * that creates it once synced (an ExternalSecret, Certificate, SealedSecret, annotated Ingress,
 * HelmRelease or Application that creates its namespace), or the CRD that serves a kind. The editor
 * keeps these per file (`RepoObjects` with this extractor) as the CLI builds them from every checked
 * file; the values are trimmed to the fields the checks read, so that a Secret's data, a ConfigMap's
 * content or a HelmRelease's values are never kept.
 *
 * Cheap like the repository-wide index: only documents whose top-level `kind:` is one of these are parsed.
 */

type Trim = (value: Record<string, unknown>) => Record<string, unknown>;

const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

function metadataOnly(value: Record<string, unknown>): Record<string, unknown> {
	const m = obj(value.metadata);
	return { apiVersion: value.apiVersion, kind: value.kind, metadata: { name: m.name, namespace: m.namespace } };
}

/** Keeps metadata (name, namespace, the annotations named) and the spec fields named. */
function keep(spec: string[], annotations: string[] = []): Trim {
	return (value) => {
		const out = metadataOnly(value);
		const ann = obj(obj(value.metadata).annotations);
		const kept = Object.fromEntries(annotations.filter((a) => a in ann).map((a) => [a, ann[a]]));
		if (Object.keys(kept).length > 0) (out.metadata as Record<string, unknown>).annotations = kept;
		const s = obj(value.spec);
		out.spec = Object.fromEntries(spec.filter((k) => k in s).map((k) => [k, s[k]]));
		return out;
	};
}

function crd(value: Record<string, unknown>): Record<string, unknown> {
	const s = obj(value.spec);
	const versions = Array.isArray(s.versions) ? s.versions.filter(isPlainObject).map((v) => ({ name: v.name, served: v.served, storage: v.storage })) : undefined;
	return { ...metadataOnly(value), spec: { group: s.group, names: s.names, scope: s.scope, ...(versions ? { versions } : {}) } };
}

const TRIM: Record<string, Trim> = {
	Namespace: metadataOnly,
	Secret: metadataOnly,
	ConfigMap: metadataOnly,
	ServiceAccount: metadataOnly,
	PersistentVolumeClaim: metadataOnly,
	StorageClass: metadataOnly,
	IngressClass: metadataOnly,
	PriorityClass: metadataOnly,
	SealedSecret: metadataOnly,
	ExternalSecret: keep(['target']),
	Certificate: keep(['secretName']),
	Ingress: keep(['tls'], ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer']),
	HelmRelease: keep(['install', 'targetNamespace']),
	Application: keep(['destination', 'syncPolicy']),
	CustomResourceDefinition: crd,
};

const KIND_LINE = new RegExp(`^kind:[ \\t]*["']?(?:${Object.keys(TRIM).join('|')})["']?[ \\t]*(?:#.*)?$`, 'm');

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const GENERATOR_LINE = /^(configMapGenerator|secretGenerator):/m;

/**
 * The objects of one file the live checks look up, trimmed (see above). A kustomization's
 * generators count as the ConfigMaps and Secrets they create (by the names references use).
 */
export function liveObjectsOfText(file: string, text: string): IndexedObject[] {
	if (KUSTOMIZATION_FILE.test(file)) {
		if (!GENERATOR_LINE.test(text)) return [];
		const value = parseSegment(text).documents[0]?.value;
		return generatedObjectsOf(file, value).map((g) => ({ apiVersion: g.apiVersion, kind: g.kind, name: g.name, namespace: g.namespace, value: g.value, file, documentIndex: 0 }));
	}
	if (!KIND_LINE.test(text)) return [];
	const out: IndexedObject[] = [];
	const starts = segmentStarts(text);
	let documentIndex = 0;
	for (let i = 0; i < starts.length; i++) {
		const seg = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
		if (!KIND_LINE.test(seg)) {
			documentIndex++;
			continue;
		}
		for (const d of parseSegment(seg).documents) {
			const value = d.value;
			const h = resourceHeader(value);
			const trim = h && TRIM[h.kind];
			if (h && trim && isPlainObject(value)) out.push({ apiVersion: h.apiVersion, kind: h.kind, name: h.name, namespace: h.namespace, value: trim(value), file, documentIndex });
			documentIndex++;
		}
	}
	return out;
}
