/**
 * @module Loads a rule's (or foreach's) `context[]` entries in order into the JSON context
 * (Kyverno `pkg/engine/factories/contextloaderfactory.go` plus the CLI's `store/contextloader.go`).
 * Offline (CLI) semantics: an entry whose name the values file supplies for this rule is not
 * loaded; configMap/apiCall/imageRegistry entries with no port to answer them are skipped.
 */
import type { ContextEntry } from '../kinds/cluster-policy/types.js';
import type { Ports } from '../ports.js';
import type { JsonContext } from './json-context.js';
import { loadApiCall } from './loaders/api-call.js';
import { loadConfigMap } from './loaders/config-map.js';
import { ContextLoadError } from './loaders/errors.js';
import { loadGlobalReference } from './loaders/global-reference.js';
import { loadVariable } from './loaders/variable.js';

export { ContextLoadError } from './loaders/errors.js';

export interface ContextLoadEnv {
  readonly ports: Ports;
  /** Namespace of a namespaced Policy (ConfigMap default and cross-namespace guard). */
  readonly policyNamespace?: string;
  /** `policies[].rules[].values` for this rule: names given here are not loaded. */
  readonly ruleValues?: Record<string, unknown>;
}

/**
 * Loads every entry in order. An entry that fails (`ContextLoadError`) is left unloaded, its error
 * kept for the queries that name it (`JsonContext.setUnloaded`): Kyverno loads entries lazily
 * (deferred loading, its default), so a failing entry nothing reads (a precondition skipped the rule
 * first, e.g. a DELETE whose `request.object` is null) is no error. Limits still stop at once.
 */
export function loadContextEntries(
  entries: readonly ContextEntry[] | undefined,
  ctx: JsonContext,
  env: ContextLoadEnv,
): void {
  for (const entry of entries ?? []) {
    const name = entry.name;
    if (env.ruleValues && Object.hasOwn(env.ruleValues, name)) continue;
    ctx.meter.checkTime();
    // A malformed entry is the policy's error, found before anything loads (not deferred).
    if (
      !entry.variable &&
      !entry.configMap &&
      !entry.apiCall &&
      !entry.globalReference &&
      !entry.imageRegistry
    )
      throw new ContextLoadError(name, `invalid context entry ${name}`);
    try {
      loadEntry(entry, ctx, env);
    } catch (error) {
      if (!(error instanceof ContextLoadError)) throw error;
      ctx.setUnloaded(name, error);
    }
  }
}

function loadEntry(entry: ContextEntry, ctx: JsonContext, env: ContextLoadEnv): void {
  const name = entry.name;
  if (entry.variable) loadVariable(name, entry.variable, ctx);
  else if (entry.configMap) {
    if (env.ports.cluster && env.ports.skipConfigMapEntries !== true)
      loadConfigMap(name, entry.configMap, ctx, env.ports.cluster, env.policyNamespace ?? '');
  } else if (entry.apiCall) {
    if (env.ports.apiCaller)
      loadApiCall(name, entry.apiCall, ctx, env.ports.apiCaller, env.policyNamespace ?? '');
  } else if (entry.globalReference)
    loadGlobalReference(name, entry.globalReference, ctx, env.ports.globalContext);
  // imageRegistry: no registry port exists; skipped like the CLI without --registry, uses of it then fail.
}
