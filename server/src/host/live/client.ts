import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { httpError, KubeRequestError, networkError } from './errors';
import { authMethod, refusedWithoutExec, secretsOf } from './kubeconfig';
import type { Redactor } from './redact';

/**
 * Read-only HTTP access to one cluster through one kubeconfig context. client-node applies the
 * context's TLS settings and credentials (token, client certificate, basic auth, exec plugins,
 * OIDC and the other auth providers) with `applyToHTTPSOptions`; the requests themselves are plain
 * GETs on a keep-alive agent, so the Accept header can ask for metadata only and watches stream.
 */

export const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const METADATA_OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/** Larger answers are cut off: a hostile or broken server cannot exhaust memory. */
const MAX_BODY = 256 * 1024 * 1024;
const MAX_LINE = 32 * 1024 * 1024;

export interface ClientOptions {
	/** Per-request timeout: no answer within it is a `timeout` failure. */
	timeoutMs: number;
	/** False: exec credential plugins and auth providers are refused (untrusted workspace). */
	allowExec: boolean;
	redactor: Redactor;
}

export type WatchEnd = { reason: 'closed' } | { reason: 'gone' } | { reason: 'idle' } | { reason: 'aborted' } | { reason: 'error'; error: KubeRequestError };

export interface WatchHandle {
	/** Settles when the stream ends, however it ends (never rejects). */
	done: Promise<WatchEnd>;
	abort(): void;
}

export interface WatchEvent {
	type: string;
	object: Record<string, unknown>;
}

interface Prepared {
	agent: http.Agent;
	headers: Record<string, string>;
	auth?: string;
}

export class KubeClient {
	readonly server: string;
	private agent?: { key: string; agent: http.Agent };

	constructor(
		private readonly kc: KubeConfig,
		private readonly options: ClientOptions,
	) {
		this.server = kc.getCurrentCluster()?.server ?? '';
		options.redactor.add(...secretsOf(kc.getCurrentUser()));
	}

	get authMethod(): string {
		return authMethod(this.kc.getCurrentUser());
	}

