/**
 * Kyverno's podSecurity handler json-unmarshals the resource into the typed Pod (apps/v1 Deployment
 * for pod-template kinds, batch/v1 CronJob) first; a wrong JSON type in a field that type has makes
 * the rule an `error` with Go's message, naming the struct and the field path. Unknown fields are
 * ignored, and the first error in (sorted-key) document order is the one reported.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Rule } from '../../types.js';
import { validatePodSecurityRule } from '../pod-security-rule.js';

const container = { name: 'c', image: 'nginx' };
const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', ...metadata },
  spec,
});
const deployment = (podSpec: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'default' },
  spec: { ...spec, template: { metadata: {}, spec: podSpec } },
});
const cronJob = (podSpec: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'cj', namespace: 'default' },
  spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: podSpec } } } },
});

const err = (s: string) => `Error while getting new resource: json: cannot unmarshal ${s}`;
const QUANTITY =
  "Error while getting new resource: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const cases: { name: string; resource: object; want: string | 'pass' | 'fail' }[] = [
  {
    name: 'a number where a container field is a string',
    resource: pod({ containers: [{ ...container, image: 5 }] }),
    want: err('number into Go struct field Container.spec.containers.image of type string'),
  },
  {
    name: 'a string where the containers list is',
    resource: pod({ containers: 'nginx' }),
    want: err('string into Go struct field PodSpec.spec.containers of type []v1.Container'),
  },
  {
    name: 'a string element in the containers list',
    resource: pod({ containers: ['nginx'] }),
    want: err('string into Go struct field PodSpec.spec.containers of type v1.Container'),
  },
  {
    name: 'a string where a pointer-to-bool is',
    resource: pod({ containers: [{ ...container, securityContext: { privileged: 'true' } }] }),
    want: err(
      'string into Go struct field SecurityContext.spec.containers.securityContext.privileged of type bool',
    ),
  },
  {
    name: 'a fraction where an int64 is',
    resource: pod({ securityContext: { runAsUser: 1.5 }, containers: [container] }),
    want: err(
      'number 1.5 into Go struct field PodSecurityContext.spec.securityContext.runAsUser of type int64',
    ),
  },
  {
    name: 'a pod-level bool given as a string',
    resource: pod({ hostNetwork: 'yes', containers: [container] }),
    want: err('string into Go struct field PodSpec.spec.hostNetwork of type bool'),
  },
  {
    name: 'an array where a struct is',
    resource: pod({ containers: [container], securityContext: [] }),
    want: err('array into Go struct field PodSpec.spec.securityContext of type v1.PodSecurityContext'),
  },
  {
    name: 'a label value that is not a string',
    resource: pod({ containers: [container] }, { labels: { tier: 1 } }),
    want: err('number into Go struct field ObjectMeta.metadata.labels of type string'),
  },
  {
    name: 'labels that are not a mapping',
    resource: pod({ containers: [container] }, { labels: 'web' }),
    want: err('string into Go struct field ObjectMeta.metadata.labels of type map[string]string'),
  },
  {
    name: 'a bool probe port (IntOrString)',
    resource: pod({ containers: [{ ...container, livenessProbe: { httpGet: { port: true } } }] }),
    want: err(
      'bool into Go struct field HTTPGetAction.spec.containers.livenessProbe.httpGet.port of type int32',
    ),
  },
  {
    name: 'a bool resource quantity',
    resource: pod({ containers: [{ ...container, resources: { limits: { cpu: true } } }] }),
    want: QUANTITY,
  },
  {
    name: 'the first error in sorted-key order wins',
    resource: pod({ containers: [{ name: 1, image: 2 }] }),
    want: err('number into Go struct field Container.spec.containers.image of type string'),
  },
  {
    name: 'a Deployment decodes as apps/v1 Deployment',
    resource: deployment({ containers: [{ ...container, name: 7 }] }),
    want: err('number into Go struct field Container.spec.template.spec.containers.name of type string'),
  },
  {
    name: 'a Deployment replicas given as a string',
    resource: deployment({ containers: [container] }, { replicas: '3' }),
    want: err('string into Go struct field DeploymentSpec.spec.replicas of type int32'),
  },
  {
    name: 'a CronJob decodes as batch/v1 CronJob',
    resource: cronJob({ containers: [container], hostPID: 'no' }),
    want: err('string into Go struct field PodSpec.spec.jobTemplate.spec.template.spec.hostPID of type bool'),
  },
  {
    name: 'an unknown field of any type is ignored',
    resource: pod({ containers: [{ ...container, notAField: { x: 1 } }], alsoNot: 5 }),
    want: 'pass',
  },
  {
    name: 'null values decode',
    resource: pod({ containers: [{ ...container, securityContext: null }], hostNetwork: null }),
    want: 'pass',
  },
  {
    name: 'well-typed numbers, quantities and ports decode',
    resource: pod({
      containers: [
        {
          ...container,
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '500m', memory: 128 } },
          readinessProbe: { tcpSocket: { port: 'http' } },
        },
      ],
    }),
    want: 'pass',
  },
  {
    name: 'a well-typed restricted violation still fails',
    resource: pod({ containers: [{ ...container, securityContext: { privileged: true } }] }),
    want: 'fail',
  },
];

const rule: Rule = { name: 'pss', validate: { podSecurity: { level: 'baseline', version: 'latest' } } };

describe('podSecurity on a resource that does not decode into its typed form', () => {
  for (const c of cases) {
    test(c.name, () => {
      const r = validatePodSecurityRule(rule, c.resource, []);
      if (c.want === 'pass' || c.want === 'fail') {
        assert.equal(r?.status, c.want);
        // ruleResult's keys, then the failed checks (JSON outputs write them in this order).
        const keys = ['name', 'type', 'status', 'message'];
        assert.deepEqual(Object.keys(r ?? {}), c.want === 'fail' ? [...keys, 'podSecurityChecks'] : keys);
        return;
      }
      assert.equal(r?.status, 'error');
      assert.equal(r?.message, c.want);
    });
  }
});

describe('goUnmarshalError answers', () => {
  test('with the first error in sorted key order even when the object lists keys otherwise, and again from its memo', async () => {
    const { goUnmarshalError } = await import('./typed-decode.js');
    const { POD_TYPE } = await import('./typed-pod.js');
    // `image` sorts before `name`: Go reports the image, though `name` comes first here.
    const resource = pod({ containers: [{ name: 7, image: 5 }] });
    const want =
      'json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string';
    assert.equal(goUnmarshalError(resource, POD_TYPE), want);
    assert.equal(goUnmarshalError(resource, POD_TYPE), want);
    assert.equal(goUnmarshalError(pod({ containers: [container] }), POD_TYPE), undefined);
  });
});
