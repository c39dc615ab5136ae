import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import { fullFormats } from 'ajv-formats/dist/formats';

/**
 * Compiled CRD validators kept between runs. ajv turns a schema into JavaScript on first use; for
 * the big CRDs that is most of the cost of meeting a kind (Kyverno's ClusterPolicy: 80 ms of code
 * generation, then 30 ms for V8). The host stores the generated code (ajv's standalone form) and
 * gives it back on the next run, where it is only evaluated.
 */
export interface CompiledCodeStore {
	/** The code stored for this identity (a schema as compiled, with the compiler's options), or undefined. */
	read(identity: string): string | undefined;
	write(identity: string, code: string): void;
}

/** What the standalone code of our schemas requires: ajv's string length and the formats (createAjv). */
const RUNTIME: Record<string, unknown> = {
	'ajv/dist/runtime/ucs2length': { default: ucs2length },
	'ajv-formats/dist/formats': { fullFormats },
};

/** Bumped when what is compiled changes in a way the schema text does not show (options, formats, ajv). */
const CODE_VERSION = 'ajv8-allErrors-inlineRefs-noopt-k8sformats-1';

/**
 * The validator of a prepared schema: from the store when it has this schema's code, else compiled
 * (and stored). Code the store returns that does not evaluate to a validator is compiled afresh.
 */
export function compileWithStore(ajv: Ajv, schema: Record<string, unknown>, store: CompiledCodeStore | undefined): ValidateFunction {
	if (!store) return ajv.compile(schema);
	const identity = `${CODE_VERSION}\n${JSON.stringify(schema)}`;
	const stored = store.read(identity);
	if (stored !== undefined) {
		const fn = evaluate(stored);
		if (fn) return fn;
	}
	// ajv writes the standalone form only of what it compiled with `code.source`, and checks it then.
	const opts = ajv.opts.code as { source?: boolean };
	opts.source = true;
	try {
		const validate = ajv.compile(schema); // a schema ajv cannot compile throws for the caller
		try {
			const code = standaloneCode(ajv, validate);
			if (requiresOnlyRuntime(code)) store.write(identity, code);
		} catch {
			// Not storable: compiled again next time.
		}
		// The generated source was kept only for the standalone form.
		delete (validate as { source?: unknown }).source;
		return validate;
	} finally {
		opts.source = false;
	}
}

function requiresOnlyRuntime(code: string): boolean {
	return [...code.matchAll(/require\("([^"]+)"\)/g)].every((m) => m[1] in RUNTIME);
}

function evaluate(code: string): ValidateFunction | undefined {
	try {
		const module: { exports: unknown } = { exports: {} };
		const require = (id: string): unknown => {
			if (!(id in RUNTIME)) throw new Error(`not available to stored validators: ${id}`);
			return RUNTIME[id];
		};
		new Function('module', 'exports', 'require', code)(module, module.exports, require);
		return typeof module.exports === 'function' ? (module.exports as ValidateFunction) : undefined;
	} catch {
		return undefined;
	}
}
