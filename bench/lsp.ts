/**
 * A minimal LSP client for the benchmark: spawns a server over stdio, speaks real JSON-RPC
 * (vscode-jsonrpc), answers the server's requests (configuration, registrations, progress) and
 * records every publishDiagnostics with the time it arrived.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeParams, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';

export interface Published {
	uri: string;
	version?: number;
	diagnostics: Diagnostic[];
	/** performance.now() when the notification arrived. */
	at: number;
}

type Waiter = { match: (p: Published) => boolean; resolve: (p: Published) => void };

export class LspServer {
	readonly connection: MessageConnection;
	/** The latest diagnostics per URI. */
	readonly latest = new Map<string, Published>();
	/** How many publishDiagnostics arrived per URI. */
	readonly count = new Map<string, number>();
	private waiters: Waiter[] = [];
	/** The server's log lines (window/logMessage), with the time each arrived. */
	readonly logs: { message: string; at: number }[] = [];
	private logWaiters: { re: RegExp; resolve: (l: { message: string; at: number }) => void }[] = [];
	private onAnyPublish?: (p: Published) => void;
	private stderr = '';
	private exited = false;
	private stopping = false;
	/** Told when the server exits before `stop` (a crash, or a bad option): no wait lasts its full timeout then. */
	private readonly exitListeners = new Set<(e: Error) => void>();

	private constructor(
		readonly name: string,
		readonly proc: ChildProcess,
		/** Answers `workspace/configuration` items by section. */
		private readonly configuration: (section: string | undefined, scopeUri: string | undefined) => unknown,
	) {
		this.connection = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
		this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
			const published: Published = { uri: p.uri, version: p.version, diagnostics: p.diagnostics, at: performance.now() };
			this.latest.set(p.uri, published);
			this.count.set(p.uri, (this.count.get(p.uri) ?? 0) + 1);
			this.onAnyPublish?.(published);
			const still: Waiter[] = [];
			for (const w of this.waiters) (w.match(published) ? (w.resolve(published), undefined) : still.push(w));
			this.waiters = still;
		});
		this.connection.onRequest('workspace/configuration', (p: { items: { section?: string; scopeUri?: string }[] }) =>
			p.items.map((i) => this.configuration(i.section, i.scopeUri) ?? null),
		);
		// Registrations, progress tokens, schema-association queries: acknowledge, nothing else to do.
		this.connection.onRequest((method) => (method === 'workspace/workspaceFolders' ? [] : null));
		this.connection.onNotification('window/logMessage', (p: { message: string }) => {
			this.logs.push({ message: p.message, at: performance.now() });
			this.logWaiters = this.logWaiters.filter((w) => (w.re.test(p.message) ? (w.resolve({ message: p.message, at: performance.now() }), false) : true));
		});
		this.connection.onNotification(() => undefined);
		proc.stderr!.on('data', (d: Buffer) => {
			this.stderr = (this.stderr + d.toString()).slice(-4000);
		});
		proc.on('exit', (code, signal) => {
			this.exited = true;
			if (this.stopping) return;
			const e = new Error(`${this.name}: the server exited (${signal ?? `code ${code}`}) before the bench stopped it\n${this.stderr}`);
			for (const fn of this.exitListeners) fn(e);
			this.exitListeners.clear();
		});
		this.connection.listen();
	}

	/** Spawns `node ARGS` (the node process is the server process, so /proc/PID is the server's), with `env` added to the bench's environment. */
	static start(name: string, args: string[], configuration: (section: string | undefined, scopeUri: string | undefined) => unknown, node = process.execPath, env: Record<string, string> = {}): LspServer {
		const proc = spawn(node, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
		return new LspServer(name, proc, configuration);
	}

	async initialize(rootUri: string, name: string): Promise<void> {
		const params: InitializeParams = {
			processId: process.pid,
			rootUri,
			workspaceFolders: [{ uri: rootUri, name }],
			capabilities: {
				workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
				textDocument: {
					synchronization: { dynamicRegistration: false, didSave: true },
					publishDiagnostics: { relatedInformation: true, versionSupport: true },
				},
				window: { workDoneProgress: true },
			},
		};
		await this.connection.sendRequest('initialize', params);
		await this.connection.sendNotification('initialized', {});
	}

	/** A request round trip: every message sent before it has been read by the server. */
	async roundTrip(): Promise<void> {
		await this.connection.sendRequest('$/bench/ping', {}).catch(() => undefined);
	}

	open(uri: string, text: string, version = 1): Promise<void> {
		return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
	}

	change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
		return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
	}

	/**
	 * Calls `fail` if the server exits before `stop` is called (at once if it already has). Returns
	 * what stops listening: a wait that ended otherwise (each keystroke's) leaves no listener behind.
	 */
	onExit(fail: (e: Error) => void): () => void {
		if (this.exited && !this.stopping) fail(new Error(`${this.name}: the server had exited\n${this.stderr}`));
		else this.exitListeners.add(fail);
		return () => this.exitListeners.delete(fail);
	}

	/** Resolves with the first publishDiagnostics (from now on) that matches. */
	waitFor(match: (p: Published) => boolean, timeoutMs: number, what: string): Promise<Published> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w.resolve !== done);
				unlisten();
				reject(new Error(`${this.name}: no diagnostics for ${what} within ${timeoutMs} ms${this.exited ? ' (server exited)' : ''}\n${this.stderr}`));
			}, timeoutMs);
			const done = (p: Published) => {
				clearTimeout(timer);
				unlisten();
				resolve(p);
			};
			this.waiters.push({ match, resolve: done });
			const unlisten = this.onExit((e) => (clearTimeout(timer), reject(e)));
		});
	}

	/** Resolves with the first log line matching `re` (already logged or later). */
	waitForLog(re: RegExp, timeoutMs: number): Promise<{ message: string; at: number }> {
		const seen = this.logs.find((l) => re.test(l.message));
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => (unlisten(), reject(new Error(`${this.name}: no log line ${re} within ${timeoutMs} ms`))), timeoutMs);
			this.logWaiters.push({ re, resolve: (l) => (clearTimeout(timer), unlisten(), resolve(l)) });
			const unlisten = this.onExit((e) => (clearTimeout(timer), reject(e)));
		});
	}

	/** Calls `fn` on every publishDiagnostics from now on (one listener). */
	listen(fn: ((p: Published) => void) | undefined): void {
		this.onAnyPublish = fn;
	}

	/** Peak resident set size (VmHWM) and current RSS of the server process, in MiB. */
	memory(): { peakMiB: number; rssMiB: number } {
		const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
		const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
	}

	/** CPU time (user + system) the server process has used so far, in ms (USER_HZ is 100 on Linux). */
	cpuMs(): number {
		const stat = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// After the command name: state is field 3 of stat(5), utime 14 and stime 15.
		return (Number(fields[11]) + Number(fields[12])) * 10;
	}

	async stop(): Promise<void> {
		this.stopping = true;
		if (this.exited) return;
		const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
		const kill = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
		try {
			await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
			await this.connection.sendNotification('exit');
		} catch {
			this.proc.kill();
		}
		await exited;
		clearTimeout(kill);
		this.connection.dispose();
	}
}
