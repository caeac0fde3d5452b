/** @module Variable substitution inside a context entry, with the caller's error wording. */
import { substituteReferences } from '../../variables/references.js';
import { substituteVariables } from '../../variables/substitute.js';
import type { JsonContext } from '../json-context.js';
import { ContextLoadError } from './errors.js';

/** Kyverno's SubstituteAll (references, then variables); failures become `<prefix>: <error>`. */
export function substituteIn(entry: string, value: unknown, ctx: JsonContext, prefix: string): unknown {
  try {
    return substituteVariables(substituteReferences(value, ctx.meter), ctx);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContextLoadError(entry, `${prefix}: ${reason}`, { cause: error });
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
