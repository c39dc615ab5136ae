import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractApiSchemas, MAX_EXPANDED_NODES } from '../../server/src/engine/live/api-schemas';
import { STATE_FORMAT_VERSION, type ClusterState } from '../../server/src/engine/live/state';
import { liveProblems } from '../../server/src/engine/rules/live';
import { sanitizeState } from '../../server/src/engine/live/sanitize';
import { ObjectSet } from '../../server/src/engine/core/objects';
import { resourceHeader, type Resource } from '../../server/src/engine/core/resource';
import { createNodeRegistry } from '../../server/src/host/registry';
import { cli } from '../../server/src/cli/main';
import { startKubeSim, type AggregatedApi, type KubeSim } from '../../tools/kube-sim/sim';
import { tempDir } from './helpers';

/**
 * `live-api-schema`: objects of aggregated APIs (OpenShift's Route) judged by the schema the cluster
 * publishes at /openapi/v3, the only place that describes them. The document is a reduced Route API
 * written after OpenShift's published field definitions (test/fixtures/live/route-openapi-v3.json).
 */

const ROUTE_DOC = JSON.parse(readFileSync('test/fixtures/live/route-openapi-v3.json', 'utf8')) as Record<string, unknown>;
const ROUTE_API: AggregatedApi = { group: 'route.openshift.io', version: 'v1', resources: [{ kind: 'Route', plural: 'routes', namespaced: true }], openapi: ROUTE_DOC };

const GOOD_ROUTE = `apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: web
  namespace: shop
spec:
  host: web.example.com
  to:
    kind: Service
    name: web
  port:
    targetPort: 8080
  tls:
    termination: edge
`;
const BAD_ROUTE = GOOD_ROUTE.replace('  host: web', '  hostt: web').replace('termination: edge', 'termination: edgy');

test('the kind a document describes, self-contained: references under definitions, single-reference allOf unwrapped, int-or-string read as such', () => {
	const { schemas, skipped } = extractApiSchemas(ROUTE_DOC, 'route.openshift.io/v1', (k) => k === 'Route');
	assert.deepEqual(skipped, []);
	assert.deepEqual(schemas.map((s) => `${s.apiVersion} ${s.kind}`), ['route.openshift.io/v1 Route']);
	const schema = schemas[0].schema as { properties: Record<string, Record<string, unknown>>; definitions: Record<string, Record<string, unknown>> };
	assert.equal(schema.properties.spec.$ref, '#/definitions/com.github.openshift.api.route.v1.RouteSpec');
	assert.equal(schema.properties.spec.allOf, undefined);
	const port = schema.definitions['com.github.openshift.api.route.v1.RoutePort'] as { properties: Record<string, Record<string, unknown>> };
	assert.equal(port.properties.targetPort['x-kubernetes-int-or-string'], true);
	// Only what the kind reaches: not the list kind.
	assert.ok(!('com.github.openshift.api.route.v1.RouteList' in schema.definitions));
	// Kinds not asked for are not read.
	assert.deepEqual(extractApiSchemas(ROUTE_DOC, 'route.openshift.io/v1', () => false).schemas, []);
	// Another group/version's document says nothing of this one.
	assert.deepEqual(extractApiSchemas(ROUTE_DOC, 'route.openshift.io/v2', () => true).schemas, []);
});

test('a hostile document: a reference bomb is left out with its reason, cycles and foreign references accept anything, junk gives nothing', () => {
	// Each level references the next twice: 2^40 nodes once inlined.
	const bomb: Record<string, unknown> = {};
	for (let i = 0; i < 40; i++) bomb[`L${i}`] = { type: 'object', properties: { a: { $ref: `#/components/schemas/L${i + 1}` }, b: { $ref: `#/components/schemas/L${i + 1}` } } };
	bomb.L40 = { type: 'string' };
	bomb.Bomb = { type: 'object', properties: { x: { $ref: '#/components/schemas/L0' } }, 'x-kubernetes-group-version-kind': [{ group: 'evil.example', version: 'v1', kind: 'Bomb' }] };
	bomb.Loop = { type: 'object', properties: { self: { $ref: '#/components/schemas/Loop' }, far: { $ref: 'https://evil.example/schema.json' } }, 'x-kubernetes-group-version-kind': [{ group: 'evil.example', version: 'v1', kind: 'Loop' }] };
	const started = Date.now();
	const out = extractApiSchemas({ components: { schemas: bomb } }, 'evil.example/v1', () => true);
	assert.ok(Date.now() - started < 2000, 'sized without expanding');
	assert.deepEqual(out.skipped, [{ kind: 'Bomb', reason: `its schema expands to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes` }]);
	const loop = out.schemas.find((s) => s.kind === 'Loop')!.schema as { properties: Record<string, unknown> };
	assert.deepEqual(loop.properties.far, {});
	assert.equal((loop.properties.self as { $ref: string }).$ref, '#/definitions/Loop');
	for (const junk of [null, 'openapi', [], { components: 'x' }, { components: { schemas: [] } }]) assert.deepEqual(extractApiSchemas(junk, 'evil.example/v1', () => true), { schemas: [], skipped: [] });
});

