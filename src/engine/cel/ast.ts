/**
 * @module Rewrites applied to a parsed cel-js AST before it is type-checked: regex method calls are
 * redirected to the RE2 implementations, and every node is wrapped with a step counter so a runaway
 * expression stops with an error instead of hanging (cel-js has no runtime cost limit of its own).
 */
import { activeStepBudget, budgetExceeded, checkRequestTime, sizeCost } from './budget.js';
import { Optional, UnsignedInt } from './cel-js.js';
import { CelEvalError } from './errors.js';

export interface AstNode {
  readonly op: string;
  args: unknown;
  readonly meta?: { readonly macro?: unknown; readonly alternate?: unknown; readonly evaluate?: unknown };
  evaluate(ev: unknown, ast: unknown, ctx: unknown): unknown;
  /** cel-js installs `meta.evaluate` as the node's evaluator on its first evaluation. */
  setMeta(key: string, value: unknown): unknown;
  /** False once cel-js has checked that the node's evaluation is synchronous. */
  readonly maybeAsync?: boolean;
}

interface OrValueMacro {
  receiver: unknown;
  arg: unknown;
  evaluate: (ev: { run(ast: unknown, ctx: unknown): unknown }, macro: OrValueMacro, ctx: unknown) => unknown;
}

function isNode(v: unknown): v is AstNode {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { op?: unknown }).op === 'string' &&
    typeof (v as { evaluate?: unknown }).evaluate === 'function'
  );
}

/** Visits every node reachable through `args` (macro bodies are built from these same nodes). */
export function forEachNode(root: unknown, visit: (node: AstNode) => void): void {
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isNode(v) || seen.has(v)) return;
    seen.add(v);
    visit(v);
    walk(v.args);
  };
  walk(root);
}

/**
 * The parsed expression's structure as text: each node's operator and arguments, fully bracketed,
 * literals tagged by type, without positions, spaces, comments or redundant parentheses. Two
 * expressions with the same key parse to the same tree, so (in one environment) they evaluate to
 * the same value at the same cost. Undefined when the tree holds a literal this does not know.
 * Taken before the rewrites, which are functions of the tree.
 */
export function structuralKey(root: unknown): string | undefined {
  const parts: string[] = [];
  const write = (v: unknown): boolean => {
    switch (typeof v) {
      case 'string':
        parts.push(JSON.stringify(v));
        return true;
      case 'bigint':
        parts.push(`${v}n`);
        return true;
      case 'number':
        parts.push(Object.is(v, -0) ? 'd-0' : `d${v}`);
        return true;
      case 'boolean':
        parts.push(v ? 'T' : 'F');
        return true;
      case 'undefined':
        parts.push('U');
        return true;
      case 'object':
        break;
      default:
        return false;
    }
    if (v === null) parts.push('N');
    else if (Array.isArray(v)) {
      parts.push('[');
      for (const x of v) {
        if (!write(x)) return false;
        parts.push(',');
      }
      parts.push(']');
    } else if (isNode(v)) {
      parts.push(`(${JSON.stringify(v.op)} `);
      if (!write(v.args)) return false;
      parts.push(')');
    } else if (v instanceof UnsignedInt) parts.push(`${v.valueOf()}u`);
    else if (v instanceof Uint8Array) parts.push(`b[${v.join(',')}]`);
    else return false;
    return true;
  };
  return write(root) ? parts.join('') : undefined;
}

/** The names of the identifiers `root` refers to (variables, iteration variables, namespaces). */
export function referencedIdentifiers(root: unknown): Set<string> {
  const names = new Set<string>();
  forEachNode(root, (node) => {
    if (node.op === 'id' && typeof node.args === 'string') names.add(node.args);
  });
  return names;
}

/** A `variables.<name>` (or `variables.?<name>`, `has(variables.<name>)`) an expression reads. */
export interface VariableFieldRead {
  readonly name: string;
  /** Offset in the expression where the `variables` identifier ends (its dot follows). */
  readonly start: number;
}

