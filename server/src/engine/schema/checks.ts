import { apiRemovedCheck } from '../checks/api-removed';
import type { ResourceCheck } from '../engine';

/** The resource checks of the schema layer, for `new Engine(registry, settings, checks)`. */
export const schemaChecks: readonly ResourceCheck[] = [apiRemovedCheck];
