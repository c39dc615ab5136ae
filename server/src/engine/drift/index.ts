/**
 * Drift between Git and the clusters (docs/drift.md). The editor and the CLI call `computeDrift`;
 * hosts read live objects through `DriftProjection` (what to keep of each object) and turn a
 * render origin into a line with `storeLocator`.
 */
export { computeDrift, computeClusterDrift, type DriftClusterInput, type DriftOptions } from './engine';
export { driftInputs, type LiveFor } from './inputs';
export { ownersOf, type DriftOwner } from './owners';
export { DriftProjection, projectObject, type FieldTree, type KindRef } from './projection';
export { storeLocator, type Locator } from './locate';
export { groupOf, objectKey } from './identity';
export { formatPath, type Segment } from './paths';
export { maskSecret, normaliseSecret } from './normalise';
export { driftDocuments, type DriftDocuments } from './documents';
export { IgnoreRules, type IgnoreRule } from './ignore';
export { DriftFindings, driftFindings } from './findings';
