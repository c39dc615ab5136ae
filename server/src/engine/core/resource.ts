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
