import type { PromotionGateStatus, PromotionStyle } from '../../../../shared/protocol';

/**
 * The hidden, machine-readable block at the end of a promotion pull request's body, by which
 * Fleetscope recognises its own pull requests (Telefonistka keeps such a block, Kargo reuses an
 * open pull request): an HTML comment that hosts do not render, holding JSON in which `<`, `>`
 * and `&` are escaped, so no value can end the comment early.
 */

export const MARKER_PREFIX = '<!-- fleetscope-promotion: ';
const MARKER = /<!-- fleetscope-promotion: (\{.*?\}) -->/s;

export interface PromotionMarker {
	version: 1;
	app: string;
	from: string;
	to: string;
	style: PromotionStyle;
	branch: string;
	artifacts: { artifact: string; from: string; to: string }[];
	gates: Record<string, PromotionGateStatus>;
}

export function promotionMarker(m: PromotionMarker): string {
	const json = JSON.stringify(m).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return `${MARKER_PREFIX}${json} -->`;
}

/** The block of a pull request body, or undefined when it has none (or a damaged one). */
export function parsePromotionMarker(body: string | null | undefined): PromotionMarker | undefined {
	const m = body ? MARKER.exec(body) : null;
	if (!m) return undefined;
	let v: unknown;
	try {
		v = JSON.parse(m[1]);
	} catch {
		return undefined;
	}
	if (!v || typeof v !== 'object') return undefined;
	const o = v as Record<string, unknown>;
	if (o.version !== 1 || typeof o.app !== 'string' || typeof o.to !== 'string' || typeof o.from !== 'string' || typeof o.branch !== 'string') return undefined;
	return {
		version: 1,
		app: o.app,
		from: o.from,
		to: o.to,
		style: o.style === 'directory' ? 'directory' : 'value',
		branch: o.branch,
		artifacts: Array.isArray(o.artifacts) ? o.artifacts.filter((a): a is PromotionMarker['artifacts'][number] => !!a && typeof a === 'object' && typeof (a as { artifact?: unknown }).artifact === 'string') : [],
		gates: o.gates && typeof o.gates === 'object' ? (o.gates as Record<string, PromotionGateStatus>) : {},
	};
}

/** `fleetscope/promote/<app>/<environment>`, with what a Git ref cannot hold replaced. */
export function promotionBranch(app: string, environment: string): string {
	const part = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$|\.lock$/g, '') || 'x';
	return `fleetscope/promote/${part(app)}/${part(environment)}`;
}

/** App and environment of a promotion branch name, or undefined. */
export function parsePromotionBranch(branch: string): { app: string; environment: string } | undefined {
	const m = /^fleetscope\/promote\/([^/]+)\/([^/]+)$/.exec(branch);
	return m ? { app: m[1], environment: m[2] } : undefined;
}
