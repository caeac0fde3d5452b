/**
 * @module Optional-type helpers beyond cel-js' built-ins (`optional.of/none`, `.?`, `[?]`,
 * `hasValue`, `value`, `or`, `orValue`): `optional.ofNonZeroValue`, and the cel-go macros
 * `opt.optMap(x, expr)` (→ `optional.of(expr)` with `x` bound to the value) and
 * `opt.optFlatMap(x, expr)` (`expr` is itself optional); both yield `optional.none()` on none.
 */
import { Optional } from '@marcbachmann/cel-js';
import { CelEvalError } from '../errors.js';
import { isMapPrototype } from '../map-prototype.js';
import {
  type CelType,
  identifierOf,
  type MacroChecker,
  type MacroContext,
  type MacroEvaluator,
  type MacroInput,
  type MacroNode,
} from './macro-support.js';
import type { CelFunctionEntry, CelLibrary } from './types.js';

function isZero(v: unknown): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (v instanceof Uint8Array) return v.length === 0;
  if (typeof v === 'object') {
    if (isMapPrototype(Object.getPrototypeOf(v))) return Object.keys(v).length === 0;
    if (typeof (v as { valueOf?: unknown }).valueOf === 'function') {
      const prim = (v as { valueOf(): unknown }).valueOf();
      if (prim === 0n || prim === 0) return true;
    }
  }
  return false;
}

interface OptMapMacro {
  readonly flat: boolean;
  readonly receiver: MacroNode;
  readonly name: string;
  readonly body: MacroNode;
  valueType?: CelType;
  readonly async: false;
  typeCheck(chk: MacroChecker, m: OptMapMacro, ctx: MacroContext): CelType;
  evaluate(ev: MacroEvaluator, m: OptMapMacro, ctx: MacroContext): unknown;
}

function optMapMacro(flat: boolean): CelFunctionEntry {
  const fn = flat ? 'optFlatMap' : 'optMap';
  return {
    signature: `dyn.${fn}(ast, ast): dyn`,
    impl: ({ args, receiver }: MacroInput): OptMapMacro => {
      if (receiver === null) throw new CelEvalError(`${fn} must be called on an optional value`);
      return {
        flat,
        receiver,
        name: identifierOf(args[0], fn),
        body: args[1] as MacroNode,
        async: false,
        typeCheck(chk, m, ctx) {
          const recv = chk.check(m.receiver, ctx);
          if (recv.kind !== 'optional' && recv.kind !== 'dyn') {
            throw chk.createError('optional_expected', `${fn} receiver must be optional`, m.receiver);
          }
          m.valueType = recv.valueType ?? chk.dynType;
          const body = chk.check(m.body, ctx.forkWithVariable(m.name, m.valueType));
          if (!m.flat) return chk.getType(`optional<${body.name ?? 'dyn'}>`);
          if (body.kind === 'optional') return body;
          if (body.kind === 'dyn') return chk.getType('optional<dyn>');
          throw chk.createError('optional_expected', `${fn} expression must return an optional`, m.body);
        },
        evaluate(ev, m, ctx) {
          const opt = ev.run(m.receiver, ctx);
          if (!(opt instanceof Optional)) throw new CelEvalError(`${fn} receiver must be optional`);
          if (!opt.hasValue()) return Optional.none();
          const c = ctx.forkWithVariable(m.name, m.valueType as CelType);
          c.iterValue = opt.value();
          const out = ev.run(m.body, c);
          if (!m.flat) return Optional.of(out);
          if (!(out instanceof Optional)) throw new CelEvalError(`${fn} expression must return an optional`);
          return out;
        },
      };
    },
  };
}

export function optionalLibrary(): CelLibrary {
  return {
    name: 'optional',
    functions: [
      {
        signature: 'OptionalNamespace.ofNonZeroValue(dyn): optional<dyn>',
        impl: (_: unknown, v: unknown) => (isZero(v) ? Optional.none() : Optional.of(v)),
      },
      optMapMacro(false),
      optMapMacro(true),
    ],
  };
}
