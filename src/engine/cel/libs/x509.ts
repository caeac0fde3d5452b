/** @module Kyverno's `x509.decode(pem)`: a certificate or CSR as a map (same fields as JMESPath `x509_decode`). */
import { x509Decode } from '../../jmespath/functions/x509.js';
import { CelEvalError } from '../errors.js';
import { toCel } from '../values.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

function decode(pem: string): unknown {
  try {
    return toCel(x509Decode(pem));
  } catch (e) {
    throw new CelEvalError(e instanceof Error ? e.message : String(e));
  }
}

export function x509Library(): CelLibrary {
  return {
    name: 'x509',
    ...namespaceLibraryParts('X509Namespace', 'x509'),
    functions: [
      {
        signature: 'X509Namespace.decode(string): map<string, dyn>',
        impl: (_: unknown, s: string) => decode(s),
      },
    ],
  };
}
