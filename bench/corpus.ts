/**
 * Generates the benchmark corpus: a deterministic synthetic GitOps fleet repository (seeded PRNG)
 * of about 2,000 files and 10,000 resources, with a few planted mistakes per hundred files, one
 * 20,000-line multi-document file (`big/all.yaml`) and one small file (`small/app.yaml`) for the
 * edit-latency tests. Writes `manifest.json` next to it describing what was generated.
 *
 * Usage: node --import tsx bench/corpus.ts [DIR]   (default bench/.corpus)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { mutationsFor, TEXT_MUTATIONS } from './mutations';
import { Rng } from './prng';
import * as R from './resources';

export const SEED = 20240611;
const APP_COUNT = 125;
const BIG_FILE_LINES = 20_000;
/** Planted mistakes: this share of eligible files gets one. */
const ERROR_RATE = 0.045;

export interface PlantedError {
	file: string;
	/** Zero-based index of the document in the file. */
	doc: number;
	kind: string;
	mutation: string;
	description: string;
	/** Zero-based line range of the document (inclusive); a finding inside it counts as detected. */
	startLine: number;
	endLine: number;
}

export interface EditSpot {
	file: string;
	/** Zero-based position where the benchmark types characters. */
	line: number;
	character: number;
}

export interface CorpusManifest {
	seed: number;
	/** Apps and regions it was generated with. */
	size?: CorpusSize;
	root: string;
	files: string[];
	resources: number;
	lines: number;
	/** Resources per `apiVersion|kind`. */
	kinds: Record<string, number>;
	/** Kustomize patch files (partial by design). */
	patchFiles: string[];
	planted: PlantedError[];
	bigFile: EditSpot & { lines: number; resources: number };
	smallFile: EditSpot & { lines: number; resources: number };
}

interface FileSpec {
	rel: string;
	docs: R.Obj[];
	/** Patch files and the latency files never get planted mistakes. */
	noMistakes?: boolean;
	patch?: boolean;
}

/** The size of a corpus: apps (each with a base and three overlays) and regions (three clusters each). */
export interface CorpusSize {
	apps: number;
	regions: number;
}

export const DEFAULT_SIZE: CorpusSize = { apps: APP_COUNT, regions: R.REGIONS.length };

/** Region names: the eight real ones, then numbered ones for bigger fleets (the growth runs). */
function regionsFor(count: number): string[] {
	return Array.from({ length: count }, (_, i) => (i < R.REGIONS.length ? R.REGIONS[i] : `${R.REGIONS[i % R.REGIONS.length]}-${Math.floor(i / R.REGIONS.length) + 1}`));
}

