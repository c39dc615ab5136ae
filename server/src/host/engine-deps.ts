import type { ResourceCheck } from '../engine/context/check-context';
import type { FactsCache } from '../engine/context/repo-snapshot';
import { complianceChecks } from '../engine/rules/compliance';
import { apiVersionChecks, ownKindChecks, resourceChecksFor } from '../engine/rules/checks';
import { fieldVersionCheck } from '../engine/rules/checks/field-version';
import type { BundledRegistry } from '../engine/schema/registry';
import { createNodeRegistry } from './registry';
import { nodeFactsCache } from './facts-cache';
import { createPolicyChecks } from '../engine/rules/policy';

/** What every host (language server, CLI) builds its Engine from: one registry, every check. */
export interface EngineDeps {
	/** Also compiles CRD schemas found in live clusters (`LiveSchemas`). */
	registry: BundledRegistry;
	checks: ResourceCheck[];
	/** The facts of a folder's files kept between runs (host/facts-cache.ts). */
	factsCache(root: string): FactsCache | undefined;
}

/** The registry of the bundled schemas and every check the product ships, in one place so LSP and CLI cannot differ. */
export function nodeEngineDeps(): EngineDeps {
	const registry = createNodeRegistry();
	return {
		registry,
		checks: [...resourceChecksFor(registry), ...apiVersionChecks, fieldVersionCheck(registry.fieldVersions), ...complianceChecks, ...ownKindChecks, ...createPolicyChecks(registry)],
		factsCache: (root) => nodeFactsCache(root),
	};
}
