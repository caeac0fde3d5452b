/**
 * @module compilePolicySet: every policy document compiled once, with the exceptions and bindings
 * that name it, into a set indexed by kind and namespace. PolicyExceptions are bound at compile
 * time: kyverno.io ones indexed by the policy and rule they name, CEL ones compiled into the
 * policies they name (see bind-exceptions.ts for which are bound).
 */

import { CompileMemo } from '../compile-memo.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { TypeSchemas } from '../kinds/cel-shared/typed/schema.js';
import type { CelPolicyException } from '../kinds/cel-shared/types.js';
import { pinExceptionArtifacts } from '../kinds/cluster-policy/compile-artifacts.js';
import type { PolicyException } from '../kinds/cluster-policy/types.js';
import type { MutatingAdmissionPolicyBinding } from '../kinds/mutating-policy/types.js';
import type { ValidatingAdmissionPolicyBinding } from '../kinds/validating-admission-policy/validating-admission-policy.js';
import type { WebhookNeed } from '../leader/webhook-needs.js';
import type { ObjectMeta } from '../model/kube-object.js';
import { splitApiVersion } from '../model/resource-kinds.js';
import {
  bindExceptions,
  celExceptionDiagnostics,
  type ExceptionAdmissionGate,
  type ExceptionSourceMode,
  type TaggedException,
} from './bind-exceptions.js';
import { ATTACHMENTS, type AttachmentName, KIND_TABLE } from './kinds.js';
import { indexPolicies } from './policy-index.js';
import type {
  AnyKindEntry,
  CompileContext,
  CompiledSetPolicy,
  KindName,
  PolicyRef,
  PolicySet,
  PolicySetDiagnostic,
  PolicyTraits,
} from './types.js';

/** A decoded, typed policy document of any supported kind (see the loaders), with the caller's tag. */
export interface PolicyDocument<T> {
  readonly document: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: ObjectMeta & { name: string };
  };
  /** Opaque to the engine; comes back on the document's diagnostics (e.g. file and position). */
  readonly source: T;
}

export interface CompiledPolicySet<T> {
  readonly set: PolicySet;
  /** Problems, in table order then document order, each with its document's tag. */
  readonly diagnostics: readonly PolicySetDiagnostic<T>[];
  /** The policies left out because they did not compile. */
  readonly rejected: readonly PolicyRef[];
}

export interface CompilePolicySetOptions<T> {
  /**
   * Where PolicyExceptions are taken from. `from-documents` (the default, for the webhook and the
   * controllers, whose set is everything in a folder or cluster): those among `documents` and those
   * in `explicitExceptions`. `explicit-only`: only `explicitExceptions`; exceptions among
   * `documents` are ignored, as Kyverno's CLI ignores them in policy files (`test`, and `apply`
   * without `--exceptions-within-policies`).
   */
  readonly exceptions?: ExceptionSourceMode;
  /** PolicyExceptions given on their own (`-e/--exception`, a test's `exceptions:`); bound first. */
  readonly explicitExceptions?: readonly PolicyDocument<T>[];
  /**
   * Kyverno's admission-time gate (`--enablePolicyException`, `--exceptionNamespace`; unset fields
   * take Kyverno's defaults: disabled, no namespace). Absent: every bound exception is honoured,
   * as Kyverno's CLI does.
   */
  readonly admission?: ExceptionAdmissionGate;
  /**
   * The type schemas MutatingPolicy ApplyConfiguration mutations convert objects with before the
   * merge (`loadBuiltinTypeSchemas`, `--crd` files). Absent: the untyped merge.
   */
  readonly typeSchemas?: TypeSchemas;
}

const DEFAULT_TRAITS: PolicyTraits = { failurePolicy: 'Fail', background: false };

/** Internal view of a set policy: its kind entry too. */
export interface SetPolicy extends CompiledSetPolicy {
  readonly entry: AnyKindEntry;
}

function refOf(doc: PolicyDocument<unknown>['document']): PolicyRef {
  return { apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata.name };
}

function routeOf(doc: PolicyDocument<unknown>['document']): AnyKindEntry | AttachmentName | undefined {
  const { group } = splitApiVersion(doc.apiVersion);
  for (const a of ATTACHMENTS) if (a.group === group && a.kind === doc.kind) return a.name;
  return KIND_TABLE.find((e) => e.group === group && e.kinds.includes(doc.kind));
}

/** Compiles every kind's documents with `ctx` (exceptions and bindings); answers the compile count. */
function compileKinds<T>(
  byEntry: ReadonlyMap<AnyKindEntry, PolicyDocument<T>[]>,
  ctx: CompileContext,
  out: { policies: SetPolicy[]; diagnostics: PolicySetDiagnostic<T>[]; rejected: PolicyRef[] },
): number {
  let calls = 0;
  for (const entry of KIND_TABLE) {
    for (const doc of byEntry.get(entry) ?? []) {
      calls++;
      const r = entry.compile(doc.document as never, ctx);
      if (!r.ok) {
        const policy = refOf(doc.document);
        out.rejected.push(policy);
        for (const d of r.issues) out.diagnostics.push({ diagnostic: d, source: doc.source, policy });
        continue;
      }
      out.policies.push({
        entry,
        kind: entry.name,
        ref: entry.ref(r.value),
        compiled: r.value,
        seq: out.policies.length,
        ruleCount: entry.ruleCount?.(r.value) ?? 1,
        traits: entry.traits?.(r.value) ?? DEFAULT_TRAITS,
      });
    }
  }
  return calls;
}

