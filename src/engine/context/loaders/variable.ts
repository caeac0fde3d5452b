/**
 * @module `context[].variable{value, jmesPath, default}` (Kyverno `loaders/variable.go`): the
 * JMESPath applies to `value` when given, else to the whole context; `default` replaces a failed
 * query (and, for context queries, a null result). A null outcome is an error.
 */
import { searchJmespath } from '../../jmespath/evaluate.js';
import type { ContextEntry } from '../../kinds/cluster-policy/types.js';
import { sprint } from '../../primitives/go-sprint.js';
import type { JsonContext } from '../json-context.js';
import { queryErrorMessage } from '../query-error.js';
import { errorText, substituteIn } from './_substitute.js';
import { ContextLoadError } from './errors.js';

type VariableSpec = NonNullable<ContextEntry['variable']>;

function applyJmespath(
  path: string,
  data: unknown,
  ctx: JsonContext,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: searchJmespath(path, data, ctx.functionContext) };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

export function loadVariable(name: string, spec: VariableSpec, ctx: JsonContext): void {
  const failPrefix = (what: unknown) =>
    `failed to substitute variables in context entry ${name} ${sprint(what)}`;
  let path = '';
  if (spec.jmesPath !== undefined && spec.jmesPath !== '') {
    const substituted = substituteIn(name, spec.jmesPath, ctx, failPrefix(spec.jmesPath));
    if (typeof substituted !== 'string') {
      throw new ContextLoadError(name, `jmespath value must be a string ${name} ${spec.jmesPath}: <nil>`);
    }
    path = substituted;
  }
  let defaultValue: unknown = null;
  if (spec.default !== undefined && spec.default !== null) {
    defaultValue = substituteIn(name, spec.default, ctx, failPrefix(spec.default));
  }
  let output = defaultValue;
  if (spec.value !== undefined && spec.value !== null) {
    const variable = substituteIn(name, spec.value, ctx, failPrefix(spec.value));
    if (path === '') output = variable;
    else {
      const result = applyJmespath(path, variable, ctx);
      if (result.ok) output = result.value;
      else if (defaultValue === null) {
        throw new ContextLoadError(
          name,
          `failed to apply jmespath ${path} to variable ${sprint(variable)}: ${result.error}`,
        );
      }
    }
  } else if (path !== '') {
    try {
      const result = ctx.query(path);
      if (result !== null && result !== undefined) output = result;
    } catch (error) {
      if (defaultValue === null) {
        throw new ContextLoadError(
          name,
          `failed to apply jmespath ${path} to variable <nil>: ${queryErrorMessage(path, error)}`,
          {
            cause: error,
          },
        );
      }
    }
  }
  if (output === null || output === undefined) {
    throw new ContextLoadError(
      name,
      `failed to add context entry for variable ${name} since it evaluated to nil`,
    );
  }
  ctx.set(name, output);
}
