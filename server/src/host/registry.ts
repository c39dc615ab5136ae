import type { K8sValidatorSource } from '../engine/schema/k8s-fields';
import { createSchemaRegistry, type BundledRegistry } from '../engine/schema/registry';
import { K8S_VALIDATORS } from './k8s-validators';
import { NodeSchemaSource } from './schema-source';
import { nodeCompiledCodeStore } from './compiled-code-store';

/** kubernetes-models' validators, bundled by esbuild and evaluated on first use of each kind. */
export const nodeK8sValidators: K8sValidatorSource = {
	validator(typeKey) {
		const load = K8S_VALIDATORS[typeKey];
		try {
			return load?.();
		} catch {
			return undefined;
		}
	},
};

/**
 * The schema registry the LSP server, the CLI and the tests use: bundled schemas read from the
 * extension's `schemas/` directory (or `dir`). Create one per process and share it: compiled
 * schemas are cached in it.
 */
export function createNodeRegistry(dir?: string): BundledRegistry {
	return createSchemaRegistry({ source: new NodeSchemaSource(dir), k8sValidators: nodeK8sValidators, compiledCode: nodeCompiledCodeStore() });
}
