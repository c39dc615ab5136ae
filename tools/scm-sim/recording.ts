import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server on 127.0.0.1 (a free port, or the one asked for) that records every request exactly
 * (method, path with query, headers, parsed JSON body) and answers from the routes it is given. The
 * GitHub and GitLab simulators of the tests and the demo are built on it.
 */

export interface RecordedRequest {
	method: string;
	/** Path and query, as sent. */
	url: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	/** The body as sent. */
	raw: string;
}

export interface Reply {
	status: number;
	/** Sent as JSON. */
	body?: unknown;
	/** Sent as HTML instead (a page for the browser). */
	html?: string;
	headers?: Record<string, string>;
}

export interface RecordingOptions {
	/** Answers a request no route matched. */
	fallback?: Route;
	/** 0 (default): a free port. */
	port?: number;
	/** Told of every request and its reply (the demo prints them). */
	onReply?: (req: RecordedRequest, reply: Reply) => void;
}

export type Route = (req: RecordedRequest, match: RegExpExecArray) => Reply | Promise<Reply>;

export interface RecordingServer {
	url: string;
	port: number;
	requests: RecordedRequest[];
	/** Requests other than those `ignore` names (e.g. without reads). */
	close(): Promise<void>;
}

export async function recordingServer(routes: [method: string, path: RegExp, route: Route][], options: RecordingOptions = {}): Promise<RecordingServer> {
	const { fallback, port: wantedPort = 0, onReply } = options;
	const requests: RecordedRequest[] = [];
	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: unknown = undefined;
		if (raw !== '') {
			try {
				body = JSON.parse(raw);
			} catch {
				body = raw;
			}
		}
		const u = new URL(req.url ?? '/', 'http://127.0.0.1');
		const rec: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', path: decodeURIComponent(u.pathname), query: Object.fromEntries(u.searchParams), headers: req.headers, body, raw };
		requests.push(rec);
		let reply: Reply = { status: 404, body: { message: 'Not Found' } };
		for (const [method, re, route] of routes) {
			const m = method === rec.method ? re.exec(u.pathname) : null;
			if (m) {
				reply = await route(rec, m);
				break;
			}
		}
		if (reply.status === 404 && fallback) reply = await fallback(rec, /.*/.exec(u.pathname)!);
		onReply?.(rec, reply);
		const text = reply.html ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
		res.writeHead(reply.status, { 'content-type': reply.html !== undefined ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', ...reply.headers });
		res.end(text);
	};
	const server: Server = createServer((req, res) => {
		handle(req, res).catch((e) => {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: String(e) }));
		});
	});
	await new Promise<void>((resolve) => server.listen(wantedPort, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
