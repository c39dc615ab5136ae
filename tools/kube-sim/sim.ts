import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ALL_VERBS, builtinResources, GROUP_ORDER, type ResourceDef } from '../../server/src/engine/live/builtin-apis';
import { createCa, type Ca, type Pem } from './certs';
import { kubeconfigText, type KubeconfigOptions } from './kubeconfig';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import { groupOf, Store, type Obj, type StoredEvent } from './store';
import { secretTable, wantsTable } from './table';
import { serverApply, serverUpdate } from './writes';

/**
 * kube-sim: a small, faithful Kubernetes API server for tests and the demo. HTTPS with its own CA,
 * bearer-token and client-certificate authentication with per-user read rules, discovery, list/get
 * (label and field selectors, pagination), watch (resourceVersion semantics, bookmarks, 410 Gone),
 * CRDs served with their schemas, metadata-only responses (PartialObjectMetadata), and faults the
 * test controls. Read-only for clients: only the test (or the fixture) changes the content.
 */

export interface AccessRule {
	/** `get`, `list`, `watch`; default all three. */
	verbs?: string[];
	/** Resource plurals, `plural.group` for groups, or `*`. */
	resources: string[];
	/** Default: every namespace and cluster scope. */
	namespaces?: string[];
}

export interface KubeSimOptions {
	/** Cluster name (used for the CA's name and the default kubeconfig context). */
	name?: string;
	/** Kubernetes version served by /version: `1.27.16` or a gitVersion such as `v1.27.16-eks-a737599`. */
	version?: string;
	objects?: Obj[];
	/** Port on 127.0.0.1; 0 (default) picks a free one. */
	port?: number;
	/** Extra users: token → name and rules (absent rules: may read everything). */
	users?: { name: string; token?: string; rules?: AccessRule[] }[];
	/** Keep every response body in `sent` (for tests that prove some data never left the server). */
	recordResponses?: boolean;
	/** Watch events kept per kind; older resourceVersions get 410 Gone. */
	historyLimit?: number;
	/** Interval of BOOKMARK events for watches that allow them (default 1 s; upstream sends one about every minute). */
	bookmarkIntervalMs?: number;
	/**
	 * Aggregated APIs (served by another API server behind this one, as OpenShift's route.openshift.io):
	 * in discovery like built-ins, with their OpenAPI v3 document at `/openapi/v3/apis/<group>/<version>`
	 * (an object is sent as JSON, a string as it is: tests send broken ones).
	 */
	aggregatedApis?: AggregatedApi[];
	/** False: no `/openapi/v3` at all (404), as before Kubernetes 1.27 or behind a proxy that hides it. */
	openapiV3?: boolean;
}

export interface AggregatedApi {
	group: string;
	version: string;
	resources: { kind: string; plural: string; namespaced: boolean }[];
	openapi?: Obj | string;
}

export interface Faults {
	/** Every request gets 401, whatever its credentials. */
	unauthorized: boolean;
	/** Milliseconds before each response (a slow server). */
	delayMs: number;
	/** Requests are accepted but never answered (a hung server or a black-holed route). */
	hang: boolean;
	/** Makes a resource (`secrets`, `externalsecrets.external-secrets.io`) forbidden (403), cluster-wide or in one namespace. */
	forbid(resource: string, namespace?: string): void;
	/** Lifts every `forbid`. */
	allowAll(): void;
	/** Lists of a resource (`poddisruptionbudgets.policy`) break off mid-answer: the connection drops after part of the body (a cluster going away mid-list). */
	breakLists(resource: string | undefined): void;
	/** Closes every open watch connection mid-stream (no final event); returns how many. */
	dropWatches(): number;
	/** Forgets the change history: watches from older resourceVersions get 410 Gone. */
	compact(): void;
	/** Holds new watch requests (unanswered) until the returned function releases them: lets a test order events without timing. */
	holdWatches(): () => void;
	/** Serves a certificate for another host name (the client's hostname check fails), or the right one again. */
	wrongHostCertificate(on: boolean): void;
}