const registry = createNodeRegistry();
const NOW = new Date('2026-12-07T12:00:00Z');

function openshift(over: Partial<ClusterState> = {}): ClusterState {
	return {
		formatVersion: STATE_FORMAT_VERSION,
		cluster: 'ocp-eu',
		origin: 'live',
		fetchedAt: NOW.toISOString(),
		version: { major: '1', minor: '28', gitVersion: 'v1.28.7+6e2789b' },
		served: { 'route.openshift.io/v1': [{ kind: 'Route', plural: 'routes', namespaced: true, verbs: ['get', 'list', 'watch'] }] },
		crds: [],
		objects: {},
		apiSchemas: extractApiSchemas(ROUTE_DOC, 'route.openshift.io/v1', (k) => k === 'Route').schemas,
		...over,
	};
}

const problems = (yaml: Record<string, unknown>, state = openshift()) => {
	const r: Resource = { ...resourceHeader(yaml)!, documentIndex: 0, span: { start: 0, end: 0 }, value: yaml };
	return liveProblems(r, { name: 'ocp-eu', production: false }, state, new ObjectSet([], false), { now: NOW, schemas: registry }).filter((p) => p.ruleId === 'live-api-schema');
};

const route = (spec: Record<string, unknown>) => ({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'web', namespace: 'shop' }, spec });

test('a Route is judged by the schema its cluster publishes: a typo and a bad enum are errors at their nodes, a valid Route has none', () => {
	assert.deepEqual(problems(route({ host: 'web.example.com', to: { kind: 'Service', name: 'web' }, port: { targetPort: 8080 }, tls: { termination: 'edge' } })), []);
	assert.deepEqual(problems(route({ to: { kind: 'Service', name: 'web' }, port: { targetPort: 'http' } })), []);
	const bad = problems(route({ hostt: 'web.example.com', to: { kind: 'Service', name: 'web' }, tls: { termination: 'edgy' } }));
	assert.deepEqual(bad.map((p) => p.path.join('.')).sort(), ['spec.hostt', 'spec.tls.termination']);
	const typo = bad.find((p) => p.path.join('.') === 'spec.hostt')!;
	assert.match(typo.message, /^Per the schema cluster ocp-eu \(live\) publishes for route\.openshift\.io\/v1 Route \(an aggregated API: no CRD, no bundled schema\): /);
	assert.match(typo.message, /spec\.hostt is not a field of Route\.spec\. Did you mean host\?/);
	assert.match(typo.message, /The API server there rejects this field \(strict field validation\) or drops it\.$/);
	// A Route without `to`: rejected there.
	assert.deepEqual(problems(route({ host: 'a.example.com' })).map((p) => `${p.path.join('.')} ${p.message.includes('to')}`), ['spec true']);
});

test('only kinds nothing else describes: a bundled kind or a CRD-described kind in the published schemas is not judged by them', () => {
	const published = openshift().apiSchemas![0];
	// The cluster publishes "its" Deployment as if it were the Route: the bundled schema stays the judge.
	const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { hostt: 1 } };
	assert.deepEqual(problems(deployment, openshift({ apiSchemas: [{ ...published, apiVersion: 'apps/v1', kind: 'Deployment' }] })), []);
	// A CRD for the kind: live-crd-schema's business.
	const crd = { name: 'routes.route.openshift.io', group: 'route.openshift.io', kind: 'Route', plural: 'routes', namespaced: true, versions: [{ name: 'v1', served: true, storage: true }] };
	assert.deepEqual(problems(route({ hostt: 'x' }), openshift({ crds: [crd] })), []);
	// No published schema: nothing to say.
	assert.deepEqual(problems(route({ hostt: 'x' }), openshift({ apiSchemas: undefined })), []);
});

