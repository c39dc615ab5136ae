/**
 * CEL as Kubernetes evaluates it (layer 2, pure): bufbuild/cel with the Kubernetes libraries it
 * lacks, optional syntax, compile-once caches and bounded evaluation. See docs/policies.md.
 */
export { CelEnvironment, DEFAULT_LIMITS, type CelCompileError, type CelCompiled, type CelLimits, type CelOutcome, type CelProgram } from './environment';
export { toCel, fromCel, showCel, Opaque, CelEvalError } from './values';
export { CelOptional } from './optional';
export { parseQuantity, compareQuantities, parseDuration, type Quantity } from './quantity';
export { RegexCache } from './regex';