export interface KubeSim {
	/** `https://127.0.0.1:PORT`. */
	readonly url: string;
	readonly port: number;
	/** PEM of the CA that signed the server certificate. */
	readonly ca: string;
	/** PEM of the CA's private key (tests prove it never leaks). */
	readonly caKey: string;
	/** The bearer token of the default user (may read everything). */
	readonly token: string;
	readonly name: string;
	readonly faults: Faults;
	/** Every request so far: method, path with query, Accept header, user (or `-`), status. */
	readonly requests: { method: string; url: string; accept: string; user: string; status: number }[];
	/** Response bodies, when `recordResponses` is on. */
	readonly sent: string[];
	/** Writes a kubeconfig for this cluster and returns its path. */
	kubeconfig(path: string, options?: KubeconfigOptions): string;
	kubeconfigText(options?: KubeconfigOptions): string;
	/** A client certificate for `user`, signed by the cluster's CA. */
	clientCertificate(user: string, organization?: string): Pem;
	/** Adds a user with a token and optional rules; returns the token. */
	addUser(name: string, rules?: AccessRule[], token?: string): string;
	apply(obj: Obj): Obj;
	/** A server-side apply by `manager` (defaults, canonical quantities, managedFields), as kustomize-controller or helm would send it. */
	applyAs(obj: Obj, manager: string, time?: string): Obj;
	/** An update by another manager (`kubectl-edit`, `kubectl-scale`): `mutate` changes the stored object; the changed fields become that manager's. */
	editAs(apiVersion: string, kind: string, name: string, namespace: string | undefined, manager: string, mutate: (o: Obj) => void, time?: string): Obj;
	delete(apiVersion: string, kind: string, name: string, namespace?: string): boolean;
	get(apiVersion: string, kind: string, name: string, namespace?: string): Obj | undefined;
	/** Number of open watch connections. */
	readonly openWatches: number;
	/** Stops listening and closes every connection; `restart()` listens again on the same port. */
	stop(): Promise<void>;
	restart(): Promise<void>;
}

interface User {
	name: string;
	rules?: AccessRule[];
}

interface Served extends ResourceDef {
	verbs: string[];
}

const status = (code: number, reason: string, message: string, details?: Obj): Obj => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });

function parseVersion(v: string): { major: string; minor: string; gitVersion: string } {
	const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(v.trim());
	if (!m) throw new Error(`not a Kubernetes version: ${v}`);
	const gitVersion = v.startsWith('v') ? v : `v${m[1]}.${m[2]}.${m[3] ?? '0'}${m[4]}`;
	// EKS and GKE report the minor with a `+` (`27+`); clients must cope.
	return { major: m[1], minor: /-eks-|-gke\./.test(m[4]) ? `${m[2]}+` : m[2], gitVersion };
}

function crdResources(store: Store): Served[] {
	const out: Served[] = [];
	for (const crd of store.list('apiextensions.k8s.io', 'CustomResourceDefinition')) {
		const spec = crd.spec ?? {};
		for (const v of spec.versions ?? []) {
			if (v.served === false) continue;
			out.push({ group: spec.group, version: v.name, kind: spec.names?.kind, plural: spec.names?.plural, namespaced: spec.scope !== 'Cluster', verbs: ALL_VERBS });
		}
	}
	return out;
}

function wantsMetadata(accept: string): 'list' | 'object' | undefined {
	if (/as=PartialObjectMetadataList/.test(accept)) return 'list';
	if (/as=PartialObjectMetadata\b/.test(accept)) return 'object';
	return undefined;
}

