import type { ResourceCheck } from '../engine/context/check-context';
import { complianceChecks } from '../engine/rules/compliance';
import { apiVersionChecks, ownKindChecks, resourceChecks } from '../engine/rules/checks';
import type { BundledRegistry } from '../engine/schema/registry';
import { createNodeRegistry } from './registry';
import { createPolicyChecks } from '../engine/rules/policy';
// Registers the live-state rules (live-*), so every host's SARIF, docs and hovers know them.
import '../engine/rules/live';

/** What every host (language server, CLI) builds its Engine from: one registry, every check. */
export interface EngineDeps {
	/** Also compiles CRD schemas found in live clusters (`LiveSchemas`). */
	registry: BundledRegistry;
	checks: ResourceCheck[];
}

/** The registry of the bundled schemas and every check the product ships, in one place so LSP and CLI cannot differ. */
export function nodeEngineDeps(): EngineDeps {
	const registry = createNodeRegistry();
	return {
		registry,
		checks: [...resourceChecks, ...apiVersionChecks, ...complianceChecks, ...ownKindChecks, ...createPolicyChecks(registry)],
	};
}
