import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
	ConfigurationParams,
	InitializeResult,
	PublishDiagnosticsParams,
	TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { SERVER_NODE_OPTIONS, serverEnvironment } from '../../shared/server-node';
import { ClustersChangedNotification, ClustersRequest, StatusRequest, type ClustersResult, type InitializationOptions, type StatusResult } from '../../shared/protocol';

/**
 * A headless LSP client for the tests: spawns `node dist/server.js --stdio`, speaks JSON-RPC,
 * answers `workspace/configuration` from the test, and lets tests wait for the diagnostics of a
 * URI (no sleeps: every wait resolves on a message from the server, or the test times out).
 */

/** Builds the server once per change of its sources (shared by the test files through a lock). */
export function ensureServerBuilt(): void {
	const args = ['test/lsp/build-if-stale.mjs'];
	const r = existsSync('/usr/bin/flock')
		? spawnSync('flock', ['/tmp/fleetscope-lsp-test-build.lock', process.execPath, ...args], { stdio: 'inherit' })
		: spawnSync(process.execPath, args, { stdio: 'inherit' });
	if (r.status !== 0) throw new Error('building dist/server.js failed');
}

export const uriOf = (file: string): string => pathToFileURL(file).href;

type Waiter = { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export interface StartOptions {
	/** Workspace folder paths. */
	folders?: string[];
	/** The `fleetscope` settings answered for a scope URI (read at each request, so tests can change them; may be async). */
	settings?: (scopeUri: string | undefined) => unknown;
	/** Client text document capabilities added to the defaults (e.g. `{ definition: { linkSupport: true } }`, as VS Code sends). */
	textDocument?: Record<string, unknown>;
	/** The server's environment (default: the test's). */
	env?: NodeJS.ProcessEnv;
	initializationOptions?: InitializationOptions;
}

export class Session {
	readonly published = new Map<string, PublishDiagnosticsParams[]>();
	readonly logs: string[] = [];
	private waiters: Waiter[] = [];
	private logWaiters: { re: RegExp; resolve: (line: string) => void }[] = [];
	/** `fleetscope/clustersChanged` notifications received so far. */
	clustersChanges = 0;
	private clusterWaiters: (() => void)[] = [];
	private countWaiters: { uri: string; n: number; resolve: () => void }[] = [];
	private exited = false;

	private constructor(
		readonly proc: ChildProcess,
		readonly conn: MessageConnection,
		readonly init: InitializeResult,
	) {}

	static async start(opts: StartOptions = {}): Promise<Session> {
		// With the V8 options and the environment the extension starts it with: Node refuses an option it does not know.
		const base = opts.env ?? process.env;
		const proc = spawn(process.execPath, [...SERVER_NODE_OPTIONS, 'dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...base, ...serverEnvironment(base, process.platform) } });
		const stderr: string[] = [];
		proc.stderr!.on('data', (d) => stderr.push(String(d)));
		const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
		const settings = opts.settings ?? (() => ({}));
		conn.onRequest('workspace/configuration', (p: ConfigurationParams) => Promise.all(p.items.map((i) => settings(i.scopeUri))));
		conn.onRequest('client/registerCapability', () => null);
		let session: Session | undefined;
		const early: PublishDiagnosticsParams[] = [];
		conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => (session ? session.onPublish(p) : early.push(p)));
		conn.onNotification('window/logMessage', (p: { message: string }) => session?.onLog(p.message));
		conn.onNotification(ClustersChangedNotification.method, () => session?.onClustersChanged());
		conn.listen();
		const folders = (opts.folders ?? []).map((f, i) => ({ uri: uriOf(f), name: `folder${i}` }));
		const init = (await conn.sendRequest('initialize', {
			processId: process.pid,
			rootUri: folders[0]?.uri ?? null,
			workspaceFolders: folders,
			...(opts.initializationOptions ? { initializationOptions: opts.initializationOptions } : {}),
			capabilities: {
				workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
				textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] }, ...opts.textDocument },
			},
		})) as InitializeResult;
		session = new Session(proc, conn, init);
		proc.on('exit', () => (session!.exited = true));
		for (const p of early) session.onPublish(p);
		await conn.sendNotification('initialized', {});
		return session;
	}

	private onPublish(p: PublishDiagnosticsParams): void {
		let list = this.published.get(p.uri);
		if (!list) this.published.set(p.uri, (list = []));
		list.push(p);
		this.countWaiters = this.countWaiters.filter((w) => {
			if (w.uri !== p.uri || list.length < w.n) return true;
			w.resolve();
			return false;
		});
		this.waiters = this.waiters.filter((w) => {
			if (w.uri !== p.uri || !w.pred(p)) return true;
			w.resolve(p);
			return false;
		});
	}

	private onLog(message: string): void {
		this.logs.push(message);
		this.logWaiters = this.logWaiters.filter((w) => {
			if (!w.re.test(message)) return true;
			w.resolve(message);
			return false;
		});
	}

	private onClustersChanged(): void {
		this.clustersChanges++;
		const waiters = this.clusterWaiters;
		this.clusterWaiters = [];
		for (const w of waiters) w();
	}

	/** The live clusters as `fleetscope/clusters` reports them. */
	clusters(folderUri?: string): Promise<ClustersResult> {
		return this.conn.sendRequest(ClustersRequest.method, { folderUri }) as Promise<ClustersResult>;
	}

	/** Resolves with the clusters once `pred` holds for them: now, or after a `fleetscope/clustersChanged`. */
	async clustersWhen(pred: (r: ClustersResult) => boolean): Promise<ClustersResult> {
		for (;;) {
			const changed = new Promise<void>((resolve) => this.clusterWaiters.push(resolve));
			const r = await this.clusters();
			if (pred(r)) return r;
			await changed;
		}
	}

	/** Resolves once `uri` has had at least `n` diagnostics publications. */
	publications(uri: string, n: number): Promise<void> {
		if ((this.published.get(uri)?.length ?? 0) >= n) return Promise.resolve();
		return new Promise((resolve) => this.countWaiters.push({ uri, n, resolve }));
	}

	/** Resolves once at least `n` `fleetscope/clustersChanged` notifications have arrived. */
	async clustersChangedAtLeast(n: number): Promise<void> {
		while (this.clustersChanges < n) await new Promise<void>((resolve) => this.clusterWaiters.push(resolve));
	}

	notify(method: string, params: unknown): Promise<void> {
		return this.conn.sendNotification(method, params);
	}

	/** The first diagnostics of `uri` that satisfy `pred`: already published, or the next ones that are. */
	diagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
		const seen = this.published.get(uri)?.find(pred);
		if (seen) return Promise.resolve(seen);
		return this.nextDiagnostics(uri, pred);
	}

	/** The next diagnostics of `uri` published from now on that satisfy `pred`. */
	nextDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
		return new Promise((resolve) => this.waiters.push({ uri, pred, resolve }));
	}

	/** The diagnostics of a given document version. */
	diagnosticsOfVersion(uri: string, version: number): Promise<PublishDiagnosticsParams> {
		return this.diagnostics(uri, (p) => p.version === version);
	}

	/** Resolves when the server logs a line matching `re` (already logged or later). */
	logged(re: RegExp): Promise<string> {
		const seen = this.logs.find((l) => re.test(l));
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve) => this.logWaiters.push({ re, resolve }));
	}

	lastDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
		const list = this.published.get(uri);
		return list?.[list.length - 1];
	}

	open(uri: string, text: string, version = 1): Promise<void> {
		return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
	}

	change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
		return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
	}

	close(uri: string): Promise<void> {
		return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
	}

	request<R>(method: string, params: unknown): Promise<R> {
		return this.conn.sendRequest(method, params) as Promise<R>;
	}

	status(uri?: string): Promise<StatusResult> {
		return this.conn.sendRequest(StatusRequest.method, { uri }) as Promise<StatusResult>;
	}

	get alive(): boolean {
		return !this.exited;
	}

	async stop(): Promise<void> {
		if (this.exited) return;
		const exit = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
		try {
			await this.conn.sendRequest('shutdown');
			await this.conn.sendNotification('exit');
		} catch {
			this.proc.kill();
		}
		await exit;
		this.conn.dispose();
	}
}

/** The zero-based position of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
	const i = text.indexOf(needle);
	if (i === -1) throw new Error(`${needle} not in text`);
	const before = text.slice(0, i + delta);
	const line = before.split('\n').length - 1;
	return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