function isIdNamed(v: unknown, name: string): boolean {
  return isNode(v) && v.op === 'id' && v.args === name;
}

/**
 * True for a comprehension (`l.all(variables, …)`, `l.map(i, variables, …)`) or `cel.bind` whose
 * bound name is `variables`: an `rcall`'s arguments (`[method, receiver, [args]]`) start with the
 * bound ids.
 */
function bindsVariables(args: readonly unknown[]): boolean {
  const call = args[2];
  if (!Array.isArray(call)) return false;
  if (call.length > 1 && isIdNamed(call[0], 'variables')) return true;
  return call.length > 2 && isNode(call[0]) && call[0].op === 'id' && isIdNamed(call[1], 'variables');
}

/**
 * The fields of the `variables` object an expression selects, in source order. Kyverno types
 * `variables` as an object whose fields are the variables declared so far, so cel-go rejects any
 * other field at compile time. A macro that binds `variables` itself (a comprehension's loop
 * variable, `cel.bind`) shadows it: nothing inside is read here.
 */
export function variableFieldReads(root: unknown): VariableFieldRead[] {
  const reads: VariableFieldRead[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isNode(v)) return;
    const args = v.args;
    if ((v.op === '.' || v.op === '.?') && Array.isArray(args) && isIdNamed(args[0], 'variables')) {
      // cel-go places a selection at its dot: after the `variables` identifier.
      const end = (args[0] as { range?: { end?: unknown } }).range?.end;
      reads.push({ name: String(args[1]), start: typeof end === 'number' ? end : 0 });
      return;
    }
    if (v.op === 'rcall' && Array.isArray(args) && bindsVariables(args)) return;
    walk(args);
  };
  walk(root);
  return reads.sort((a, b) => a.start - b.start);
}

/** Method names whose cel-js built-ins use backtracking `RegExp`, mapped to our RE2 overloads. */
export const REGEX_METHOD_RENAMES: ReadonlyMap<string, string> = new Map([['matches', 're2Matches']]);

/** `s.matches(re)` → `s.re2Matches(re)`; error texts are mapped back by `publicName`. */
export function renameRegexMethods(root: unknown): void {
  forEachNode(root, (node) => {
    if (node.op !== 'rcall' || !Array.isArray(node.args)) return;
    const renamed = REGEX_METHOD_RENAMES.get(String(node.args[0]));
    if (renamed !== undefined) node.args[0] = renamed;
  });
}

/** Replaces internal function names in a message with the names the policy author wrote. */
export function publicName(message: string): string {
  let out = message;
  for (const [from, to] of REGEX_METHOD_RENAMES) out = out.split(to).join(from);
  return out;
}

/**
 * Kyverno keeps pre-cel-go-0.28 behaviour where `x.orValue(y)` on a value that is not an optional
 * yields `x` (policies such as `container.volumeMounts.orValue([])` rely on it).
 */
export function allowOrValueOnValues(root: unknown): void {
  const shortcut = optionalChainShortcut;
  forEachNode(root, (node) => {
    if (node.op !== 'rcall' || !Array.isArray(node.args) || node.args[0] !== 'orValue') return;
    const macro = node.meta?.macro as OrValueMacro | undefined;
    if (macro === undefined || typeof macro.evaluate !== 'function' || macro.receiver === undefined) return;
    const chain = shortcut ? optionalChain(macro.receiver) : undefined;
    macro.evaluate = (ev, m, ctx) => {
      // Synchronous evaluation only (cel-js marks the node once it is checked): the chain's
      // handlers then never return promises.
      const value =
        chain !== undefined && node.maybeAsync === false
          ? selectOptionalChain(ev, chain, ctx)
          : ev.run(m.receiver, ctx);
      if (value === ABSENT) return ev.run(m.arg, ctx);
      if (!(value instanceof Optional)) return value;
      return value.hasValue() ? value.value() : ev.run(m.arg, ctx);
    };
  });
}

