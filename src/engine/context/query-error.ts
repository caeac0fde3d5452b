/** @module How Kyverno's `context.Query` words a failed query (`pkg/engine/context/evaluate.go`). */
import { JmespathError } from '../jmespath/evaluate.js';

/**
 * `incorrect query <q>: <err>` when the expression does not compile,
 * `JMESPath query failed: <err>` when evaluation fails, `invalid query (nil)` when empty.
 */
export function queryErrorMessage(expression: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (expression.trim() === '') return 'invalid query (nil)';
  if (error instanceof JmespathError && error.code === 'syntax')
    return `incorrect query ${expression.trim()}: ${message}`;
  return `JMESPath query failed: ${message}`;
}