interface Routed<T> {
  readonly byEntry: Map<AnyKindEntry, PolicyDocument<T>[]>;
  readonly exceptions: TaggedException<PolicyException, T>[];
  readonly celExceptions: TaggedException<CelPolicyException, T>[];
  readonly vapBindings: ValidatingAdmissionPolicyBinding[];
  readonly mapBindings: MutatingAdmissionPolicyBinding[];
}

function unsupported<T>(doc: PolicyDocument<T>, what: string): PolicySetDiagnostic<T> {
  const { apiVersion, kind } = doc.document;
  return {
    diagnostic: diagnostic('policy/unsupported-kind', `${what} not supported: ${apiVersion}, Kind=${kind}`, [
      'kind',
    ]),
    source: doc.source,
    policy: refOf(doc.document),
  };
}

/** Sorts documents by kind entry and attachment; unknown kinds are reported. */
function route<T>(documents: readonly PolicyDocument<T>[], diagnostics: PolicySetDiagnostic<T>[]): Routed<T> {
  const out: Routed<T> = {
    byEntry: new Map(),
    exceptions: [],
    celExceptions: [],
    vapBindings: [],
    mapBindings: [],
  };
  for (const doc of documents) {
    const r = routeOf(doc.document);
    const value = doc.document as never;
    if (r === 'policy-exception') out.exceptions.push({ exception: value, source: doc.source });
    else if (r === 'cel-policy-exception') out.celExceptions.push({ exception: value, source: doc.source });
    else if (r === 'vap-binding') out.vapBindings.push(value);
    else if (r === 'map-binding') out.mapBindings.push(value);
    else if (r !== undefined) {
      const list = out.byEntry.get(r);
      if (list === undefined) out.byEntry.set(r, [doc]);
      else list.push(doc);
    } else diagnostics.push(unsupported(doc, 'policy type'));
  }
  return out;
}

/** The explicit exceptions by API group; other documents are reported. */
function routeExplicit<T>(
  documents: readonly PolicyDocument<T>[],
  diagnostics: PolicySetDiagnostic<T>[],
): Pick<Routed<T>, 'exceptions' | 'celExceptions'> {
  const exceptions: TaggedException<PolicyException, T>[] = [];
  const celExceptions: TaggedException<CelPolicyException, T>[] = [];
  for (const doc of documents) {
    const r = routeOf(doc.document);
    const exception = doc.document as never;
    if (r === 'policy-exception') exceptions.push({ exception, source: doc.source });
    else if (r === 'cel-policy-exception') celExceptions.push({ exception, source: doc.source });
    else diagnostics.push(unsupported(doc, 'policy exception type'));
  }
  return { exceptions, celExceptions };
}

/**
 * Compiles policy documents of every supported kind into one set, binding the PolicyExceptions
 * `options` select. Never throws: documents that do not compile are left out and reported with
 * their tag; an exception that does not compile is bound to no policy and reported on its own
 * document.
 */
export function compilePolicySet<T>(
  documents: readonly PolicyDocument<T>[],
  options: CompilePolicySetOptions<T> = {},
): CompiledPolicySet<T> {
  const diagnostics: PolicySetDiagnostic<T>[] = [];
  const routed = route(documents, diagnostics);
  const explicit = routeExplicit(options.explicitExceptions ?? [], diagnostics);
  const bound = bindExceptions({
    mode: options.exceptions ?? 'from-documents',
    explicit: { legacy: explicit.exceptions, cel: explicit.celExceptions },
    documents: { legacy: routed.exceptions, cel: routed.celExceptions },
    ...(options.admission !== undefined ? { gate: options.admission } : {}),
  });
  const out = { policies: [] as SetPolicy[], diagnostics, rejected: [] as PolicyRef[] };
  const memo = new CompileMemo();
  pinExceptionArtifacts(bound.legacy.all, memo);
  const ctx: CompileContext = {
    celExceptions: bound.cel,
    vapBindings: routed.vapBindings,
    mapBindings: routed.mapBindings,
    memo,
    ...(options.typeSchemas !== undefined ? { typeSchemas: options.typeSchemas } : {}),
  };
  const compileCalls = compileKinds(routed.byEntry, ctx, out);
  diagnostics.push(...bound.diagnostics, ...celExceptionDiagnostics(bound));
  const policiesFor = indexPolicies(out.policies, (p) => (p as SetPolicy).entry.targets(p.compiled));
  const set: PolicySet = {
    policies: out.policies,
    policiesFor,
    exceptions: bound.legacy,
    celExceptions: bound.cel.all,
    compileMemo: memo,
    stats: {
      compileCalls,
      get evaluationCompiles() {
        return memo.misses;
      },
    },
  };
  return { set, diagnostics, rejected: out.rejected };
}

/** The set's policies grouped by kind, in set order (what the `cli` profile evaluates). */
export function groupByKind(policies: readonly CompiledSetPolicy[]): Map<KindName, unknown[]> {
  const out = new Map<KindName, unknown[]>();
  for (const p of policies) {
    const list = out.get(p.kind);
    if (list === undefined) out.set(p.kind, [p.compiled]);
    else list.push(p.compiled);
  }
  return out;
}

/** The admission webhooks a policy of a set needs registered (see KindEntry.webhooks). */
export function webhookNeedsOf(policy: CompiledSetPolicy): readonly WebhookNeed[] {
  return (policy as SetPolicy).entry.webhooks?.(policy.compiled) ?? [];
}
