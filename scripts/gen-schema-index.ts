/**
 * Writes `schemas/index.json`: apiVersion|kind → JSON schema file, for every schema under
 * `schemas/crds/` and `schemas/own/` named the datreeio way (`<group>/<kind-lowercase>_<version>.json`,
 * a JSON Schema of the whole object). Runs in `npm run build`, so a schema dropped into either
 * directory is picked up by the next build.
 *
 * The file name has the kind in lower case; the real spelling comes from the schema itself
 * (`properties.kind.enum`/`const`, else the first word of the description that spells it), else
 * from KIND_NAMES below.
 *
 * `--vendor DIR`: first copies (minified) the groups in VENDORED_GROUPS from a datreeio
 * CRDs-catalog checkout into `schemas/crds/`, with its MIT licence.
 *
 * Also writes `schemas/catalog.json`: per API group its source, licence and upstream version (from
 * the group's `PROVENANCE` file, written by `--vendor` and by gen-model-schemas.ts) and its kinds.
 *
 * Usage: node --import tsx scripts/gen-schema-index.ts [--vendor ../shared/crd-schemas]
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const SCHEMAS = join(ROOT, 'schemas');

export const VENDORED_GROUPS = [
	'source.toolkit.fluxcd.io',
	'kustomize.toolkit.fluxcd.io',
	'helm.toolkit.fluxcd.io',
	'notification.toolkit.fluxcd.io',
	'image.toolkit.fluxcd.io',
	'argoproj.io',
	'kyverno.io',
	'templates.gatekeeper.sh',
	'config.gatekeeper.sh',
	'velero.io',
	'apiextensions.crossplane.io',
	'pkg.crossplane.io',
	'cert-manager.io',
	'external-secrets.io',
	'monitoring.coreos.com',
	'kargo.akuity.io',
	'cluster.x-k8s.io',
	'kustomize.config.k8s.io',
	'gateway.networking.k8s.io',
	'flagger.app',
	'karpenter.sh',
	'keda.sh',
];

/** Kinds whose schema does not spell its own name (lower-case file name → kind). */
const KIND_NAMES: Record<string, string> = {
	analysistemplate: 'AnalysisTemplate',
	applicationset: 'ApplicationSet',
	clusteranalysistemplate: 'ClusterAnalysisTemplate',
	rollout: 'Rollout',
	clusterpromotiontask: 'ClusterPromotionTask',
	promotiontask: 'PromotionTask',
	backuprepository: 'BackupRepository',
	podvolumebackup: 'PodVolumeBackup',
	podvolumerestore: 'PodVolumeRestore',
	kustomization: 'Kustomization',
	component: 'Component',
	fleet: 'Fleet',
	clusterclaim: 'ClusterClaim',
	nodeoverlay: 'NodeOverlay',
};

/** What is known of the upstream version of a vendored group (the datreeio catalog records none per group). */
const UPSTREAM: Record<string, string> = {
	'gateway.networking.k8s.io': 'Gateway API, experimental channel (a superset of standard: v1 HTTPRoute retry and sessionPersistence, ListenerSet v1, TLSRoute v1)',
};

