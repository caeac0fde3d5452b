/** @module Kyverno's `globalContext.Get(entry[, projection])` through the GlobalContextReader port. */
import { CelEvalError } from '../errors.js';
import type { CelRuntime } from '../runtime.js';
import { toCel } from '../values.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

function get(rt: CelRuntime, name: string, projection: string): unknown {
  const reader = rt.ports?.globalContext;
  if (reader === undefined) throw new CelEvalError('globalContext library: no global context is available');
  const answer = reader.get(projection === '' ? name : `${name}.${projection}`);
  if (!answer.ok) throw new CelEvalError(answer.error);
  return toCel(answer.data);
}

export function globalContextLibrary(rt: CelRuntime): CelLibrary {
  return {
    name: 'global-context',
    ...namespaceLibraryParts('GlobalContextNamespace', 'globalContext'),
    functions: [
      {
        signature: 'GlobalContextNamespace.Get(string): dyn',
        impl: (_: unknown, n: string) => get(rt, n, ''),
      },
      {
        signature: 'GlobalContextNamespace.Get(string, string): dyn',
        impl: (_: unknown, n: string, p: string) => get(rt, n, p),
      },
    ],
  };
}
