import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, discover, yaml } from './helpers';

/**
 * Without a Fleet file, the DORA rules that need its facts say nothing; discovery adds one
 * information note, on the object that makes the first production cluster known.
 */

const kustomization = (name: string, path: string) => yaml`
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: ${name}
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ${path}
	  prune: true
	  sourceRef:
	    kind: GitRepository
	    name: flux-system
`;
const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n';

test('a repository that deploys to production without a Fleet file gets one dora-fleet-file note, on its first production cluster', () => {
	const m = discover({
		'clusters/staging/apps.yaml': kustomization('apps', './apps/staging'),
		'clusters/production/apps.yaml': kustomization('apps', './apps/production'),
		'clusters/production/infra.yaml': kustomization('infra', './infra'),
		'apps/staging/ns.yaml': ns,
		'apps/production/ns.yaml': ns,
		'infra/ns.yaml': ns,
	});
	const notes = m.problems.filter((p) => p.ruleId === 'dora-fleet-file');
	assert.deepEqual(notes.map((p) => [p.severity, at(p.location), p.documentIndex, p.path.join('.')]), [['info', 'clusters/production/apps.yaml:4', 0, 'metadata.name']]);
	assert.match(notes[0].message, /^This repository deploys to production \("production"\) but has no Fleet file, so the DORA checks that need its facts .* are not made\. Add a platform\.gitops\.io\/v1alpha1 Fleet file/);
	assert.equal(m.fleetFile, undefined);
});

test('no note with a Fleet file (its enforce list is read), nor where nothing runs production', () => {
	const fleet = yaml`
		apiVersion: platform.gitops.io/v1alpha1
		kind: Fleet
		metadata:
		  name: acme
		spec:
		  environments:
		    - name: staging
		    - name: production
		      promotion:
		        from: staging
		  compliance:
		    enforce: [production, production, 7]
	`;
	const withFleet = discover({ 'fleet.yaml': fleet, 'clusters/production/apps.yaml': kustomization('apps', './apps/production'), 'apps/production/ns.yaml': ns });
	assert.deepEqual(withFleet.problems.filter((p) => p.ruleId === 'dora-fleet-file'), []);
	assert.deepEqual(withFleet.fleetFile, { file: 'fleet.yaml', enforce: ['production'] });
	const stagingOnly = discover({ 'clusters/staging/apps.yaml': kustomization('apps', './apps/staging'), 'apps/staging/ns.yaml': ns });
	assert.deepEqual(stagingOnly.problems, []);
});
