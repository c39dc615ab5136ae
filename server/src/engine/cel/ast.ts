import type { parse } from '@bufbuild/cel';
import { OPT_FIELD_PREFIX, OPT_INDEX_FUNCTION } from './syntax';

/**
 * Rewrites of the parsed AST before planning: the optional syntax back to calls (see `syntax.ts`),
 * the `cel.bind` and `optMap`/`optFlatMap` macros bufbuild/cel lacks, and a cost hook on every
 * comprehension (its range is charged in full before it runs, each step counts) so that no
 * expression runs unbounded. Also collects what the static check needs: calls and free identifiers.
 */

export type Expr = ReturnType<typeof parse>['expr'];
type Call = Extract<Expr['exprKind'], { case: 'callExpr' }>['value'];
type Comprehension = Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value'];

/** Internal function names (no user expression can spell them: they start with `@`). */
export const RANGE_HOOK = '@fs.range';
export const STEP_HOOK = '@fs.step';
export const OPT_SELECT = '@fs.optSelect';
export const OPT_INDEX = '@fs.optIndex';

/** A function call of the expression: name (qualified where the target is a namespace), and whether it is a method. */
export interface CallSite {
	id: number;
	name: string;
	method: boolean;
	args: number;
}

export interface AstFacts {
	calls: CallSite[];
	/** Identifiers used without being bound by a comprehension (the expression's variables). */
	free: { id: number; name: string }[];
	nodes: number;
}

/**
 * Makes the nodes a rewrite adds, with ids of their own: above the parser's (which count from 1),
 * unique within the one expression the builder serves.
 */
class NodeBuilder {
	private synthetic = 1_000_000;

	private node(kind: Expr['exprKind']): Expr {
		return { $typeName: 'cel.expr.Expr', id: BigInt(++this.synthetic), exprKind: kind } as Expr;
	}
	call(fn: string, args: Expr[], target?: Expr): Expr {
		return this.node({ case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: fn, args, target } as Call });
	}
	ident(name: string): Expr {
		return this.node({ case: 'identExpr', value: { $typeName: 'cel.expr.Expr.Ident', name } } as Expr['exprKind']);
	}
	constant(kind: 'boolValue' | 'stringValue', value: boolean | string): Expr {
		return this.node({ case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: kind, value } } } as Expr['exprKind']);
	}
	emptyList(): Expr {
		return this.node({ case: 'listExpr', value: { $typeName: 'cel.expr.Expr.CreateList', elements: [], optionalIndices: [] } } as Expr['exprKind']);
	}
	comprehension(c: Partial<Comprehension>): Expr {
		return this.node({ case: 'comprehensionExpr', value: { $typeName: 'cel.expr.Expr.Comprehension', iterVar2: '', ...c } as Comprehension });
	}

	/** `cel.bind(x, init, body)`: body with x bound to init, as cel-go expands it (a comprehension over nothing). */
	bind(name: string, init: Expr, body: Expr): Expr {
		return this.comprehension({ iterVar: '#unused', iterRange: this.emptyList(), accuVar: name, accuInit: init, loopCondition: this.constant('boolValue', false), loopStep: this.ident(name), result: body });
	}

	/** `opt.optMap(x, body)`: `opt.hasValue() ? optional.of(cel.bind(x, opt.value(), body)) : optional.none()`; optFlatMap without the `of`. */
	optMap(target: Expr, name: string, body: Expr, flat: boolean): Expr {
		const bound = this.bind(name, this.call('value', [], target), body);
		return this.call('_?_:_', [this.call('hasValue', [], target), flat ? bound : this.call('optional.of', [bound]), this.call('optional.none', [])]);
	}
}

/** Whether an expression is an optional selection or index (its chain continues optionally). */
function isOptionalChain(e: Expr): boolean {
	return e.exprKind.case === 'callExpr' && (e.exprKind.value.function === OPT_SELECT || e.exprKind.value.function === OPT_INDEX);
}

function qualified(e: Expr | undefined): string | undefined {
	if (!e) return undefined;
	if (e.exprKind.case === 'identExpr') return e.exprKind.value.name;
	if (e.exprKind.case === 'selectExpr' && !e.exprKind.value.testOnly) {
		const inner = qualified(e.exprKind.value.operand);
		return inner ? `${inner}.${e.exprKind.value.field}` : undefined;
	}
	return undefined;
}

