/**
 * @module Optional-type helpers beyond cel-js' built-ins (`optional.of/none`, `.?`, `[?]`,
 * `hasValue`, `value`, `or`, `orValue`): `optional.ofNonZeroValue`.
 */
import { Optional } from '@marcbachmann/cel-js';
import type { CelLibrary } from './types.js';

function isZero(v: unknown): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (v instanceof Uint8Array) return v.length === 0;
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return Object.keys(v).length === 0;
  }
  return false;
}

export function optionalLibrary(): CelLibrary {
  return {
    name: 'optional',
    functions: [
      {
        signature: 'OptionalNamespace.ofNonZeroValue(dyn): optional<dyn>',
        impl: (_: unknown, v: unknown) => (isZero(v) ? Optional.none() : Optional.of(v)),
      },
    ],
  };
}
