/**
 * @module CEL compiled to JavaScript closures. After cel-js has parsed and type-checked an
 * expression (and ast.ts has rewritten it), each node becomes a closure that does what cel-js's
 * node evaluator does, without the per-node dispatch through `ev.run` and the iteration contexts:
 * loop variables and accumulators live in a per-evaluation frame, literals and names are resolved
 * once. Operators, field selections and function calls still go through the handlers cel-js's check
 * chose for the node (`ast.handle`), so overloads, conversions and error messages are cel-js's own;
 * what is written out here is the control flow (`&&`/`||` absorbing errors, `?:`, comprehensions,
 * `has()`, `orValue`), mirrored line by line from cel-js 8. Every node the budget instrumentation
 * counts (see `instrumentBudget`) is charged here exactly as there, with the same overflow check
 * and size charges, so values, errors and costs are those of the interpreter. A node shape not
 * known here with certainty makes the whole expression stay with the interpreter.
 *
 * Evaluation is synchronous: no function Palisade registers returns a promise (cel-js deems any
 * handler registered without `async: false` possibly asynchronous and wraps it to await promise
 * arguments; with none, the wrappers pass values through, as the closures do).
 */
import {
  ABSENT,
  type AstNode,
  BUILDING_OPS,
  forEachNode,
  INT64_MAX,
  INT64_MIN,
  isPlainMap,
  isPlainValue,
  type OptionalSelect,
  optionalChain,
  optionalChainShortcutEnabled,
} from './ast.js';
import { activeStepBudget, budgetExceeded, checkRequestTime, type StepBudget, sizeCost } from './budget.js';
import { Optional } from './cel-js.js';
import { CelEvalError } from './errors.js';
import { CEL_MAP_PROTOTYPE } from './map-prototype.js';
import { LAZY_MISS, lazyField, lazyRead, lazyTargetOf } from './values.js';

/** The per-evaluation state: the activation's values, the loop slots and the running budget. */
interface Frame {
  readonly v: Readonly<Record<string, unknown>>;
  readonly f: unknown[];
  readonly b: StepBudget | undefined;
}

type Fn = (s: Frame) => unknown;

/** The slice of cel-js's checked type objects used here. */
interface CelType {
  readonly kind: string;
  readonly name?: string;
  readonly hasDynType?: boolean;
  matchesValueType(value: unknown, ev: Evaluator): boolean;
}

/** The slice of cel-js's evaluator used here (the environment's own instance). */
export interface Evaluator {
  readonly objectTypes: ReadonlyMap<string, { readonly convert?: unknown }>;
  createError(code: string, message: string, node?: unknown): Error;
  debugType(value: unknown): { fieldLazy(obj: unknown, key: unknown, node: unknown, ev: Evaluator): unknown };
  debugRuntimeType(value: unknown): unknown;
  debugTypeDeep(value: unknown): { readonly wrappedType: unknown };
  run(node: unknown, ctx: unknown): unknown;
}

/** A checked node, with what cel-js's check left on it. */
interface Node extends AstNode {
  readonly checkedType?: CelType;
  readonly handle?: (...args: unknown[]) => unknown;
  readonly left?: Node;
  readonly right?: unknown;
  readonly condition?: Node;
  readonly receiverWithArgs?: Node[];
  readonly maybeAsync?: boolean;
}

interface ComprehensionArgs {
  readonly errorsAreFatal?: boolean;
  readonly iterable: Node;
  readonly iterVarName: string;
  readonly init: Node;
  readonly step: Node;
  readonly condition?: (accu: unknown) => unknown;
  readonly result: (accu: unknown) => unknown;
  readonly iterCtx?: { readonly iterType?: CelType };
}

/**
 * A map `toCel` built whose type cel-js finds as `map<dyn, dyn>`: the CEL map prototype (a lazy view
 * says it has none) and no `constructor` key of its own.
 */
function isConvertedMap(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    Object.getPrototypeOf(v) === CEL_MAP_PROTOTYPE &&
    (v as { constructor?: unknown }).constructor === undefined
  );
}

/** Thrown while compiling: the expression stays with the interpreter. */
class Unsupported extends Error {}

interface Scope {
  readonly name: string;
  readonly slot: number;
  readonly parent: Scope | undefined;
}

