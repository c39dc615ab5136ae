/**
 * What 100 admission policies add to cold validation of the benchmark corpus, through the CLI.
 * Generates the corpus (bench/corpus.ts) twice into a temporary directory: as it is, and with a
 * `policies/` directory of 100 policies (Kyverno ClusterPolicies with patterns, deny conditions,
 * foreach and CEL, ValidatingPolicies, ValidatingAdmissionPolicies with bindings) that match the
 * corpus's kinds. The policies judge every object twice over: once deployed nowhere (they judge
 * every raw file), once synced to every cluster by a Flux Kustomization (they judge each cluster's
 * render). Each variant is checked cold (`node dist/cli.js check`, a fresh process) RUNS times; the
 * medians of wall time and of CPU time (user + system, through GNU time where present) are compared.
 *
 * Usage: npm run build && node --import tsx bench/policy-overhead.ts [RUNS]   (default 3)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateCorpus } from './corpus';

const RUNS = Number(process.argv[2] ?? 3);
/** BENCH_KEEP=1 keeps the generated repositories (for profiling) and prints where they are. */
const KEEP = process.env.BENCH_KEEP === '1';
const CLI = resolve('dist/cli.js');

function kyverno(i: number): string {
	const name = `policy-${String(i).padStart(3, '0')}`;
	const kinds = [['Pod'], ['Deployment'], ['Service'], ['ConfigMap'], ['Namespace'], ['ServiceAccount'], ['HorizontalPodAutoscaler'], ['Ingress']][i % 8];
	const rules = [
		`- name: labels\n    match: {any: [{resources: {kinds: [${kinds.join(', ')}]}}]}\n    validate:\n      message: "label team-${i} is required"\n      pattern:\n        metadata:\n          labels:\n            team-${i}: "?*"`,
		`- name: deny\n    match: {any: [{resources: {kinds: [${kinds.join(', ')}]}}]}\n    preconditions:\n      all:\n      - key: "{{ request.operation || 'BACKGROUND' }}"\n        operator: NotEquals\n        value: DELETE\n    validate:\n      message: "{{ request.object.metadata.name }} must not be named forbidden-${i}"\n      deny:\n        conditions:\n          any:\n          - key: "{{ request.object.metadata.name }}"\n            operator: Equals\n            value: forbidden-${i}`,
		`- name: images\n    match: {any: [{resources: {kinds: [Pod]}}]}\n    validate:\n      message: "images from the approved registries only"\n      foreach:\n      - list: request.object.spec.containers\n        deny:\n          conditions:\n            all:\n            - key: "{{ element.image }}"\n              operator: Equals\n              value: "forbidden.example/${i}/*"`,
		`- name: cel\n    match: {any: [{resources: {kinds: [Pod]}}]}\n    validate:\n      cel:\n        expressions:\n        - expression: "object.spec.containers.all(c, !c.image.startsWith('forbidden.example/${i}'))"\n          message: "no forbidden image"`,
	];
	return `apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: ${name}\nspec:\n  validationFailureAction: ${i % 2 ? 'Enforce' : 'Audit'}\n  rules:\n  ${rules[i % 4]}\n`;
}

function vpol(i: number): string {
	return `apiVersion: policies.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata:\n  name: vpol-${i}\nspec:\n  validationActions: [Audit]\n  matchConstraints:\n    resourceRules:\n    - apiGroups: [""]\n      apiVersions: [v1]\n      operations: [CREATE, UPDATE]\n      resources: [pods]\n  validations:\n  - expression: "object.spec.containers.all(c, c.?securityContext.?privileged.orValue(false) == false)"\n    message: "no privileged containers (${i})"\n`;
}

function vap(i: number): string {
	return `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: vap-${i}\nspec:\n  matchConstraints:\n    resourceRules:\n    - apiGroups: [apps]\n      apiVersions: [v1]\n      operations: [CREATE, UPDATE]\n      resources: [deployments]\n  validations:\n  - expression: "!has(object.spec.replicas) || object.spec.replicas <= ${50 + i}"\n    message: "at most ${50 + i} replicas"\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: vap-${i}\nspec:\n  policyName: vap-${i}\n  validationActions: [Warn]\n`;
}

