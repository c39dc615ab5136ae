import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { includedObjects } from './include';
import { deployFixture, type DeploySpec, type DriftSpec } from './deploy';
import type { KubeSimOptions } from './sim';
import type { Obj } from './store';

/**
 * A cluster fixture: a YAML file that says what one simulated cluster runs.
 *
 * ```yaml
 * name: prod-us-east-1                 # cluster name (kubeconfig context unless `context` is set)
 * context: arn:aws:eks:...:cluster/prod-us-east-1
 * version: v1.27.16-eks-2f008fe        # what /version reports
 * crds:                                # CRDs in short form (full CustomResourceDefinition objects may go in `objects`)
 *   - group: cert-manager.io
 *     kind: ClusterIssuer
 *     plural: clusterissuers
 *     scope: Cluster                   # or Namespaced (default)
 *     labels: { app.kubernetes.io/version: v1.11.5 }
 *     versions:
 *       - name: v1
 *         schemaFile: ../../../schemas/crds/cert-manager.io/clusterissuer_v1.json   # relative to this file
 *         omit: [/properties/spec/...]     # JSON pointers removed from the schema (an older CRD)
 * objects: [ ...Kubernetes objects... ]
 * include: [staging-gitops.yaml]       # more objects, from lists in other files (see include.ts)
 * deploy: { repo: ../../../examples/fleet, cluster: prod-us-east-1 }   # what Flux applied from a repository (deploy.ts)
 * drifts: [ ...changes by other managers, deletions, leftovers... ]
 * ```
 */

export interface ClusterFixture {
	name: string;
	context?: string;
	version: string;
	objects: Obj[];
}

function removePointer(schema: Obj, pointer: string): void {
	const parts = pointer.replace(/^\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
	const last = parts.pop()!;
	let cur: any = schema;
	for (const p of parts) {
		cur = cur?.[p];
		if (cur === undefined) throw new Error(`omit ${pointer}: no such path in the schema`);
	}
	if (!(last in cur)) throw new Error(`omit ${pointer}: no such path in the schema`);
	delete cur[last];
	// A removed property must not stay required.
	if (parts[parts.length - 1] === 'properties') {
		const parent = parts.slice(0, -1).reduce((o: any, p) => o[p], schema);
		if (Array.isArray(parent.required)) parent.required = parent.required.filter((r: string) => r !== last);
	}
}

function crdObject(c: Obj, base: string): Obj {
	const versions = (c.versions as Obj[]).map((v, i) => {
		let schema: Obj | undefined = v.schema;
		if (v.schemaFile) schema = JSON.parse(readFileSync(resolve(base, v.schemaFile), 'utf8'));
		if (schema && v.omit) for (const p of v.omit as string[]) removePointer(schema, p);
		return { name: v.name, served: v.served ?? true, storage: v.storage ?? i === 0, ...(schema ? { schema: { openAPIV3Schema: schema } } : {}) };
	});
	return {
		apiVersion: 'apiextensions.k8s.io/v1',
		kind: 'CustomResourceDefinition',
		metadata: { name: `${c.plural}.${c.group}`, ...(c.labels ? { labels: c.labels } : {}) },
		spec: {
			group: c.group,
			names: { kind: c.kind, plural: c.plural, singular: c.kind.toLowerCase(), listKind: `${c.kind}List` },
			scope: c.scope ?? 'Namespaced',
			versions,
		},
	};
}

/** `gitDir`: the repository whose commits `${GIT_HEAD}` in included files stand for (default: the fixture's). */
export function loadFixture(path: string, gitDir?: string): ClusterFixture {
	const doc = parse(readFileSync(path, 'utf8')) as Obj;
	if (!doc || typeof doc !== 'object') throw new Error(`${path}: not a cluster fixture`);
	const base = dirname(resolve(path));
	const crds = ((doc.crds ?? []) as Obj[]).map((c) => crdObject(c, base));
	const version = String(doc.version ?? '1.30.4');
	let objects = [...crds, ...((doc.objects ?? []) as Obj[]), ...includedObjects(doc.include, base, gitDir)];
	if (doc.deploy) objects = deployFixture(base, objects, Number(/^v?1\.(\d+)/.exec(version)?.[1] ?? 30), doc.deploy as DeploySpec, (doc.drifts ?? []) as DriftSpec[]);
	return { name: String(doc.name ?? 'kube-sim'), context: doc.context, version, objects };
}

export function fixtureOptions(f: ClusterFixture): KubeSimOptions {
	return { name: f.name, version: f.version, objects: f.objects };
}