/** Namespaces of functions, not variables: `optional.of`, `format.dns1123Label`, `ip.isCanonical`. */
const NAMESPACES = new Set(['optional', 'format', 'ip', 'strings', 'math', 'cel', 'lists', 'sets']);

/** Rewrites `expr` in place (see the file comment) and returns what the static check reads. */
export function rewrite(expr: Expr): AstFacts {
	const facts: AstFacts = { calls: [], free: [], nodes: 0 };
	const b = new NodeBuilder();
	const visit = (e: Expr, bound: readonly string[]): Expr => {
		facts.nodes++;
		const k = e.exprKind;
		switch (k.case) {
			case 'identExpr':
				if (!bound.includes(k.value.name)) facts.free.push({ id: Number(e.id), name: k.value.name });
				return e;
			case 'selectExpr': {
				const field = k.value.field;
				if (field.startsWith(OPT_FIELD_PREFIX) && k.value.operand) {
					const operand = visit(k.value.operand, bound);
					return { ...e, exprKind: { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: OPT_SELECT, args: [operand, b.constant('stringValue', field.slice(OPT_FIELD_PREFIX.length))] } as Call } } as Expr;
				}
				if (k.value.operand) k.value.operand = visit(k.value.operand, bound);
				// After `.?`, the rest of the chain is optional too (`a.?b.c` is none where b is absent).
				if (k.value.operand && isOptionalChain(k.value.operand) && !k.value.testOnly) {
					return { ...e, exprKind: { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: OPT_SELECT, args: [k.value.operand, b.constant('stringValue', field)] } as Call } } as Expr;
				}
				return e;
			}
			case 'callExpr': {
				const c = k.value;
				const ns = qualified(c.target);
				if (ns === 'cel' && c.function === 'bind' && c.args.length === 3 && c.args[0].exprKind.case === 'identExpr') {
					const name = c.args[0].exprKind.value.name;
					return visit(b.bind(name, c.args[1], c.args[2]), bound);
				}
				if ((c.function === 'optMap' || c.function === 'optFlatMap') && c.target && c.args.length === 2 && c.args[0].exprKind.case === 'identExpr') {
					return visit(b.optMap(c.target, c.args[0].exprKind.value.name, c.args[1], c.function === 'optFlatMap'), bound);
				}
				if (c.function === '_[_]' && c.args.length === 2) {
					const index = c.args[1];
					if (index.exprKind.case === 'callExpr' && index.exprKind.value.function === OPT_INDEX_FUNCTION && index.exprKind.value.args.length === 1) {
						c.function = OPT_INDEX;
						c.args = [c.args[0], index.exprKind.value.args[0]];
					}
				}
				const optionalIndex = c.function === '_[_]' && c.args.length === 2;
				const namespaced = ns !== undefined && (NAMESPACES.has(ns.split('.')[0]) && !bound.includes(ns.split('.')[0]));
				facts.calls.push({ id: Number(e.id), name: namespaced ? `${ns}.${c.function}` : c.function, method: !namespaced && c.target !== undefined, args: c.args.length });
				if (c.target && !namespaced) c.target = visit(c.target, bound);
				c.args = c.args.map((a) => visit(a, bound));
				if (optionalIndex && isOptionalChain(c.args[0])) c.function = OPT_INDEX;
				return e;
			}
			case 'listExpr':
				k.value.elements = k.value.elements.map((x) => visit(x, bound));
				return e;
			case 'structExpr':
				for (const entry of k.value.entries) {
					if (entry.keyKind.case === 'mapKey') entry.keyKind.value = visit(entry.keyKind.value, bound);
					if (entry.value) entry.value = visit(entry.value, bound);
				}
				return e;
			case 'comprehensionExpr': {
				const c = k.value;
				if (c.iterRange) c.iterRange = b.call(RANGE_HOOK, [visit(c.iterRange, bound)]);
				if (c.accuInit) c.accuInit = visit(c.accuInit, bound);
				const inner = [...bound, c.iterVar, c.accuVar, ...(c.iterVar2 ? [c.iterVar2] : [])];
				if (c.loopCondition) c.loopCondition = visit(c.loopCondition, inner);
				if (c.loopStep) c.loopStep = b.call(STEP_HOOK, [visit(c.loopStep, inner)]);
				if (c.result) c.result = visit(c.result, [...bound, c.accuVar]);
				return e;
			}
			default:
				return e;
		}
	};
	const out = visit(expr, []);
	if (out !== expr) Object.assign(expr, out);
	return facts;
}
