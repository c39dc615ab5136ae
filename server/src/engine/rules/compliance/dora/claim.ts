import { isPlainObject, type Resource } from '../../../core/resource';
import { parseMinor } from '../context';
import type { ComplianceContext } from '../rule';
import { clusterOfClaim } from './fleet';

/** What the DORA rules read from a ClusterClaim. */
export interface ClaimFacts {
	spec: Record<string, unknown>;
	provider?: string;
	region?: string;
	/** The minor of spec.kubernetes.version when it is a string `1.N` (a number is the YAML 1.1 trap, reported elsewhere). */
	minor?: number;
	version?: string;
}

export function claimFacts(resource: Resource, ctx: ComplianceContext): ClaimFacts {
	const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
	const cluster = clusterOfClaim(resource, ctx);
	const k = isPlainObject(spec.kubernetes) ? spec.kubernetes : {};
	const version = typeof k.version === 'string' ? k.version : undefined;
	return {
		spec,
		provider: typeof spec.cloudProvider === 'string' ? spec.cloudProvider : cluster?.provider,
		region: typeof spec.region === 'string' ? spec.region : cluster?.region,
		version,
		minor: version === undefined ? undefined : parseMinor(version),
	};
}

/** `ClusterClaim "prod-eu-west-1"`. */
export function claimName(resource: Resource): string {
	return `ClusterClaim "${resource.name ?? '?'}"`;
}
