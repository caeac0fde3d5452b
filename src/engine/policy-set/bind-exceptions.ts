/**
 * @module Which PolicyExceptions a policy set binds, and their indexes. Exceptions come from the
 * set's documents (a folder, a cluster) and from the caller (`-e/--exception`, a test's
 * `exceptions:`). Kyverno's CLI ignores exceptions that sit among the policy files unless asked
 * (`apply --exceptions-within-policies`); its admission controller honours exceptions only when
 * `--enablePolicyException` is set, and kyverno.io ones only in `--exceptionNamespace` (`*`: every
 * namespace; empty: none), CEL ones in that namespace or, when it is empty or `*`, in every one
 * (cmd/internal/engine.go NewExceptionSelector, pkg/cel/engine/exception.go).
 */
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { CelPolicyException } from '../kinds/cel-shared/types.js';
import type { PolicyException } from '../kinds/cluster-policy/types.js';
import { type CelExceptionIndex, indexCelExceptions } from '../kinds/policy-exception/cel-exception-index.js';
import { checkPolicyException } from '../kinds/policy-exception/check-exception.js';
import { type ExceptionIndex, indexExceptions } from '../kinds/policy-exception/exception-index.js';
import type { PolicyRef, PolicySetDiagnostic } from './types.js';

/**
 * Kyverno's admission-time switches for exceptions, with its defaults: exceptions disabled, no
 * exception namespace (Helm `features.policyExceptions: {enabled: false, namespace: ''}`).
 */
export interface ExceptionAdmissionGate {
  /** `--enablePolicyException` (default false: no exception is honoured). */
  readonly enablePolicyException?: boolean;
  /** `--exceptionNamespace` (default ''): the namespace exceptions are honoured in; `*` for all. */
  readonly exceptionNamespace?: string;
}

/** Where the set takes its PolicyExceptions from. */
export type ExceptionSourceMode = 'from-documents' | 'explicit-only';

/** A PolicyException document with the caller's tag. */
export interface TaggedException<E, T> {
  readonly exception: E;
  readonly source: T;
}

export interface BoundExceptions<T> {
  readonly legacy: ExceptionIndex;
  readonly cel: CelExceptionIndex;
  /** Where each bound CEL exception came from (its compile problems are reported there). */
  readonly celSources: ReadonlyMap<CelPolicyException, T>;
  readonly diagnostics: readonly PolicySetDiagnostic<T>[];
}

// Kyverno's warnings when such an exception is created (pkg/validation/exception/validate.go).
const DISABLED = 'PolicyException resources would not be processed until it is enabled.';
const NO_NAMESPACE = 'The exceptionNamespace flag is not set';
const OTHER_NAMESPACE = 'PolicyException resource namespace must match the defined namespace.';

function refOf(e: PolicyException | CelPolicyException): PolicyRef {
  const ns = e.metadata.namespace;
  return {
    apiVersion: e.apiVersion,
    kind: e.kind,
    name: e.metadata.name,
    ...(ns !== undefined && ns !== '' ? { namespace: ns } : {}),
  };
}

/**
 * Why the gate leaves the exception out, or undefined when it is honoured. An exception without a
 * namespace counts as in `default`, where the API server would put it.
 */
function gateRefusal(
  e: PolicyException | CelPolicyException,
  legacy: boolean,
  gate: ExceptionAdmissionGate,
): string | undefined {
  if (gate.enablePolicyException !== true) return DISABLED;
  const configured = gate.exceptionNamespace ?? '';
  const ns =
    e.metadata.namespace === undefined || e.metadata.namespace === '' ? 'default' : e.metadata.namespace;
  if (legacy && configured === '') return NO_NAMESPACE;
  if (configured === '' || configured === '*' || configured === ns) return undefined;
  return OTHER_NAMESPACE;
}

/**
 * The exceptions to bind, in Kyverno's CLI order (explicit ones, then those among the documents
 * when `mode` is `from-documents`), filtered by `gate` when given, and indexed.
 */
export function bindExceptions<T>(input: {
  readonly mode: ExceptionSourceMode;
  readonly explicit: {
    readonly legacy: readonly TaggedException<PolicyException, T>[];
    readonly cel: readonly TaggedException<CelPolicyException, T>[];
  };
  readonly documents: {
    readonly legacy: readonly TaggedException<PolicyException, T>[];
    readonly cel: readonly TaggedException<CelPolicyException, T>[];
  };
  readonly gate?: ExceptionAdmissionGate;
}): BoundExceptions<T> {
  const diagnostics: PolicySetDiagnostic<T>[] = [];
  const fromDocuments = input.mode === 'from-documents';
  const admitted = <E extends PolicyException | CelPolicyException>(
    list: readonly TaggedException<E, T>[],
    legacy: boolean,
  ): TaggedException<E, T>[] =>
    list.filter(({ exception, source }) => {
      if (input.gate === undefined) return true;
      const refusal = gateRefusal(exception, legacy, input.gate);
      if (refusal === undefined) return true;
      diagnostics.push({
        diagnostic: diagnostic('policy/exception-ignored', refusal, ['metadata', 'namespace'], {
          severity: 'warning',
        }),
        source,
        policy: refOf(exception),
      });
      return false;
    });
  const legacy = admitted([...input.explicit.legacy, ...(fromDocuments ? input.documents.legacy : [])], true);
  const cel = admitted([...input.explicit.cel, ...(fromDocuments ? input.documents.cel : [])], false);
  for (const { exception, source } of legacy) {
    for (const d of checkPolicyException(exception))
      diagnostics.push({ diagnostic: d, source, policy: refOf(exception) });
  }
  return {
    legacy: indexExceptions(legacy.map((x) => x.exception)),
    cel: indexCelExceptions(cel.map((x) => x.exception)),
    celSources: new Map(cel.map((x) => [x.exception, x.source])),
    diagnostics,
  };
}

/** The compile problems of bound CEL exceptions, each on its own document. */
export function celExceptionDiagnostics<T>(bound: BoundExceptions<T>): PolicySetDiagnostic<T>[] {
  const out: PolicySetDiagnostic<T>[] = [];
  for (const exception of bound.cel.all) {
    const issues = bound.cel.problems.get(exception);
    if (issues === undefined) continue;
    const source = bound.celSources.get(exception) as T;
    for (const d of issues) out.push({ diagnostic: d, source, policy: refOf(exception) });
  }
  return out;
}