	/** Credentials and agent for one request; exec plugins run here (and only if allowed). */
	private async prepare(): Promise<Prepared> {
		if (!this.server) throw new KubeRequestError('http', 'the context names no cluster server');
		const user = this.kc.getCurrentUser();
		if (!this.options.allowExec) {
			const why = refusedWithoutExec(user);
			if (why) throw new KubeRequestError('refused', `Fleetscope does not use this context in an untrusted workspace: ${why}. Trust the workspace to connect.`);
		}
		const opts: https.RequestOptions = { headers: {} };
		try {
			await this.kc.applyToHTTPSOptions(opts);
		} catch (e) {
			const detail = e instanceof Error ? e.message.split('\n').find((l) => l.trim() !== '') ?? '' : '';
			throw new KubeRequestError('auth-error', this.options.redactor.redact(`getting credentials for the context failed${detail ? `: ${detail.trim().slice(0, 300)}` : ''}`));
		}
		const cluster = this.kc.getCurrentCluster();
		let agent = opts.agent as http.Agent;
		if (!cluster?.proxyUrl) {
			// One keep-alive agent per TLS identity, instead of client-node's new agent per request.
			const key = JSON.stringify([String(opts.ca ?? ''), String(opts.cert ?? ''), String(opts.key ?? ''), opts.servername ?? '', opts.rejectUnauthorized ?? '']);
			if (this.agent?.key !== key) {
				this.agent?.agent.destroy();
				const common = { keepAlive: true, maxSockets: 16 };
				const created = this.server.startsWith('http:')
					? new http.Agent(common)
					: new https.Agent({ ...common, ca: opts.ca, cert: opts.cert, key: opts.key, servername: opts.servername, ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}) });
				this.agent = { key, agent: created };
			}
			agent = this.agent.agent;
		}
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = String(v);
		return { agent, headers, auth: typeof opts.auth === 'string' ? opts.auth : undefined };
	}

	private request(path: string, accept: string, prepared: Prepared, dryRunApply = false): http.ClientRequest {
		const url = new URL(this.server.replace(/\/+$/, '') + path);
		const lib = url.protocol === 'http:' ? http : https;
		// The one request that is not a read: a server-side apply dry-run, which changes nothing (see `dryRunApply`).
		const method = dryRunApply ? 'PATCH' : 'GET';
		const extra: Record<string, string> = dryRunApply ? { 'Content-Type': 'application/apply-patch+yaml' } : {};
		return lib.request(url, { method, agent: prepared.agent, auth: prepared.auth, headers: { ...prepared.headers, ...extra, Accept: accept, 'User-Agent': 'fleetscope (read-only)' } });
	}

	/** GET a JSON document. Rejects with a classified KubeRequestError. */
	async get<T = unknown>(path: string, accept = 'application/json', maxBytes = MAX_BODY): Promise<T> {
		return this.send<T>(path, accept, undefined, maxBytes);
	}

	/**
	 * A server-side apply DRY-RUN of `object` at `path` (`PATCH ?dryRun=All&fieldManager=fleetscope`):
	 * the server answers with the object as an apply would leave it and changes nothing. The only
	 * request other than GET Fleetscope sends; callers send it only when `fleetscope.drift.serverSideDryRun` is on.
	 */
	async dryRunApply<T = unknown>(path: string, object: Record<string, unknown>): Promise<T> {
		if (path.includes('?')) throw new KubeRequestError('http', 'a dry-run path takes no query of its own');
		return this.send<T>(`${path}?dryRun=All&fieldManager=fleetscope&force=true`, 'application/json', JSON.stringify(object));
	}

	private async send<T>(path: string, accept: string, body?: string, maxBytes = MAX_BODY): Promise<T> {
		const prepared = await this.prepare();
		return new Promise<T>((resolve, reject) => {
			const req = this.request(path, accept, prepared, body !== undefined);
			const timer = setTimeout(() => req.destroy(new KubeRequestError('timeout', `${this.server} did not answer within ${Math.round(this.options.timeoutMs / 1000)} s`)), this.options.timeoutMs);
			const fail = (e: KubeRequestError) => {
				clearTimeout(timer);
				reject(e);
			};
			req.on('error', (e) => fail(e instanceof KubeRequestError ? e : networkError(e, this.server)));
			req.on('response', (res) => {
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (c: Buffer) => {
					size += c.length;
					if (size > maxBytes) req.destroy(new KubeRequestError('http', `${path}: the answer is larger than ${maxBytes / 1024 / 1024} MiB`));
					else chunks.push(c);
				});
				res.on('error', (e) => fail(e instanceof KubeRequestError ? e : networkError(e, this.server)));
				res.on('end', () => {
					clearTimeout(timer);
					let body: unknown;
					try {
						body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
					} catch {
						body = undefined;
					}
					const code = res.statusCode ?? 0;
					if (code >= 200 && code < 300) {
						if (body === undefined) reject(new KubeRequestError('http', `${path}: the answer is not JSON`));
						else resolve(body as T);
					} else reject(httpError(code, body, path));
				});
			});
			req.end(body);
		});
	}

	/**
	 * Streams watch events of `path` (`?watch=true` is added). The stream ends when the server
	 * closes it, on 410 Gone (as HTTP status or ERROR event), after `idleMs` without any data, or on abort.
	 */
	watch(path: string, query: Record<string, string>, accept: string, onEvent: (e: WatchEvent) => void, idleMs: number): WatchHandle {
		let req: http.ClientRequest | undefined;
		let aborted = false;
		let settle!: (e: WatchEnd) => void;
		const done = new Promise<WatchEnd>((resolve) => {
			let settled = false;
			settle = (e) => {
				if (!settled) {
					settled = true;
					resolve(e);
				}
			};
		});
		const params = new URLSearchParams({ ...query, watch: 'true' });
		this.prepare().then(
			(prepared) => {
				if (aborted) return settle({ reason: 'aborted' });
				req = this.request(`${path}?${params}`, accept, prepared);
				let idle = setTimeout(() => req?.destroy(new KubeRequestError('timeout', `${this.server} did not answer within ${Math.round(this.options.timeoutMs / 1000)} s`)), this.options.timeoutMs);
				const resetIdle = () => {
					clearTimeout(idle);
					idle = setTimeout(() => {
						settle({ reason: 'idle' });
						req?.destroy();
					}, idleMs);
				};
				req.on('error', (e) => {
					clearTimeout(idle);
					if (aborted) return settle({ reason: 'aborted' });
					settle({ reason: 'error', error: e instanceof KubeRequestError ? e : networkError(e, this.server) });
				});
				req.on('response', (res) => {
					const code = res.statusCode ?? 0;
					if (code !== 200) {
						clearTimeout(idle);
						const chunks: Buffer[] = [];
						res.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c));
						res.on('end', () => {
							let body: unknown;
							try {
								body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
							} catch {
								body = undefined;
							}
							const err = httpError(code, body, path);
							settle(err.kind === 'gone' ? { reason: 'gone' } : { reason: 'error', error: err });
						});
						return;
					}
					resetIdle();
					let buffer = '';
					res.setEncoding('utf8');
					res.on('data', (chunk: string) => {
						resetIdle();
						buffer += chunk;
						if (buffer.length > MAX_LINE) return void req?.destroy(new KubeRequestError('http', `${path}: a watch event larger than ${MAX_LINE / 1024 / 1024} MiB`));
						let nl: number;
						while ((nl = buffer.indexOf('\n')) !== -1) {
							const line = buffer.slice(0, nl).trim();
							buffer = buffer.slice(nl + 1);
							if (line === '') continue;
							let e: WatchEvent;
							try {
								e = JSON.parse(line) as WatchEvent;
							} catch {
								continue; // a torn line (connection cut mid-event): the re-watch resumes from the last good resourceVersion
							}
							if (e.type === 'ERROR') {
								const code = (e.object as { code?: number })?.code;
								settle(code === 410 ? { reason: 'gone' } : { reason: 'error', error: httpError(code ?? 500, e.object, path) });
								req?.destroy();
								return;
							}
							onEvent(e);
						}
					});
					// `close` also covers a connection cut without the chunked terminator.
					res.on('close', () => {
						clearTimeout(idle);
						settle(aborted ? { reason: 'aborted' } : { reason: 'closed' });
					});
				});
				req.end();
			},
			(e) => settle({ reason: 'error', error: e instanceof KubeRequestError ? e : networkError(e, this.server) }),
		);
		return {
			done,
			abort() {
				aborted = true;
				settle({ reason: 'aborted' });
				req?.destroy();
			},
		};
	}

	dispose(): void {
		this.agent?.agent.destroy();
		this.agent = undefined;
	}
}
