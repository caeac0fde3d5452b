/** `exclude` entries as Kyverno applies them (pkg/pss/evaluate.go ApplyPodSecurityExclusion). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PodSecurityExclude } from '../../types.js';
import { applyExclusions } from './excludes.js';
import type { PodView } from './run-checks.js';
import { runChecks } from './run-checks.js';
import type { JsonMap } from './types.js';
import { parseLevelVersion } from './version.js';

function remaining(
  level: string,
  spec: JsonMap,
  excludes: PodSecurityExclude[],
  annotations: Record<string, string> = {},
) {
  const lv = parseLevelVersion(level, 'latest');
  const pod: PodView = { meta: { annotations }, spec };
  return applyExclusions(lv, excludes, runChecks(lv, pod), pod);
}

const ids = (r: ReturnType<typeof remaining>) => r.map((c) => c.id);
const fields = (r: ReturnType<typeof remaining>) =>
  r.flatMap((c) => (c.result.errList ?? []).map((e) => e.field));

/** Passes restricted except where a case adds something. */
const good = (name: string, image: string, extra: JsonMap = {}): JsonMap => ({
  name,
  image,
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    capabilities: { drop: ['ALL'] },
    ...extra,
  },
});

test('pod-level control without images removes the pod-level failure', () => {
  const spec = { hostIPC: true, hostPID: true, containers: [{ name: 'a', image: 'nginx' }] };
  assert.deepEqual(ids(remaining('baseline', spec, [])), ['hostNamespaces']);
  assert.deepEqual(remaining('baseline', spec, [{ controlName: 'Host Namespaces' }]), []);
});

test('restrictedField limits a pod-level exclusion to that field', () => {
  const spec = { hostIPC: true, hostPID: true, containers: [{ name: 'a', image: 'nginx' }] };
  const r = remaining('baseline', spec, [
    { controlName: 'Host Namespaces', restrictedField: 'spec.hostIPC', values: ['true'] },
  ]);
  assert.deepEqual(fields(r), ['spec.hostPID']);
});

test('container-level exclusion applies only to containers whose image matches a wildcard', () => {
  const spec = {
    containers: [
      { name: 'a', image: 'ghcr.io/kyverno/test-nginx:1.0', securityContext: { privileged: true } },
      { name: 'b', image: 'busybox', securityContext: { privileged: true } },
    ],
  };
  const r = remaining('baseline', spec, [
    { controlName: 'Privileged Containers', images: ['ghcr.io/kyverno/*'] },
  ]);
  assert.deepEqual(fields(r), ['spec.containers[1].securityContext.privileged']);
  assert.deepEqual(
    remaining('baseline', spec, [{ controlName: 'Privileged Containers', images: ['*'] }]),
    [],
  );
});

test('matching is by container name, also when the matching container is not first', () => {
  const spec = {
    initContainers: [{ name: 'init', image: 'busybox', ports: [{ hostPort: 80 }] }],
    containers: [
      { name: 'x', image: 'busybox', ports: [{ hostPort: 81 }] },
      { name: 'y', image: 'envoy:1', ports: [{ hostPort: 82 }] },
    ],
  };
  const r = remaining('baseline', spec, [{ controlName: 'Host Ports', images: ['envoy*'] }]);
  assert.deepEqual(fields(r).sort(), [
    'spec.containers[0].ports[0].hostPort',
    'spec.initContainers[0].ports[0].hostPort',
  ]);
});

test('values must cover every bad value of the field error', () => {
  const spec = {
    containers: [good('a', 'nginx', { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN', 'NET_RAW'] } })],
  };
  const field = 'spec.containers[*].securityContext.capabilities.add';
  const partial = remaining('restricted', spec, [
    { controlName: 'Capabilities', images: ['nginx'], restrictedField: field, values: ['SYS_ADMIN'] },
  ]);
  assert.deepEqual(ids(partial), ['capabilities_baseline', 'capabilities_restricted']);
  const full = remaining('restricted', spec, [
    {
      controlName: 'Capabilities',
      images: ['nginx'],
      restrictedField: field,
      values: ['SYS_ADMIN', 'NET_*'],
    },
  ]);
  assert.deepEqual(full, []);
});

test("a restrictedField exclusion leaves the control's other fields failing", () => {
  const spec = {
    containers: [
      {
        name: 'a',
        image: 'nginx',
        securityContext: {
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
          capabilities: { add: ['SYS_ADMIN'] },
        },
      },
    ],
  };
  const r = remaining('restricted', spec, [
    {
      controlName: 'Capabilities',
      images: ['nginx'],
      restrictedField: 'spec.containers[*].securityContext.capabilities.add',
      values: ['SYS_ADMIN'],
    },
  ]);
  assert.deepEqual(ids(r), ['capabilities_restricted']);
  assert.deepEqual(fields(r), ['spec.containers[0].securityContext.capabilities.drop']);
});

test('pod-level restrictedField with wildcard values on sysctls', () => {
  const spec = {
    securityContext: { sysctls: [{ name: 'kernel.msgmax' }, { name: 'vm.swappiness' }] },
    containers: [{ name: 'a' }],
  };
  const r = remaining('baseline', spec, [
    { controlName: 'Sysctls', restrictedField: 'spec.securityContext.sysctls[*].name', values: ['kernel.*'] },
  ]);
  assert.deepEqual(fields(r), ['spec.securityContext.sysctls[1].name']);
});

test('AppArmor annotations can be excluded at pod level', () => {
  const annotations = { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' };
  const spec = { containers: [{ name: 'a', image: 'nginx' }] };
  assert.deepEqual(ids(remaining('baseline', spec, [], annotations)), ['appArmorProfile']);
  assert.deepEqual(remaining('baseline', spec, [{ controlName: 'AppArmor' }], annotations), []);
});

test('an exclusion for another or an unknown control changes nothing', () => {
  const spec = { hostNetwork: true, containers: [{ name: 'a', image: 'nginx' }] };
  assert.deepEqual(
    ids(remaining('baseline', spec, [{ controlName: 'Sysctls' }, { controlName: 'No Such Control' }])),
    ['hostNamespaces'],
  );
});

test('container-level exclusions cannot remove pod-level fields of the same control', () => {
  const spec = {
    securityContext: { seccompProfile: { type: 'Unconfined' } },
    containers: [{ name: 'a', image: 'nginx', securityContext: { seccompProfile: { type: 'Unconfined' } } }],
  };
  const r = remaining('baseline', spec, [{ controlName: 'Seccomp', images: ['nginx'] }]);
  assert.deepEqual(fields(r), ['spec.securityContext.seccompProfile.type']);
});

test('Kyverno removes a field error by swapping in the last one', () => {
  const spec = {
    containers: ['a', 'b', 'c'].map((n) => ({
      name: n,
      image: n === 'a' ? 'skip' : 'keep',
      securityContext: { privileged: true },
    })),
  };
  const r = remaining('baseline', spec, [{ controlName: 'Privileged Containers', images: ['skip'] }]);
  assert.deepEqual(fields(r), [
    'spec.containers[2].securityContext.privileged',
    'spec.containers[1].securityContext.privileged',
  ]);
});
