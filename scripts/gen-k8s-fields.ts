/**
 * Generates the compact field tree of the Kubernetes built-in kinds from kubernetes-models' `.d.ts`
 * files (TypeScript compiler API, syntax only), ahead of time:
 *
 * - `schemas/kubernetes/fields.json`: per type its properties (type reference, required flag,
 *   enum) and the apiVersion/kind → root type map. Used for strict unknown-field detection and
 *   completion. kubernetes-models' precompiled validators do not reject unknown fields.
 * - `schemas/kubernetes/descriptions.json`: per type its description and its properties'
 *   descriptions, loaded only for hover and completion (the CLI never reads it).
 * - `server/src/host/k8s-validators.ts`: lazy `require` thunks of the precompiled validator of each
 *   kind's root type, so esbuild bundles them and nothing runs until a kind is seen.
 *
 * Type references (see `server/src/engine/schema/k8s-fields.ts`): a type key (`IoK8sApiCoreV1Container`),
 * a scalar (`string`, `number`, `boolean`, `int-or-string`, `quantity`, `any`), `[]REF` (array of) or
 * `{}REF` (map of).
 *
 * Usage: node --import tsx scripts/gen-k8s-fields.ts
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const MODELS = join(ROOT, 'node_modules/kubernetes-models');
const MACHINERY = join(ROOT, 'node_modules/@kubernetes-models/apimachinery');
const OUT_DIR = join(ROOT, 'schemas/kubernetes');
const VALIDATORS_OUT = join(ROOT, 'server/src/host/k8s-validators.ts');

interface Prop {
	t: string;
	r?: 1;
	e?: string[];
}
interface TypeEntry {
	/** Display name (`Container`). */
	n: string;
	p: Record<string, Prop>;
}

/** Interfaces (properties unresolved) and aliases, keyed by full name without the leading `I`. */
interface RawInterface {
	key: string;
	name: string;
	description: string;
	members: { name: string; required: boolean; type: ts.TypeNode; description: string }[];
	/** Which local names resolve to which full keys in this file. */
	scope: Map<string, string>;
	file: string;
}
interface RawAlias {
	key: string;
	type: ts.TypeNode;
	scope: Map<string, string>;
}

const interfaces = new Map<string, RawInterface>();
const aliases = new Map<string, RawAlias>();

function walk(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (name === 'node_modules' || name === '_schemas') continue;
		if (statSync(p).isDirectory()) walk(p, out);
		else if (name.endsWith('.d.ts') && name !== 'index.d.ts') out.push(p);
	}
	return out;
}

function jsDocOf(node: ts.Node): string {
	const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
	if (!docs || docs.length === 0) return '';
	return (ts.getTextOfJSDocComment(docs[docs.length - 1].comment) ?? '').trim();
}

function propName(name: ts.PropertyName): string | undefined {
	if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
	return undefined;
}

function readFile(file: string): void {
	const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
	const scope = new Map<string, string>();
	const localIfaces: ts.InterfaceDeclaration[] = [];
	const localAliases: ts.TypeAliasDeclaration[] = [];
	for (const st of sf.statements) {
		if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
			for (const el of st.importClause.namedBindings.elements) {
				// Imports already use the full names (`IIoK8sApiCoreV1EnvVar`).
				if (el.name.text.startsWith('IIoK8s')) scope.set(el.name.text, el.name.text.slice(1));
			}
		} else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
			for (const el of st.exportClause.elements) {
				const local = el.propertyName?.text ?? el.name.text;
				if (el.name.text.startsWith('IIoK8s')) scope.set(local, el.name.text.slice(1));
			}
		} else if (ts.isInterfaceDeclaration(st)) localIfaces.push(st);
		else if (ts.isTypeAliasDeclaration(st) && st.name.text.startsWith('I')) localAliases.push(st);
	}
	for (const decl of localIfaces) {
		const key = scope.get(decl.name.text);
		if (!key) continue;
		const members: RawInterface['members'] = [];
		for (const m of decl.members) {
			if (!ts.isPropertySignature(m) || !m.type) continue;
			const name = propName(m.name);
			if (name === undefined) continue;
			members.push({ name, required: !m.questionToken, type: m.type, description: jsDocOf(m) });
		}
		interfaces.set(key, { key, name: decl.name.text.slice(1), description: jsDocOf(decl), members, scope, file });
	}
	for (const decl of localAliases) {
		const key = scope.get(decl.name.text);
		if (key) aliases.set(key, { key, type: decl.type, scope });
	}
}

const SCALARS: Record<string, string> = {
	IoK8sApimachineryPkgUtilIntstrIntOrString: 'int-or-string',
	IoK8sApimachineryPkgApiResourceQuantity: 'quantity',
};

