/**
 * @module cel-go ext "TwoVarComprehensions" (Kubernetes enables it): `all(i, v, p)`,
 * `exists(i, v, p)`, `existsOne(i, v, p)`, `transformList(i, v, [filter,] e)`,
 * `transformMap(k, v, [filter,] e)`, `transformMapEntry(k, v, [filter,] e)` over lists (index,
 * element) and maps (key, value); plus the one-variable `existsOne(x, p)` spelling of `exists_one`.
 * Error semantics follow cel-go: `all`/`exists` absorb an error when another element decides the
 * result (as `&&`/`||` do); `existsOne` and the transforms fail on the first error.
 */
import { CelEvalError } from '../errors.js';
import {
  asBool,
  buildMap,
  type CelType,
  entriesOf,
  identifierOf,
  type MacroChecker,
  type MacroContext,
  type MacroEvaluator,
  type MacroInput,
  type MacroNode,
  type OneVarMacro,
  oneVarType,
  requireBool,
  twoVarTypes,
} from './macro-support.js';
import type { CelFunctionEntry, CelLibrary } from './types.js';

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

interface TwoVarMacro {
  readonly kind: Kind;
  readonly receiver: MacroNode;
  readonly first: string;
  readonly second: string;
  readonly filter: MacroNode | undefined;
  readonly body: MacroNode;
  types?: [CelType, CelType];
  readonly async: false;
  typeCheck(chk: MacroChecker, m: TwoVarMacro, ctx: MacroContext): CelType;
  evaluate(ev: MacroEvaluator, m: TwoVarMacro, ctx: MacroContext): unknown;
}

function typeCheck(chk: MacroChecker, m: TwoVarMacro, ctx: MacroContext): CelType {
  const rangeType = chk.check(m.receiver, ctx);
  const [t1, t2] = twoVarTypes(chk, rangeType, m.receiver);
  m.types = [t1, t2];
  const inner = ctx.forkWithVariable(m.first, t1).forkWithVariable(m.second, t2);
  if (m.filter !== undefined) requireBool(chk, chk.check(m.filter, inner), m.filter, `${m.kind} filter`);
  const bodyType = chk.check(m.body, inner);
  switch (m.kind) {
    case 'all':
    case 'exists':
    case 'existsOne':
      requireBool(chk, bodyType, m.body, `${m.kind} predicate`);
      return chk.boolType;
    case 'transformList':
      return chk.registry.getListType(bodyType);
    case 'transformMap':
      return chk.registry.getMapType(t1, bodyType);
    case 'transformMapEntry':
      if (bodyType.kind === 'map') return bodyType;
      if (bodyType.kind === 'dyn') return chk.registry.getMapType(chk.dynType, chk.dynType);
      throw chk.createError(
        'invalid_argument',
        `transformMapEntry: expression must be a map, got '${bodyType.name ?? bodyType.kind}'`,
        m.body,
      );
  }
}

function evaluate(ev: MacroEvaluator, m: TwoVarMacro, ctx: MacroContext): unknown {
  const entries = entriesOf(ev.run(m.receiver, ctx));
  const [t1, t2] = m.types ?? [undefined, undefined];
  if (t1 === undefined || t2 === undefined)
    throw new CelEvalError(`${m.kind}: expression was not type-checked`);
  // Fresh contexts per evaluation keep nested and re-entrant evaluations independent.
  const outer = ctx.forkWithVariable(m.first, t1);
  const inner = outer.forkWithVariable(m.second, t2);
  const bind = (k: unknown, v: unknown): MacroContext => {
    outer.iterValue = k;
    inner.iterValue = v;
    return inner;
  };
  switch (m.kind) {
    case 'all':
    case 'exists': {
      const decisive = m.kind === 'exists';
      let error: unknown;
      for (const [k, v] of entries) {
        const r = asBool(ev.tryEval(m.body, bind(k, v)));
        if (r === decisive) return decisive;
        if (r instanceof Error) error ??= r;
      }
      if (error !== undefined) throw error;
      return !decisive;
    }
    case 'existsOne': {
      let count = 0;
      for (const [k, v] of entries) {
        const r = asBool(ev.run(m.body, bind(k, v)));
        if (r instanceof Error) throw r;
        if (r) count++;
      }
      return count === 1;
    }
    default:
      return transform(ev, m, entries, bind);
  }
}