function metadataOnly(o: Obj): Obj {
	return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
	const name = options.name ?? 'kube-sim';
	const version = parseVersion(options.version ?? '1.30.4');
	const minor = parseInt(version.minor, 10);
	const store = new Store(options.historyLimit);
	for (const o of options.objects ?? []) store.apply(o);
	const ca: Ca = createCa(name);
	const serverCert = ca.issue('kube-apiserver', { hosts: ['127.0.0.1', 'localhost'] });
	let wrongCert: Pem | undefined;
	const token = randomBytes(24).toString('base64url');
	const users = new Map<string, User>([[token, { name: 'fleetscope-reader' }]]);
	for (const u of options.users ?? []) users.set(u.token ?? randomBytes(24).toString('base64url'), { name: u.name, rules: u.rules });
	const forbidden: { resource: string; namespace?: string }[] = [];
	let brokenLists: string | undefined;
	const requests: KubeSim['requests'] = [];
	const sent: string[] = [];
	const sockets = new Set<Socket>();
	const watches = new Set<{ res: ServerResponse; close: () => void }>();
	/** Watch requests waiting for `holdWatches`' release, when held. */
	let held: (() => void)[] | undefined;
	const bookmarkMs = options.bookmarkIntervalMs ?? 1000;

	const faults: Faults = {
		unauthorized: false,
		delayMs: 0,
		hang: false,
		forbid: (resource, namespace) => void forbidden.push({ resource, namespace }),
		allowAll: () => void forbidden.splice(0),
		breakLists: (resource) => void (brokenLists = resource),
		dropWatches() {
			const n = watches.size;
			for (const w of [...watches]) {
				w.close();
				// An abrupt end: the socket goes away without the chunked terminator, as when a load balancer cuts it.
				w.res.socket?.destroy();
			}
			return n;
		},
		compact: () => store.compact(),
		holdWatches() {
			held ??= [];
			return () => {
				const queued = held ?? [];
				held = undefined;
				for (const run of queued) run();
			};
		},
		wrongHostCertificate(on) {
			wrongCert ??= ca.issue('kube-apiserver', { hosts: ['kubernetes.wrong.example'] });
			const pem = on ? wrongCert : serverCert;
			server.setSecureContext({ cert: pem.cert, key: pem.key, ca: [ca.cert] });
		},
	};

	const aggregated = (options.aggregatedApis ?? []).flatMap((a) => a.resources.map((r) => ({ group: a.group, version: a.version, kind: r.kind, plural: r.plural, namespaced: r.namespaced, verbs: ALL_VERBS })));
	const served = (): Served[] => [...builtinResources(minor).map((d) => ({ ...d, verbs: d.verbs ?? ALL_VERBS })), ...crdResources(store), ...aggregated];

	/** `/openapi/v3` (the index of every group/version's document) and the documents of the aggregated APIs. */
	function openapi(req: IncomingMessage, res: ServerResponse, path: string, user: string): boolean {
		if (path !== '/openapi/v3' && !path.startsWith('/openapi/v3/')) return false;
		if (options.openapiV3 === false) return void send(req, res, 404, status(404, 'NotFound', 'the server could not find the requested resource'), user), true;
		if (path === '/openapi/v3') {
			const paths: Obj = {};
			for (const d of served()) {
				const key = d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
				paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${createHash('sha256').update(key).digest('hex').slice(0, 16).toUpperCase()}` };
			}
			return void send(req, res, 200, { paths }, user), true;
		}
		const api = (options.aggregatedApis ?? []).find((a) => path === `/openapi/v3/apis/${a.group}/${a.version}`);
		if (!api?.openapi) return void send(req, res, 404, status(404, 'NotFound', 'the server could not find the requested resource'), user), true;
		if (typeof api.openapi !== 'string') return void send(req, res, 200, api.openapi, user), true;
		requests.push({ method: 'GET', url: req.url ?? '', accept: String(req.headers.accept ?? ''), user, status: 200 });
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(api.openapi);
		return true;
	}

	function authenticate(req: IncomingMessage): User | undefined {
		const auth = req.headers.authorization;
		if (auth?.startsWith('Bearer ')) return users.get(auth.slice(7).trim());
		const socket = req.socket as TLSSocket;
		if (socket.authorized) {
			const cn = socket.getPeerCertificate()?.subject?.CN;
			if (typeof cn === 'string' && cn !== '') return { name: Array.isArray(cn) ? cn[0] : cn };
		}
		return undefined;
	}

	function allowed(user: User, verb: string, def: Served, namespace: string | undefined): boolean {
		const names = [def.plural, def.group ? `${def.plural}.${def.group}` : def.plural, '*'];
		if (forbidden.some((f) => names.includes(f.resource) && (f.namespace === undefined || f.namespace === namespace))) return false;
		if (!user.rules) return true;
		return user.rules.some((r) => (r.verbs ?? ['get', 'list', 'watch']).includes(verb) && r.resources.some((x) => names.includes(x)) && (!r.namespaces || (namespace !== undefined && r.namespaces.includes(namespace))));
	}

	function send(req: IncomingMessage, res: ServerResponse, code: number, body: Obj, user: string): void {
		const text = JSON.stringify(body);
		if (options.recordResponses) sent.push(text);
		requests.push({ method: req.method ?? 'GET', url: req.url ?? '', accept: String(req.headers.accept ?? ''), user, status: code });
		res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
		res.end(text);
	}

	function discovery(path: string): Obj | undefined {
		const all = served();
		if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
		if (path === '/apis') {
			const groups = new Map<string, string[]>();
			for (const d of all) if (d.group !== '') groups.set(d.group, [...new Set([...(groups.get(d.group) ?? []), d.version])]);
			const order = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);
			const names = [...groups.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
			return {
				kind: 'APIGroupList',
				apiVersion: 'v1',
				groups: names.map((g) => {
					const versions = groups.get(g)!.map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
					const preferred = all.find((d) => d.group === g && /^v\d+$/.test(d.version)) ?? all.find((d) => d.group === g)!;
					return { name: g, versions, preferredVersion: { groupVersion: `${g}/${preferred.version}`, version: preferred.version } };
				}),
			};
		}
		const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
		if (!m) return undefined;
		const group = m[2] ?? '';
		const ver = m[1] ?? m[3];
		const defs = all.filter((d) => d.group === group && d.version === ver);
		if (defs.length === 0) return undefined;
		return {
			kind: 'APIResourceList',
			apiVersion: 'v1',
			groupVersion: group ? `${group}/${ver}` : ver,
			resources: defs.map((d) => ({ name: d.plural, singularName: d.kind.toLowerCase(), namespaced: d.namespaced, kind: d.kind, verbs: d.verbs })),
		};
	}

	function handle(req: IncomingMessage, res: ServerResponse): void {
		const url = new URL(req.url ?? '/', 'https://127.0.0.1');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const accept = String(req.headers.accept ?? '');
		if (faults.unauthorized) return send(req, res, 401, status(401, 'Unauthorized', 'Unauthorized'), '-');
		const user = authenticate(req);
		if (!user) return send(req, res, 401, status(401, 'Unauthorized', 'Unauthorized'), '-');
		// Clients only read; the one exception is a server-side apply dry-run, which changes nothing.
		const dryRunPatch = req.method === 'PATCH' && url.searchParams.get('dryRun') === 'All';
		if (req.method !== 'GET' && !dryRunPatch) {
			return send(req, res, 405, status(405, 'MethodNotAllowed', `the simulator is read-only for clients: ${req.method} is not supported`), user.name);
		}
		if (path === '/version') return send(req, res, 200, { ...version, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2024-08-14T00:00:00Z', goVersion: 'go1.22.5', compiler: 'gc', platform: 'linux/amd64' }, user.name);
		if (path === '/healthz' || path === '/readyz' || path === '/livez') {
			requests.push({ method: 'GET', url: req.url ?? '', accept, user: user.name, status: 200 });
			res.writeHead(200, { 'Content-Type': 'text/plain' });
			return void res.end('ok');
		}
		if (openapi(req, res, path, user.name)) return;
		const disc = discovery(path);
		if (disc) return send(req, res, 200, disc, user.name);
		const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
		if (!m) return send(req, res, 404, status(404, 'NotFound', 'the server could not find the requested resource'), user.name);
		const group = m[2] ?? '';
		const ver = m[1] ?? m[3];
		let segs = m[4].split('/').map(decodeURIComponent);
		let namespace: string | undefined;
		if (segs[0] === 'namespaces' && segs.length >= 3) {
			namespace = segs[1];
			segs = segs.slice(2);
		}
		const [plural, objName, ...rest] = segs;
		const def = served().find((d) => d.group === group && d.version === ver && d.plural === plural);
		if (!def || rest.length > 0 || (namespace !== undefined && !def.namespaced)) return send(req, res, 404, status(404, 'NotFound', 'the server could not find the requested resource'), user.name);
		const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
		const verb = dryRunPatch ? 'patch' : objName !== undefined ? 'get' : watch ? 'watch' : 'list';
		if (!allowed(user, verb, def, namespace)) {
			const where = namespace !== undefined ? `in the namespace "${namespace}"` : 'at the cluster scope';
			const res403 = `${def.plural}${def.group ? `.${def.group}` : ''}`;
			const message = `${res403}${objName ? ` "${objName}"` : ''} is forbidden: User "${user.name}" cannot ${verb} resource "${def.plural}" in API group "${def.group}" ${where}`;
			return send(req, res, 403, status(403, 'Forbidden', message, { ...(objName ? { name: objName } : {}), ...(def.group ? { group: def.group } : {}), kind: def.plural }), user.name);
		}
		const gv = group ? `${group}/${ver}` : ver;
		const asVersion = (o: Obj): Obj => ({ ...o, apiVersion: gv });
		const meta = wantsMetadata(accept);
		const table = wantsTable(accept) && def.group === '' && def.kind === 'Secret';
		if (dryRunPatch) return void dryRun(req, res, def, objName, namespace, asVersion, user.name, url.searchParams);
		if (objName !== undefined) {
			const o = store.get(def.group, def.kind, objName, def.namespaced ? namespace : undefined);
			if (!o) return send(req, res, 404, status(404, 'NotFound', `${def.plural}${def.group ? `.${def.group}` : ''} "${objName}" not found`, { name: objName, ...(def.group ? { group: def.group } : {}), kind: def.plural }), user.name);
			return send(req, res, 200, table ? secretTable([o], {}) : meta ? metadataOnly(o) : asVersion(o), user.name);
		}
		let labels: ReturnType<typeof parseLabelSelector>;
		let fields: ReturnType<typeof parseFieldSelector>;
		try {
			labels = parseLabelSelector(url.searchParams.get('labelSelector'));
			fields = parseFieldSelector(url.searchParams.get('fieldSelector'), def.kind);
		} catch (e) {
			if (e instanceof SelectorError) return send(req, res, 400, status(400, 'BadRequest', e.message), user.name);
			throw e;
		}
		const matches = (o: Obj) => (namespace === undefined || o.metadata?.namespace === namespace) && labels(o.metadata?.labels ?? {}) && fields(o);
		if (watch) return startWatch(req, res, def, namespace, matches, meta !== undefined, asVersion, user.name, url.searchParams);
		if (brokenLists !== undefined && [def.plural, `${def.plural}.${def.group}`].includes(brokenLists)) {
			requests.push({ method: 'GET', url: req.url ?? '', accept, user: user.name, status: 200 });
			res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
			res.write('{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"half');
			return void setTimeout(() => res.socket?.destroy(), 20);
		}
		// List: a consistent page of the current content, `continue` resumes after the last key.
		const all = store.list(def.group, def.kind, def.namespaced ? namespace : undefined).filter(matches);
		let start = 0;
		const cont = url.searchParams.get('continue');
		if (cont) {
			try {
				const token = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { start: string };
				start = all.findIndex((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > token.start);
				if (start === -1) start = all.length;
			} catch {
				return send(req, res, 400, status(400, 'BadRequest', 'continue key is not valid: illegal base64 data'), user.name);
			}
		}
		const limit = Number(url.searchParams.get('limit') ?? 0);
		const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
		const more = limit > 0 && start + limit < all.length;
		const last = page[page.length - 1];
		const listMeta: Obj = { resourceVersion: String(store.resourceVersion) };
		if (more && last) {
			listMeta.continue = Buffer.from(JSON.stringify({ start: `${last.metadata.namespace ?? ''}/${last.metadata.name}` })).toString('base64url');
			listMeta.remainingItemCount = all.length - start - page.length;
		}
		const body = table
			? secretTable(page, listMeta)
			: meta
			? { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, items: page.map(metadataOnly) }
			: { kind: `${def.kind}List`, apiVersion: gv, metadata: listMeta, items: page.map(asVersion) };
		send(req, res, 200, body, user.name);
	}

	/** `PATCH ?dryRun=All` with an apply patch: the object as the apply would leave it; the store is not touched. */
	function dryRun(req: IncomingMessage, res: ServerResponse, def: Served, objName: string | undefined, namespace: string | undefined, asVersion: (o: Obj) => Obj, user: string, params: URLSearchParams): void {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			if (objName === undefined) return send(req, res, 405, status(405, 'MethodNotAllowed', 'PATCH needs an object name'), user);
			if (String(req.headers['content-type'] ?? '') !== 'application/apply-patch+yaml') return send(req, res, 415, status(415, 'UnsupportedMediaType', 'only apply patches are supported'), user);
			let sent: Obj;
			try {
				sent = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				return send(req, res, 400, status(400, 'BadRequest', 'the apply patch is not JSON'), user);
			}
			const existing = store.get(def.group, def.kind, objName, def.namespaced ? namespace : undefined);
			const manager = params.get('fieldManager') ?? 'unknown';
			const predicted = serverApply(existing, { ...sent, metadata: { ...(sent.metadata ?? {}), name: objName, ...(namespace ? { namespace } : {}) } }, { manager });
			send(req, res, 200, asVersion(predicted), user);
		});
	}

	function startWatch(req: IncomingMessage, res: ServerResponse, def: Served, namespace: string | undefined, matches: (o: Obj) => boolean, meta: boolean, asVersion: (o: Obj) => Obj, user: string, params: URLSearchParams): void {
		requests.push({ method: 'GET', url: req.url ?? '', accept: String(req.headers.accept ?? ''), user, status: 200 });
		const rvParam = params.get('resourceVersion');
		res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
		const write = (e: Obj) => {
			const text = `${JSON.stringify(e)}\n`;
			if (options.recordResponses) sent.push(text);
			res.write(text);
		};
		const event = (e: StoredEvent) => {
			if (!matches(e.object)) return;
			write({ type: e.type, object: meta ? metadataOnly(e.object) : asVersion(e.object) });
		};
		let since = rvParam === null || rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
		if (since !== undefined && !Number.isFinite(since)) since = 0;
		const sub = store.watch(def.group, def.kind, since ?? store.resourceVersion, event);
		if (sub === 'gone') {
			write({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${since} (${store.resourceVersion})`) });
			return void res.end();
		}
		// Without a resourceVersion a watch starts with the current content, as ADDED events.
		if (since === undefined) for (const o of store.list(def.group, def.kind, def.namespaced ? namespace : undefined)) event({ rv: Number(o.metadata.resourceVersion), type: 'ADDED', object: o });
		for (const e of sub.events) event(e);
		const timers: NodeJS.Timeout[] = [];
		const entry = {
			res,
			close: () => {
				sub.cancel();
				for (const t of timers) clearInterval(t);
				watches.delete(entry);
			},
		};
		watches.add(entry);
		if (params.get('allowWatchBookmarks') === 'true') {
			const kind = meta ? 'PartialObjectMetadata' : def.kind;
			timers.push(setInterval(() => write({ type: 'BOOKMARK', object: { kind, apiVersion: meta ? 'meta.k8s.io/v1' : asVersion({}).apiVersion, metadata: { resourceVersion: String(store.resourceVersion) } } }), bookmarkMs));
		}
		const timeout = Number(params.get('timeoutSeconds') ?? 0);
		if (timeout > 0) {
			timers.push(
				setTimeout(() => {
					entry.close();
					res.end();
				}, timeout * 1000),
			);
		}
		res.on('close', entry.close);
	}

	const server: Server = createServer({ cert: serverCert.cert, key: serverCert.key, ca: [ca.cert], requestCert: true, rejectUnauthorized: false }, (req, res) => {
		if (faults.hang) return; // never answered; the socket closes on stop()
		const run = () => {
			try {
				handle(req, res);
			} catch (e) {
				if (!res.headersSent) send(req, res, 500, status(500, 'InternalError', `internal error: ${e instanceof Error ? e.message : String(e)}`), '-');
			}
		};
		if (held && /[?&]watch=(true|1)\b/.test(req.url ?? '')) held.push(run);
		else if (faults.delayMs > 0) setTimeout(run, faults.delayMs);
		else run();
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	// A client that rejects the certificate resets the handshake: not the server's problem.
	server.on('tlsClientError', () => undefined);

	const listen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve((server.address() as { port: number }).port);
			});
		});
	const port = await listen(options.port ?? 0);
	let running = true;
	const url = `https://127.0.0.1:${port}`;

	const sim: KubeSim = {
		url,
		port,
		ca: ca.cert,
		caKey: ca.key,
		token,
		name,
		faults,
		requests,
		sent,
		kubeconfigText: (o = {}) => kubeconfigText({ server: url, ca: ca.cert, token, name }, o),
		kubeconfig(path, o = {}) {
			writeFileSync(path, sim.kubeconfigText(o), { mode: 0o600 });
			return path;
		},
		clientCertificate: (user, organization) => ca.issue(user, { organization }),
		addUser(userName, rules, t = randomBytes(24).toString('base64url')) {
			users.set(t, { name: userName, rules });
			return t;
		},
		apply: (o) => store.apply(o),
		applyAs(o, manager, time) {
			const ns = o.metadata?.namespace;
			return store.apply(serverApply(store.get(groupOf(o.apiVersion), o.kind, o.metadata?.name, ns), o, { manager, time }));
		},
		editAs(apiVersion, kind, objName, namespace, manager, mutate, time) {
			const existing = store.get(groupOf(apiVersion), kind, objName, namespace);
			if (!existing) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ''}${objName}`);
			return store.apply(serverUpdate(existing, mutate, { manager, time }));
		},
		delete: (apiVersion, kind, objName, namespace) => store.delete(groupOf(apiVersion), kind, objName, namespace) !== undefined,
		get: (apiVersion, kind, objName, namespace) => store.get(groupOf(apiVersion), kind, objName, namespace),
		get openWatches() {
			return watches.size;
		},
		async stop() {
			if (!running) return;
			running = false;
			for (const w of [...watches]) w.close();
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const s of sockets) s.destroy();
			await closed;
		},
		async restart() {
			if (running) return;
			await listen(port);
			running = true;
		},
	};
	return sim;
}
