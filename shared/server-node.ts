/**
 * The V8 options the language server runs with: the extension gives them to the Node process it
 * starts (client/src/client.ts), and `npm run bench` starts the server with the same ones.
 *
 * The server keeps a few hundred MB of live objects (outlines, findings, renders per cluster) and
 * allocates many short-lived ones while it judges files. With V8's defaults the old generation is
 * let grow to up to four times what survived the last full collection before the next one, and a
 * 16 MB young generation promotes objects that only live as long as one file's judgement. On the
 * benchmark's fleet these two options lower the peak RSS by a fifth to a quarter (every file open:
 * 407 → 327 MiB; workspace scan with overlay edits: 488 → 373 MiB) at the same keystroke latency;
 * rendering every cluster takes 8 % longer and a retag 50 ms more (bench/README.md, 7 Dec 2026,
 * fourth session).
 * - `--max-semi-space-size=4`: a young generation of 4 MB semi-spaces, scavenged more often;
 *   with the next option alone, keystrokes in the 20,000-line file took twice as long (p95 12 ms).
 * - `--heap-growing-percent=100`: the old generation grows to twice what survived, not four times.
 *
 * Both are V8 options that Node (and VS Code's Electron) have accepted for years. Node refuses to
 * start with an option it does not know, so a V8 that dropped one would show at once in the
 * end-to-end tests, which start the server through the extension.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=100'];
