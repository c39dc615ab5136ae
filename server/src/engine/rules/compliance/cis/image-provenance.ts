import { isPlainObject } from '../../../core/resource';
import { containersOf, isPodTemplateKind, podSpecOf, POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceContext, ComplianceProblem, ComplianceRule } from '../rule';
import { andList } from './rbac';

/** An image reference split the way container runtimes read it: `[registry/]path[:tag][@digest]`. */
export interface ImageRef {
	/** The reference without tag and digest, as written (what kustomize `images[].name` matches). */
	name: string;
	/** The registry host, `docker.io` when the first path component is not a host. */
	registry: string;
	/** Registry and path, with Docker Hub's implicit `library/` (`docker.io/library/nginx`). */
	repository: string;
	digest?: string;
	/** Whether the reference names a tag. */
	tagged: boolean;
}

const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

export function parseImage(ref: string): ImageRef {
	const at = ref.indexOf('@');
	const digest = at >= 0 && DIGEST.test(ref.slice(at + 1)) ? ref.slice(at + 1) : undefined;
	let name = at >= 0 ? ref.slice(0, at) : ref;
	const colon = name.lastIndexOf(':');
	const tagged = colon > name.lastIndexOf('/'); // a tag, not a registry port
	if (tagged) name = name.slice(0, colon);
	const slash = name.indexOf('/');
	const first = slash >= 0 ? name.slice(0, slash) : '';
	const hasHost = slash >= 0 && isHost(first);
	const registry = hasHost ? first.toLowerCase() : 'docker.io';
	let path = hasHost ? name.slice(slash + 1) : name;
	if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
	return { name, registry, repository: `${registry}/${path}`, digest, tagged };
}

function isHost(component: string): boolean {
	return component.includes('.') || component.includes(':') || component === 'localhost';
}

/**
 * Whether the image is under one of the allowed entries: a registry host (`ghcr.io`,
 * `registry.internal:5000`) or a repository prefix (`ghcr.io/acme`, `docker.io/library`, or a
 * Docker Hub organisation written without host, `acme`).
 */
export function isAllowedRegistry(image: ImageRef, allowed: readonly string[]): boolean {
	return allowed.some((raw) => {
		const entry = raw.trim().replace(/\/+$/, '');
		const slash = entry.indexOf('/');
		if (slash < 0 && isHost(entry)) return image.registry === entry.toLowerCase();
		const prefix = slash >= 0 && isHost(entry.slice(0, slash)) ? `${entry.slice(0, slash).toLowerCase()}${entry.slice(slash)}` : `docker.io/${entry}`;
		return image.repository === prefix || image.repository.startsWith(`${prefix}/`);
	});
}

interface Override {
	newName?: string;
	digest?: boolean;
}

/**
 * kustomize `images:` entries (of kustomizations and Flux Kustomizations in the repository) that
 * rename an image or pin its digest: on raw files the overlay that deploys the image decides.
 */
function overridesOf(ctx: ComplianceContext, name: string): Override[] {
	// What a cluster receives has its overlays' images applied already: nothing overrides it.
	if (ctx.objects.complete) return [];
	// Every image of every file asks: index the repository's images entries once per object set.
	const byName = ctx.objects.derived('kustomize-image-overrides', () => {
		const byName = new Map<string, Override[]>();
		for (const o of ctx.objects.ofKind('Kustomization')) {
			const images = o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') ? (isPlainObject(o.value.spec) ? o.value.spec.images : undefined) : o.value.images;
			if (!Array.isArray(images)) continue;
			for (const i of images) {
				if (!isPlainObject(i) || typeof i.name !== 'string') continue;
				const list = byName.get(i.name) ?? [];
				list.push({ newName: typeof i.newName === 'string' && i.newName !== '' ? i.newName : undefined, digest: typeof i.digest === 'string' && i.digest !== '' });
				byName.set(i.name, list);
			}
		}
		return byName;
	});
	return byName.get(name) ?? [];
}

/**
 * CIS 5.5.1 is about an admission controller (ImagePolicyWebhook) that the repository cannot
 * show; what it can show is whether each image is pinned by digest and, when the setting
 * `fleetscope.compliance.allowedRegistries` lists registries, whether it comes from one of them.
 * An image from another registry is a warning; an image pinned only by tag is an info note.
 * Images built from Flux variables (`${TAG}`) are not judged.
 */
export const imageProvenance: ComplianceRule = {
	id: 'cis-image-provenance',
	title: 'Image not pinned by digest or from a registry not allowed',
	severity: 'info',
	kinds: POD_TEMPLATE_KINDS,
	rationale:
		'A tag can be moved to other content at any time, so an image referenced by tag is not provably the one that was built, scanned and approved; a digest is. Images from registries outside your supply chain have no provenance your pipeline vouches for. Digests and a registry allowlist are what an image-provenance admission policy (CIS 5.5.1) enforces.',
	remediation:
		'Pin images by digest (image@sha256:…, or digest: in the kustomization\'s images:), pull them only from the registries listed in fleetscope.compliance.allowedRegistries, and verify signatures at admission (Kyverno verifyImages, Sigstore policy-controller, Ratify).',
	controls: ['CIS-K8S-5.5.1'],
	appliesTo: isPodTemplateKind,
	check(resource, ctx): ComplianceProblem[] {
		const pod = podSpecOf(resource);
		if (!pod) return [];
		const allowed = (ctx.settings['compliance.allowedRegistries'] ?? []).filter((s) => s.trim() !== '');
		const out: ComplianceProblem[] = [];
		for (const c of containersOf(pod)) {
			const image = c.container.image;
			if (typeof image !== 'string' || image.trim() === '' || image.includes('${')) continue;
			const ref = parseImage(image.trim());
			const overrides = overridesOf(ctx, ref.name);
			const path = [...c.path, 'image'];
			if (allowed.length > 0) {
				// Renamed by an overlay: the new names are what gets pulled.
				const names = overrides.some((o) => o.newName) ? overrides.flatMap((o) => (o.newName ? [o.newName] : [])) : [image.trim()];
				const outside = names.map(parseImage).filter((r) => !isAllowedRegistry(r, allowed));
				if (outside.length > 0) {
					const via = names[0] === image.trim() ? '' : ` (renamed by a kustomization's images: to ${andList(outside.map((r) => r.name))})`;
					out.push({
						path,
						target: 'value',
						severity: 'warning',
						message: `${c.label} pulls ${image.trim()}${via} from ${andList([...new Set(outside.map((r) => r.registry))])}, which is not in fleetscope.compliance.allowedRegistries (${allowed.join(', ')}): images from elsewhere have no provenance your pipeline vouches for. Mirror the image into an allowed registry, or add the registry to the setting. (CIS 5.5.1)`,
					});
					continue;
				}
			}
			if (ref.digest || overrides.some((o) => o.digest)) continue;
			const how = ref.tagged ? 'by tag, not by digest: a tag can be moved to other content' : 'with neither tag nor digest: it gets whatever latest points to when the node pulls it';
			out.push({
				path,
				target: 'value',
				message: `${c.label} runs ${image.trim()} ${how}, so what runs is not provably the image that was built and scanned. Pin it by digest (image@sha256:…, or digest: in the kustomization's images:) and verify signatures at admission. (CIS 5.5.1)`,
			});
		}
		return out;
	},
};