/** Whether expressions compiled from now on read optional chains with `selectOptionalChain`. */
let optionalChainShortcut = true;

/** Turns the optional-chain shortcut off (or on again): the differential tests compare both. */
export function useOptionalChainShortcut(enabled: boolean): void {
  optionalChainShortcut = enabled;
}

/** Whether `allowOrValueOnValues` installs the optional-chain shortcut now. */
export function optionalChainShortcutEnabled(): boolean {
  return optionalChainShortcut;
}

/** A checked `x.?f` node: cel-js's handler selects `f` of the value (or optional) `x` gave. */
export interface OptionalSelect extends AstNode {
  readonly args: [unknown, string];
  readonly handle: (left: unknown, key: string, node: unknown, ev: unknown) => unknown;
}

export interface OptionalChain {
  /** The `.?` selections, outermost first. */
  readonly selects: readonly OptionalSelect[];
  /** The operand the first selection applies to. */
  readonly operand: unknown;
}

/** `operand.?a.?b…`: the plain `.?` selections a receiver ends with (undefined when it has none). */
export function optionalChain(receiver: unknown): OptionalChain | undefined {
  const selects: OptionalSelect[] = [];
  let current = receiver;
  while (
    isNode(current) &&
    current.op === '.?' &&
    Array.isArray(current.args) &&
    typeof current.args[1] === 'string' &&
    current.meta?.alternate === undefined &&
    current.meta?.macro === undefined
  ) {
    selects.push(current as OptionalSelect);
    current = current.args[0];
  }
  return selects.length > 0 ? { selects, operand: current } : undefined;
}

/** No value: what cel-js's optional.none() stands for in a chain walked by `selectOptionalChain`. */
export const ABSENT: unique symbol = Symbol('absent');

/** A map as cel-js reads one with `hasOwn` (its type check: constructor undefined or Object). */
export function isPlainMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const c = (v as { constructor?: unknown }).constructor;
  return c === undefined || c === Object;
}

/** A value cel-js's `dyn` check accepts as it stands (what a map field of JSON data holds). */
export function isPlainValue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'bigint':
    case 'number':
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      const c = (v as { constructor?: unknown }).constructor;
      return c === undefined || c === Object || c === Array;
    }
    default:
      return false;
  }
}

/**
 * `operand.?a.?b…` as cel-js evaluates it, without an Optional per step: where a step selects a
 * field of a plain map (JSON data) it is read directly, exactly as cel-js's map field access reads
 * it; any other step (an optional operand, a list, a message, an unusual value) is cel-js's own
 * handler. Every `.?` node still costs its unit, charged before the operand is evaluated as the
 * node-by-node walk charges them. Returns ABSENT for none, the value itself, or cel-js's Optional.
 */
function selectOptionalChain(ev: unknown, chain: OptionalChain, ctx: unknown): unknown {
  const budget = activeStepBudget();
  if (budget !== undefined) {
    budget.steps += chain.selects.length;
    if (budget.steps > budget.limit) throw budgetExceeded(budget);
    if (budget.steps >= budget.nextTimeCheck) checkRequestTime(budget);
  }
  let current = (ev as { run(node: unknown, ctx: unknown): unknown }).run(chain.operand, ctx);
  for (let i = chain.selects.length - 1; i >= 0; i--) {
    if (current === ABSENT) continue;
    const select = chain.selects[i] as OptionalSelect;
    const key = select.args[1];
    if (!(current instanceof Optional) && isPlainMap(current)) {
      const value = Object.hasOwn(current, key) ? current[key] : undefined;
      if (value === undefined) {
        current = ABSENT;
        continue;
      }
      if (isPlainValue(value)) {
        current = value;
        continue;
      }
    }
    current = select.handle(current, key, select, ev);
  }
  return current;
}

