// Small policies and helpers the policy-set tests share (test support: throws on bad fixtures).
import { loadMutatingPolicy } from '../../kinds/mutating-policy/load.js';
import type { KubeObject } from '../../model/kube-object.js';
import { admit } from '../admit.js';
import { compilePolicySet, type PolicyDocument } from '../compile.js';
import { type AdmissionRequest, requestForObject } from '../request.js';
import type { AdmissionOutcome, PolicySet } from '../types.js';

export type Doc = PolicyDocument<string>['document'] & { readonly spec?: unknown };

/** Compiles documents (tagged by their name) into a set; fails the test on any diagnostic. */
export function setOf(...documents: Doc[]): PolicySet {
  const compiled = compilePolicySet(
    documents.map((document) => ({ document, source: document.metadata.name })),
  );
  const problems = compiled.diagnostics.map((d) => d.diagnostic.message);
  if (problems.length > 0) throw new Error(`test policies do not compile: ${problems.join('; ')}`);
  return compiled.set;
}

export function mutatingPolicy(name: string, spec: Record<string, unknown>): Doc {
  const loaded = loadMutatingPolicy({
    apiVersion: 'policies.kyverno.io/v1alpha1',
    kind: 'MutatingPolicy',
    metadata: { name },
    spec,
  });
  if (!loaded.ok) throw new Error(`test MutatingPolicy ${name} does not load`);
  return loaded.value;
}

export function validatingPolicy(name: string, spec: Record<string, unknown>): Doc {
  return {
    apiVersion: 'policies.kyverno.io/v1alpha1',
    kind: 'ValidatingPolicy',
    metadata: { name },
    spec,
  } as Doc;
}

export function clusterPolicy(name: string, spec: Record<string, unknown>): Doc {
  return { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name }, spec } as Doc;
}

export const podRule = (resources: string[] = ['pods'], operations = ['CREATE', 'UPDATE']) => ({
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations, resources }],
});

export const pod = (name: string, namespace = 'default', labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, ...(labels !== undefined ? { labels } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

/** Admits `object` as Kyverno's CLI does (no values: CREATE unless `operation`). */
export function admitCli(
  set: PolicySet,
  object: KubeObject,
  extra: Partial<AdmissionRequest> = {},
): Promise<AdmissionOutcome> {
  const request = { ...requestForObject(object, extra.operation ?? 'CREATE'), ...extra };
  return admit(set, request, { ports: {} }, { profile: 'cli' });
}

/** [policy name, first rule status] per response. */
export function statuses(outcome: AdmissionOutcome): [string, string | undefined][] {
  return outcome.responses.map((r) => [r.policy.name, r.response.rules[0]?.status]);
}
