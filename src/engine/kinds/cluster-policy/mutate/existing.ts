/**
 * @module Mutate existing resources (`mutate.targets[]`, Kyverno `handlers/mutation/mutate_existing.go`
 * and `load_targets.go`): targets are resolved with the trigger's variables, read from the cluster
 * port, and each one is patched with `target` in the context (`@` then resolves under `target`).
 * The trigger itself is never changed.
 */
import { evaluateConditions } from '../../../conditions/evaluate.js';
import { loadContextEntries } from '../../../context/load-context.js';
import { labelSelectorMatches } from '../../../match/label-selector.js';
import type { KubeObject, LabelSelector } from '../../../model/kube-object.js';
import type { ClusterReader } from '../../../ports.js';
import { wildcardMatch } from '../../../units/wildcard.js';
import { substituteVariables } from '../../../variables/substitute.js';
import { errorMessage, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult, RuleStatus } from '../../../verdict/types.js';
import type { Conditions, ContextEntry } from '../types.js';
import { type RuleEnv, ruleContextEnv } from '../validate/rule-env.js';
import { mutateForEach } from './foreach.js';
import { type PatchOutcome, patchResource, successMessage } from './patch-resource.js';

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface TargetSpec {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly selector?: LabelSelector;
}

interface LoadedTarget {
  readonly object: KubeObject;
  /** `status` for a `Kind/status` target: the patch is written to that subresource. */
  readonly subresource: string;
  readonly context?: ContextEntry[];
  readonly preconditions?: Conditions;
}

function resolveField(env: RuleEnv, i: number, field: string, raw: unknown): string {
  const text = typeof raw === 'string' ? raw : '';
  let value: unknown;
  try {
    value = substituteVariables(text, env.ctx, { operation: env.request.operation });
  } catch (err) {
    throw new Error(`failed to substitute variables in target[${i}].${field} ${text}: ${errorMessage(err)}`);
  }
  if (typeof value !== 'string') {
    throw new Error(
      `failed to substitute variables in target[${i}].${field} ${text}: resolved to a non-string`,
    );
  }
  return value;
}

function resolveSpec(env: RuleEnv, i: number, raw: JsonMap): TargetSpec {
  const spec: TargetSpec = {
    apiVersion: resolveField(env, i, 'APIVersion', raw.apiVersion),
    kind: resolveField(env, i, 'Kind', raw.kind),
    namespace: resolveField(env, i, 'Namespace', raw.namespace),
    name: resolveField(env, i, 'Name', raw.name),
    ...(typeof raw.uid === 'string' ? { uid: raw.uid } : {}),
    ...(isMap(raw.selector) ? { selector: raw.selector as LabelSelector } : {}),
  };
  return spec;
}

function findTargets(
  cluster: ClusterReader,
  spec: TargetSpec,
  policyNamespace: string | undefined,
): KubeObject[] {
  // A namespaced Policy only reaches targets in its own namespace.
  const namespace = policyNamespace ?? spec.namespace;
  const exactNs = namespace !== '' && !namespace.includes('*') && !namespace.includes('?');
  // `Kind/subresource` (Kyverno's kind selector): the parent objects are read and patched.
  const kind = spec.kind.split('/')[0] ?? '';
  const candidates = cluster.list(spec.apiVersion, kind, exactNs ? namespace : undefined);
  return candidates.filter((o) => {
    const name = o.metadata?.name ?? '';
    const ns = o.metadata?.namespace ?? '';
    if (namespace !== '' && !wildcardMatch(namespace, ns)) return false;
    if (spec.name !== '' && !wildcardMatch(spec.name, name)) return false;
    if (spec.uid !== undefined && spec.uid !== '' && o.metadata?.uid !== spec.uid) return false;
    if (spec.selector !== undefined && !labelSelectorMatches(spec.selector, o.metadata?.labels ?? {}))
      return false;
    return true;
  });
}