function buildFiles(rng: Rng, size: CorpusSize): FileSpec[] {
	const files: FileSpec[] = [];
	const apps = R.makeApps(rng, size.apps);

	for (const app of apps) {
		const base = `apps/${app.team}/${app.name}/base`;
		const baseFiles = ['deployment.yaml', 'service.yaml', 'hpa.yaml', 'configmaps.yaml'];
		files.push({ rel: `${base}/deployment.yaml`, docs: [R.deployment(rng, app)] });
		files.push({ rel: `${base}/service.yaml`, docs: [R.service(app), R.serviceAccount(app.name)] });
		files.push({ rel: `${base}/hpa.yaml`, docs: [R.hpa(rng, app)] });
		files.push({ rel: `${base}/configmaps.yaml`, docs: Array.from({ length: rng.int(5, 14) }, (_, i) => R.configMap(rng, i === 0 ? `${app.name}-config` : `${app.name}-${rng.token(5)}`)) });
		if (rng.chance(0.6)) {
			files.push({ rel: `${base}/ingress.yaml`, docs: [R.ingress(app, `${app.name}.example.com`)] });
			baseFiles.push('ingress.yaml');
		}
		files.push({ rel: `${base}/kustomization.yaml`, docs: [R.kustomization(baseFiles, { labels: [{ pairs: { team: app.team }, includeSelectors: false }] })] });

		for (const env of R.ENVS) {
			const overlay = `apps/${app.team}/${app.name}/overlays/${env}`;
			files.push({
				rel: `${overlay}/kustomization.yaml`,
				docs: [
					R.kustomization(['../../base', 'configmaps.yaml'], {
						namespace: `${app.team}-${env}`,
						patches: [{ path: 'replicas-patch.yaml', target: { kind: 'Deployment', name: app.name } }],
						images: [{ name: app.image.split(':')[0], newTag: `${rng.int(1, 4)}.${rng.int(0, 30)}.${rng.int(0, 9)}` }],
					}),
				],
			});
			files.push({
				rel: `${overlay}/replicas-patch.yaml`,
				docs: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app.name }, spec: { replicas: env === 'prod' ? rng.int(3, 8) : 1 } }],
				noMistakes: true,
				patch: true,
			});
			files.push({ rel: `${overlay}/configmaps.yaml`, docs: Array.from({ length: rng.int(4, 11) }, () => R.configMap(rng, `${app.name}-${env}-${rng.token(5)}`)) });
		}
	}

	for (const env of R.ENVS) {
		for (const region of regionsFor(size.regions)) {
			const cluster = `${env}-${region}`;
			const dir = `clusters/${cluster}`;
			files.push({ rel: `${dir}/flux-system/gotk-sync.yaml`, docs: [R.gitRepository('fleet'), R.fluxKustomization(rng, 'flux-system', dir)] });
			files.push({ rel: `${dir}/flux-system/kustomization.yaml`, docs: [R.kustomization(['gotk-sync.yaml'])] });
			const charts = [0, 1, 2, 3, 4, 5, 6, 7];
			files.push({
				rel: `${dir}/infrastructure.yaml`,
				docs: [...charts.map((c) => R.helmRepository(c)), ...charts.map((c) => R.helmRelease(rng, c, env))],
			});
			files.push({ rel: `${dir}/namespaces.yaml`, docs: R.TEAMS.map((t) => R.namespace(`${t}-${env}`, t)) });
			files.push({
				rel: `${dir}/apps.yaml`,
				docs: apps.map((a) => R.fluxKustomization(rng, a.name, `apps/${a.team}/${a.name}/overlays/${env}`, 'flux-system')),
			});
			files.push({ rel: `${dir}/kustomization.yaml`, docs: [R.kustomization(['flux-system', 'infrastructure.yaml', 'namespaces.yaml', 'apps.yaml'])] });
			files.push({ rel: `fleet/claims/${cluster}.yaml`, docs: [R.clusterClaim(rng, env, region)] });
		}
	}

	for (const team of R.TEAMS) {
		files.push({ rel: `tenants/${team}/namespaces.yaml`, docs: R.ENVS.map((e) => R.namespace(`${team}-${e}`, team)) });
		files.push({ rel: `tenants/${team}/service-accounts.yaml`, docs: R.ENVS.map((e) => R.serviceAccount(`${team}-deployer`, `${team}-${e}`)) });
		files.push({ rel: `tenants/${team}/kustomization.yaml`, docs: [R.kustomization(['namespaces.yaml', 'service-accounts.yaml'])] });
	}

	// The 20,000-line file: a rendered bundle such as `kustomize build` output.
	const big: R.Obj[] = [];
	const bigApps = R.makeApps(rng, 400);
	let bigLines = 0;
	for (let i = 0; bigLines < BIG_FILE_LINES; i++) {
		const app = bigApps[i % bigApps.length];
		const ns = `${app.team}-prod`;
		const obj = [R.deployment(rng, app, ns), R.service(app, ns), R.configMap(rng, `${app.name}-${rng.token(5)}`, ns), R.hpa(rng, app, ns), R.serviceAccount(app.name, ns)][i % 5];
		bigLines += stringify(obj, { lineWidth: 0 }).split('\n').length;
		big.push(obj);
	}
	files.push({ rel: 'big/all.yaml', docs: big });
	files.push({ rel: 'small/app.yaml', docs: [R.deployment(rng, apps[0], 'payments-dev'), R.service(apps[0], 'payments-dev')], noMistakes: true });
	return files;
}

interface Serialised {
	text: string;
	/** Start line of each document. */
	starts: number[];
}

function serialise(docs: string[]): Serialised {
	let text = '';
	let line = 0;
	const starts: number[] = [];
	docs.forEach((doc, i) => {
		if (i > 0) {
			text += '---\n';
			line++;
		}
		starts.push(line);
		const body = doc.endsWith('\n') ? doc : `${doc}\n`;
		text += body;
		line += body.split('\n').length - 1;
	});
	return { text, starts };
}

/** Position at the end of the first line matching `re` at or after `fromLine`. */
function spotAfter(text: string, fromLine: number, re: RegExp): { line: number; character: number } {
	const lines = text.split('\n');
	for (let i = fromLine; i < lines.length; i++) if (re.test(lines[i])) return { line: i, character: lines[i].length };
	throw new Error(`no line matching ${re} after ${fromLine}`);
}

