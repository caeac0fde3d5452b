/**
 * @module Admission results for the reports (docs/decisions/0016): on every replica, the results of
 * policies a background scan does not evaluate (background off) are recorded for the leader, one
 * record per resource (io/cluster/admission-records.ts). Dry runs and deletions record nothing, as in
 * Kyverno; neither do results of policies with background on (the scan computes the same ones).
 */
import type { AdmissionRequest, PolicyRef, PolicyResult, PolicySet } from '../../engine/index.js';
import type { BackgroundLogger } from '../../io/background.js';
import type { AdmissionRecord, AdmissionRecordStore } from '../../io/cluster/admission-records.js';
import { reportResultsOf } from '../../io/report/resource-report.js';

/** A policy's key in report results: `name`, or `namespace/name` for a namespaced policy. */
export const policyKeyOf = (ref: Pick<PolicyRef, 'name' | 'namespace'>): string =>
  ref.namespace !== undefined && ref.namespace !== '' ? `${ref.namespace}/${ref.name}` : ref.name;

const admissionOnlyMemo = new WeakMap<PolicySet, ReadonlySet<string>>();

/** The keys of the set's policies that only admission evaluates (background off). */
export function admissionOnlyPolicies(set: PolicySet): ReadonlySet<string> {
  let keys = admissionOnlyMemo.get(set);
  if (keys === undefined) {
    keys = new Set(set.policies.filter((p) => !p.traits.background).map((p) => policyKeyOf(p.ref)));
    admissionOnlyMemo.set(set, keys);
  }
  return keys;
}

const REPORTED_TYPES = new Set(['Validation', 'ImageVerify']);

/** The record admission of `request` leaves for the reports, if any. */
export function admissionRecord(
  set: PolicySet,
  responses: readonly PolicyResult[],
  request: AdmissionRequest,
  nowSeconds: number,
): AdmissionRecord | undefined {
  if (request.operation === 'DELETE' || request.dryRun === true) return undefined;
  const only = admissionOnlyPolicies(set);
  if (only.size === 0) return undefined;
  const picked = responses
    .filter((r) => only.has(policyKeyOf(r.policy)))
    .map((r) => ({
      policy: r.policy,
      response: { ...r.response, rules: r.response.rules.filter((rule) => REPORTED_TYPES.has(rule.type)) },
    }));
  const results = reportResultsOf(picked, 'admission review', nowSeconds);
  const object = (request.object ?? {}) as { metadata?: { name?: unknown } };
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : (request.name ?? '');
  if (results.length === 0 || name === '') return undefined;
  const k = request.kind;
  return {
    resource: {
      apiVersion: k.group === '' ? k.version : `${k.group}/${k.version}`,
      kind: k.kind,
      ...(request.namespace !== undefined && request.namespace !== ''
        ? { namespace: request.namespace }
        : {}),
      name,
    },
    results,
  };
}

export interface AdmissionRecorder {
  onAdmitted(responses: readonly PolicyResult[], request: AdmissionRequest): void;
  /** Waits for the records being written. */
  flush(): Promise<void>;
}

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function admissionRecorder(options: {
  readonly records: AdmissionRecordStore;
  readonly policies: () => PolicySet | undefined;
  readonly logger: BackgroundLogger;
}): AdmissionRecorder {
  const writes = new Set<Promise<void>>();
  return {
    onAdmitted(responses, request) {
      const set = options.policies();
      if (set === undefined) return;
      const record = admissionRecord(set, responses, request, Math.floor(Date.now() / 1000));
      if (record === undefined) return;
      const p = options.records.put(record).catch((err: unknown) =>
        options.logger.warn('admission results not recorded', {
          resource: `${record.resource.kind}/${record.resource.namespace ?? ''}/${record.resource.name}`,
          error: text(err),
        }),
      );
      writes.add(p);
      void p.finally(() => writes.delete(p));
    },
    async flush() {
      await Promise.all([...writes]);
    },
  };
}
