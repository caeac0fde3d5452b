/** @module Kyverno's `globalContext.Get(entry[, projection])` through the GlobalContextReader port. */
import { CelEvalError } from '../errors.js';
import { toCel } from '../values.js';
import { type CelLibrary, type CelLibraryContext, contextVariable } from './types.js';

/** `globalContext`: bound per evaluation, with the evaluation's GlobalContextReader port. */
export const globalContextContext = contextVariable('GlobalContextNamespace', 'globalContext');

function get(c: CelLibraryContext, name: string, projection: string): unknown {
  const reader = c.runtime.ports.globalContext;
  if (reader === undefined) throw new CelEvalError('globalContext library: no global context is available');
  const answer = reader.get(projection === '' ? name : `${name}.${projection}`);
  if (!answer.ok) throw new CelEvalError(answer.error);
  return toCel(answer.data);
}

export function globalContextLibrary(): CelLibrary {
  return {
    name: 'global-context',
    types: [{ name: globalContextContext.type, ctor: globalContextContext.ctor }],
    variables: [globalContextContext],
    functions: [
      {
        signature: 'GlobalContextNamespace.Get(string): dyn',
        impl: (c: CelLibraryContext, n: string) => get(c, n, ''),
      },
      {
        signature: 'GlobalContextNamespace.Get(string, string): dyn',
        impl: (c: CelLibraryContext, n: string, p: string) => get(c, n, p),
      },
    ],
  };
}
