import { kustomizationReferences, type KustomizationReference } from '../kustomize';
import { isKustomizationFile, joinPath } from '../core/paths';
import { isPlainObject } from '../core/resource';
import { kustomizationIn } from './expand';
import type { DocRef, DocumentStore } from './reader';
import type { FleetProblem } from './types';

/**
 * The paths kustomization files name, read once per text (discovery and the editor's navigation
 * ask for them on every run and request), and the broken ones as fleet problems: an entry that
 * names a missing file or directory, a directory without a kustomization, a file where kustomize
 * needs a directory (or the reverse) makes `kustomize build` fail, and with it every Flux
 * Kustomization and Argo CD Application that includes the kustomization.
 */

const MAX_KUSTOMIZATION_CHARS = 1024 * 1024;

/** The first document of a kustomization file, when it is a kustomize config (not a Flux Kustomization saved under that name). */
export function kustomizationDoc(store: DocumentStore, file: string): DocRef | undefined {
	if (!isKustomizationFile(file)) return undefined;
	const doc = store.mappings(file).find((d) => d.documentIndex === 0);
	if (!doc || (doc.apiVersion !== '' && !doc.apiVersion.startsWith('kustomize.config.k8s.io/'))) return undefined;
	return doc;
}

/** Every path a kustomization file names (see `kustomizationReferences`), without existence: the caller asks the store. */
export function kustomizationRefs(store: DocumentStore, file: string): KustomizationReference[] {
	const text = store.reader.read(file);
	// No kustomization is a megabyte long; an editor's huge buffer is not parsed again on every run.
	if (text === undefined || text.length > MAX_KUSTOMIZATION_CHARS || !kustomizationDoc(store, file)) return [];
	return store.derivedOfFile(file, text, 'kustomization-references', () => kustomizationReferences(file, text));
}

/** What each field needs its entries to be; `other` (plugins, openapi, helm values) is not checked. */
const EXPECTS: Partial<Record<KustomizationReference['field'], 'any' | 'directory' | 'file'>> = {
	// kustomize v5 accumulates bases as resources: a file there builds.
	resources: 'any',
	bases: 'any',
	components: 'directory',
	crds: 'file',
	patches: 'file',
	configMapGenerator: 'file',
	secretGenerator: 'file',
};

const WHAT: Partial<Record<KustomizationReference['field'], string>> = {
	crds: 'a CRD file',
	patches: 'a patch',
	configMapGenerator: 'a generator source',
	secretGenerator: 'a generator source',
};

/** The written value at a JSON path of a document. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
	let v = value;
	for (const k of path) {
		if (Array.isArray(v) && typeof k === 'number') v = v[k];
		else if (isPlainObject(v) && typeof k === 'string') v = v[k];
		else return undefined;
	}
	return v;
}

/** Whether a directory has a kustomization file, asking the reader about names the listing lacks (a symbolic link). */
function hasKustomization(store: DocumentStore, dir: string): boolean {
	return kustomizationIn(store, dir) !== undefined || ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((n) => store.probe(joinPath(dir, n)) === 'file');
}

/**
 * Broken entries of every kustomization file of the repository. `reach` (file → clusters) names
 * the clusters that stop getting changes. Remote bases, paths that leave the repository and
 * paths with unexpanded variables (`${var}`, `{{ }}`: a tool may fill them in) are never reported.
 */
