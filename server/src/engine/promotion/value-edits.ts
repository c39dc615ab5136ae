import type { PromotionArtifact, PromotionEdit, PromotionFileChange } from '../../../../shared/protocol';
import { parseFile, type NodePath } from '../core/parse';
import { getIn } from '../core/pod-spec';
import { isPlainObject } from '../core/resource';
import type { AppVersion, FleetApp, FleetModel } from '../fleet/types';
import { splitImage } from '../fleet/versions';
import { otherEnvironmentsReached, listWords, placeOf, type DocumentPlace, type PromotionTree } from './tree';
import { applyScalarChanges, type ScalarChange } from './yaml-scalars';

/**
 * Value promotion: the versions the source environment runs, copied into the lines that set the
 * target environment's, mechanism by mechanism (kustomize `images` newTag and digest together,
 * container image references, HelmRelease chart version and values image tag, Argo CD
 * `targetRevision`, Flux OCIRepository and GitRepository refs).
 */

export interface ValueChanges {
	artifacts: PromotionArtifact[];
	edits: PromotionEdit[];
	changes: PromotionFileChange[];
	/** Where the source environment sets each promoted version (for the soak). */
	sourceLines: { file: string; line: number }[];
	/** What could not be promoted and why (shown in the plan and the pull request). */
	notes: string[];
}

export type ValueResult = { ok: true; value: ValueChanges } | { ok: false; error: string };

/** What the source sets: its version, and for images the tag and digest apart. */
interface SourceSetting {
	version: string;
	tag?: string;
	digest?: string;
	/** For a Flux source's `spec.ref`, the key the version is under. */
	refKey?: string;
}

type Mechanism = 'kustomize-images' | 'container-image' | 'helm-values-tag' | 'source-ref' | 'scalar';

function mechanismOf(place: DocumentPlace): Mechanism {
	const p = place.path;
	const last = p[p.length - 1];
	if (p.length >= 3 && p[p.length - 3] === 'images' && (last === 'newTag' || last === 'digest')) return 'kustomize-images';
	if (last === 'image' && p.some((x) => x === 'containers' || x === 'initContainers')) return 'container-image';
	if (p.join('.') === 'spec.values.image.tag') return 'helm-values-tag';
	if (p.length === 3 && p[0] === 'spec' && p[1] === 'ref') return 'source-ref';
	return 'scalar';
}

/** Computes the value promotion of `app` from `from` to `to`. */
export function valueChanges(fleet: FleetModel, tree: PromotionTree, app: FleetApp, from: string, to: string): ValueResult {
	const docs = new Map<string, ReturnType<typeof parseFile> | undefined>();
	const documentValue = (place: DocumentPlace): unknown => {
		if (!docs.has(place.file)) {
			const text = tree.read(place.file);
			docs.set(place.file, text === undefined ? undefined : parseFile(text));
		}
		return docs.get(place.file)?.documents.find((d) => d.index === place.documentIndex)?.value;
	};
	const notes: string[] = [];
	const key = (v: AppVersion) => `${v.kind}|${v.artifact}`;
	const sources = new Map<string, AppVersion[]>();
	for (const v of app.versions.filter((x) => x.environment === from)) sources.set(key(v), [...(sources.get(key(v)) ?? []), v]);
	const targets = app.versions.filter((x) => x.environment === to);
	const perFile = new Map<string, { change: ScalarChange; target: AppVersion; source: AppVersion }[]>();
	const sourceLines: ValueChanges['sourceLines'] = [];
	for (const target of targets) {
		const candidates = sources.get(key(target));
		if (!candidates) continue;
		const settings = candidates.map((s) => ({ s, setting: sourceSetting(s, documentValue) }));
		const distinct = [...new Set(settings.map((x) => `${x.setting.version}@${x.setting.digest ?? ''}`))];
		if (distinct.length > 1) {
			return { ok: false, error: `${from} runs more than one version of ${target.artifact} (${candidates.map((c) => `${c.version} on ${listWords(c.clusters)}`).join('; ')}): make ${from} run one version before promoting it` };
		}
		const source = candidates[0];
		const setting = settings[0].setting;
		const place = placeOf(target.location);
		if (!place) return { ok: false, error: `Fleetscope cannot tell where ${target.location.file} sets ${target.artifact}` };
		if (candidates.some((c) => c.location.anchor === target.location.anchor)) continue; // one line sets both environments
		const others = otherEnvironmentsReached(fleet, place.file, to);
		if (others.length > 0) {
			return {
				ok: false,
				error: `${place.file} sets ${target.artifact} for ${listWords(others)} too, so changing it would not promote ${to} alone: set the version in ${to}'s own overlay (e.g. a kustomize images entry) and promote again`,
			};
		}
		const changes = targetChanges(place, mechanismOf(place), setting, documentValue(place));
		if (!changes) {
			notes.push(`${target.artifact}: ${from} sets no tag or digest Fleetscope can copy (${source.location.file}:${source.location.range.start.line + 1})`);
			continue;
		}
		sourceLines.push({ file: source.location.file, line: source.location.range.start.line + 1 });
		for (const c of candidates.slice(1)) sourceLines.push({ file: c.location.file, line: c.location.range.start.line + 1 });
		const list = perFile.get(place.file) ?? [];
		for (const change of changes) list.push({ change, target, source });
		perFile.set(place.file, list);
	}
	for (const [k, list] of sources) {
		if (!targets.some((t) => key(t) === k)) notes.push(`${list[0].artifact} ${list[0].version}: ${to} does not set it anywhere, so there is no line to promote it into`);
	}
	const artifacts: PromotionArtifact[] = [];
	const edits: PromotionEdit[] = [];
	const fileChanges: PromotionFileChange[] = [];
	for (const [file, list] of [...perFile].sort(([a], [b]) => a.localeCompare(b))) {
		const before = tree.read(file);
		if (before === undefined) return { ok: false, error: `${file} cannot be read` };
		const result = applyScalarChanges(file, before, list.map((x) => x.change));
		if (!result.ok) return result;
		if (result.text === before) continue;
		fileChanges.push({ file, action: 'modify', before, after: result.text });
		for (const a of result.applied) edits.push({ file, ...a });
		for (const { target, source } of list) {
			const line = target.location.range.start.line + 1;
			if (artifacts.some((a) => a.file === file && a.line === line && a.artifact === target.artifact)) continue;
			artifacts.push({ artifact: target.artifact, kind: target.kind, from: target.version, to: source.version, file, line, sourceFile: source.location.file, sourceLine: source.location.range.start.line + 1, clusters: [...target.clusters].sort() });
		}
	}
	const seen = new Set<string>();
	const lines = sourceLines.filter((l) => !seen.has(`${l.file}:${l.line}`) && !!seen.add(`${l.file}:${l.line}`));
	return { ok: true, value: { artifacts, edits, changes: fileChanges, sourceLines: fileChanges.length > 0 ? lines : [], notes } };
}

