// Preloaded into the CLI by bench/cli-case.ts: at exit, writes the process's own CPU time and peak
// RSS (getrusage) to the file named by BENCH_RUSAGE_FILE.
const { writeFileSync } = require('node:fs');
const started = Date.now();
process.on('exit', () => {
	const u = process.resourceUsage();
	writeFileSync(process.env.BENCH_RUSAGE_FILE, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS, wallMs: Date.now() - started }));
});
