/**
 * @module How a sub-expression's errors read as null, in Kyverno's go-jmespath: `lenient` for the
 * places that swallow a missing key, `forgiving` for the left side of `[]`, `[?…]` and `*`, which
 * swallows every evaluation error. Shared by the compiled closures and the tree interpreter.
 */
import { MissingKey } from './ast.js';
import { isNotFound, JmespathError, JmespathLimitError } from './errors.js';

/** Evaluates a sub-expression on a value (a MissingKey where the key is absent). */
export type SubEvaluation<E> = (value: unknown, ev: E) => unknown;

/** A not-found error or a missing key reads as null. */
export function lenient<E>(f: SubEvaluation<E>, value: unknown, ev: E): unknown {
  let result: unknown;
  try {
    result = f(value, ev);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  return result instanceof MissingKey ? null : result;
}

/** Any evaluation error but a resource limit, or a missing key, reads as null. */
export function forgiving<E>(f: SubEvaluation<E>, value: unknown, ev: E): unknown {
  let result: unknown;
  try {
    result = f(value, ev);
  } catch (error) {
    if (error instanceof JmespathError && !(error instanceof JmespathLimitError)) return null;
    throw error;
  }
  return result instanceof MissingKey ? null : result;
}