/** 100 policies: 80 ClusterPolicies, 10 ValidatingPolicies, 10 ValidatingAdmissionPolicies. */
function writePolicies(root: string): void {
	const dir = join(root, 'policies');
	mkdirSync(dir, { recursive: true });
	for (let i = 0; i < 80; i++) writeFileSync(join(dir, `kyverno-${i}.yaml`), kyverno(i));
	for (let i = 0; i < 10; i++) writeFileSync(join(dir, `vpol-${i}.yaml`), vpol(i));
	for (let i = 0; i < 10; i++) writeFileSync(join(dir, `vap-${i}.yaml`), vap(i));
	writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${readdirSync(dir).filter((f) => f !== 'kustomization.yaml').sort().map((f) => `  - ${f}`).join('\n')}\n`);
}

/** A Flux Kustomization in each cluster directory that syncs ./policies. */
function deployPolicies(root: string): number {
	const clusters = readdirSync(join(root, 'clusters'));
	for (const c of clusters) {
		writeFileSync(join(root, 'clusters', c, 'policies.yaml'), 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: policies\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./policies\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n');
	}
	return clusters.length;
}

/** GNU time gives the child's CPU time (user + system), which a shared, loaded machine distorts far less than wall time. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function cold(dir: string, timesFile: string): { ms: number; cpuMs?: number; findings: number } {
	const args = [CLI, 'check', dir, '--format', 'json', '--fail-on', 'never'];
	const started = performance.now();
	const r = GNU_TIME
		? spawnSync(GNU_TIME, ['-o', timesFile, '-f', '%U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
		: spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
	const ms = performance.now() - started;
	if (r.status !== 0) throw new Error(`check failed (${r.status}): ${r.stderr}`);
	const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[] };
	const cpuMs = GNU_TIME ? readFileSync(timesFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000 : undefined;
	return { ms, cpuMs, findings: report.findings.filter((x) => x.ruleId === 'policy').length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const tmp = mkdtempSync(join(tmpdir(), 'fleetscope-policy-bench-'));
try {
	const base = join(tmp, 'base');
	generateCorpus(base);
	const undeployed = join(tmp, 'undeployed');
	cpSync(base, undeployed, { recursive: true });
	writePolicies(undeployed);
	const deployed = join(tmp, 'deployed');
	cpSync(undeployed, deployed, { recursive: true });
	const clusters = deployPolicies(deployed);
	const results: Record<string, { ms: number[]; cpu: number[]; findings: number }> = {};
	const timesFile = join(tmp, 'times');
	for (let run = 0; run < RUNS; run++) {
		for (const [name, dir] of [['without policies', base], ['100 policies, deployed nowhere', undeployed], [`100 policies, synced to all ${clusters} clusters`, deployed]] as const) {
			const r = cold(dir, timesFile);
			results[name] ??= { ms: [], cpu: [], findings: r.findings };
			results[name].ms.push(r.ms);
			if (r.cpuMs !== undefined) results[name].cpu.push(r.cpuMs);
		}
	}
	const line = (label: string, xs: number[], baseline: number, first: boolean) => {
		const m = median(xs);
		return `${label} median ${(m / 1000).toFixed(2)} s (runs: ${xs.map((x) => (x / 1000).toFixed(2)).join(', ')})${first ? '' : ` +${(((m - baseline) / baseline) * 100).toFixed(1)}%`}`;
	};
	const base0 = results['without policies'];
	for (const [name, r] of Object.entries(results)) {
		const first = r === base0;
		console.log(`${name}: ${r.findings} policy findings`);
		console.log(`  ${line('wall', r.ms, median(base0.ms), first)}`);
		if (r.cpu.length) console.log(`  ${line('cpu ', r.cpu, median(base0.cpu), first)}`);
	}
} finally {
	if (KEEP) console.log(`kept: ${tmp}`);
	else rmSync(tmp, { recursive: true, force: true });
}
