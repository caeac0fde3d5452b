/**
 * `validate.podSecurity` end to end: Kyverno's messages, controllers, versions, levels, exceptions,
 * and the resources of the conformance suites under kyverno-policies/pod-security/subrule.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../../model/kube-object.js';
import type { PodSecuritySpec } from '../../types.js';
import { evaluatePodSecurity, PodSecurityResourceError, PodSecurityVersionError } from './evaluate.js';

const pod = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'p' },
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec,
});

const restrictedContainer = {
  name: 'c',
  image: 'nginx',
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    capabilities: { drop: ['ALL'] },
  },
};

describe('messages', () => {
  test('pass', () => {
    const o = evaluatePodSecurity(
      'baseline',
      { level: 'baseline', version: 'latest' },
      pod({ containers: [{ name: 'c' }] }),
    );
    assert.deepEqual(o, {
      allowed: true,
      checks: [],
      message: "Validation rule 'baseline' passed.",
      exemptedByExtraExcludes: false,
    });
  });

  test('fail lists every failed check with its field errors', () => {
    const o = evaluatePodSecurity(
      'r',
      { level: 'baseline', version: 'latest' },
      pod({
        hostNetwork: true,
        volumes: [{ name: 'v', hostPath: { path: '/etc' } }],
        containers: [{ name: 'c', securityContext: { privileged: true } }],
      }),
    );
    assert.equal(o.allowed, false);
    assert.equal(
      o.message,
      'Validation rule \'r\' failed. It violates PodSecurity "baseline:latest": ' +
        '(Forbidden reason: host namespaces, field error list: [spec.hostNetwork is forbidden, forbidden values found: true])' +
        '(Forbidden reason: hostPath volumes, field error list: [spec.volumes[0].hostPath is forbidden, forbidden values found: /etc])' +
        '(Forbidden reason: privileged, field error list: [spec.containers[0].securityContext.privileged is forbidden, forbidden values found: true])',
    );
    assert.deepEqual(o.checks, [
      {
        id: 'hostNamespaces',
        allowed: false,
        forbiddenReason: 'host namespaces',
        forbiddenDetail: 'hostNetwork=true',
      },
      {
        id: 'hostPathVolumes',
        allowed: false,
        forbiddenReason: 'hostPath volumes',
        forbiddenDetail: 'volume "v"',
      },
      {
        id: 'privileged',
        allowed: false,
        forbiddenReason: 'privileged',
        forbiddenDetail: 'container "c" must not set securityContext.privileged=true',
      },
    ]);
  });

  test('Required and value-less Forbidden errors print as apimachinery errors', () => {
    const o = evaluatePodSecurity(
      'r',
      { level: 'restricted' },
      pod({ volumes: [{ name: 'v', nfs: {} }], containers: [{ name: 'c' }] }),
    );
    assert.match(o.message, /^Validation rule 'r' failed\. It violates PodSecurity "restricted:": /);
    assert.ok(
      o.message.includes('spec.containers[0].securityContext.allowPrivilegeEscalation: Required value'),
    );
    assert.ok(o.message.includes('[spec.volumes[0].nfs: Forbidden]'));
    assert.ok(o.message.includes('spec.containers[0].securityContext.capabilities.drop: Required value'));
  });

  test('list bad values print as Go slices', () => {
    const o = evaluatePodSecurity(
      'r',
      { level: 'baseline' },
      pod({
        containers: [{ name: 'c', securityContext: { capabilities: { add: ['SYS_TIME', 'NET_ADMIN'] } } }],
      }),
    );
    assert.ok(
      o.message.endsWith(
        '[spec.containers[0].securityContext.capabilities.add is forbidden, forbidden values found: [NET_ADMIN SYS_TIME]])',
      ),
    );
  });
});

describe('pod controllers', () => {
  const template = {
    metadata: { labels: { app: 'x' } },
    spec: { hostPID: true, containers: [{ name: 'c', securityContext: { privileged: true } }] },
  };

  for (const kind of [
    'Deployment',
    'DaemonSet',
    'StatefulSet',
    'ReplicaSet',
    'Job',
    'ReplicationController',
  ]) {
    test(`${kind} checks spec.template and reports spec.template.spec paths`, () => {
      const o = evaluatePodSecurity(
        'r',
        { level: 'baseline' },
        { apiVersion: 'apps/v1', kind, metadata: { name: 'd' }, spec: { template } },
      );
      assert.equal(o.allowed, false);
      assert.ok(o.message.includes('spec.template.spec.hostPID is forbidden'));
      assert.ok(
        o.message.includes('spec.template.spec.containers[0].securityContext.privileged is forbidden'),
      );
    });
  }

  test('CronJob checks spec.jobTemplate.spec.template', () => {
    const o = evaluatePodSecurity(
      'r',
      { level: 'baseline' },
      { apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } },
    );
    assert.equal(o.allowed, false);
    assert.ok(
      o.message.includes(
        'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged is forbidden',
      ),
    );
  });

  test('CronJob takes metadata from the job template, not the pod template (as Kyverno)', () => {
    const annotations = { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' };
    const spec = { containers: [{ name: 'c' }] };
    const onPodTemplate = {
      kind: 'CronJob',
      spec: { jobTemplate: { spec: { template: { metadata: { annotations }, spec } } } },
    };
    assert.equal(evaluatePodSecurity('r', { level: 'baseline' }, onPodTemplate).allowed, true);
    const onJobTemplate = {
      kind: 'CronJob',
      spec: { jobTemplate: { metadata: { annotations }, spec: { template: { spec } } } },
    };
    assert.equal(evaluatePodSecurity('r', { level: 'baseline' }, onJobTemplate).allowed, false);
  });

  test('a valid Deployment passes restricted', () => {
    const d = { kind: 'Deployment', spec: { template: { spec: { containers: [restrictedContainer] } } } };
    assert.equal(evaluatePodSecurity('r', { level: 'restricted', version: 'latest' }, d).allowed, true);
  });

  test('metadata paths become spec.template.metadata for every kind (Kyverno quirk)', () => {
    const o = evaluatePodSecurity(
      'r',
      { level: 'baseline' },
      pod(
        { containers: [{ name: 'c' }] },
        { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } },
      ),
    );
    assert.ok(
      o.message.includes(
        'spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/c] is forbidden',
      ),
    );
  });

  test('kinds without a pod template are an error', () => {
    assert.throws(
      () => evaluatePodSecurity('r', { level: 'baseline' }, { kind: 'ConfigMap' }),
      PodSecurityResourceError,
    );
  });
});

describe('levels and versions', () => {
  const rootPod = pod({ securityContext: { runAsUser: 0 }, containers: [restrictedContainer] });

  test('baseline skips restricted checks', () => {
    assert.equal(evaluatePodSecurity('r', { level: 'baseline' }, rootPod).allowed, true);
  });

  test('runAsUser=0 is only checked from v1.23', () => {
    assert.equal(evaluatePodSecurity('r', { level: 'restricted', version: 'v1.22' }, rootPod).allowed, true);
    const o = evaluatePodSecurity('r', { level: 'restricted', version: 'v1.23' }, rootPod);
    assert.deepEqual(
      o.checks.map((c) => c.id),
      ['runAsUser'],
    );
  });

  test('a pinned version runs every revision it reaches, so a check can fail twice', () => {
    const o = evaluatePodSecurity(
      'r',
      { level: 'restricted', version: 'v1.25' },
      pod({
        containers: [
          {
            ...restrictedContainer,
            securityContext: { ...restrictedContainer.securityContext, capabilities: {} },
          },
        ],
      }),
    );
    assert.deepEqual(
      o.checks.map((c) => c.id),
      ['capabilities_restricted', 'capabilities_restricted'],
    );
  });

  test('latest runs each check once', () => {
    const o = evaluatePodSecurity(
      'r',
      { level: 'restricted', version: 'latest' },
      pod({
        containers: [
          {
            ...restrictedContainer,
            securityContext: { ...restrictedContainer.securityContext, capabilities: {} },
          },
        ],
      }),
    );
    assert.deepEqual(
      o.checks.map((c) => c.id),
      ['capabilities_restricted'],
    );
  });

  test('windows pods are exempt from restricted container checks from v1.25 only', () => {
    const win = pod({
      os: { name: 'windows' },
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'c' }],
    });
    assert.equal(evaluatePodSecurity('r', { level: 'restricted', version: 'latest' }, win).allowed, true);
    assert.deepEqual(
      evaluatePodSecurity('r', { level: 'restricted', version: 'v1.24' }, win).checks.map((c) => c.id),
      ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted'],
    );
  });

  test('levels other than baseline run every check, as Kyverno does', () => {
    assert.equal(evaluatePodSecurity('r', { level: 'privileged' }, rootPod).allowed, false);
  });

  test('malformed versions are rejected', () => {
    for (const version of ['1.25', 'v2.0', 'v1.025', 'v1.x']) {
      assert.throws(
        () => evaluatePodSecurity('r', { level: 'baseline', version }, rootPod),
        PodSecurityVersionError,
        version,
      );
    }
  });
});

describe('extra excludes from PolicyExceptions', () => {
  const hostPod = pod({ hostIPC: true, containers: [{ name: 'c', image: 'nginx' }] });

  test('excluding every failure turns the failure into an exemption', () => {
    const o = evaluatePodSecurity('r', { level: 'baseline' }, hostPod, [{ controlName: 'Host Namespaces' }]);
    assert.equal(o.allowed, true);
    assert.equal(o.exemptedByExtraExcludes, true);
  });

  test('a passing rule is not marked as exempted', () => {
    const o = evaluatePodSecurity('r', { level: 'baseline' }, pod({ containers: [{ name: 'c' }] }), [
      { controlName: 'Host Namespaces' },
    ]);
    assert.equal(o.exemptedByExtraExcludes, false);
  });

  test('a partial exemption reports the remaining checks', () => {
    const p = pod({
      hostIPC: true,
      containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }],
    });
    const o = evaluatePodSecurity('r', { level: 'baseline' }, p, [{ controlName: 'Host Namespaces' }]);
    assert.deepEqual(
      o.checks.map((c) => c.id),
      ['privileged'],
    );
    assert.ok(!o.message.includes('hostIPC'));
  });

  test('exception exclusions do not match the rewritten controller paths (Kyverno quirk)', () => {
    const d = {
      kind: 'Deployment',
      spec: { template: { spec: { hostIPC: true, containers: [{ name: 'c' }] } } },
    };
    assert.equal(
      evaluatePodSecurity('r', { level: 'baseline' }, d, [{ controlName: 'Host Namespaces' }]).allowed,
      false,
    );
    assert.equal(
      evaluatePodSecurity('r', { level: 'baseline', exclude: [{ controlName: 'Host Namespaces' }] }, d)
        .allowed,
      true,
    );
  });
});

// Resources and expectations of kyverno-policies/pod-security/subrule/*/.kyverno-test.
const SUITES: readonly {
  policy: string;
  spec: PodSecuritySpec;
  rule: string;
  resources: string;
  expect: Record<string, 'pass' | 'fail'>;
}[] = [
  {
    policy: 'podsecurity-subrule-baseline',
    rule: 'baseline',
    spec: { level: 'baseline', version: 'latest' },
    resources: `
apiVersion: v1
kind: Pod
metadata: {name: badpod01}
spec:
  hostIPC: true
  containers:
  - {name: container01, image: dummyimagename}
---
apiVersion: v1
kind: Pod
metadata: {name: goodpod01}
spec:
  containers:
  - {name: container01, image: dummyimagename}
`,
    expect: { badpod01: 'fail', goodpod01: 'pass' },
  },
  {
    policy: 'podsecurity-subrule-restricted-capabilities',
    rule: 'restricted-exempt-capabilities',
    spec: {
      level: 'restricted',
      version: 'latest',
      exclude: [{ controlName: 'Capabilities', images: ['ghcr.io/kyverno/test-nginx*', 'redis*'] }],
    },
    resources: `
apiVersion: v1
kind: Pod
metadata: {name: goodpod01}
spec:
  containers:
  - name: container01
    image: ghcr.io/kyverno/test-nginx:latest
    securityContext:
      allowPrivilegeEscalation: false
      runAsNonRoot: true
      seccompProfile: {type: RuntimeDefault}
      capabilities: {add: [SYS_ADMIN], drop: [ALL]}
---
apiVersion: v1
kind: Pod
metadata: {name: badpod01}
spec:
  containers:
  - name: container01
    image: busybox:1.28
    securityContext:
      allowPrivilegeEscalation: false
      runAsNonRoot: true
      seccompProfile: {type: RuntimeDefault}
      capabilities: {add: [SYS_ADMIN], drop: [ALL]}
`,
    expect: { goodpod01: 'pass', badpod01: 'fail' },
  },
  {
    policy: 'podsecurity-subrule-restricted-seccomp',
    rule: 'restricted-exempt-seccomp',
    spec: {
      level: 'restricted',
      version: 'latest',
      exclude: [{ controlName: 'Seccomp' }, { controlName: 'Seccomp', images: ['*'] }],
    },
    resources: `
apiVersion: v1
kind: Pod
metadata: {name: goodpod01}
spec:
  securityContext:
    seccompProfile: {type: Unconfined}
  containers:
  - name: container01
    image: busybox:1.28
    securityContext:
      allowPrivilegeEscalation: false
      runAsNonRoot: true
      capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Pod
metadata: {name: badpod01}
spec:
  securityContext:
    seccompProfile: {type: Unconfined}
  containers:
  - name: container01
    image: busybox:1.28
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`,
    expect: { goodpod01: 'pass', badpod01: 'fail' },
  },
];

describe('conformance suites', () => {
  for (const suite of SUITES) {
    for (const doc of parseAllDocuments(suite.resources)) {
      const resource = doc.toJS() as KubeObject;
      const name = resource.metadata?.name ?? '';
      test(`${suite.policy} ${name} → ${suite.expect[name]}`, () => {
        const o = evaluatePodSecurity(suite.rule, suite.spec, resource);
        assert.equal(o.allowed ? 'pass' : 'fail', suite.expect[name]);
      });
    }
  }

  test('restricted-exempt-seccomp badpod01 fails only on runAsNonRoot', () => {
    const doc = parseAllDocuments(SUITES[2]?.resources ?? '')[1];
    const o = evaluatePodSecurity(
      'restricted-exempt-seccomp',
      SUITES[2]?.spec ?? {},
      doc?.toJS() as KubeObject,
    );
    assert.equal(
      o.message,
      'Validation rule \'restricted-exempt-seccomp\' failed. It violates PodSecurity "restricted:latest": (Forbidden reason: runAsNonRoot != true, field error list: [spec.containers[0].securityContext.runAsNonRoot: Required value])',
    );
  });
});