class Compiler {
  slots = 0;
  readonly ev: Evaluator;
  readonly counted: ReadonlySet<unknown>;
  readonly contextFunctions: ReadonlySet<string>;
  readonly shortcut: boolean;
  constructor(
    ev: Evaluator,
    counted: ReadonlySet<unknown>,
    contextFunctions: ReadonlySet<string>,
    shortcut: boolean,
  ) {
    this.ev = ev;
    this.counted = counted;
    this.contextFunctions = contextFunctions;
    this.shortcut = shortcut;
  }

  /** `node` as a closure, charged as the interpreter charges it when instrumented. */
  compile(node: Node, scope: Scope | undefined, accu: number | undefined): Fn {
    const counted = this.counted.has(node);
    // The commonest nodes charge themselves (one closure call per node instead of two).
    if (
      counted &&
      (node.meta as { alternate?: unknown; macro?: unknown } | undefined)?.alternate === undefined
    ) {
      const fused = this.compileCharged(node, scope, accu);
      if (fused !== undefined) return fused;
    }
    const inner = this.compileNode(node, scope, accu);
    return counted ? charged(node.op, inner) : inner;
  }

  /** Counted literals, names, selections and binary operators, with their charge built in. */
  compileCharged(node: Node, scope: Scope | undefined, accu: number | undefined): Fn | undefined {
    const macro = (node.meta as { macro?: unknown } | undefined)?.macro;
    if (macro !== undefined) {
      if (node.op !== 'rcall' || (node.args as unknown[])[0] !== 'orValue') return undefined;
      const read = this.orValue(node, macro as OrValueMacro, scope, accu);
      return (s) => {
        const budget = s.b;
        step(budget);
        return chargeBuilt(budget, read(s));
      };
    }
    switch (node.op) {
      case 'value': {
        const value = node.args;
        return (s) => {
          step(s.b);
          return value;
        };
      }
      case 'id': {
        const read = this.identifier(node, scope);
        return (s) => {
          step(s.b);
          return checkInt(read(s));
        };
      }
      case '.': {
        const read = this.select(node, scope, accu);
        return (s) => {
          step(s.b);
          return checkInt(read(s));
        };
      }
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case 'in': {
        const read = this.binary(node, scope, accu);
        return (s) => {
          step(s.b);
          return checkInt(read(s));
        };
      }
      default:
        return undefined;
    }
  }

  /**
   * `x.f`. On a `dyn` operand cel-js's `fieldAccess` reads a plain map's own field and checks its
   * type; a field holding a plain value is returned here directly, the rest goes to the handler.
   */
  select(node: Node, scope: Scope | undefined, accu: number | undefined): Fn {
    const left = this.compile(child(node.left), scope, accu);
    const handle = handleOf(node);
    const key = node.right as string;
    const ev = this.ev;
    if (node.op !== '.' || node.left?.checkedType?.kind !== 'dyn' || typeof key !== 'string')
      return (s) => handle(left(s), key, node, ev);
    const leftNode = child(node.left);
    if (mayBeLazyView(leftNode, scope)) {
      // `variables.x`: read from the lazy view's target, not through its Proxy (same value, same
      // errors: `lazyRead` computes the entry as the view's traps would). The variable itself is
      // charged as its node would charge it, and its `dyn` check is the one it passes (a view whose
      // `constructor` reads as undefined, which `lazyTargetOf` ensures).
      const name = leftNode.args as string;
      const meta = leftNode.meta as { alternate?: unknown; macro?: unknown } | undefined;
      const plainId = meta?.alternate === undefined && meta?.macro === undefined;
      if (plainId && leftNode.checkedType?.kind === 'dyn') {
        const counted = this.counted.has(leftNode);
        return (s) => {
          const l = s.v[name];
          const entries = lazyTargetOf(l);
          if (entries === undefined) return selectDyn(left(s), key, handle, node, ev);
          if (counted) step(s.b);
          const v = lazyRead(entries, key);
          if (v === LAZY_MISS) return selectDyn(l, key, handle, node, ev);
          if (v !== undefined && isPlainValue(v)) return v;
          return handle(l, key, node, ev);
        };
      }
      return (s) => {
        const l = left(s);
        const v = lazyField(l, key);
        if (v === LAZY_MISS) return selectDyn(l, key, handle, node, ev);
        if (v !== undefined && isPlainValue(v)) return v;
        return handle(l, key, node, ev);
      };
    }
    return (s) => selectDyn(left(s), key, handle, node, ev);
  }

