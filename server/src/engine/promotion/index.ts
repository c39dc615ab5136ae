/**
 * Promotion, pure: what the workspace layer and the CLI call. See docs/promotion.md.
 */
export { preparePromotion, finishPromotion, isGateName, type PromotionRequest, type PreparedPromotion, type PrepareResult, type PromotionFacts, type SoakSubject } from './plan';
export { GATE_NAMES, type ComplianceFact, type GateOverride, type LiveObservation, type SoakFact } from './gates';
export { observeCluster } from './live-observation';
export { parsePromotionMarker, parsePromotionBranch, promotionBranch, type PromotionMarker } from './marker';
export type { RepositoryWeb } from './text';
export type { PromotionTree } from './tree';
