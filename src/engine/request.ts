/** @module What a single evaluation is asked: the resource, the admission request around it, the data given. */

import type { ExceptionSource } from './kinds/policy-exception/exception-index.js';
import type { Limits, RequestBudget } from './limits.js';
import type { KubeObject } from './model/kube-object.js';
import type { ImageDataReader, Ports } from './ports.js';
import type { EvaluationSignal } from './runtime.js';
import { BoundedMemo } from './units/bounded-memo.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionUserInfo {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** Kyverno's RequestInfo: the user plus the Roles/ClusterRoles bound to them. */
export interface RequestInfo {
  readonly userInfo: AdmissionUserInfo;
  readonly roles: readonly string[];
  readonly clusterRoles: readonly string[];
  readonly dryRun?: boolean;
}

/**
 * Variables injected before context entries load (Kyverno values-file semantics).
 * Keys are dotted variable paths such as `request.operation` or `cm.data.key`.
 */
export interface VariableValues {
  /** globalValues, then per-resource values, then `--set`, already merged in that order. */
  readonly global: Readonly<Record<string, unknown>>;
  /** Per rule name: `policies[].rules[].values`. */
  readonly rules: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Per rule name, per variable: one value per foreach element index. */
  readonly foreachValues: Readonly<Record<string, Readonly<Record<string, readonly unknown[]>>>>;
}

/**
 * The values-file entry for a rule, in `values.rules` or `values.foreachValues`: an autogen rule
 * (`autogen-<rule>`, `autogen-cronjob-<rule>`) reads the values given for its base rule, as Kyverno's
 * CLI store looks rules up.
 */
export function valuesForRule<T>(
  byRule: Readonly<Record<string, T>> | undefined,
  ruleName: string,
): T | undefined {
  if (byRule === undefined || byRule === lastEmpty) return undefined;
  if (Object.hasOwn(byRule, ruleName)) return byRule[ruleName];
  // The CLI's values name no rule in most runs: one look for any key, then none per rule.
  if (!hasOwnKey(byRule)) {
    lastEmpty = byRule;
    return undefined;
  }
  const bases = baseNamesOf(ruleName);
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i] as string;
    if (Object.hasOwn(byRule, base)) return byRule[base];
  }
  return undefined;
}

/**
 * The last values-by-rule object found with no own key: every rule of every policy looks it up per
 * resource (request values, like every input of an evaluation, are not changed in place).
 */
let lastEmpty: object | undefined;

function hasOwnKey(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}

// The base names an autogen rule's values are looked up by, kept per rule name: a name sliced per
// call is a new string, and a new string is hashed and internalised again as a key (~0.1 µs each,
// per autogen rule and resource). Bounded: rule names are a policy set's.
const baseNames = new BoundedMemo<string, readonly string[]>(4096);

function baseNamesOf(ruleName: string): readonly string[] {
  let bases = baseNames.get(ruleName);
  if (bases === undefined) {
    const found: string[] = [];
    // The two prefixes in this order, as Kyverno's CLI store tries them.
    for (const prefix of ['autogen-cronjob-', 'autogen-'])
      if (ruleName.startsWith(prefix)) found.push(ruleName.slice(prefix.length));
    bases = found;
    baseNames.set(ruleName, bases);
  }
  return bases;
}

export interface EvaluationRequest {
  /** The new object; for DELETE pass the object as `oldResource` and `{}` here. */
  readonly resource: KubeObject;
  readonly oldResource?: KubeObject;
  readonly operation: Operation;
  readonly subresource?: string;
  /**
   * The kind the request names when it is not the object's own (a subresource request names its
   * parent's kind, e.g. `apps/v1 Deployment` for a `Scale` sent to `deployments/scale`); rules'
   * `kinds` are matched against it.
   */
  readonly resourceKind?: { readonly group: string; readonly version: string; readonly kind: string };
  readonly requestInfo?: RequestInfo;
  /** Labels of the namespace the resource lives in (namespaceSelector matching). */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly values?: VariableValues;
  /** kyverno.io PolicyExceptions to honour: a list, or a policy set's index of them. */
  readonly exceptions?: ExceptionSource;
  readonly ports: Ports;
  /**
   * Where verifyImages rules read image signatures and digests when it is not `ports.imageData`
   * (Kyverno's CLI answers them from the Context file's images, as for the CEL kinds).
   */
  readonly imageRegistry?: ImageDataReader;
  /** Bounds on this evaluation; unset ones take their defaults (`DEFAULT_EVALUATION_LIMITS`, docs/limits.md). */
  readonly limits?: Partial<Limits>;
  /** The runtime's signal: once aborted, the evaluation stops at its next check with a rule `error`. */
  readonly signal?: EvaluationSignal;
  /**
   * The budget of the request this evaluation is part of (`admit`, `scan`): its time and total work,
   * shared with the request's other policies. When set, its limits and clock are the evaluation's;
   * absent: the evaluation is a request of its own, within `limits`, `ports.clock` and `signal`.
   */
  readonly budget?: RequestBudget;
  /**
   * Kyverno's CLI: an object a patch changed is decoded again with Go int64 integers, which its
   * JMESPath does not take for numbers (jmespath/go-int.ts). Set, a patched object (and one a
   * previous policy patched, see context/patched-objects.ts) is seen so by JMESPath.
   */
  readonly goIntegers?: boolean;
}