  /**
   * A binary operator. On `dyn` operands cel-js finds the overload from the values' runtime types
   * at each evaluation (`handleBinary`); for primitive operands (whose type is their `typeof`) the
   * overload it finds is kept per node and pair of types.
   */
  binary(node: Node, scope: Scope | undefined, accu: number | undefined): Fn {
    const left = this.compile(child(node.left), scope, accu);
    const right = this.compile(child(node.right), scope, accu);
    const handle = handleOf(node);
    const ev = this.ev;
    const candidates = (node as { candidates?: BinaryCandidates }).candidates;
    const dyn =
      child(node.left).checkedType?.hasDynType === true || child(node.right).checkedType?.hasDynType === true;
    if (!dyn || candidates === undefined) return (s) => handle(left(s), right(s), node, ev);
    const staticLeft = (node as { leftStaticType?: unknown }).leftStaticType;
    const staticRight = (node as { rightStaticType?: unknown }).rightStaticType;
    // Per pair of primitive kinds (for `in`, the right operand's kind is that of a list's first
    // element, which is what cel-js types a list by): the overload, or false when there is none.
    const overloads: (BinaryOverload | false | undefined)[] = new Array(
      PRIMITIVE_KINDS * (PRIMITIVE_KINDS + 1),
    );
    const membership = node.op === 'in';
    return (s) => {
      const l = left(s);
      const r = right(s);
      const kl = primitiveKind(l);
      const kr = membership ? listKind(r) : primitiveKind(r);
      if (kl >= 0 && kr >= 0) {
        const at = kl * (PRIMITIVE_KINDS + 1) + kr;
        let overload = overloads[at];
        if (overload === undefined) {
          overload = candidates.findBinaryOverload(
            staticLeft ?? ev.debugTypeDeep(l).wrappedType,
            staticRight ?? ev.debugTypeDeep(r).wrappedType,
          );
          overloads[at] = overload;
        }
        if (overload !== false) return overload.handler(l, r, node, ev);
      }
      return handle(l, r, node, ev);
    };
  }