interface HasMacro {
  args: unknown[];
  macroHasProps?: unknown[];
  typeCheck: (checker: HasChecker, macro: HasMacro, ctx: unknown) => unknown;
  evaluate: (ev: HasEvaluator, macro: HasMacro, ctx: unknown) => unknown;
}

interface HasEvaluator {
  run(node: unknown, ctx: unknown): unknown;
  debugType(value: unknown): { fieldLazy(obj: unknown, key: unknown, node: unknown, ev: unknown): unknown };
}

/**
 * The value whose field `has()` tests, reached the way cel-js's own has() walks the chain (only
 * its root is type-checked, so the `.` nodes cannot be run directly); undefined when a step is
 * missing, which the original evaluation then reports.
 */
function hasOperand(ev: HasEvaluator, m: HasMacro, ctx: unknown): unknown {
  const props = (m.macroHasProps ?? []) as { op?: string; args?: unknown[] }[];
  const root = props[props.length - 1];
  if (root === undefined) return undefined;
  let value = ev.run(root, ctx);
  for (let i = props.length - 2; i >= 1; i--) {
    if (value === undefined || value === null) return undefined;
    value = ev.debugType(value).fieldLazy(value, props[i]?.args?.[1], props[i], ev);
  }
  return value;
}

interface HasChecker {
  check(node: unknown, ctx: unknown): unknown;
  getType(name: string): unknown;
  createError(code: string, message: string, node: unknown): Error;
}

/**
 * cel-go accepts `has(e.f)` for any operand `e` (e.g. `has(list[i].f)`); cel-js insists that the
 * selection chain starts at an identifier. Its evaluator handles any operand, so only the check
 * is widened: the chain may start at any expression, which is type-checked as usual.
 */
export function allowHasOnAnyOperand(root: unknown): void {
  forEachNode(root, (node) => {
    if (node.op !== 'call' || !Array.isArray(node.args) || node.args[0] !== 'has') return;
    const macro = node.meta?.macro as HasMacro | undefined;
    if (macro === undefined || typeof macro.typeCheck !== 'function') return;
    macro.typeCheck = (checker, m, ctx) => {
      let current = m.args[0] as { op?: string; args?: unknown[] } | undefined;
      if (current?.op !== '.' && current?.op !== '.?') {
        throw checker.createError('invalid_macro_argument', 'has() invalid argument', current);
      }
      if (m.macroHasProps === undefined) {
        const props: unknown[] = [];
        while (current !== undefined && (current.op === '.' || current.op === '.?')) {
          props.push(current);
          current = current.args?.[0] as typeof current;
        }
        checker.check(current, ctx);
        props.push(current);
        m.macroHasProps = props;
      }
      return checker.getType('bool');
    };
    const evaluate = macro.evaluate;
    macro.evaluate = (ev, m, ctx) => {
      // cel-go: selecting a field of a list (a presence test included) is an evaluation error;
      // cel-js answers `false` for has(list.f). Operands are pure, so walking them twice is safe.
      if (Array.isArray(hasOperand(ev, m, ctx)))
        throw new CelEvalError(`unsupported index type 'string' in list`);
      return evaluate(ev, m, ctx);
    };
  });
}

/**
 * cel-go: an optional selection `l.?f` / `l[?"f"]` of a list (or of an optional holding one) is an
 * evaluation error, as the plain selection is; cel-js answers optional.none(). Runs after the
 * check, which sets up the node handlers this wraps.
 */
export function errorOnOptionalSelectOfList(root: unknown): void {
  forEachNode(root, (node) => {
    if (node.op !== '.?' && node.op !== '[?]') return;
    const select = node as unknown as {
      handle?: (l: unknown, r: unknown, n: unknown, ev: unknown) => unknown;
    };
    const handle = select.handle;
    if (typeof handle !== 'function') return;
    select.handle = (left, right, n, ev) => {
      const list = left instanceof Optional ? (left.hasValue() ? left.value() : undefined) : left;
      if (Array.isArray(list) && typeof right === 'string')
        throw new CelEvalError(`unsupported index type 'string' in list`);
      return handle(left, right, n, ev);
    };
  });
}

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** Ops whose result is a newly built value; large results are charged by size (strings, lists). */
export const BUILDING_OPS: ReadonlySet<string> = new Set(['+', 'call', 'rcall']);