/** The reference string of a type node, plus its enum values where it is a union of string literals. */
function refOf(node: ts.TypeNode, scope: Map<string, string>): { t: string; e?: string[] } {
	switch (node.kind) {
		case ts.SyntaxKind.StringKeyword:
			return { t: 'string' };
		case ts.SyntaxKind.NumberKeyword:
			return { t: 'number' };
		case ts.SyntaxKind.BooleanKeyword:
			return { t: 'boolean' };
		case ts.SyntaxKind.AnyKeyword:
		case ts.SyntaxKind.UnknownKeyword:
		case ts.SyntaxKind.ObjectKeyword:
			return { t: 'any' };
	}
	if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { t: 'string', e: [node.literal.text] };
	if (ts.isUnionTypeNode(node)) {
		const lits = node.types.filter((x): x is ts.LiteralTypeNode => ts.isLiteralTypeNode(x) && ts.isStringLiteral(x.literal));
		if (lits.length === node.types.length) return { t: 'string', e: lits.map((l) => (l.literal as ts.StringLiteral).text) };
		const kinds = new Set(node.types.map((x) => x.kind));
		if (kinds.size === 2 && kinds.has(ts.SyntaxKind.StringKeyword) && kinds.has(ts.SyntaxKind.NumberKeyword)) return { t: 'int-or-string' };
		return { t: 'any' };
	}
	if (ts.isArrayTypeNode(node)) return { t: '[]' + refOf(node.elementType, scope).t };
	if (ts.isTypeLiteralNode(node)) {
		const index = node.members.find(ts.isIndexSignatureDeclaration);
		if (index && node.members.length === 1) return { t: '{}' + refOf(index.type, scope).t };
		return { t: 'any' };
	}
	if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
		const name = node.typeName.text;
		if (name === 'Array' && node.typeArguments?.length === 1) return { t: '[]' + refOf(node.typeArguments[0], scope).t };
		const key = scope.get(name);
		if (!key) return { t: 'any' };
		if (SCALARS[key]) return { t: SCALARS[key] };
		const alias = aliases.get(key);
		if (alias) return refOf(alias.type, alias.scope);
		const iface = interfaces.get(key);
		// Empty interfaces are free-form (RawExtension, JSON, FieldsV1): accept anything.
		if (!iface || iface.members.length === 0) return { t: 'any' };
		return { t: key };
	}
	return { t: 'any' };
}

function main(): void {
	const files = [...walk(MODELS), ...walk(MACHINERY)];
	for (const f of files) readFile(f);

	const types: Record<string, TypeEntry> = {};
	const descriptions: Record<string, Record<string, string>> = {};
	const kinds: Record<string, string> = {};
	const validatorFiles = new Map<string, string>();
	for (const iface of [...interfaces.values()].sort((a, b) => a.key.localeCompare(b.key))) {
		if (iface.members.length === 0) continue;
		const entry: TypeEntry = { n: iface.name, p: {} };
		const desc: Record<string, string> = {};
		if (iface.description) desc[''] = iface.description;
		let apiVersion: string | undefined;
		let kind: string | undefined;
		for (const m of iface.members) {
			const ref = refOf(m.type, iface.scope);
			const prop: Prop = { t: ref.t };
			if (m.required) prop.r = 1;
			if (ref.e) prop.e = ref.e;
			entry.p[m.name] = prop;
			if (m.description) desc[m.name] = m.description;
			if (m.name === 'apiVersion' && ref.e?.length === 1) apiVersion = ref.e[0];
			if (m.name === 'kind' && ref.e?.length === 1) kind = ref.e[0];
		}
		types[iface.key] = entry;
		descriptions[iface.key] = desc;
		if (apiVersion && kind && iface.file.startsWith(MODELS)) {
			kinds[`${apiVersion}|${kind}`] = iface.key;
			validatorFiles.set(iface.key, relative(join(ROOT, 'server/src/host'), join(MODELS, '_schemas', `${iface.key}.js`)));
		}
	}
	// CRDs' metadata is validated as ObjectMeta too.
	const objectMeta = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';
	const machineryVersion = JSON.parse(readFileSync(join(MACHINERY, 'package.json'), 'utf8')).version;
	const modelsVersion = JSON.parse(readFileSync(join(MODELS, 'package.json'), 'utf8')).version;

	mkdirSync(OUT_DIR, { recursive: true });
	const source = `kubernetes-models ${modelsVersion}, @kubernetes-models/apimachinery ${machineryVersion}`;
	writeFileSync(join(OUT_DIR, 'fields.json'), JSON.stringify({ source, kinds, types }));
	writeFileSync(join(OUT_DIR, 'descriptions.json'), JSON.stringify(descriptions));

	const lines = [...validatorFiles.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([key, file]) => `\t${key}: () => require('${file.split('\\').join('/')}').validate,`);
	const ts = `// Generated by scripts/gen-k8s-fields.ts: do not edit.
/* eslint-disable */
import type { K8sValidateFn } from '../engine/schema/k8s-fields';

/**
 * kubernetes-models' precompiled (ajv standalone) validator of each kind's root type, as lazy
 * thunks: esbuild bundles every module, but none is evaluated until its kind is first validated.
 * The files are required by relative path because kubernetes-models does not export \`_schemas/\`.
 */
export const K8S_VALIDATORS: Record<string, () => K8sValidateFn> = {
${lines.join('\n')}
	${objectMeta}: () => require('@kubernetes-models/apimachinery/_schemas/${objectMeta}').validate,
};
`;
	writeFileSync(VALIDATORS_OUT, ts);
	console.log(`${Object.keys(kinds).length} kinds, ${Object.keys(types).length} types → schemas/kubernetes/, ${validatorFiles.size} validators → server/src/host/k8s-validators.ts`);
}

main();
