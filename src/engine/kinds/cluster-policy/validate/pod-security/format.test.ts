import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertFieldPaths, formatChecks } from './format.js';
import { forbidden, required } from './helpers.js';
import type { PssCheckResult } from './types.js';

/** The rewrite as it was written before errors were built field by field (a spread per error). */
function spreadReference(checks: readonly PssCheckResult[], kind: string): PssCheckResult[] {
  const specPrefix = [
    'DaemonSet',
    'Deployment',
    'Job',
    'StatefulSet',
    'ReplicaSet',
    'ReplicationController',
  ].includes(kind)
    ? 'spec.template.spec'
    : kind === 'CronJob'
      ? 'spec.jobTemplate.spec.template.spec'
      : undefined;
  return checks.map((c) => {
    const errList = (c.result.errList ?? []).map((e) => {
      let field = specPrefix === undefined ? e.field : e.field.replaceAll('spec', specPrefix);
      field = field.replaceAll('metadata', 'spec.template.metadata');
      return { ...e, field };
    });
    return { id: c.id, result: { ...c.result, errList } };
  });
}

test('convertFieldPaths: the same checks, key order and text as the spread per error, for every kind', () => {
  const checks: PssCheckResult[] = [
    { id: 'none', result: { allowed: false, forbiddenReason: 'r' } },
    {
      id: 'paths',
      result: {
        allowed: false,
        forbiddenReason: 'host namespaces',
        forbiddenDetail: 'd',
        errList: [
          forbidden('spec.hostNetwork', true),
          required('spec.containers[0].securityContext.runAsNonRoot'),
          forbidden('metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]', 'x'),
          forbidden('spec.volumes[0].hostPath', '/var/data'),
          forbidden('specific', 3),
        ],
      },
    },
  ];
  for (const kind of ['Pod', 'Deployment', 'CronJob', 'Job', 'Service', '']) {
    const got = convertFieldPaths(checks, kind);
    const want = spreadReference(checks, kind);
    assert.equal(JSON.stringify(got), JSON.stringify(want), kind);
    assert.equal(formatChecks(got), formatChecks(want), kind);
  }
  // A Pod's error whose path is unchanged is kept; a rewritten one is a new error.
  const [, pod] = convertFieldPaths(checks, 'Pod');
  assert.equal(pod?.result.errList?.[0], checks[1]?.result.errList?.[0]);
  assert.notEqual(pod?.result.errList?.[2], checks[1]?.result.errList?.[2]);
  assert.equal(
    pod?.result.errList?.[2]?.field,
    'spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]',
  );
});
