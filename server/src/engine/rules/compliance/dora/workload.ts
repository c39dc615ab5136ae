import type { Resource } from '../../../core/resource';
import type { ComplianceContext } from '../rule';
import { isCritical, resourceFacts, factOf } from './facts';

/** A production workload of a critical or important app: what the Art 10 rules check, with the words for messages. */
export function criticalWorkload(resource: Resource, ctx: ComplianceContext): { who: string; criticality: string } | undefined {
	if (!ctx.production) return undefined;
	const { app, facts } = resourceFacts(resource, ctx);
	const criticality = factOf(facts, 'criticality');
	if (!isCritical(criticality)) return undefined;
	return { who: app ? `app "${app.name}"` : `this ${resource.kind}`, criticality: criticality! };
}

export const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet'];
