/**
 * @module compilePolicySet: every policy document compiled once, with the exceptions and bindings
 * that name it, into a set indexed by kind and namespace.
 */
import { CompileMemo } from '../compile-memo.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { CelPolicyException } from '../kinds/cel-shared/types.js';
import { pinExceptionArtifacts } from '../kinds/cluster-policy/compile-artifacts.js';
import type { PolicyException } from '../kinds/cluster-policy/types.js';
import type { MutatingAdmissionPolicyBinding } from '../kinds/mutating-policy/types.js';
import type { ValidatingAdmissionPolicyBinding } from '../kinds/validating-admission-policy/validating-admission-policy.js';
import type { ObjectMeta } from '../model/kube-object.js';
import { splitApiVersion } from '../model/resource-kinds.js';
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
      });
    }
  }
  return calls;
}

/**
 * Compiles policy documents of every supported kind into one set. Never throws: documents that do
 * not compile are left out and reported with their tag.
 */
export function compilePolicySet<T>(documents: readonly PolicyDocument<T>[]): CompiledPolicySet<T> {
  const diagnostics: PolicySetDiagnostic<T>[] = [];
  const byEntry = new Map<AnyKindEntry, PolicyDocument<T>[]>();
  const exceptions: PolicyException[] = [];
  const celExceptions: CelPolicyException[] = [];
  const vapBindings: ValidatingAdmissionPolicyBinding[] = [];
  const mapBindings: MutatingAdmissionPolicyBinding[] = [];
  for (const doc of documents) {
    const route = routeOf(doc.document);
    const value = doc.document as never;
    if (route === 'policy-exception') exceptions.push(value);
    else if (route === 'cel-policy-exception') celExceptions.push(value);
    else if (route === 'vap-binding') vapBindings.push(value);
    else if (route === 'map-binding') mapBindings.push(value);
    else if (route !== undefined) {
      const list = byEntry.get(route);
      if (list === undefined) byEntry.set(route, [doc]);
      else list.push(doc);
    } else {
      const { apiVersion, kind } = doc.document;
      diagnostics.push({
        diagnostic: diagnostic(
          'policy/unsupported-kind',
          `policy type not supported: ${apiVersion}, Kind=${kind}`,
          ['kind'],
        ),
        source: doc.source,
        policy: refOf(doc.document),
      });
    }
  }
  const out = { policies: [] as SetPolicy[], diagnostics, rejected: [] as PolicyRef[] };
  const memo = new CompileMemo();
  pinExceptionArtifacts(exceptions, memo);
  const compileCalls = compileKinds(byEntry, { celExceptions, vapBindings, mapBindings, memo }, out);
  const policiesFor = indexPolicies(out.policies, (p) => (p as SetPolicy).entry.targets(p.compiled));
  const set: PolicySet = {
    policies: out.policies,
    policiesFor,
    exceptions,
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