function vendor(from: string): void {
	for (const group of VENDORED_GROUPS) {
		const dir = join(from, group);
		if (!existsSync(dir)) throw new Error(`missing group ${group} in ${from}`);
		mkdirSync(join(SCHEMAS, 'crds', group), { recursive: true });
		for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
			writeFileSync(join(SCHEMAS, 'crds', group, f), JSON.stringify(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
		}
		const upstream = UPSTREAM[group] ?? 'not recorded by the catalog';
		writeFileSync(join(SCHEMAS, 'crds', group, 'PROVENANCE'), JSON.stringify({ source: 'datreeio/CRDs-catalog', licence: 'MIT', licenceFile: 'LICENSE', upstream }, null, '\t') + '\n');
	}
	copyFileSync(join(from, 'LICENSE'), join(SCHEMAS, 'crds', 'LICENSE'));
}

/** `schemas/catalog.json`: per API group, where its schemas come from, under which licence, which upstream version, which kinds. */
function writeCatalog(index: Record<string, { file: string; source: string }>): void {
	const groups: Record<string, { source: string; licence: string; licenceFile?: string; upstream: string; kinds: string[] }> = {};
	for (const [key, entry] of Object.entries(index)) {
		const [, base, group] = /^(crds|own)\/([^/]+)\//.exec(entry.file) ?? [];
		if (!group) continue;
		if (!groups[group]) {
			const file = join(SCHEMAS, base, group, 'PROVENANCE');
			const p = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : base === 'own' ? { source: 'Fleetscope', licence: 'MIT', upstream: 'this repository' } : { source: 'unknown', licence: 'unknown', upstream: 'unknown' };
			groups[group] = { ...p, kinds: [] };
		}
		groups[group].kinds.push(key.replace('|', ' '));
	}
	const sorted = Object.fromEntries(Object.entries(groups).sort(([a], [b]) => a.localeCompare(b)));
	writeFileSync(join(SCHEMAS, 'catalog.json'), JSON.stringify(sorted, null, '\t') + '\n');
	const docs = join(ROOT, 'docs', 'schemas.md');
	if (existsSync(docs)) writeFileSync(docs, renderCatalogDocs(readFileSync(docs, 'utf8'), sorted));
}

/** The catalog table of docs/schemas.md (between its `catalog:start`/`catalog:end` markers). */
export function renderCatalogDocs(text: string, catalog: Record<string, { source: string; licence: string; upstream: string; kinds: string[] }>): string {
	const rows = Object.entries(catalog).map(([group, c]) => {
		const kinds = [...new Set(c.kinds.map((k) => k.split(' ')[1]))].sort();
		const versions = [...new Set(c.kinds.map((k) => k.split(' ')[0].split('/')[1]))].sort();
		return `| \`${group}\` | ${kinds.join(', ')} | ${versions.join(', ')} | ${c.source} | ${c.licence} | ${c.upstream} |`;
	});
	const table = ['| API group | Kinds | Versions | Source | Licence | Upstream version |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
	return text.replace(/(<!-- catalog:start -->)[\s\S]*?(<!-- catalog:end -->)/, `$1\n${table}\n$2`);
}

function kindName(lower: string, schema: Record<string, unknown>): string | undefined {
	const kindProp = (schema.properties as Record<string, Record<string, unknown>> | undefined)?.kind;
	const declared = Array.isArray(kindProp?.enum) ? kindProp.enum[0] : kindProp?.const;
	if (typeof declared === 'string' && declared.toLowerCase() === lower) return declared;
	const words = typeof schema.description === 'string' ? schema.description.split(/[^A-Za-z0-9]+/) : [];
	return words.find((w) => w.toLowerCase() === lower && /[A-Z]/.test(w)) ?? KIND_NAMES[lower];
}

function main(): void {
	const v = process.argv.indexOf('--vendor');
	if (v !== -1) vendor(process.argv[v + 1]);
	const index: Record<string, { file: string; source: string }> = {};
	const problems: string[] = [];
	// Later directories win: our own schemas over vendored ones.
	for (const base of ['crds', 'own']) {
		const baseDir = join(SCHEMAS, base);
		if (!existsSync(baseDir)) continue;
		for (const group of readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
			for (const file of readdirSync(join(baseDir, group)).filter((n) => n.endsWith('.json')).sort()) {
				const m = /^(.+)_([^_]+)\.json$/.exec(file);
				if (!m) {
					problems.push(`${base}/${group}/${file}: not named <kind>_<version>.json`);
					continue;
				}
				let schema: Record<string, unknown>;
				try {
					schema = JSON.parse(readFileSync(join(baseDir, group, file), 'utf8'));
				} catch (e) {
					problems.push(`${base}/${group}/${file}: ${(e as Error).message}`);
					continue;
				}
				const kind = kindName(m[1], schema);
				if (!kind) {
					problems.push(`${base}/${group}/${file}: cannot tell how the kind is spelled; add it to KIND_NAMES`);
					continue;
				}
				index[`${group}/${m[2]}|${kind}`] = { file: `${base}/${group}/${file}`, source: base === 'own' ? 'fleetscope' : `crd:${group}` };
			}
		}
	}
	const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b)));
	writeFileSync(join(SCHEMAS, 'index.json'), JSON.stringify(sorted, null, '\t') + '\n');
	writeCatalog(sorted);
	console.log(`schemas/index.json: ${Object.keys(sorted).length} kinds`);
	// Warn, do not fail: one unreadable schema must not break everyone's build; it is simply not indexed.
	if (problems.length > 0) console.warn(`warning: schemas not indexed:\n${problems.join('\n')}`);
}

if (process.argv[1]?.endsWith('gen-schema-index.ts')) main();