/**
 * Wraps each node's `evaluate` so that every evaluation step is counted against the running
 * evaluation's budget, values an op builds are charged by size (so doubling strings or lists stops
 * long before memory runs out), and any int result outside int64 is an overflow error, as in cel-go
 * (cel-js checks only + - *).
 */
export function instrumentBudget(root: unknown): void {
  forEachNode(root, (node) => {
    const proto = Object.getPrototypeOf(node) as AstNode;
    const dispatch = proto.evaluate;
    const building = BUILDING_OPS.has(node.op);
    // The prototype method installs the node's real evaluator as an own property on first use
    // (after every rewrite above has run): taken from there once, it is called directly after.
    let base: AstNode['evaluate'] | undefined;
    const counted = function (this: AstNode, ev: unknown, ast: unknown, ctx: unknown): unknown {
      const budget = activeStepBudget();
      if (budget !== undefined) {
        if (++budget.steps > budget.limit) throw budgetExceeded(budget);
        if (budget.steps >= budget.nextTimeCheck) checkRequestTime(budget);
      }
      let result: unknown;
      if (base !== undefined) result = base.call(this, ev, ast, ctx);
      else {
        try {
          result = dispatch.call(this, ev, ast, ctx);
        } finally {
          // Also when the first evaluation throws: the node stays counted.
          if (this.evaluate !== counted) base = this.evaluate;
          this.evaluate = counted;
        }
      }
      // Literals are exempt: `-9223372036854775808` parses as the negation of an out-of-range literal.
      if (typeof result === 'bigint' && node.op !== 'value') {
        if (result > INT64_MAX || result < INT64_MIN) throw new CelEvalError('integer overflow');
      } else if (building && budget !== undefined) {
        budget.steps += sizeCost(result);
        if (budget.steps > budget.limit) throw budgetExceeded(budget);
      }
      return result;
    };
    node.evaluate = counted;
  });
}

interface CallNode {
  readonly args: [string, AstNode[]];
  /** Set by the type check: calls the overload's handler with the evaluated arguments. */
  readonly handle: (args: unknown[], ast: unknown, ev: unknown) => unknown;
}

interface ActivationContext {
  getValue(key: PropertyKey): unknown;
}

/**
 * Global functions named in `keys` receive, as one extra last argument, the activation's value at
 * their key (per-evaluation state such as the image-verification session). cel-js hands a function
 * handler its arguments only, so a global function has no other way to reach the evaluation it runs
 * in. Type checking is untouched (same overloads, same messages). Run after the type check.
 */
export function appendContextArguments(root: unknown, keys: ReadonlyMap<string, symbol>): void {
  if (keys.size === 0) return;
  forEachNode(root, (node) => {
    if (node.op !== 'call' || !Array.isArray(node.args)) return;
    const key = keys.get(String(node.args[0]));
    if (key === undefined) return;
    node.setMeta(
      'evaluate',
      (ev: { run(n: unknown, c: unknown): unknown }, ast: CallNode, ctx: ActivationContext) => {
        const values = ast.args[1].map((a) => ev.run(a, ctx));
        values.push(ctx.getValue(key));
        return ast.handle(values, ast, ev);
      },
    );
  });
}

/** The context cel-js keeps on a comprehension or `cel.bind` node and reuses for every evaluation. */
interface ReusedContext {
  readonly iterVar: string;
  readonly iterType: unknown;
  accuType?: unknown;
}

interface ForkingContext {
  forkWithVariable(name: string, type: unknown): ReusedContext;
}

type Evaluate = (ev: unknown, ast: never, ctx: ForkingContext) => unknown;