test('the published schemas survive the disk cache and snapshots; malformed entries do not', () => {
	const saved = JSON.parse(JSON.stringify({ ...openshift(), apiSchemas: [...openshift().apiSchemas!, { apiVersion: 'x/v1', kind: 'X' }, { apiVersion: 'x/v1', kind: 'Y', schema: 'no' }, 'junk'] }));
	const read = sanitizeState(saved, 'cache')!;
	assert.deepEqual(read.apiSchemas, openshift().apiSchemas);
	assert.equal(problems(route({ hostt: 'x', to: { kind: 'Service', name: 'web' } }), read).length, 1);
});

// The CLI over HTTPS against a simulated OpenShift cluster.

const dir = tempDir();
const env = { ...process.env, FLEETSCOPE_CACHE_DIR: join(dir, 'cache'), KUBECONFIG: join(dir, 'none') };
const repo = join(dir, 'repo');
let sims: KubeSim[] = [];

before(() => {
	mkdirSync(join(repo, 'routes'), { recursive: true });
	writeFileSync(join(repo, 'routes', 'bad.yaml'), BAD_ROUTE);
	writeFileSync(join(repo, 'routes', 'good.yaml'), GOOD_ROUTE);
});
after(async () => {
	await Promise.all(sims.map((s) => s.stop()));
});

async function checkAgainst(options: Parameters<typeof startKubeSim>[0]): Promise<{ code: number; live: string[]; status: string[]; sim: KubeSim }> {
	const sim = await startKubeSim({ name: 'ocp-eu', version: 'v1.28.7+6e2789b', ...options });
	sims.push(sim);
	const kubeconfig = sim.kubeconfig(join(dir, `kubeconfig-${sims.length}`), { context: 'ocp-eu' });
	let stdout = '';
	const code = await cli(['check', repo, '--format', 'json', '--kubeconfig', kubeconfig, '--context', 'ocp-eu'], { cwd: dir, env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: () => undefined });
	const json = JSON.parse(stdout) as { findings: { file: string; line: number; column: number; ruleId: string; severity: string }[]; live?: { cluster: string; status: string }[] };
	return {
		code,
		live: json.findings.filter((f) => f.ruleId === 'live-api-schema').map((f) => `${f.file}:${f.line}:${f.column} ${f.severity}`),
		status: (json.live ?? []).map((l) => `${l.cluster} ${l.status}`),
		sim,
	};
}

test('fleetscope check --context: the Route typo and bad enum are found at their lines, through the cluster\'s /openapi/v3 (GETs only)', async () => {
	const r = await checkAgainst({ aggregatedApis: [ROUTE_API] });
	assert.deepEqual(r.live, ['routes/bad.yaml:7:3 error', 'routes/bad.yaml:14:18 error']);
	assert.equal(r.code, 1);
	assert.deepEqual(r.status, ['ocp-eu connected']);
	const openapi = r.sim.requests.filter((q) => q.url.startsWith('/openapi/v3'));
	assert.deepEqual(openapi.map((q) => `${q.method} ${q.url.replace(/\?hash=\w+$/, '?hash=…')} ${q.status}`), ['GET /openapi/v3 200', 'GET /openapi/v3/apis/route.openshift.io/v1?hash=… 200']);
	assert.ok(r.sim.requests.every((q) => q.method === 'GET'));
});

test('a cluster without aggregated APIs gets no /openapi/v3 request; one that hides it, or sends junk, checks as before', async () => {
	const plain = await checkAgainst({});
	assert.equal(plain.sim.requests.filter((q) => q.url.startsWith('/openapi')).length, 0);
	// The Route kind is not served there at all: live-api-not-served's business, not this rule's.
	assert.deepEqual(plain.live, []);
	for (const options of [{ aggregatedApis: [ROUTE_API], openapiV3: false }, { aggregatedApis: [{ ...ROUTE_API, openapi: '{"components": {"schemas": ' }] }, { aggregatedApis: [{ ...ROUTE_API, openapi: `{"pad": "${'x'.repeat(9 * 1024 * 1024)}"}` }] }]) {
		const r = await checkAgainst(options);
		assert.deepEqual(r.live, [], JSON.stringify(options).slice(0, 80));
		assert.deepEqual(r.status, ['ocp-eu connected']);
	}
});
