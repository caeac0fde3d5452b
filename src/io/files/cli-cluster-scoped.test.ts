// The CLI's cluster-scoped kinds are known by group and kind, as in Kyverno's discovery data: the
// same kind name in another group, or a kind the data lacks, is namespaced (defaulted to `default`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCliClusterScoped } from './cli-cluster-scoped.js';

test('cluster scope by group and kind', () => {
  const cases: [unknown, string, boolean][] = [
    ['v1', 'Namespace', true],
    ['v1', 'Pod', false],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', true],
    ['authorization.openshift.io/v1', 'ClusterRole', false],
    ['v1', 'ClusterRole', false],
    ['networking.k8s.io/v1', 'IngressClass', true],
    ['networking.k8s.io/v1', 'IPAddress', true],
    ['policy/v1beta1', 'PodSecurityPolicy', false],
    ['gateway.networking.k8s.io/v1', 'GatewayClass', false],
    ['admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicy', false],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', true],
    [undefined, 'Namespace', true],
    [42, 'Node', true],
  ];
  for (const [apiVersion, kind, scoped] of cases)
    assert.equal(isCliClusterScoped(apiVersion, kind), scoped, `${String(apiVersion)} ${kind}`);
});