  compileNode(node: Node, scope: Scope | undefined, accu: number | undefined): Fn {
    const meta = node.meta as { alternate?: Node; macro?: unknown } | undefined;
    if (meta?.alternate !== undefined) return this.compile(meta.alternate, scope, accu);
    if (meta?.macro !== undefined) return this.macro(node, meta.macro, scope, accu);
    const ev = this.ev;
    switch (node.op) {
      case 'value': {
        const value = node.args;
        return () => value;
      }
      case 'id':
        return this.identifier(node, scope);
      case '.':
      case '.?':
        return this.select(node, scope, accu);
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case 'in':
        return this.binary(node, scope, accu);
      case '[]':
      case '[?]':
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const left = this.compile(child(node.left), scope, accu);
        const right = this.compile(child(node.right), scope, accu);
        const handle = handleOf(node);
        return (s) => handle(left(s), right(s), node, ev);
      }
      case '!_':
      case '-_': {
        const operand = this.compile(child(node.args), scope, accu);
        const handle = handleOf(node);
        return (s) => handle(operand(s), node, ev);
      }
      case '&&':
      case '||':
        return this.logical(node, node.op === '||', scope, accu);
      case '?:':
        return this.ternary(node, scope, accu);
      case 'list': {
        const items = (node.args as Node[]).map((n) => this.compile(n, scope, accu));
        return (s) => evaluateAll(items, s);
      }
      case 'map': {
        const entries = (node.args as [Node, Node][]).map(
          ([k, v]) => [this.compile(k, scope, accu), this.compile(v, scope, accu)] as const,
        );
        return (s) => {
          const pairs: [unknown, unknown][] = [];
          for (const [k, v] of entries) pairs.push([k(s), v(s)]);
          return safeFromEntries(pairs);
        };
      }
      case 'call': {
        const [name, argNodes] = node.args as [string, Node[]];
        if (this.contextFunctions.has(name)) throw new Unsupported(`context argument ${name}`);
        const args = argNodes.map((n) => this.compile(n, scope, accu));
        const handle = handleOf(node);
        return (s) => handle(evaluateAll(args, s), node, ev);
      }
      case 'rcall': {
        const args = (node.receiverWithArgs ?? unsupported('rcall')).map((n) => this.compile(n, scope, accu));
        const handle = handleOf(node);
        return (s) => handle(evaluateAll(args, s), ev, node);
      }
      case 'comprehension':
        return this.comprehension(node.args as ComprehensionArgs, scope);
      case 'accuValue': {
        const slot = accu ?? unsupported('accuValue');
        return (s) => s.f[slot];
      }
      case 'accuInc': {
        const slot = accu ?? unsupported('accuInc');
        return (s) => {
          s.f[slot] = (s.f[slot] as number) + 1;
          return s.f[slot];
        };
      }
      case 'accuPush': {
        const slot = accu ?? unsupported('accuPush');
        const item = this.compile(child(node.args), scope, accu);
        return (s) => {
          const list = s.f[slot] as unknown[];
          list.push(item(s));
          return list;
        };
      }
      default:
        throw new Unsupported(node.op);
    }
  }

  /** A loop variable from its slot, else a variable of the activation checked as cel-js checks it. */
  identifier(node: Node, scope: Scope | undefined): Fn {
    const name = node.args as string;
    for (let sc = scope; sc !== undefined; sc = sc.parent) {
      if (sc.name === name) {
        const slot = sc.slot;
        return (s) => s.f[slot];
      }
    }
    const type = node.checkedType ?? unsupported('unchecked identifier');
    const ev = this.ev;
    // cel-js converts a map to a message type that has a converter, caching it per evaluation.
    if (type.kind === 'message' && hasConverter(ev, type)) throw new Unsupported('converted variable');
    return (s) => {
      const v = s.v[name];
      if (v === undefined) throw ev.createError('unknown_variable', `Unknown variable: ${name}`, node);
      if (type.matchesValueType(v, ev)) return v;
      throw ev.createError(
        'variable_type_mismatch',
        `Variable '${name}' is not of type '${type}', got '${ev.debugType(v)}'`,
        node,
      );
    };
  }

  /** cel-js's `&&`/`||`: the left operand's error is absorbed when the right operand decides. */
  logical(node: Node, or: boolean, scope: Scope | undefined, accu: number | undefined): Fn {
    const [leftNode, rightNode] = node.args as [Node, Node];
    const left = this.compile(leftNode, scope, accu);
    const right = this.compile(rightNode, scope, accu);
    const ev = this.ev;
    const decides = or;
    return (s) => {
      let l: unknown;
      try {
        l = left(s);
      } catch (e) {
        l = e;
      }
      if (l === decides) return decides;
      const r = right(s);
      if (l === !decides && typeof r === 'boolean') return r;
      if (r === decides) return decides;
      if (r === !decides) {
        if (l === r) return r;
        if (l instanceof Error) throw l;
        throw logicalOperandError(ev, l, leftNode);
      }
      throw logicalOperandError(ev, r, leftNode);
    };
  }

  ternary(node: Node, scope: Scope | undefined, accu: number | undefined): Fn {
    const [condNode, leftNode, rightNode] = node.args as [Node, Node, Node];
    const cond = this.compile(condNode, scope, accu);
    const left = this.compile(leftNode, scope, accu);
    const right = this.compile(rightNode, scope, accu);
    const ev = this.ev;
    return (s) => {
      const c = cond(s);
      if (c === true) return left(s);
      if (c === false) return right(s);
      const label = (condNode.meta as { label?: string } | undefined)?.label;
      throw ev.createError(
        'invalid_condition_type',
        `${label || 'Ternary condition must be bool'}, got '${ev.debugRuntimeType(c)}'`,
        condNode,
      );
    };
  }

  /** cel-js's comprehension (`runQualifier` / `runComprehension`), its context as frame slots. */
  comprehension(args: ComprehensionArgs, scope: Scope | undefined): Fn {
    const iterType = args.iterCtx?.iterType ?? unsupported('unchecked comprehension');
    if (iterType.kind === 'message' && hasConverter(this.ev, iterType))
      throw new Unsupported('converted loop variable');
    const iterable = this.compile(args.iterable, scope, undefined);
    const iterSlot = this.slots++;
    const accuSlot = this.slots++;
    const inner: Scope = { name: args.iterVarName, slot: iterSlot, parent: scope };
    const init = this.compile(args.init, inner, accuSlot);
    const step = this.compile(args.step, inner, accuSlot);
    const { condition, result } = args;
    const ev = this.ev;
    const iterVar = args.iterVarName;
    const items = (s: Frame): unknown[] => {
      const coll = iterable(s);
      return Array.isArray(coll) ? coll : toIterable(ev, args.iterable, coll);
    };
    const setIter = (s: Frame, v: unknown): void => {
      if (!iterType.matchesValueType(v, ev)) {
        throw ev.createError(
          'variable_type_mismatch',
          `Variable '${iterVar}' is not of type '${iterType}', got '${ev.debugType(v)}'`,
        );
      }
      s.f[iterSlot] = v;
    };
    if (args.errorsAreFatal) {
      return (s) => {
        const list = items(s);
        let acc = init(s);
        s.f[accuSlot] = acc;
        const len = list.length;
        let i = 0;
        while (i < len) {
          if (condition && !condition(acc)) break;
          setIter(s, list[i++]);
          acc = step(s);
        }
        return result(acc);
      };
    }
    const cond = condition ?? unsupported('quantifier without condition');
    return (s) => {
      const list = items(s);
      let acc = init(s);
      s.f[accuSlot] = acc;
      const len = list.length;
      let i = 0;
      let error: unknown;
      while (i < len) {
        if (!cond(acc)) return result(acc);
        setIter(s, list[i++]);
        let stp: unknown;
        try {
          stp = step(s);
        } catch (e) {
          stp = e;
        }
        if (stp instanceof Error) {
          error ??= stp;
          continue;
        }
        acc = stp;
      }
      if (error && cond(acc)) throw error;
      return result(acc);
    };
  }

  macro(node: Node, macro: unknown, scope: Scope | undefined, accu: number | undefined): Fn {
    const name = Array.isArray(node.args) ? node.args[0] : undefined;
    if (node.op === 'call' && name === 'has') return this.has(macro as HasMacro, scope, accu);
    if (node.op === 'rcall' && name === 'orValue')
      return this.orValue(node, macro as OrValueMacro, scope, accu);
    throw new Unsupported(`macro ${String(name)}`);
  }

  /**
   * `has(e.f…)` as cel-js evaluates it, behind ast.ts's list check (`allowHasOnAnyOperand`), which
   * walks the operand once more: the root operand is evaluated (and charged) twice, as there.
   */
  has(macro: HasMacro, scope: Scope | undefined, accu: number | undefined): Fn {
    const props = macro.macroHasProps ?? unsupported('unchecked has()');
    const rootNode = props[props.length - 1] ?? unsupported('has() without operand');
    const root = this.compile(rootNode, scope, accu);
    const ev = this.ev;
    return (s) => {
      // allowHasOnAnyOperand: a field of a list is an error in cel-go.
      let value = root(s);
      for (let i = props.length - 2; i >= 1; i--) {
        if (value === undefined || value === null) break;
        const p = props[i] as Node;
        value = ev.debugType(value).fieldLazy(value, (p.args as unknown[])[1], p, ev);
      }
      if (Array.isArray(value) && props.length >= 2)
        throw new CelEvalError(`unsupported index type 'string' in list`);
      // cel-js's has() evaluation.
      let i = props.length;
      let obj = root(s);
      // `has(m.f)` on a converted map: cel-js's map field read (its `dyn` check passes for a plain
      // value), without finding the map's type per call; any other value takes cel-js's path.
      if (i === 2 && isConvertedMap(obj)) {
        const key = ((props[0] as Node).args as unknown[])[1] as string;
        const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
        if (v === undefined) return false;
        if (isPlainValue(v)) return true;
      }
      --i;
      let inOptionalContext = false;
      while (i--) {
        const p = props[i] as Node;
        if (p.op === '.?') inOptionalContext = true;
        obj = ev.debugType(obj).fieldLazy(obj, (p.args as unknown[])[1], p, ev);
        if (obj !== undefined) continue;
        if (!(!inOptionalContext && i && p.op === '.')) break;
        throw ev.createError('no_such_key', `No such key: ${(p.args as unknown[])[1]}`, p);
      }
      return obj !== undefined;
    };
  }

  /** `x.orValue(d)` with Kyverno's leniency and the optional-chain shortcut (ast.ts). */
  orValue(node: Node, macro: OrValueMacro, scope: Scope | undefined, accu: number | undefined): Fn {
    if (macro.receiver === undefined || macro.arg === undefined) throw new Unsupported('orValue');
    const fallback = this.compile(macro.arg, scope, accu);
    const chain = this.shortcut ? optionalChain(macro.receiver) : undefined;
    let receiver: Fn;
    if (chain !== undefined && node.maybeAsync === false) {
      const operand = this.compile(chain.operand as Node, scope, accu);
      receiver = optionalChainFn(this.ev, chain.selects, operand);
    } else receiver = this.compile(macro.receiver as Node, scope, accu);
    return (s) => {
      const value = receiver(s);
      if (value === ABSENT) return fallback(s);
      if (!(value instanceof Optional)) return value;
      return value.hasValue() ? value.value() : fallback(s);
    };
  }
}

