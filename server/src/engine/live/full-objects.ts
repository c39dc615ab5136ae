import type { StateOrigin } from './state';

/**
 * The live objects drift compares Git with: for the kinds the repository declares, each object as
 * the cluster holds it, but only the fields drift needs (the fields Git declares for that kind,
 * the metadata that says who owns the object, and the managedFields entries of those fields).
 * Secrets are metadata only: their data is never requested, only their labels, some annotations
 * and their type. Pure, JSON-serialisable data; the host fetches and watches it
 * (`server/src/host/live/full-objects.ts`) or reads it from a snapshot.
 */

/** One managedFields entry, its `fieldsV1` cut down to the fields kept. */
export interface ManagedFieldsEntry {
	manager: string;
	operation?: string;
	time?: string;
	subresource?: string;
	fieldsV1?: Record<string, unknown>;
}

export interface LiveOwnerReference {
	apiVersion?: string;
	kind: string;
	name: string;
	uid?: string;
	controller?: boolean;
}

export interface LiveObjectMeta {
	name: string;
	namespace?: string;
	uid?: string;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: LiveOwnerReference[];
	finalizers?: string[];
	managedFields?: ManagedFieldsEntry[];
	creationTimestamp?: string;
}

/** A live object: `apiVersion`, `kind`, `metadata` and the kept fields of its content. */
export interface LiveObject {
	apiVersion: string;
	kind: string;
	metadata: LiveObjectMeta;
	[field: string]: unknown;
}

/**
 * How far the objects of one kind can be trusted to be all there is: `complete` (listed
 * everywhere), `partial` (only `namespaces` were listed), `forbidden` (not allowed to list),
 * `failed` (the list broke off: a dropped connection, a server error), `not-served` (the cluster
 * does not serve the kind). Only `complete` (and `partial` inside its namespaces) lets an absent
 * object be called missing.
 */
export type FullCoverage = 'complete' | 'partial' | 'forbidden' | 'failed' | 'not-served';

export interface LiveKindObjects {
	group: string;
	kind: string;
	namespaced: boolean;
	coverage: FullCoverage;
	namespaces?: string[];
	reason?: string;
	/** Every apiVersion the cluster serves the kind at (from discovery), when known. */
	apiVersions?: string[];
	/** True for Secrets: labels, annotations and type only, never data. */
	metadataOnly?: boolean;
	items: LiveObject[];
}

export interface LiveObjects {
	cluster: string;
	context?: string;
	origin: StateOrigin;
	/** ISO time the objects were last known current. */
	fetchedAt: string;
	/** `group|kind` → its objects. A kind absent here was not read. */
	kinds: Record<string, LiveKindObjects>;
}

export const FULL_OBJECTS_FORMAT = 1;
