/**
 * Promotion for the editor and the CLI: `planPromotion` (the plan, its gates, the pull request's
 * words; writes nothing) and `executePromotion` (branch, commit, push, pull request). See docs/promotion.md.
 */
export { planPromotion, repositoryWeb, type PlanDeps, type PlanOutcome } from './plan';
export { executePromotion, PromotionError, type ExecuteDeps, type PromotionOutcome, type PushQuestion } from './execute';
export { listPromotionPullRequests } from './list';
