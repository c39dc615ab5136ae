import type { NodePath } from './parse';
import { RecentMemo } from './recent-memo';
import { isPlainObject, type Resource } from './resource';

/**
 * Where each pod-template kind keeps its pod spec, as pod-security-admission extracts it
 * (`admission/admission.go`): the path to the pod's metadata and spec inside the resource.
 * Keyed by kind, with the API groups that serve it (a CRD with the same kind name is not a pod).
 */
const POD_KINDS: Record<string, { groups: string[]; base: NodePath }> = {
	Pod: { groups: [''], base: [] },
	PodTemplate: { groups: [''], base: ['template'] },
	ReplicationController: { groups: [''], base: ['spec', 'template'] },
	ReplicaSet: { groups: ['apps', 'extensions'], base: ['spec', 'template'] },
	Deployment: { groups: ['apps', 'extensions'], base: ['spec', 'template'] },
	DaemonSet: { groups: ['apps', 'extensions'], base: ['spec', 'template'] },
	StatefulSet: { groups: ['apps'], base: ['spec', 'template'] },
	Job: { groups: ['batch'], base: ['spec', 'template'] },
	CronJob: { groups: ['batch'], base: ['spec', 'jobTemplate', 'spec', 'template'] },
};

export const POD_TEMPLATE_KINDS: readonly string[] = Object.keys(POD_KINDS);

/** Whether the resource is one of the nine kinds that carry a pod spec (checked by kind and API group). */
export function isPodTemplateKind(resource: Pick<Resource, 'kind' | 'group'>): boolean {
	const k = POD_KINDS[resource.kind];
	return !!k && k.groups.includes(resource.group);
}

export type Obj = Record<string, unknown>;

/** The pod spec of a resource with the paths needed to place findings. */
export interface PodSpecRef {
	spec: Obj;
	/** Path of `spec` inside the resource (`['spec', 'template', 'spec']` for a Deployment). */
	path: NodePath;
	/** The pod's metadata (annotations), possibly empty. */
	metadata: Obj;
	metadataPath: NodePath;
	/** `spec.os.name: windows`. */
	windows: boolean;
	/** `spec.hostUsers: false` (the pod runs in a user namespace). */
	userNamespace: boolean;
	/** `containersOf(this)`, read on first use and kept with the pod spec it belongs to. */
	containers?: readonly ContainerRef[];
	/** `securitySetters(this)`, likewise. */
	setters?: readonly SecuritySetter[];
}

export type ContainerKind = 'initContainers' | 'containers' | 'ephemeralContainers';

export interface ContainerRef {
	container: Obj;
	/** Path of the container item inside the resource. */
	path: NodePath;
	kind: ContainerKind;
	/** The container's name, or `#<n>` (1-based) when it has none. */
	name: string;
	/** For messages: `Container "web"`, `Init container "setup"`, `Ephemeral container "debug"`. */
	label: string;
	/** The container's securityContext, or undefined. */
	securityContext: Obj | undefined;
}

/**
 * The pod spec, the containers and the security setters of one object are asked for by every
 * compliance rule (about forty per pod), one rule after the other: the last few pod specs read are
 * kept (`RecentMemo`), and each pod spec keeps its containers and setters. Values are never mutated
 * once parsed, and callers copy the paths they extend.
 */
const RECENT_PODS = new RecentMemo<object, { kind: string; group: string; pod: PodSpecRef | undefined }>(4);

export function podSpecOf(resource: Resource): PodSpecRef | undefined {
	if (!isPodTemplateKind(resource)) return undefined;
	const known = RECENT_PODS.get(resource.value, () => ({ kind: resource.kind, group: resource.group, pod: readPodSpec(resource) }));
	return known.kind === resource.kind && known.group === resource.group ? known.pod : readPodSpec(resource);
}

