/**
 * @module cel-go semantics for standard conversions where cel-js differs. Missing overloads are
 * added as a library (`int(uint)`, `int(timestamp)`, `string(duration)`, `string(timestamp)`);
 * built-ins that behave differently (`string(double)` prints Go's `%g`, `int(double)` and
 * `uint(double)` range checks, `string(bytes)` rejects invalid UTF-8, `lowerAscii`/`upperAscii`
 * change ASCII letters only) get their handler replaced.
 * cel-js shares built-in declarations between environments and offers no public way to override
 * one, so the handlers are swapped once per process through the parser's registry (reached by a
 * probe macro); every environment this engine builds wants the same cel-go behaviour.
 */

import { formatFloat } from '../primitives/go-float.js';
import { type CelDuration, type Environment, type Optional, UnsignedInt } from './cel-js.js';
import { celEquals } from './equality.js';
import { CelEvalError } from './errors.js';
import { durationString, timestampString } from './libs/go-format.js';
import type { CelLibrary } from './libs/types.js';

const INT64_MAX = 9223372036854775807n;
const TWO_POW_63 = 2 ** 63;
const TWO_POW_64 = 2 ** 64;

// biome-ignore lint/suspicious/noExplicitAny: built-in handlers receive CEL runtime values.
type Handler = (...args: any[]) => unknown;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Replacement handlers for cel-js built-ins, keyed by their signature. */
const REPLACEMENTS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['string(double): string', (x: number) => formatFloat(x, 'g', 64)],
  [
    'int(double): int',
    (x: number) => {
      if (!(x >= -TWO_POW_63 && x < TWO_POW_63)) throw new CelEvalError('integer overflow');
      return BigInt(Math.trunc(x));
    },
  ],
  [
    'uint(double): uint',
    (x: number) => {
      if (!(x >= 0 && x < TWO_POW_64)) throw new CelEvalError('unsigned integer overflow');
      return new UnsignedInt(BigInt(Math.trunc(x)));
    },
  ],
  ['string.lowerAscii(): string', (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase())],
  ['string.upperAscii(): string', (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase())],
  [
    'string(bytes): string',
    (b: Uint8Array) => {
      try {
        return utf8.decode(b);
      } catch {
        throw new CelEvalError('invalid UTF-8 in bytes, cannot convert to string');
      }
    },
  ],
]);

/** Conversions cel-go has and cel-js lacks, plus bytes ordering and optional equality. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

function optionalEquals(a: Optional, b: Optional): boolean {
  if (!a.hasValue() || !b.hasValue()) return a.hasValue() === b.hasValue();
  return celEquals(a.value(), b.value());
}

export function conversionsLibrary(): CelLibrary {
  return {
    name: 'conversions',
    operators: [
      { signature: 'bytes < bytes', impl: (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) < 0 },
      { signature: 'bytes <= bytes', impl: (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) <= 0 },
      { signature: 'bytes > bytes', impl: (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) > 0 },
      { signature: 'bytes >= bytes', impl: (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) >= 0 },
      { signature: 'optional<A> == optional<A>', impl: optionalEquals },
    ],
    functions: [
      {
        signature: 'int(uint): int',
        impl: (u: UnsignedInt) => {
          const v = u.valueOf();
          if (v > INT64_MAX) throw new CelEvalError('integer overflow');
          return v;
        },
      },
      {
        signature: 'int(google.protobuf.Timestamp): int',
        impl: (t: Date) => BigInt(Math.floor(t.getTime() / 1000)),
      },
      { signature: 'string(google.protobuf.Duration): string', impl: (d: CelDuration) => durationString(d) },
      { signature: 'string(google.protobuf.Timestamp): string', impl: (t: Date) => timestampString(t) },
      {
        signature: 'duration(google.protobuf.Duration): google.protobuf.Duration',
        impl: (d: CelDuration) => d,
      },
    ],
  };
}

interface Declaration {
  readonly signature: string;
  readonly name: string;
  readonly receiverType: unknown;
  readonly returnType: unknown;
  readonly description: unknown;
  readonly params: unknown;
  readonly handler: Handler;
}

interface ProbeRegistry {
  functionCandidates(receiver: boolean, name: string, argc: number): { declarations: Declaration[] };
}

let probeCount = 0;

/**
 * Replaces, in `env`'s own overload table, the built-ins listed in REPLACEMENTS (declarations are
 * frozen and shared, so each is swapped for a copy with the cel-go handler). Call it after every
 * library has been registered.
 */
export function patchBuiltins(env: Environment): void {
  let registry: ProbeRegistry | undefined;
  const probe = `palisadeRegistryProbe${probeCount++}`;
  env.registerFunction(`${probe}(ast): dyn`, ({ parser }: { parser: { registry: ProbeRegistry } }) => {
    registry = parser.registry;
    return { typeCheck: () => undefined, evaluate: () => null };
  });
  env.parse(`${probe}(x)`);
  if (registry === undefined) throw new Error('cel-js registry probe failed');
  for (const [signature, handler] of REPLACEMENTS) {
    const call = signature.slice(0, signature.indexOf('('));
    const dot = call.lastIndexOf('.');
    const params = signature.slice(call.length + 1, signature.indexOf(')'));
    const argc = params === '' ? 0 : params.split(',').length;
    const { declarations } = registry.functionCandidates(dot >= 0, call.slice(dot + 1), argc);
    const at = declarations.findIndex((d) => d.signature === signature);
    const found = declarations[at];
    if (found === undefined) throw new Error(`cel-js built-in ${signature} not found`);
    const Ctor = found.constructor as new (init: object) => Declaration;
    declarations[at] = new Ctor({
      name: found.name,
      receiverType: found.receiverType,
      returnType: found.returnType,
      description: found.description,
      params: found.params,
      handler,
      async: false,
    });
  }
}
