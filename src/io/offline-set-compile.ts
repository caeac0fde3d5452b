/**
 * @module The policy set of an offline run (`apply`, `test`, the playground): decoded documents compiled once,
 * with the data sources Kyverno's CLI offers the CEL kinds offline (Context file resources and
 * images, `--parameter-resource` / `paramResources`, target resources, `apiCallResponses`,
 * `globalContextEntries`). Problems come back placed in their files. Pure (browser-safe): the
 * files are read by offline-policy-set.ts.
 */
import {
  compilePolicySet,
  type KubeObject,
  type PolicyDocument,
  type PolicySet,
  type Ports,
  type TypeSchemas,
} from '../engine/index.js';
import type { IoDiagnostic } from './codes.js';
import type { LoadedCelException, LoadedException, LoadedPolicies } from './files/policies.js';
import type { ApiCallMock, GlobalContextMock } from './files/test-suite.js';
import { createOfflinePorts } from './offline-ports.js';
import { policyDocuments } from './policy-documents.js';
import type { LoadedDocument } from './yaml/load-documents.js';
import { attachSource } from './yaml/source-map.js';

export interface OfflineDocumentsInputs {
  readonly policies: LoadedPolicies;
  /** kyverno.io PolicyExceptions given on their own (`--exception`, a test's `exceptions`). */
  readonly exceptions: readonly LoadedException[];
  /** CEL PolicyExceptions given on their own. */
  readonly celExceptions: readonly LoadedCelException[];
  /**
   * Bind the PolicyExceptions of both kinds found among the policies too (`apply
   * --exceptions-within-policies`); otherwise they are ignored, as Kyverno's CLI does.
   */
  readonly exceptionsWithinPolicies?: boolean;
  /** Objects CEL `resource.Get/List` sees (a Context's `spec.resources`) and target resources. */
  readonly clusterObjects?: readonly KubeObject[];
  /** A Context's `spec.images`: image metadata, never a registry. */
  readonly images?: readonly Readonly<Record<string, unknown>>[];
  /** ValidatingAdmissionPolicy param objects. */
  readonly paramObjects?: readonly KubeObject[];
  readonly apiCallResponses?: readonly ApiCallMock[];
  readonly globalContextEntries?: readonly GlobalContextMock[];
  /** Type schemas for MutatingPolicy ApplyConfiguration (`typeSchemasFor`); absent: the untyped merge. */
  readonly typeSchemas?: TypeSchemas;
}

export interface OfflineSet {
  readonly set: PolicySet;
  readonly issues: readonly IoDiagnostic[];
  /** Names of the policies that did not compile (Kyverno lists them as skipped). */
  readonly invalid: readonly string[];
  /** Policy documents of the CEL and admission kinds, valid or not (Kyverno counts each as one). */
  readonly celCount: number;
  /** What the CEL kinds' libraries read offline (admit's `celPorts`). */
  readonly celPorts: Ports;
}

type Tagged = { readonly exception: PolicyDocument<unknown>['document']; readonly source: LoadedDocument };

function exceptionDocuments(list: readonly Tagged[]): PolicyDocument<LoadedDocument>[] {
  return list.map((x) => ({ document: x.exception, source: x.source }));
}

/** Compiles the run's policies once. Never throws. */
export function compileOfflineDocuments(inputs: OfflineDocumentsInputs): OfflineSet {
  const issues: IoDiagnostic[] = [];
  const celPorts = createOfflinePorts({
    admissionParams: inputs.paramObjects ?? [],
    clusterObjects: inputs.clusterObjects ?? [],
    allowClusterReads: true,
    // Kyverno's CLI always answers image metadata from its fake context, never a registry.
    images: inputs.images ?? [],
    ...(inputs.apiCallResponses !== undefined
      ? { apiCallResponses: inputs.apiCallResponses, celHttpMocks: true }
      : {}),
    ...(inputs.globalContextEntries !== undefined
      ? { globalContextEntries: inputs.globalContextEntries }
      : {}),
  });
  const compiled = compilePolicySet(policyDocuments(inputs.policies), {
    exceptions: inputs.exceptionsWithinPolicies === true ? 'from-documents' : 'explicit-only',
    explicitExceptions: [
      ...exceptionDocuments(inputs.exceptions),
      ...exceptionDocuments(inputs.celExceptions),
    ],
    ...(inputs.typeSchemas !== undefined ? { typeSchemas: inputs.typeSchemas } : {}),
  });
  for (const d of compiled.diagnostics) issues.push(attachSource(d.diagnostic, d.source));
  const p = inputs.policies;
  const celCount =
    p.validatingPolicies.length +
    p.mutatingPolicies.length +
    p.mutatingAdmissionPolicies.length +
    p.generatingPolicies.length +
    p.deletingPolicies.length +
    p.imageValidatingPolicies.length +
    p.admissionPolicies.length;
  return { set: compiled.set, issues, invalid: compiled.rejected.map((r) => r.name), celCount, celPorts };
}