interface HasMacro {
  readonly macroHasProps?: readonly Node[];
}

interface OrValueMacro {
  readonly receiver?: unknown;
  readonly arg?: Node;
}

function hasConverter(ev: Evaluator, type: CelType): boolean {
  return ev.objectTypes.get(type.name ?? '')?.convert !== undefined;
}

function unsupported(what: string): never {
  throw new Unsupported(what);
}

function child(v: unknown): Node {
  if (typeof v !== 'object' || v === null || typeof (v as { op?: unknown }).op !== 'string')
    throw new Unsupported('not a node');
  return v as Node;
}

function handleOf(node: Node): (...args: unknown[]) => unknown {
  const handle = node.handle;
  if (typeof handle !== 'function') throw new Unsupported(`unchecked ${node.op}`);
  return handle;
}

/** cel-js's `resolveAstArray`: the last argument first. */
function evaluateAll(fns: readonly Fn[], s: Frame): unknown[] {
  let i = fns.length;
  const out = new Array<unknown>(i);
  while (i--) out[i] = (fns[i] as Fn)(s);
  return out;
}

function safeFromEntries(entries: readonly [unknown, unknown][]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    obj[k as string] = v;
  }
  return obj;
}

function toIterable(ev: Evaluator, iterable: Node, coll: unknown): unknown[] {
  if (coll instanceof Set) return [...coll];
  if (coll instanceof Map) return [...coll.keys()];
  if (coll && typeof coll === 'object') return Object.keys(coll);
  throw ev.createError(
    'invalid_comprehension_range',
    `Expression of type '${ev.debugType(coll)}' cannot be range of a comprehension (must be list, map, or dynamic).`,
    iterable,
  );
}

