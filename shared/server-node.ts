/**
 * The V8 options the language server runs with: the extension gives them to the Node process it
 * starts (client/src/client.ts), and `npm run bench` starts the server with the same ones.
 *
 * The server keeps a few hundred MB of live objects (outlines, findings, renders per cluster) and
 * allocates many short-lived ones while it judges files. With V8's defaults the old generation is
 * let grow to up to four times what survived the last full collection before the next one, and a
 * 16 MB young generation promotes objects that only live as long as one file's judgement. On the
 * benchmark's fleet the first two options lowered the peak RSS by a fifth to a quarter (every file open:
 * 407 → 327 MiB; workspace scan with overlay edits: 488 → 373 MiB) at the same keystroke latency;
 * rendering every cluster takes 8 % longer and a retag 50 ms more (bench/README.md, 7 Dec 2026,
 * fourth session).
 * - `--max-semi-space-size=4`: a young generation of 4 MB semi-spaces, scavenged more often;
 *   with the next option alone, keystrokes in the 20,000-line file took twice as long (p95 12 ms).
 * - `--heap-growing-percent=50`: the old generation grows to 1.5 times what survived, not four
 *   times (100 until the seventh session).
 * - `--no-allocation-site-pretenuring`: V8 otherwise notices that most objects of an allocation
 *   site survive (the renders' trees while they are kept) and from then on allocates every object
 *   of that site straight in the old generation, also the temporary ones of each later render, which
 *   only a full collection frees. On the 102-cluster fleet (the renders' working set promoted 380 MB
 *   in the last 3.3 s of rendering) it took the peak from 958-1,012 to 897-965 MiB alone, 844-911
 *   with a growing percent of 80 and 865 with 50. With it, 50 costs no measurable CPU (it cost 10-15 %
 *   with pretenuring on): on the 1x fleet, scan with overlay edits 302 -> 239 MiB, the soak's 400
 *   edits 246 -> 232 MiB (+0.1 % over 40 edits), every file open 287 -> 253 MiB; cold and scan CPU
 *   about 5-7 % more than with neither (7 Dec 2026, seventh session).
 *
 * All are V8 options that Node (and VS Code's Electron) have accepted for years. Node refuses to
 * start with an option it does not know, so a V8 that dropped one would show at once in the
 * end-to-end tests, which start the server through the extension.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=50', '--no-allocation-site-pretenuring'];

/**
 * glibc's mmap threshold for the server process, in bytes: its default, held fixed.
 *
 * glibc's malloc gives a block above the threshold its own mapping, returned to the system when
 * freed, and carves smaller ones out of heaps it hardly ever gives back. By default it raises the
 * threshold to the size of each mapped block freed, up to 32 MB. The server's start-up used to free
 * blocks of 4-8 MB (its 5 MB bundle read in one buffer, V8's copy of a misaligned code cache; no
 * longer, see server/src/bin/compile-cache.ts), V8 still frees one of 2 MB as it loads the code cache,
 * on a loaded machine a block of 3-6 MB goes now and then (likely the cache file's buffer, collected
 * early), and Node frees more as it reads large files; from then on everything below them (compiler zones, file
 * buffers, V8's work lists) came from those heaps: 12 to 40 MiB of the main heap that stayed
 * resident, varying from run to run with the order of those frees. Setting the threshold turns the
 * raising off. On the benchmark's fleet it took peak RSS from 228 to 203-207 MiB with every file
 * open and from 223-237 to 198-203 MiB in the workspace scan. User CPU time and latency stayed
 * within the runs' spread; freed memory is returned and touched again, about 20,000 more page
 * faults (60 ms of system time) over a cold open (bench/README.md, ninth session).
 */
export const SERVER_MALLOC_MMAP_THRESHOLD = 128 * 1024;

/**
 * What the server's environment adds to the one it inherits: the fixed mmap threshold above, on
 * Linux (glibc reads `MALLOC_MMAP_THRESHOLD_`; other C libraries ignore it), unless the user set
 * the threshold already (that variable, or `glibc.malloc.mmap_threshold` in `GLIBC_TUNABLES`).
 */
export function serverEnvironment(inherited: Readonly<Record<string, string | undefined>>, platform: string): Record<string, string> {
	if (platform !== 'linux') return {};
	if (inherited.MALLOC_MMAP_THRESHOLD_ !== undefined || /(^|:)glibc\.malloc\.mmap_threshold=/.test(inherited.GLIBC_TUNABLES ?? '')) return {};
	return { MALLOC_MMAP_THRESHOLD_: String(SERVER_MALLOC_MMAP_THRESHOLD) };
}
