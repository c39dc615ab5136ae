import type { TextSpan } from './text';

/** What Fleetscope knows about one Kubernetes-style object in a file. */
export interface Resource {
	apiVersion: string;
	kind: string;
	/** The API group ('' for the core group) and version, split from apiVersion. */
	group: string;
	version: string;
	name?: string;
	namespace?: string;
	/** Index of the document in its file. */
	documentIndex: number;
	/** Span of the whole document content, in file offsets. */
	span: TextSpan;
	/** The plain-data value of the document. */
	value: Record<string, unknown>;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads apiVersion/kind/name/namespace from a document value; undefined if it is not an object with apiVersion and kind strings. */
export function resourceHeader(value: unknown): Pick<Resource, 'apiVersion' | 'kind' | 'group' | 'version' | 'name' | 'namespace'> | undefined {
	if (!isPlainObject(value)) return undefined;
	const { apiVersion, kind } = value;
	if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
	const slash = apiVersion.lastIndexOf('/');
	const group = slash === -1 ? '' : apiVersion.slice(0, slash);
	const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
	const meta = isPlainObject(value.metadata) ? value.metadata : {};
	return {
		apiVersion,
		kind,
		group,
		version,
		name: typeof meta.name === 'string' ? meta.name : undefined,
		namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
	};
}

/**
 * The resource of a document from its header: one object literal, so that every resource has the
 * same shape (a spread of the header into a literal was the costliest line of a retag's evaluation).
 */
export function resourceOf(header: Pick<Resource, 'apiVersion' | 'kind' | 'group' | 'version' | 'name' | 'namespace'>, documentIndex: number, span: TextSpan, value: Record<string, unknown>): Resource {
	return { apiVersion: header.apiVersion, kind: header.kind, group: header.group, version: header.version, name: header.name, namespace: header.namespace, documentIndex, span, value };
}