function loadTargets(env: RuleEnv, targets: readonly unknown[], cluster: ClusterReader) {
  const loaded: LoadedTarget[] = [];
  const errors: string[] = [];
  for (const [i, raw] of targets.entries()) {
    if (!isMap(raw)) {
      errors.push(`target[${i}] must be a map`);
      continue;
    }
    let spec: TargetSpec;
    try {
      spec = resolveSpec(env, i, raw);
    } catch (err) {
      errors.push(errorMessage(err));
      continue;
    }
    const subresource = spec.kind.split('/').slice(1).join('/');
    for (const object of findTargets(cluster, spec, env.policyNamespace)) {
      loaded.push({
        object,
        subresource,
        ...(Array.isArray(raw.context) ? { context: raw.context as ContextEntry[] } : {}),
        ...(raw.preconditions !== undefined ? { preconditions: raw.preconditions as Conditions } : {}),
      });
    }
  }
  return { loaded, errors };
}

/** The outcome for one target, with `target` set in the context. */
function mutateTarget(env: RuleEnv, mutate: JsonMap, target: LoadedTarget): PatchOutcome | { skip: string } {
  const { ctx } = env;
  ctx.set('target', target.object);
  try {
    loadContextEntries(target.context, ctx, ruleContextEnv(env.rule, env.request, env.policyNamespace));
  } catch (err) {
    return { status: 'error', resource: {}, message: `failed to load context: ${errorMessage(err)}` };
  }
  try {
    const pre = evaluateConditions(target.preconditions, ctx, { operation: env.request.operation });
    if (!pre.met)
      return { skip: pre.message === '' ? 'preconditions not met' : `preconditions not met; ${pre.message}` };
  } catch (err) {
    return {
      status: 'error',
      resource: {},
      message: `failed to evaluate preconditions: ${errorMessage(err)}`,
    };
  }
  if (mutate.foreach !== undefined) {
    return mutateForEach(mutate.foreach, { ...env, objectVariable: 'target' }, target.object, 0);
  }
  return patchResource(mutate, ctx, target.object, {
    operation: env.request.operation,
    basePath: '/mutate',
    forbidPathVariablesIn: env.rule.name,
  });
}

/**
 * Patches every target of a mutate-existing rule. Kyverno answers one rule response per target;
 * they are folded into one result here: `error` if any target errored, else `pass` with every
 * patched target in `patchedTargets`, else `skip`. No targets found → no result.
 */
export function mutateExisting(env: RuleEnv, mutate: JsonMap): RuleResult | undefined {
  const name = env.rule.name;
  const cluster = env.request.ports.cluster;
  if (cluster === undefined) return undefined;
  const targets = Array.isArray(mutate.targets) ? mutate.targets : [];
  const { loaded, errors: loadErrors } = loadTargets(env, targets, cluster);
  const errors = loadErrors.map((e) => `failed to load targets: ${e}`);
  const each: { status: RuleStatus; message: string; patched?: KubeObject }[] =
    errors.length > 0 ? [{ status: 'error', message: errors.join('; ') }] : [];
  const patched: KubeObject[] = [];
  const subresources: string[] = [];
  const passMessages: string[] = [];
  const skipMessages: string[] = [];
  for (const target of loaded) {
    env.ctx.checkpoint();
    let outcome: ReturnType<typeof mutateTarget>;
    try {
      outcome = mutateTarget(env, mutate, target);
    } finally {
      env.ctx.reset();
    }
    if ('skip' in outcome) {
      skipMessages.push(outcome.skip);
      each.push({ status: 'skip', message: outcome.skip });
    } else if (outcome.status === 'error') {
      errors.push(outcome.message);
      each.push({ status: 'error', message: outcome.message });
    } else if (outcome.status === 'skip') {
      skipMessages.push(outcome.message);
      each.push({ status: 'skip', message: outcome.message });
    } else {
      patched.push(outcome.resource);
      subresources.push(target.subresource);
      passMessages.push(successMessage(outcome.resource));
      each.push({ status: 'pass', message: successMessage(outcome.resource), patched: outcome.resource });
    }
  }
  if (errors.length > 0)
    return { ...ruleResult(name, 'Mutation', 'error', errors.join('; ')), targetResults: each };
  if (patched.length > 0) {
    const pass = { ...ruleResult(name, 'Mutation', 'pass', passMessages.join('; ')), targetResults: each };
    return subresources.some((s) => s !== '')
      ? { ...pass, patchedTargets: patched, patchedTargetSubresources: subresources }
      : { ...pass, patchedTargets: patched };
  }
  if (skipMessages.length > 0)
    return { ...ruleResult(name, 'Mutation', 'skip', skipMessages[0] ?? ''), targetResults: each };
  return undefined;
}
