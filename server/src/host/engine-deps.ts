import type { ResourceCheck } from '../engine/engine';
import { complianceChecks } from '../engine/compliance';
import { ownKindChecks, resourceChecks } from '../engine/checks';
import type { BundledRegistry } from '../engine/schema/registry';
import { createNodeRegistry, nodeSchemaChecks } from './registry';
// Registers the live-state rules (live-*), so every host's SARIF, docs and hovers know them.
import '../engine/live';

/** What every host (language server, CLI) builds its Engine from: one registry, every check. */
export interface EngineDeps {
	/** Also compiles CRD schemas found in live clusters (`LiveSchemas`). */
	registry: BundledRegistry;
	checks: ResourceCheck[];
}

/** The registry of the bundled schemas and every check the product ships, in one place so LSP and CLI cannot differ. */
export function nodeEngineDeps(): EngineDeps {
	return {
		registry: createNodeRegistry(),
		checks: [...resourceChecks, ...nodeSchemaChecks(), ...complianceChecks, ...ownKindChecks],
	};
}