/**
 * Lets one compiled expression be evaluated again while an evaluation of it is under way (a port
 * callback that evaluates the same policy). cel-js keeps the iteration context of a comprehension
 * (`all`, `map`, …) and of `cel.bind` on the AST node and reuses it, so a nested evaluation would
 * overwrite the loop state of the outer one. While a node is already being evaluated, a nested
 * evaluation of it gets a fresh context of its own; the common, non-nested case is unchanged.
 */
export function isolateReusedContexts(root: unknown): void {
  forEachNode(root, (node) => {
    const alternate = node.meta?.alternate as AstNode | undefined;
    if (alternate?.op === 'comprehension') isolateComprehension(alternate);
    const macro = node.meta?.macro as { bindCtx?: ReusedContext; evaluate?: Evaluate } | undefined;
    if (macro?.bindCtx !== undefined && typeof macro.evaluate === 'function') isolateBind(macro);
  });
}

/** The loop state cel-js keeps on an expression's nodes after an evaluation (see `releaseContexts`). */
interface KeptLoopState {
  reuse(parent: unknown): unknown;
  iterValue?: unknown;
  accuValue?: unknown;
}

/** The iteration contexts of `root`'s comprehensions and `cel.bind`s (each kept on its node). */
export function reusedContexts(root: unknown): readonly KeptLoopState[] {
  const out: KeptLoopState[] = [];
  forEachNode(root, (node) => {
    const alternate = node.meta?.alternate as { op?: string; args?: { iterCtx?: KeptLoopState } } | undefined;
    if (alternate?.op === 'comprehension' && alternate.args?.iterCtx !== undefined)
      out.push(alternate.args.iterCtx);
    const macro = node.meta?.macro as { bindCtx?: KeptLoopState } | undefined;
    if (macro?.bindCtx !== undefined) out.push(macro.bindCtx);
  });
  return out;
}

/**
 * Lets go of what the last evaluation left in `contexts`: its activation (the loop's parent
 * context), loop variable and accumulator. The nodes live as long as the policy set, the values as
 * long as one request: left there, each old node kept the latest request's objects reachable, and
 * V8's scavenger then promoted every request's data to the old space (see
 * docs/decisions/0007-performance.md). Call it only once no evaluation of the expression is running.
 */
export function releaseContexts(contexts: readonly KeptLoopState[]): void {
  for (const c of contexts) {
    c.reuse(undefined);
    c.iterValue = undefined;
    c.accuValue = undefined;
  }
}

function isolateComprehension(node: AstNode): void {
  const base = node.meta?.evaluate as Evaluate | undefined;
  if (typeof base !== 'function') return;
  let active = 0;
  node.setMeta('evaluate', (ev: unknown, ast: { args: { iterCtx: ReusedContext } }, ctx: ForkingContext) => {
    let own = ast;
    if (active > 0) {
      const shared = ast.args.iterCtx;
      const iterCtx = ctx.forkWithVariable(shared.iterVar, shared.iterType);
      iterCtx.accuType = shared.accuType;
      own = { ...ast, args: { ...ast.args, iterCtx } };
    }
    active++;
    try {
      return base(ev, own as never, ctx);
    } finally {
      active--;
    }
  });
}

function isolateBind(macro: { bindCtx?: ReusedContext; evaluate?: Evaluate }): void {
  let active = 0;
  const wrap =
    (base: Evaluate): Evaluate =>
    (ev, m: never, ctx) => {
      let own = m as { bindCtx: ReusedContext };
      if (active > 0)
        own = { ...own, bindCtx: ctx.forkWithVariable(own.bindCtx.iterVar, own.bindCtx.iterType) };
      active++;
      try {
        return base(ev, own as never, ctx);
      } finally {
        active--;
      }
    };
  // The type check may have replaced `evaluate` (its synchronous variant): wrap whichever is current.
  macro.evaluate = wrap(macro.evaluate as Evaluate);
}
