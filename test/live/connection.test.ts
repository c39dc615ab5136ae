import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { createCa } from '../../tools/kube-sim/certs';
import { loadKubeconfig } from '../../server/src/host/live/kubeconfig';
import { ClusterConnection, type ConnectionOptions } from '../../server/src/host/live/source';
import { StateCache } from '../../server/src/host/live/cache';
import { names, tempDir, until, waitFor } from './helpers';

/**
 * The live state source over real HTTPS against kube-sim, through client-node's credential code:
 * no mock of client-node or of the network. Every fault a user meets, and that credentials and
 * Secret data never reach logs, statuses or the cache.
 */

const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXBhc3N3b3JkLTQy'; // base64 of super-secret-password-42
const SECRET_PLAIN = 'super-secret-password-42';
const dir = tempDir();
const cacheDir = join(dir, 'cache');
const captured: string[] = [];
const sims: KubeSim[] = [];
const connections: ClusterConnection[] = [];

after(async () => {
	await Promise.all(connections.map((c) => c.stop()));
	await Promise.all(sims.map((s) => s.stop()));
});

const objects = [
	{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orders' } },
	{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
	// A Secret created with kubectl apply carries its data in an annotation too: it must not survive either.
	{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'orders', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"password":"${SECRET_VALUE}"}}` } }, data: { password: SECRET_VALUE } },
	{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'web' }, stringData: { key: SECRET_PLAIN }, data: { key: SECRET_VALUE } },
	{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'orders', labels: { app: 'orders' } }, data: { LEVEL: 'info' } },
	{
		apiVersion: 'apiextensions.k8s.io/v1',
		kind: 'CustomResourceDefinition',
		metadata: { name: 'widgets.example.com' },
		spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
	},
];

async function sim(extra: Parameters<typeof startKubeSim>[0] = {}): Promise<KubeSim> {
	const s = await startKubeSim({ name: 'test-cluster', version: 'v1.29.6', objects, recordResponses: true, bookmarkIntervalMs: 200, ...extra });
	sims.push(s);
	return s;
}

function connect(kubeconfigPath: string, context: string, over: Partial<ConnectionOptions> = {}): ClusterConnection {
	const c = new ClusterConnection({
		context,
		kubeconfig: loadKubeconfig({ paths: [kubeconfigPath] }).config,
		allowExec: true,
		kinds: [
			{ group: '', kind: 'Secret' },
			{ group: '', kind: 'ConfigMap' },
		],
		cache: new StateCache(cacheDir),
		timeoutMs: 2000,
		backoff: { initialMs: 50, maxMs: 300 },
		log: (l) => captured.push(l),
		...over,
	});
	c.onChange((ch) => captured.push(JSON.stringify(ch.status)));
	connections.push(c);
	return c;
}

let main: KubeSim;

test('connected: version, discovery, CRD schemas and object metadata; Secrets as metadata only', { timeout: 15000 }, async () => {
	main = await sim();
	const c = connect(main.kubeconfig(join(dir, 'main.kubeconfig')), 'test-cluster');
	c.start();
	const ch = await waitFor(c, (x) => x.status.status === 'connected' && !!x.state, 10_000, 'connected');
	const s = ch.state!;
	assert.equal(s.version.gitVersion, 'v1.29.6');
	assert.equal(s.origin, 'live');
	assert.ok(s.served['apps/v1'].some((k) => k.kind === 'Deployment' && k.namespaced));
	assert.ok(s.served['example.com/v1'].some((k) => k.kind === 'Widget'));
	assert.ok(!s.served['batch/v1beta1'], 'removed in 1.25, not served by 1.29');
	assert.deepEqual(s.crds.map((x) => x.name), ['widgets.example.com']);
	assert.deepEqual(s.crds[0].versions[0].schema, { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } });
	assert.deepEqual(names(ch), ['orders/db', 'web/tls']);
	assert.deepEqual(s.objects['|ConfigMap'].items, [{ name: 'cfg', namespace: 'orders', uid: s.objects['|ConfigMap'].items[0].uid, labels: { app: 'orders' } }]);
	assert.equal(c.status.auth, 'token');
	// Every request for Secrets asked for metadata only, and no Secret data ever left the server.
	await until(() => main.requests.some((r) => /\/secrets\?.*watch=true/.test(r.url)), 5000, 'the Secret watch');
	const secretRequests = main.requests.filter((r) => /\/secrets/.test(r.url));
	assert.ok(secretRequests.length >= 2, 'a list and a watch');
	for (const r of secretRequests) assert.match(r.accept, /as=PartialObjectMetadata/, r.url);
	assert.ok(main.requests.every((r) => r.method === 'GET'), 'read-only');
});

test('a change in the cluster reaches the subscriber through the watch', { timeout: 15000 }, async () => {
	const c = connections[0];
	main.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'new', namespace: 'web' }, data: { k: SECRET_VALUE } });
	await waitFor(c, (x) => names(x).includes('web/new'), 5000, 'the new Secret');
	main.delete('v1', 'Secret', 'new', 'web');
	await waitFor(c, (x) => !names(x).includes('web/new'), 5000, 'the deletion');
	// A new CRD is served as soon as its watch event arrives.
	main.apply({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Gadget', plural: 'gadgets' }, scope: 'Cluster', versions: [{ name: 'v1alpha1', served: true, storage: true }] } });
	await waitFor(c, (x) => !!x.state?.served['example.com/v1alpha1']?.some((k) => k.kind === 'Gadget' && !k.namespaced), 5000, 'the new CRD');
});

test('a dropped watch resumes from its resourceVersion and sees a change made while it was down', { timeout: 15000 }, async () => {
	const c = connections[0];
	assert.ok(main.faults.dropWatches() >= 3);
	main.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'while-dropped', namespace: 'orders' } });
	await waitFor(c, (x) => names(x).includes('orders/while-dropped'), 5000, 'the change made while dropped');
	assert.equal(c.status.status, 'connected');
});

test('410 Gone: a watch too old for the server re-lists its kind and catches up', { timeout: 15000 }, async () => {
	const c = connections[0];
	const listsBefore = main.requests.filter((r) => /\/api\/v1\/secrets\?/.test(r.url) && !/watch=true/.test(r.url)).length;
	// The re-watch is held until the change and the compaction happened: it then starts from a compacted version.
	const release = main.faults.holdWatches();
	main.faults.dropWatches();
	main.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'after-compaction', namespace: 'orders' } });
	main.faults.compact();
	release();
	await waitFor(c, (x) => names(x).includes('orders/after-compaction'), 8000, 'the re-list');
	const lists = main.requests.filter((r) => /\/api\/v1\/secrets\?/.test(r.url) && !/watch=true/.test(r.url)).length;
	assert.ok(lists > listsBefore, 'the kind was listed again');
	assert.ok(main.sent.some((t) => t.includes('"code":410') && t.includes('Expired')), 'the server answered 410 Expired');
});

test('no Secret data ever left the server, not even through watch events', () => {
	const all = main.sent.join('\n');
	assert.ok(all.includes('"name":"db"'), 'Secret metadata was sent');
	// Only the annotation (sent by any real API server with metadata) carries it; it never goes further (see the last test).
	const withoutAnnotations = all.replace(/"kubectl\.kubernetes\.io\/last-applied-configuration":"(\\.|[^"\\])*"/g, '');
	assert.ok(!withoutAnnotations.includes(SECRET_VALUE) && !withoutAnnotations.includes(SECRET_PLAIN));
});

test('401: one unauthorized status (retried quietly), no state', { timeout: 15000 }, async () => {
	const c = connect(main.kubeconfig(join(dir, 'bad-token.kubeconfig'), { context: 'bad-token', token: 'not-the-token-at-all' }), 'bad-token', { cache: undefined });
	c.start();
	const ch = await waitFor(c, (x) => x.status.status === 'unauthorized', 5000, 'unauthorized');
	assert.equal(ch.state, undefined);
	assert.match(ch.status.message, /rejected the credentials \(401 Unauthorized\)/);
	// Retries go on with back-off, but the log says it once.
	await until(() => main.requests.filter((r) => r.status === 401).length >= 3, 5000, 'retries');
	assert.equal(captured.filter((l) => l.startsWith('[live] bad-token: unauthorized')).length, 1);
	await c.stop();
});

test('403 on some kinds: forbidden-partial, the status says which, and namespaces the rules allow are still listed', { timeout: 15000 }, async () => {
	const token = main.addUser('team-orders', [
		{ resources: ['namespaces', 'configmaps', 'customresourcedefinitions.apiextensions.k8s.io'] },
		{ resources: ['secrets'], namespaces: ['orders'] },
	]);
	const c = connect(main.kubeconfig(join(dir, 'team.kubeconfig'), { context: 'team', token }), 'team', { namespaces: ['orders', 'web'], cache: undefined });
	c.start();
	const ch = await waitFor(c, (x) => x.status.status === 'forbidden-partial', 5000, 'forbidden-partial');
	assert.deepEqual(ch.status.forbidden, ['|Secret']);
	assert.match(ch.status.message, /not allowed to list Secret outside orders: references to them are not checked/);
	const secrets = ch.state!.objects['|Secret'];
	assert.equal(secrets.coverage, 'partial');
	assert.deepEqual(secrets.namespaces, ['orders']);
	assert.ok(secrets.items.every((i) => i.namespace === 'orders'));
	assert.match(secrets.reason!, /secrets is forbidden: User "team-orders" cannot list resource "secrets" in API group "" at the cluster scope; also in web/);
	// Nothing at all allowed for a kind: forbidden.
	main.faults.forbid('configmaps');
	const c2 = connect(main.kubeconfig(join(dir, 'team2.kubeconfig'), { context: 'team2', token }), 'team2', { cache: undefined });
	c2.start();
	const ch2 = await waitFor(c2, (x) => x.status.status === 'forbidden-partial', 5000, 'forbidden-partial');
	assert.equal(ch2.state!.objects['|ConfigMap'].coverage, 'forbidden');
	assert.equal(ch2.state!.objects['|Secret'].coverage, 'forbidden');
	main.faults.allowAll();
	await Promise.all([c.stop(), c2.stop()]);
});

test('TLS errors: a CA the client does not trust, a certificate for another host', { timeout: 15000 }, async () => {
	const other = createCa('someone-else');
	const c = connect(main.kubeconfig(join(dir, 'wrong-ca.kubeconfig'), { context: 'wrong-ca', ca: other.cert }), 'wrong-ca', { cache: undefined });
	c.start();
	const ch = await waitFor(c, (x) => x.status.status === 'tls-error', 5000, 'tls-error');
	assert.match(ch.status.message, /^TLS error talking to https:\/\/127\.0\.0\.1:\d+: the server certificate (is not signed by a trusted CA|chain ends in a CA that is not trusted)\. Check certificate-authority\(-data\) and the server address in the kubeconfig; retrying in \d+ s$/);
	await c.stop();
	const s = await sim();
	s.faults.wrongHostCertificate(true);
	const c2 = connect(s.kubeconfig(join(dir, 'wrong-host.kubeconfig'), { context: 'wrong-host' }), 'wrong-host', { cache: undefined });
	c2.start();
	const ch2 = await waitFor(c2, (x) => x.status.status === 'tls-error', 5000, 'tls-error');
	assert.match(ch2.status.message, /the server certificate is for another host name/);
	await c2.stop();
});

test('slow server: a request past the timeout is a timeout status; starting never waits for the network', { timeout: 15000 }, async () => {
	const s = await sim();
	s.faults.hang = true;
	const c = connect(s.kubeconfig(join(dir, 'slow.kubeconfig'), { context: 'slow' }), 'slow', { timeoutMs: 300, cache: undefined });
	c.start();
	// start() returned before any answer: callers (the static checks) go on with no state.
	assert.equal(c.status.status, 'connecting');
	assert.equal(c.state, undefined);
	const ch = await waitFor(c, (x) => x.status.status === 'timeout', 5000, 'timeout');
	assert.match(ch.status.message, /did not answer within 0 s|did not answer within 1 s|did not answer within/);
	s.faults.hang = false;
	await waitFor(c, (x) => x.status.status === 'connected', 5000, 'recovery');
	await c.stop();
});

test('server goes away and comes back on the same port: cached state meanwhile, then connected again by itself', { timeout: 15000 }, async () => {
	const s = await sim();
	const c = connect(s.kubeconfig(join(dir, 'flaky.kubeconfig'), { context: 'flaky' }), 'flaky');
	c.start();
	await waitFor(c, (x) => x.status.status === 'connected', 5000, 'connected');
	await s.stop();
	const down = await waitFor(c, (x) => x.status.status === 'cached', 5000, 'cached');
	assert.equal(down.status.reason, 'unreachable');
	assert.equal(down.state?.origin, 'cache');
	assert.match(down.status.message, /is unreachable \(ECONN(REFUSED|RESET)\); using the last state seen \(cached, less than 1 min old\); retrying in \d+ s$/);
	s.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'made-while-down', namespace: 'orders' } });
	await s.restart();
	const back = await waitFor(c, (x) => x.status.status === 'connected' && names(x).includes('orders/made-while-down'), 8000, 'reconnected');
	assert.equal(back.state?.origin, 'live');
	await c.stop();
});

test('offline: with the server gone, a new connection serves the cached state, marked cached with its age', { timeout: 15000 }, async () => {
	const s = await sim();
	const path = s.kubeconfig(join(dir, 'offline.kubeconfig'), { context: 'offline' });
	const first = connect(path, 'offline');
	first.start();
	await waitFor(first, (x) => x.status.status === 'connected', 5000, 'connected');
	await first.stop();
	await s.stop();
	const second = connect(path, 'offline');
	second.start();
	// The cached state is there at once, before any network answer.
	assert.equal(second.state?.origin, 'cache');
	assert.deepEqual(names({ state: second.state }), ['orders/db', 'web/tls']);
	const ch = await waitFor(second, (x) => x.status.status === 'cached', 5000, 'cached');
	assert.equal(ch.status.reason, 'unreachable');
	assert.ok(ch.status.lastSuccess);
	await second.stop();
	// A fetch once (the CLI) falls back to the cache the same way.
	const once = await connect(path, 'offline').fetchOnce();
	assert.equal(once.status.status, 'cached');
	assert.equal(once.state?.origin, 'cache');
});

test('unreachable with nothing cached: the status says unreachable and there is no state', { timeout: 15000 }, async () => {
	const s = await sim();
	const path = s.kubeconfig(join(dir, 'never.kubeconfig'), { context: 'never' });
	await s.stop();
	const once = await connect(path, 'never', { cache: undefined }).fetchOnce();
	assert.equal(once.status.status, 'unreachable');
	assert.equal(once.state, undefined);
});

test('client certificates authenticate through client-node', { timeout: 15000 }, async () => {
	const c = connect(main.kubeconfig(join(dir, 'cert.kubeconfig'), { context: 'cert', clientCertificate: main.clientCertificate('alice') }), 'cert', { cache: undefined });
	const once = await c.fetchOnce();
	assert.equal(once.status.status, 'connected');
	assert.equal(once.status.auth, 'client-certificate');
	assert.ok(main.requests.some((r) => r.user === 'alice'));
});

test('allowExec: false refuses an exec credential plugin without running it; allowed, the plugin runs and authenticates', { timeout: 15000 }, async () => {
	const marker = join(dir, 'exec-ran');
	const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(main.token)} } }))`;
	const path = main.kubeconfig(join(dir, 'exec.kubeconfig'), { context: 'exec', exec: { command: process.execPath, args: ['-e', script] } });
	const refused = connect(path, 'exec', { allowExec: false, cache: undefined });
	refused.start();
	const ch = await waitFor(refused, (x) => x.status.status === 'refused', 5000, 'refused');
	assert.match(ch.status.message, /does not use this context in an untrusted workspace: its user runs the exec credential plugin ".*node.*"\. Trust the workspace to connect\./);
	assert.equal(existsSync(marker), false, 'the exec command never ran');
	await refused.stop();
	const oidc = main.kubeconfig(join(dir, 'oidc.kubeconfig'), { context: 'oidc', authProvider: { name: 'oidc', config: { 'id-token': 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ', 'idp-issuer-url': 'https://issuer.example' } } });
	const refusedOidc = await connect(oidc, 'oidc', { allowExec: false, cache: undefined }).fetchOnce();
	assert.equal(refusedOidc.status.status, 'refused');
	assert.match(refusedOidc.status.message, /relies on the "oidc" auth provider/);
	const allowed = await connect(path, 'exec', { allowExec: true, cache: undefined }).fetchOnce();
	assert.equal(allowed.status.status, 'connected');
	assert.equal(allowed.status.auth, 'exec');
	assert.equal(readFileSync(marker, 'utf8'), 'ran');
});

test('no token, CA key, client key or Secret data in any log line, status or cache file', () => {
	const cacheFiles = readdirSync(cacheDir).map((f) => readFileSync(join(cacheDir, f), 'utf8'));
	assert.ok(cacheFiles.length >= 2, 'states were cached');
	const haystack = [...captured, ...cacheFiles].join('\n');
	const needles = [
		...sims.map((s) => s.token),
		...sims.flatMap((s) => s.caKey.split('\n').filter((l) => l.length > 40)),
		'not-the-token-at-all',
		SECRET_VALUE,
		SECRET_PLAIN,
		'c2lnbmF0dXJlLXNpZ25hdHVyZQ',
	];
	for (const n of needles) assert.ok(!haystack.includes(n), `leaked: ${n.slice(0, 12)}…`);
	assert.ok(!haystack.includes('last-applied-configuration'), 'annotations are dropped on receipt');
	assert.ok(captured.some((l) => l.includes('"status":"unauthorized"')) && captured.some((l) => l.includes('"status":"tls-error"')) && captured.some((l) => l.includes('"status":"cached"')), 'the faults were captured');
});
