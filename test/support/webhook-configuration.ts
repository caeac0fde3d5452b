/**
 * @module Validating/MutatingWebhookConfigurations pointing the API server at a webhook on loopback
 * (`clientConfig.url` + `caBundle`), shaped as Kyverno's webhook controller writes them
 * (pkg/controllers/webhook): `kube-system` excluded by `kubernetes.io/metadata.name`, admission review
 * v1, `sideEffects: NoneOnDryRun` (so dry runs are sent), `matchPolicy: Equivalent`, 10 s timeout,
 * and `reinvocationPolicy: IfNeeded` on mutating webhooks.
 */
import type { Testbed } from './testbed.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface WebhookRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly Operation[];
  readonly scope?: 'Namespaced' | 'Cluster' | '*';
}

/** A rule for core (v1) resources, e.g. `coreRule(['pods'], ['CREATE', 'UPDATE'])`. */
export function coreRule(resources: readonly string[], operations: readonly Operation[]): WebhookRule {
  return { apiGroups: [''], apiVersions: ['v1'], resources, operations, scope: '*' };
}

export interface WebhookSpec {
  /** e.g. `validate.kyverno.svc-fail` (Kyverno's names). */
  readonly name: string;
  /** The path on the server, e.g. `/validate/fail` or `/vpol/a/b`. */
  readonly path: string;
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly rules: readonly WebhookRule[];
}

export interface WebhookTarget {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly caPem: string;
}

const EXCLUDED_NAMESPACES = ['kube-system'];

function webhook(target: WebhookTarget, spec: WebhookSpec): Record<string, unknown> {
  return {
    name: spec.name,
    clientConfig: {
      url: `${target.url}${spec.path}`,
      caBundle: Buffer.from(target.caPem).toString('base64'),
    },
    rules: spec.rules,
    failurePolicy: spec.failurePolicy,
    matchPolicy: 'Equivalent',
    namespaceSelector: {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: EXCLUDED_NAMESPACES },
      ],
    },
    sideEffects: 'NoneOnDryRun',
    admissionReviewVersions: ['v1'],
    timeoutSeconds: 10,
  };
}

export function validatingWebhookConfiguration(
  name: string,
  target: WebhookTarget,
  webhooks: readonly WebhookSpec[],
): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: webhooks.map((w) => webhook(target, w)),
  };
}

export function mutatingWebhookConfiguration(
  name: string,
  target: WebhookTarget,
  webhooks: readonly WebhookSpec[],
): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name },
    webhooks: webhooks.map((w) => ({ ...webhook(target, w), reinvocationPolicy: 'IfNeeded' })),
  };
}

/** Creates or replaces the configurations (kubectl apply); throws with kubectl's error. */
export async function applyConfigurations(
  tb: Testbed,
  configurations: readonly Record<string, unknown>[],
): Promise<void> {
  const list = { apiVersion: 'v1', kind: 'List', items: configurations };
  const r = await tb.kubectl(['apply', '-f', '-'], JSON.stringify(list));
  if (r.code !== 0) throw new Error(`kubectl apply of webhook configurations failed: ${r.stderr}`);
}

/** Deletes webhook configurations by kind and name (absent ones are fine). */
export async function deleteConfigurations(
  tb: Testbed,
  configurations: readonly Record<string, unknown>[],
): Promise<void> {
  for (const c of configurations) {
    const name = (c.metadata as { name: string }).name;
    const kind = String(c.kind).toLowerCase();
    await tb.kubectl(['delete', kind, name, '--ignore-not-found']);
  }
}
