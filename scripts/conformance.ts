/**
 * `npm run conformance`: runs the Kyverno policy library's own tests (test/fixtures/kyverno-policies,
 * a copy of kyverno/policies) through Fleetscope's policy engine and prints, per category, how many
 * validate result rows agree with Kyverno's expected results. Mutate, generate and image rows are
 * outside the measure (Fleetscope does not evaluate them). Exit 1 below 95% overall.
 *
 * Usage: node --import tsx scripts/conformance.ts [--details]
 */
import { conformance } from '../test/policy/conformance-run';

const details = process.argv.includes('--details');
const report = conformance('test/fixtures/kyverno-policies');
const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
const width = Math.max(...report.categories.map((c) => c.name.length), 8);
console.log(`${'category'.padEnd(width)}  agree / validate rows   outside (mutate/generate)`);
for (const c of report.categories) console.log(`${c.name.padEnd(width)}  ${String(c.agree).padStart(5)} / ${String(c.total).padEnd(5)} ${pct(c.agree, c.total).padStart(7)}   ${c.outside}`);
console.log(`${'total'.padEnd(width)}  ${String(report.agree).padStart(5)} / ${String(report.total).padEnd(5)} ${pct(report.agree, report.total).padStart(7)}   ${report.outside}`);
if (details) for (const m of report.misses) console.log(`MISS ${m.file}: ${m.policy}/${m.rule || '-'} ${m.kind} ${m.resource}: expected ${m.expected}, got ${m.actual} (${m.reason})`);
else if (report.misses.length > 0) console.log(`${report.misses.length} rows disagree (--details lists them)`);
process.exitCode = report.total > 0 && report.agree / report.total >= 0.95 ? 0 : 1;
