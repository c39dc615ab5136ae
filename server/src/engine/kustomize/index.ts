/**
 * Kustomize rendering in pure TypeScript, with the origin of every rendered value: what
 * `kubectl kustomize` (kustomize v5.5) and Flux's kustomize-controller produce for a directory of
 * the repository, for checks that run on what a cluster actually receives. See README.md in this
 * folder for what is supported.
 */
export type { KustomizeFs, NoteSeverity, Origin, PathKey, RenderedObject, RenderNote, RenderResult } from './types';
export { renderKustomization } from './build';
export { renderFluxPath, substituteVariables, type FluxKustomization, type SubstituteOptions } from './flux';
export { RenderCache, type Change } from './cache';
export { kustomizationReferences, type KustomizationReference } from './references';