function logicalOperandError(ev: Evaluator, value: unknown, node: Node): Error {
  return ev.createError(
    'invalid_logical_operand',
    `Logical operator requires bool operands, got '${ev.debugRuntimeType(value)}'`,
    node,
  );
}

/** `x.f` on a `dyn` operand: a plain map's field holding a plain value directly, else the handler. */
function selectDyn(
  l: unknown,
  key: string,
  handle: (...args: unknown[]) => unknown,
  node: Node,
  ev: Evaluator,
): unknown {
  if (typeof l === 'object' && l !== null) {
    const c = (l as { constructor?: unknown }).constructor;
    if (c === undefined || c === Object) {
      const v = Object.hasOwn(l, key) ? (l as Record<string, unknown>)[key] : undefined;
      if (v !== undefined && isPlainValue(v)) return v;
    }
  }
  return handle(l, key, node, ev);
}

// The activation's values that are converted request data, never lazy views (see `lazyField`).
const CONVERTED_DATA = new Set(['object', 'oldObject', 'request', 'namespaceObject']);

/** Whether `node` names a value of the activation (not a loop variable) that may be a lazy view. */
function mayBeLazyView(node: Node, scope: Scope | undefined): boolean {
  if (node.op !== 'id' || typeof node.args !== 'string' || CONVERTED_DATA.has(node.args)) return false;
  for (let sc = scope; sc !== undefined; sc = sc.parent) if (sc.name === node.args) return false;
  return true;
}

/** ast.ts's `selectOptionalChain` over a compiled operand. */
function optionalChainFn(ev: Evaluator, selects: readonly OptionalSelect[], operand: Fn): Fn {
  const n = selects.length;
  return (s) => {
    const budget = s.b;
    if (budget !== undefined) {
      budget.steps += n;
      if (budget.steps > budget.limit) throw budgetExceeded(budget);
      if (budget.steps >= budget.nextTimeCheck) checkRequestTime(budget);
    }
    let current = operand(s);
    for (let i = n - 1; i >= 0; i--) {
      if (current === ABSENT) continue;
      const select = selects[i] as OptionalSelect;
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
  };
}

const PRIMITIVE_KINDS = 4;

/** 0-3 for the values cel-js types by their `typeof` alone (string, int, double, bool), else -1. */
function primitiveKind(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return 0;
    case 'bigint':
      return 1;
    case 'number':
      return 2;
    case 'boolean':
      return 3;
    default:
      return -1;
  }
}