function transform(
  ev: MacroEvaluator,
  m: TwoVarMacro,
  entries: ReadonlyArray<[unknown, unknown]>,
  bind: (k: unknown, v: unknown) => MacroContext,
): unknown {
  const list: unknown[] = [];
  const pairs: Array<[unknown, unknown]> = [];
  const seen = new Set<unknown>();
  for (const [k, v] of entries) {
    const c = bind(k, v);
    if (m.filter !== undefined) {
      const keep = asBool(ev.run(m.filter, c));
      if (keep instanceof Error) throw keep;
      if (!keep) continue;
    }
    const out = ev.run(m.body, c);
    if (m.kind === 'transformList') list.push(out);
    else if (m.kind === 'transformMap') pairs.push([k, out]);
    else {
      if (Array.isArray(out)) throw new CelEvalError('transformMapEntry: expression must return a map');
      for (const [ek, evv] of entriesOf(out)) {
        const key = typeof ek === 'bigint' ? `i${ek}` : ek;
        if (seen.has(key)) throw new CelEvalError(`insert failed: key ${String(ek)} already exists`);
        seen.add(key);
        pairs.push([ek, evv]);
      }
    }
  }
  return m.kind === 'transformList' ? list : buildMap(pairs);
}

function twoVarMacro(kind: Kind, withFilter: boolean): CelFunctionEntry {
  const arity = withFilter ? 'ast, ast, ast, ast' : 'ast, ast, ast';
  const ret = kind.startsWith('transform') ? (kind === 'transformList' ? 'list' : 'map') : 'bool';
  return {
    signature: `dyn.${kind}(${arity}): ${ret}`,
    impl: ({ args, receiver }: MacroInput): TwoVarMacro => {
      if (receiver === null) throw new CelEvalError(`${kind} must be called on a list or map`);
      return {
        kind,
        receiver,
        first: identifierOf(args[0], kind),
        second: identifierOf(args[1], kind),
        filter: withFilter ? args[2] : undefined,
        body: (withFilter ? args[3] : args[2]) as MacroNode,
        async: false,
        typeCheck,
        evaluate,
      };
    },
  };
}

/** `existsOne(x, p)`: cel-go's newer spelling of `exists_one`. */
const existsOneSingle: CelFunctionEntry = {
  signature: 'dyn.existsOne(ast, ast): bool',
  impl: ({ args, receiver }: MacroInput): OneVarMacro => {
    if (receiver === null) throw new CelEvalError('existsOne must be called on a list or map');
    return {
      receiver,
      name: identifierOf(args[0], 'existsOne'),
      body: args[1] as MacroNode,
      async: false,
      typeCheck(chk, m, ctx) {
        m.varType = oneVarType(chk, chk.check(m.receiver, ctx), m.receiver);
        requireBool(
          chk,
          chk.check(m.body, ctx.forkWithVariable(m.name, m.varType)),
          m.body,
          'existsOne predicate',
        );
        return chk.boolType;
      },
      evaluate(ev, m, ctx) {
        const coll = ev.run(m.receiver, ctx);
        const c = ctx.forkWithVariable(m.name, m.varType as CelType);
        const items = Array.isArray(coll) ? coll : entriesOf(coll).map(([k]) => k);
        let count = 0;
        for (const item of items) {
          c.iterValue = item;
          const r = asBool(ev.run(m.body, c));
          if (r instanceof Error) throw r;
          if (r) count++;
        }
        return count === 1;
      },
    };
  },
};

export function comprehensionsLibrary(): CelLibrary {
  const kinds: Kind[] = ['all', 'exists', 'existsOne'];
  const transforms: Kind[] = ['transformList', 'transformMap', 'transformMapEntry'];
  return {
    name: 'comprehensions',
    functions: [
      ...kinds.map((k) => twoVarMacro(k, false)),
      ...transforms.flatMap((k) => [twoVarMacro(k, false), twoVarMacro(k, true)]),
      existsOneSingle,
    ],
  };
}
