import type { ResourceCheck } from '../engine/context/check-context';
import { complianceChecks } from '../engine/rules/compliance';
import { apiVersionChecks, ownKindChecks, resourceChecksFor } from '../engine/rules/checks';
import { fieldVersionCheck } from '../engine/rules/checks/field-version';
import type { BundledRegistry } from '../engine/schema/registry';
import { createNodeRegistry } from './registry';
import { createPolicyChecks } from '../engine/rules/policy';

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
		checks: [...resourceChecksFor(registry), ...apiVersionChecks, fieldVersionCheck(registry.fieldVersions), ...complianceChecks, ...ownKindChecks, ...createPolicyChecks(registry)],
	};
}