/** Generates the corpus into `root` (deleting what was there) and returns its manifest. */
export function generateCorpus(root: string, size: CorpusSize = DEFAULT_SIZE): CorpusManifest {
	const rng = new Rng(SEED);
	const specs = buildFiles(rng, size);
	rmSync(root, { recursive: true, force: true });
	const manifest: CorpusManifest = {
		seed: SEED,
		size,
		root,
		files: [],
		resources: 0,
		lines: 0,
		kinds: {},
		patchFiles: [],
		planted: [],
		bigFile: { file: '', line: 0, character: 0, lines: 0, resources: 0 },
		smallFile: { file: '', line: 0, character: 0, lines: 0, resources: 0 },
	};
	// Mistakes are planted with their own stream so adding one never reshuffles the whole corpus.
	const mistakes = new Rng(SEED ^ 0x5eed);
	for (const spec of specs) {
		const plantIn = spec.noMistakes ? -1 : mistakes.chance(ERROR_RATE) ? mistakes.int(0, spec.docs.length - 1) : -1;
		// The big file gets exactly two mistakes, as a real rendered bundle might.
		const bigPlants = spec.rel === 'big/all.yaml' ? new Set([Math.floor(spec.docs.length / 3), Math.floor((2 * spec.docs.length) / 3)]) : new Set<number>();
		const planted: Omit<PlantedError, 'startLine' | 'endLine'>[] = [];
		const texts = spec.docs.map((obj, i) => {
			const key = obj.kind === 'Kustomization' ? `${String(obj.apiVersion).split('/')[0]}/Kustomization` : String(obj.kind);
			const gvk = `${String(obj.apiVersion)}|${String(obj.kind)}`;
			manifest.kinds[gvk] = (manifest.kinds[gvk] ?? 0) + 1;
			if (i !== plantIn && !bigPlants.has(i)) return stringify(obj, { lineWidth: 0 });
			const objMutations = mutationsFor(obj);
			if (objMutations.length === 0 || mistakes.chance(0.2)) {
				const m = mistakes.pick(TEXT_MUTATIONS);
				const { text, description } = m.apply(stringify(obj, { lineWidth: 0 }));
				planted.push({ file: spec.rel, doc: i, kind: key, mutation: m.id, description });
				return text;
			}
			const m = mistakes.pick(objMutations);
			const copy = structuredClone(obj);
			const description = m.apply(copy, mistakes);
			planted.push({ file: spec.rel, doc: i, kind: key, mutation: m.id, description });
			return stringify(copy, { lineWidth: 0 });
		});
		const { text, starts } = serialise(texts);
		const lineCount = text.split('\n').length - 1;
		for (const p of planted) {
			const end = p.doc + 1 < starts.length ? starts[p.doc + 1] - 2 : lineCount - 1;
			manifest.planted.push({ ...p, startLine: starts[p.doc], endLine: end });
		}
		const file = join(root, spec.rel);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, text);
		manifest.files.push(spec.rel);
		manifest.resources += spec.docs.length;
		manifest.lines += lineCount;
		if (spec.patch) manifest.patchFiles.push(spec.rel);
		if (spec.rel === 'big/all.yaml') {
			// Type at the end of a ConfigMap value near the middle: plain lowercase tokens stay strings.
			const spot = spotAfter(text, Math.floor(lineCount / 2), /^ {2}[A-Z]+_[A-Z0-9]{4}: [a-z][a-z0-9]{11}$/);
			manifest.bigFile = { file: spec.rel, ...spot, lines: lineCount, resources: spec.docs.length };
		}
		if (spec.rel === 'small/app.yaml') {
			const spot = spotAfter(text, 0, /^ +value: [a-z][a-z0-9]{7}$/);
			manifest.smallFile = { file: spec.rel, ...spot, lines: lineCount, resources: spec.docs.length };
		}
	}
	writeFileSync(join(root, 'manifest.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	return manifest;
}

if (process.argv[1] && /corpus\.ts$/.test(process.argv[1])) {
	const root = process.argv[2] ?? join(__dirname, '.corpus');
	const started = performance.now();
	const m = generateCorpus(root);
	console.log(
		`corpus: ${m.files.length} files, ${m.resources} resources, ${m.lines} lines, ${m.planted.length} planted mistakes; ` +
			`big file ${m.bigFile.lines} lines / ${m.bigFile.resources} resources (${Math.round(performance.now() - started)} ms)`,
	);
	console.log(m.kinds);
}
