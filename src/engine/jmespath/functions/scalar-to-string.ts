/** @module Kyverno's `ifaceToString`, which JMESPath functions use to read string-or-number arguments. */
import { formatFloat } from '../../primitives/go-float.js';

/** Strings pass through; numbers print as Go's `FormatFloat(f, 'f', -1, 32)` (Kyverno casts to float32). */
export function scalarToString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v, 'f', 32);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}
