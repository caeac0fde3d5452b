/**
 * @module The TTL label's validating webhook configuration (Kyverno's cleanup controller writes
 * `kyverno-ttl-validating-webhook-cfg`, cmd/cleanup-controller/main.go): every create and update of
 * any resource carrying the `cleanup.kyverno.io/ttl` label (object selector) goes to `/verifyttl`,
 * which warns about a value it cannot read. Failure policy Ignore: the label never blocks a write.
 */
import { TTL_LABEL } from '../cleanup/ttl.js';
import type { KubeObject } from '../model/kube-object.js';
import { clientConfig, MANAGED_BY_LABEL, type WebhookConfigOptions } from './webhook-configurations.js';

export const TTL_WEBHOOK_CONFIGURATION_NAME = 'palisade-ttl-validating-webhook-cfg';
export const TTL_VALIDATION_PATH = '/verifyttl';

export function ttlValidatingConfiguration(options: WebhookConfigOptions): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: TTL_WEBHOOK_CONFIGURATION_NAME, labels: { ...MANAGED_BY_LABEL } },
    webhooks: [
      {
        name: 'verify-ttl.palisade.svc',
        clientConfig: clientConfig(options.endpoint, options.caBundle, TTL_VALIDATION_PATH),
        rules: [
          {
            apiGroups: ['*'],
            apiVersions: ['*'],
            resources: ['*'],
            operations: ['CREATE', 'UPDATE'],
            scope: '*',
          },
        ],
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        objectSelector: { matchExpressions: [{ key: TTL_LABEL, operator: 'Exists' }] },
        timeoutSeconds: Math.min(30, Math.max(1, options.timeoutSeconds)),
        matchPolicy: 'Equivalent',
      },
    ],
  } as KubeObject;
}