/** For a list (an array) whose type follows from its first element: that element's kind, 4 when empty. */
function listKind(v: unknown): number {
  if (!Array.isArray(v)) return -1;
  return v.length === 0 ? PRIMITIVE_KINDS : primitiveKind(v[0]);
}

interface BinaryOverload {
  handler(l: unknown, r: unknown, node: unknown, ev: Evaluator): unknown;
}

interface BinaryCandidates {
  findBinaryOverload(left: unknown, right: unknown): BinaryOverload | false;
}

/** One unit of the running budget, as `instrumentBudget` charges a node. */
function step(budget: StepBudget | undefined): void {
  if (budget === undefined) return;
  if (++budget.steps > budget.limit) throw budgetExceeded(budget);
  if (budget.steps >= budget.nextTimeCheck) checkRequestTime(budget);
}

/** An int result outside int64 is an overflow error, as in cel-go (see `instrumentBudget`). */
function checkInt(result: unknown): unknown {
  if (typeof result === 'bigint' && (result > INT64_MAX || result < INT64_MIN))
    throw new CelEvalError('integer overflow');
  return result;
}

/** The result of a building node (`+`, calls): an int is range-checked, a string or list charged by size. */
function chargeBuilt(budget: StepBudget | undefined, result: unknown): unknown {
  if (typeof result === 'bigint') return checkInt(result);
  if (budget !== undefined) {
    budget.steps += sizeCost(result);
    if (budget.steps > budget.limit) throw budgetExceeded(budget);
  }
  return result;
}

/** `inner` charged one unit, its result checked and charged as `instrumentBudget` does. */
function charged(op: string, inner: Fn): Fn {
  const literal = op === 'value';
  const building = BUILDING_OPS.has(op);
  return (s) => {
    const budget = s.b;
    if (budget !== undefined) {
      if (++budget.steps > budget.limit) throw budgetExceeded(budget);
      if (budget.steps >= budget.nextTimeCheck) checkRequestTime(budget);
    }
    const result = inner(s);
    if (typeof result === 'bigint' && !literal) {
      if (result > INT64_MAX || result < INT64_MIN) throw new CelEvalError('integer overflow');
    } else if (building && budget !== undefined) {
      budget.steps += sizeCost(result);
      if (budget.steps > budget.limit) throw budgetExceeded(budget);
    }
    return result;
  };
}

/** Whether expressions compiled from now on are compiled to closures (the tests compare both). */
let closuresEnabled = true;

export function useCompiledClosures(enabled: boolean): void {
  closuresEnabled = enabled;
}

/**
 * `root` (checked and rewritten) as a function of the activation's values, run within the active
 * step budget; undefined when some node is not compiled with certainty (the interpreter runs it).
 */
export function compileClosures(
  root: unknown,
  ev: Evaluator | undefined,
  contextFunctions: ReadonlySet<string>,
): ((values: Readonly<Record<string, unknown>>) => unknown) | undefined {
  if (!closuresEnabled || ev === undefined) return undefined;
  const counted = new Set<unknown>();
  forEachNode(root, (n) => counted.add(n));
  const compiler = new Compiler(ev, counted, contextFunctions, optionalChainShortcutEnabled());
  let fn: Fn;
  try {
    fn = compiler.compile(child(root), undefined, undefined);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const slots = compiler.slots;
  return (values) => fn({ v: values, f: slots === 0 ? EMPTY : new Array(slots), b: activeStepBudget() });
}

const EMPTY: unknown[] = [];

/** The evaluator an environment evaluates with, taken from one evaluation of a literal. */
export function evaluatorOf(parse: (expression: string) => EvaluateParsed): Evaluator | undefined {
  const parsed = parse('true');
  if (!parsed.check().valid) return undefined;
  let captured: Evaluator | undefined;
  (parsed.ast as { evaluate: unknown }).evaluate = (ev: Evaluator) => {
    captured = ev;
    return true;
  };
  parsed({});
  return captured;
}

interface EvaluateParsed {
  (values: Record<string, unknown>): unknown;
  readonly ast: unknown;
  check(): { valid: boolean };
}