function readPodSpec(resource: Resource): PodSpecRef | undefined {
	const base = POD_KINDS[resource.kind].base;
	const template = getIn(resource.value, base);
	if (!isPlainObject(template)) return undefined;
	const spec = template.spec;
	if (!isPlainObject(spec)) return undefined;
	const os = isPlainObject(spec.os) ? spec.os : undefined;
	return {
		spec,
		path: [...base, 'spec'],
		metadata: isPlainObject(template.metadata) ? template.metadata : {},
		metadataPath: [...base, 'metadata'],
		windows: os?.name === 'windows',
		userNamespace: spec.hostUsers === false,
		containers: undefined,
		setters: undefined,
	};
}

const KIND_LABEL: Record<ContainerKind, string> = {
	initContainers: 'Init container',
	containers: 'Container',
	ephemeralContainers: 'Ephemeral container',
};

/** Every container of the pod in pod-security-admission's order: init, regular, ephemeral. */
export function containersOf(pod: PodSpecRef): readonly ContainerRef[] {
	return (pod.containers ??= readContainers(pod));
}

function readContainers(pod: PodSpecRef): ContainerRef[] {
	const out: ContainerRef[] = [];
	for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
		const list = pod.spec[kind];
		if (!Array.isArray(list)) continue;
		list.forEach((c, i) => {
			if (!isPlainObject(c)) return;
			const name = typeof c.name === 'string' && c.name !== '' ? c.name : `#${i + 1}`;
			const shown = name.startsWith('#') ? `${name} (unnamed)` : `"${name}"`;
			out.push({
				container: c,
				path: [...pod.path, kind, i],
				kind,
				name,
				label: `${KIND_LABEL[kind]} ${shown}`,
				securityContext: isPlainObject(c.securityContext) ? c.securityContext : undefined,
			});
		});
	}
	return out;
}

/** The pod-level securityContext, or undefined. */
export function podSecurityContext(pod: PodSpecRef): Obj | undefined {
	return isPlainObject(pod.spec.securityContext) ? pod.spec.securityContext : undefined;
}

/** The value at `path` inside `value`, or undefined. */
export function getIn(value: unknown, path: NodePath): unknown {
	let v = value;
	for (const seg of path) {
		if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
		else v = isPlainObject(v) ? v[seg] : undefined;
		if (v === undefined) return undefined;
	}
	return v;
}

/**
 * Where a finding about a MISSING container setting goes (documented convention): the key of
 * the innermost mapping that exists on the way to the setting, inside the container
 * (`securityContext`, `capabilities`, `drop`); when the container has no securityContext at all,
 * the container's `name` value. That is the node the fix edits, and it names the container.
 */
export function missingSettingTarget(c: ContainerRef, rel: string[]): { path: NodePath; target: 'key' | 'value' } {
	let deepest = -1;
	let v: unknown = c.container;
	for (let i = 0; i < rel.length - 1; i++) {
		v = isPlainObject(v) ? v[rel[i]] : undefined;
		if (v === undefined || v === null) break;
		deepest = i;
	}
	if (deepest >= 0) return { path: [...c.path, ...rel.slice(0, deepest + 1)], target: 'key' };
	return typeof c.container.name === 'string' ? { path: [...c.path, 'name'], target: 'value' } : { path: c.path, target: 'key' };
}

/** A place that can hold a securityContext: the pod (`spec.securityContext`) or one container. */
export interface SecuritySetter {
	/** `The pod` or the container's label. */
	label: string;
	securityContext: Obj | undefined;
	/** Path of the securityContext node (whether or not it exists). */
	scPath: NodePath;
	container?: ContainerRef;
}

/** The pod-level securityContext, then every container's, in PSA's order. */
export function securitySetters(pod: PodSpecRef): readonly SecuritySetter[] {
	return (pod.setters ??= readSecuritySetters(pod));
}

function readSecuritySetters(pod: PodSpecRef): SecuritySetter[] {
	return [
		{ label: 'The pod', securityContext: podSecurityContext(pod), scPath: [...pod.path, 'securityContext'] },
		...containersOf(pod).map((c) => ({ label: c.label, securityContext: c.securityContext, scPath: [...c.path, 'securityContext'], container: c })),
	];
}
