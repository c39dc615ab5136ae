import type { Obj } from './store';

/**
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` for Secrets, as `kubectl get secrets`
 * asks for it: the columns Name, Type, Data (the number of keys) and Age, each row with the
 * object's metadata (`includeObject=Metadata`, the default). Never the data itself.
 */

export function wantsTable(accept: string): boolean {
	return /as=Table/.test(accept);
}

export function secretTable(secrets: Obj[], listMeta: Obj): Obj {
	return {
		kind: 'Table',
		apiVersion: 'meta.k8s.io/v1',
		metadata: listMeta,
		columnDefinitions: [
			{ name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
			{ name: 'Type', type: 'string', format: '', description: 'Used to facilitate programmatic handling of secret data.', priority: 0 },
			{ name: 'Data', type: 'string', format: '', description: 'Number of keys in the data.', priority: 0 },
			{ name: 'Age', type: 'string', format: '', description: 'CreationTimestamp.', priority: 0 },
		],
		rows: secrets.map((s) => ({
			cells: [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length, '1d'],
			object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: s.metadata },
		})),
	};
}