export function kustomizationProblems(store: DocumentStore, reach: Readonly<Record<string, string[]>>, plugins: ReadonlyMap<string, string> = new Map()): FleetProblem[] {
	const out: FleetProblem[] = [];
	for (const file of store.files()) {
		if (!isKustomizationFile(file)) continue;
		out.push(...barePatchEntries(store, file, reach));
		const refs = kustomizationRefs(store, file);
		if (refs.length === 0) continue;
		const doc = kustomizationDoc(store, file)!;
		for (const ref of refs) {
			const expects = EXPECTS[ref.field];
			const written = valueAt(doc.value, ref.path);
			if (ref.remote || !expects || typeof written !== 'string' || /\$\{|\{\{/.test(written) || mayBeRemote(written)) continue;
			const broken = brokenEntry(store, ref, expects, written);
			if (broken === undefined) continue;
			// A path a config-management plugin builds: the plugin may create the entry first (`helm template . > all.yaml`).
			const plugin = pluginOf(plugins, file);
			if (plugin !== undefined && store.probe(ref.target) === undefined) {
				out.push({ ruleId: 'kustomize-unsupported', severity: 'info', message: `This kustomization names "${written}" (${ref.target}), which is not in the repository, but ${plugin} at sync time, which may create it first (e.g. helm template . > ${written}). Fleetscope runs no plugin, so this build is not checked.`, location: doc.locate(ref.path), documentIndex: doc.documentIndex, path: ref.path, target: 'value' });
				continue;
			}
			out.push({ ruleId: 'fleet-reference', severity: 'error', message: `${broken.what}${consequence(reach[file])} ${broken.fix}`, location: doc.locate(ref.path), documentIndex: doc.documentIndex, path: ref.path, target: 'value' });
		}
	}
	return out;
}

/** Why a kustomization file's directory is built by a config-management plugin (it lies in such a path), or undefined. */
function pluginOf(plugins: ReadonlyMap<string, string>, file: string): string | undefined {
	for (const [path, why] of plugins) if (path === '' || file.startsWith(`${path}/`)) return why;
	return undefined;
}

/**
 * A bare file name under `patches:` (the form of `patchesStrategicMerge`): kustomize 5 refuses the
 * whole kustomization ("json: cannot unmarshal string into Go struct field Kustomization.patches
 * of type types.Patch"). The file itself is still a patch (partial), see `patchPathsOf`.
 */
function barePatchEntries(store: DocumentStore, file: string, reach: Readonly<Record<string, string[]>>): FleetProblem[] {
	const doc = kustomizationDoc(store, file);
	const patches = doc?.value.patches;
	if (!doc || !Array.isArray(patches)) return [];
	const out: FleetProblem[] = [];
	patches.forEach((entry, i) => {
		if (typeof entry !== 'string' || entry.includes('\n')) return;
		out.push({
			ruleId: 'kustomize-build',
			severity: 'error',
			message: `kustomize reads each entry of patches: as an object, so this bare file name makes kustomize build fail ("cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch")${consequence(reach[file])} Write "- path: ${entry}", or list it under patchesStrategicMerge.`,
			location: doc.locate(['patches', i]),
			documentIndex: doc.documentIndex,
			path: ['patches', i],
			target: 'value',
		});
	});
	return out;
}

/**
 * kustomize reads an entry that is not a local path as a Git repository when it can (any host,
 * `host/org/repo//dir`): a host-like first segment or a `//` is never called missing.
 */
function mayBeRemote(entry: string): boolean {
	return entry.includes('//') || /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?\//i.test(entry);
}

/** What is wrong with one entry (what kustomize says about it) and how to fix it, or undefined when it builds. */
function brokenEntry(store: DocumentStore, ref: KustomizationReference, expects: 'any' | 'directory' | 'file', written: string): { what: string; fix: string } | undefined {
	const t = ref.target;
	const kind = store.probe(t);
	const component = ref.field === 'components';
	if (kind === undefined) {
		return {
			what: `This kustomization names "${written}" (${t}), which does not exist, so kustomize build fails ("lstat ${t}: no such file or directory")`,
			fix: component ? 'Fix the path, or add the component (a directory with a kustomization.yaml of kind: Component).' : expects === 'file' ? 'Fix the path or add the file.' : 'Fix the path, or add the file or directory.',
		};
	}
	if (kind === 'directory' && expects === 'file') {
		return { what: `"${written}" is a directory (${t}), but ${WHAT[ref.field] ?? 'this entry'} must be a file, so kustomize build fails ("${t}" must resolve to a file)`, fix: 'Name the file itself.' };
	}
	if (kind === 'file' && expects === 'directory') {
		return { what: `"${written}" is a file (${t}), but a component must be a directory with a kustomization of kind: Component, so kustomize build fails ("${t}": file is not directory)`, fix: 'Name the component\'s directory.' };
	}
	if (kind === 'directory' && !hasKustomization(store, t)) {
		return {
			what: `"${written}" is a directory without a kustomization file (${t}), so kustomize build fails ("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory")`,
			fix: component ? `Add a kustomization.yaml of kind: Component to ${t}.` : `Add a kustomization.yaml to ${t} that lists its manifests, or name the files themselves.`,
		};
	}
	return undefined;
}

function consequence(clusters: string[] | undefined): string {
	if (!clusters || clusters.length === 0) return '.';
	const shown = clusters.length <= 3 ? clusters : [...clusters.slice(0, 3), `${clusters.length - 3} more`];
	const names = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
	return `: Flux and Argo CD apply nothing that includes it, so ${names} ${clusters.length === 1 ? 'keeps' : 'keep'} the last revision that built.`;
}