function sourceSetting(source: AppVersion, documentValue: (p: DocumentPlace) => unknown): SourceSetting {
	const place = placeOf(source.location);
	const base: SourceSetting = { version: source.version };
	if (!place) return base;
	const doc = documentValue(place);
	switch (mechanismOf(place)) {
		case 'kustomize-images': {
			const entry = getIn(doc, place.path.slice(0, -1));
			if (!isPlainObject(entry)) return base;
			const tag = entry.newTag === undefined || entry.newTag === null ? undefined : String(entry.newTag);
			const digest = typeof entry.digest === 'string' && entry.digest !== '' ? entry.digest : undefined;
			return { ...base, tag, digest };
		}
		case 'container-image': {
			const image = getIn(doc, place.path);
			if (typeof image !== 'string') return base;
			const { tag, digest } = splitImage(image);
			return { ...base, tag, digest };
		}
		case 'source-ref':
			return { ...base, refKey: String(place.path[2]) };
		default:
			return { ...base, tag: source.version };
	}
}

const REF_VERSION_KEYS = ['tag', 'semver', 'digest', 'commit', 'name'];

/** The scalar changes that make the target's line say what the source's says; undefined when nothing can be copied. */
function targetChanges(place: DocumentPlace, mechanism: Mechanism, src: SourceSetting, doc: unknown): ScalarChange[] | undefined {
	const at = (path: NodePath, value: string | undefined, after?: string): ScalarChange => ({ documentIndex: place.documentIndex, path, value, after });
	switch (mechanism) {
		case 'kustomize-images': {
			if (src.tag === undefined && src.digest === undefined) return undefined;
			const entry = place.path.slice(0, -1);
			return [at([...entry, 'newTag'], src.tag, 'name'), at([...entry, 'digest'], src.digest, src.tag === undefined ? 'name' : 'newTag')];
		}
		case 'container-image': {
			const image = getIn(doc, place.path);
			if (typeof image !== 'string' || (src.tag === undefined && src.digest === undefined)) return undefined;
			const { name } = splitImage(image);
			return [at(place.path, `${name}${src.tag !== undefined ? `:${src.tag}` : ''}${src.digest !== undefined ? `@${src.digest}` : ''}`)];
		}
		case 'helm-values-tag':
			return [at(place.path, src.tag ?? src.version)];
		case 'source-ref': {
			const targetKey = String(place.path[2]);
			const sourceKey = src.refKey && REF_VERSION_KEYS.includes(src.refKey) ? src.refKey : targetKey;
			if (sourceKey === targetKey) return [at(place.path, src.version)];
			// The source pins another way (a digest where the target has a tag): the target's ref follows it.
			return [at(['spec', 'ref', sourceKey], src.version, targetKey), at(place.path, undefined)];
		}
		default:
			return [at(place.path, src.version)];
	}
}
