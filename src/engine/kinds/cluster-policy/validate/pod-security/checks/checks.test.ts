/**
 * One table per PSS control. Expected reasons/details follow the upstream PSA check tests
 * (k8s.io/pod-security-admission/policy/check_*_test.go); field errors are Kyverno's WithFieldErrors output.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Check, CheckResult, JsonMap, PodMeta } from '../types.js';
import { appArmorCheck } from './app-armor.js';
import { capabilitiesBaselineCheck } from './capabilities-baseline.js';
import { capabilitiesRestrictedCheck } from './capabilities-restricted.js';
import { hostNamespacesCheck } from './host-namespaces.js';
import { hostPathVolumesCheck } from './host-path-volumes.js';
import { hostPortsCheck } from './host-ports.js';
import { privilegeEscalationCheck } from './privilege-escalation.js';
import { privilegedCheck } from './privileged.js';
import { procMountCheck } from './proc-mount.js';
import { DEFAULT_CHECKS } from './registry.js';
import { runAsNonRootCheck } from './run-as-non-root.js';
import { runAsUserCheck } from './run-as-user.js';
import { seccompBaselineCheck } from './seccomp-baseline.js';
import { seccompRestrictedCheck } from './seccomp-restricted.js';
import { seLinuxCheck } from './selinux.js';
import { sysctlsCheck } from './sysctls.js';
import { volumeTypesCheck } from './volume-types.js';
import { windowsHostProcessCheck } from './windows-host-process.js';

interface Case {
  readonly name: string;
  readonly spec: JsonMap;
  readonly annotations?: Record<string, string>;
  /** Minor version; defaults to the check's newest revision. */
  readonly version?: number;
  /** Expected detail; undefined = allowed. */
  readonly detail?: string;
  readonly reason?: string;
  readonly errs?: readonly string[];
}

function run(check: Check, c: Case): CheckResult {
  const revisions = check.versions.filter((v) => c.version === undefined || v.minimumVersion <= c.version);
  const revision = revisions[revisions.length - 1];
  assert.ok(revision, `no revision of ${check.id} for v1.${c.version}`);
  const meta: PodMeta = { annotations: c.annotations ?? {} };
  return revision.checkPod(meta, c.spec);
}

/** Field errors rendered compactly: `Type field=value`. */
function errs(r: CheckResult): string[] {
  return (r.errList ?? []).map(
    (e) =>
      `${e.type} ${e.field}=${Array.isArray(e.badValue) ? `[${e.badValue.join(',')}]` : String(e.badValue)}`,
  );
}

function table(check: Check, cases: readonly Case[]): void {
  describe(check.id, () => {
    for (const c of cases) {
      test(c.name, () => {
        const r = run(check, c);
        if (c.detail === undefined) {
          assert.equal(r.allowed, true, r.forbiddenDetail);
          return;
        }
        assert.equal(r.allowed, false);
        assert.equal(r.forbiddenDetail, c.detail);
        if (c.reason !== undefined) assert.equal(r.forbiddenReason, c.reason);
        if (c.errs !== undefined) assert.deepEqual(errs(r), c.errs);
      });
    }
  });
}

const ctr = (name: string, securityContext?: JsonMap, extra: JsonMap = {}): JsonMap =>
  securityContext === undefined ? { name, ...extra } : { name, securityContext, ...extra };

table(hostNamespacesCheck, [
  { name: 'none set', spec: { containers: [ctr('a')] } },
  { name: 'false values', spec: { hostNetwork: false, hostPID: false, hostIPC: false } },
  {
    name: 'all three',
    spec: { hostNetwork: true, hostPID: true, hostIPC: true },
    reason: 'host namespaces',
    detail: 'hostNetwork=true, hostPID=true, hostIPC=true',
    errs: ['Forbidden spec.hostNetwork=true', 'Forbidden spec.hostPID=true', 'Forbidden spec.hostIPC=true'],
  },
]);

table(privilegedCheck, [
  { name: 'false or unset', spec: { containers: [ctr('a'), ctr('b', { privileged: false })] } },
  {
    name: 'init and regular containers',
    spec: {
      initContainers: [ctr('i', { privileged: true })],
      containers: [ctr('a', { privileged: true }), ctr('b', {})],
    },
    reason: 'privileged',
    detail: 'containers "i", "a" must not set securityContext.privileged=true',
    errs: [
      'Forbidden spec.initContainers[0].securityContext.privileged=true',
      'Forbidden spec.containers[0].securityContext.privileged=true',
    ],
  },
  {
    name: 'ephemeral container',
    spec: { ephemeralContainers: [ctr('e', { privileged: true })] },
    detail: 'container "e" must not set securityContext.privileged=true',
  },
]);

table(capabilitiesBaselineCheck, [
  {
    name: 'default set only',
    spec: { containers: [ctr('a', { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'] } })] },
  },
  { name: 'drop is not restricted', spec: { containers: [ctr('a', { capabilities: { drop: ['ALL'] } })] } },
  {
    name: 'non-default capabilities',
    spec: {
      containers: [
        ctr('a', { capabilities: { add: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] } }),
        ctr('b', { capabilities: { add: ['NET_RAW'] } }),
      ],
    },
    reason: 'non-default capabilities',
    detail: 'containers "a", "b" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add',
    errs: [
      'Forbidden spec.containers[0].securityContext.capabilities.add=[NET_RAW,SYS_ADMIN]',
      'Forbidden spec.containers[1].securityContext.capabilities.add=[NET_RAW]',
    ],
  },
]);

table(capabilitiesRestrictedCheck, [
  {
    name: 'drop ALL, add NET_BIND_SERVICE',
    spec: { containers: [ctr('a', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] },
  },
  {
    name: 'missing, partial and bad adds',
    spec: {
      containers: [
        ctr('a'),
        ctr('b', { capabilities: { drop: ['NET_RAW'] } }),
        ctr('c', { capabilities: { drop: [] } }),
        ctr('d', { capabilities: { drop: ['ALL'], add: ['SYS_TIME', 'NET_BIND_SERVICE'] } }),
      ],
    },
    reason: 'unrestricted capabilities',
    detail:
      'containers "a", "b", "c" must set securityContext.capabilities.drop=["ALL"]; container "d" must not include "SYS_TIME" in securityContext.capabilities.add',
    errs: [
      'Required spec.containers[0].securityContext.capabilities.drop=',
      'Forbidden spec.containers[1].securityContext.capabilities.drop=[NET_RAW]',
      'Required spec.containers[2].securityContext.capabilities.drop=',
      'Forbidden spec.containers[3].securityContext.capabilities.add=[SYS_TIME]',
    ],
  },
  { name: 'windows pod exempt from v1.25', spec: { os: { name: 'windows' }, containers: [ctr('a')] } },
  {
    name: 'windows pod still checked at v1.24',
    version: 24,
    spec: { os: { name: 'windows' }, containers: [ctr('a')] },
    detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]',
  },
]);

table(hostPathVolumesCheck, [
  { name: 'emptyDir', spec: { volumes: [{ name: 'a', emptyDir: {} }] } },
  {
    name: 'two hostPath volumes',
    spec: {
      volumes: [
        { name: 'a', hostPath: { path: '/a' } },
        { name: 'b', emptyDir: {} },
        { name: 'c', hostPath: { path: '/c' } },
      ],
    },
    reason: 'hostPath volumes',
    detail: 'volumes "a", "c"',
    errs: ['Forbidden spec.volumes[0].hostPath=/a', 'Forbidden spec.volumes[2].hostPath=/c'],
  },
]);

table(hostPortsCheck, [
  {
    name: 'containerPort only',
    spec: { containers: [ctr('a', undefined, { ports: [{ containerPort: 80 }, { hostPort: 0 }] })] },
  },
  {
    name: 'host ports sorted as strings',
    spec: {
      containers: [
        ctr('a', undefined, { ports: [{ hostPort: 8080 }, { hostPort: 443 }] }),
        ctr('b', undefined, { ports: [{ hostPort: 80 }] }),
      ],
    },
    reason: 'hostPort',
    detail: 'containers "a", "b" use hostPorts 443, 80, 8080',
    errs: [
      'Forbidden spec.containers[0].ports[0].hostPort=8080',
      'Forbidden spec.containers[0].ports[1].hostPort=443',
      'Forbidden spec.containers[1].ports[0].hostPort=80',
    ],
  },
  {
    name: 'single port',
    spec: { initContainers: [ctr('i', undefined, { ports: [{ hostPort: 9000 }] })] },
    detail: 'container "i" uses hostPort 9000',
  },
]);

table(appArmorCheck, [
  {
    name: 'allowed profiles and annotations',
    spec: {
      securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
      containers: [ctr('a', { appArmorProfile: { type: 'Localhost' } })],
    },
    annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'localhost/foo', other: 'unconfined' },
  },
  {
    name: 'unconfined everywhere',
    spec: {
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
      containers: [ctr('a', { appArmorProfile: { type: 'Unconfined' } })],
    },
    annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' },
    reason: 'forbidden AppArmor profiles',
    detail:
      'pod and container "a" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined""',
    errs: [
      'Forbidden spec.securityContext.appArmorProfile.type=Unconfined',
      'Forbidden spec.containers[0].securityContext.appArmorProfile.type=Unconfined',
      'Forbidden metadata.annotations[container.apparmor.security.beta.kubernetes.io/a]=unconfined',
    ],
  },
]);

table(seLinuxCheck, [
  {
    name: 'allowed types',
    spec: {
      securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c1' } },
      containers: [ctr('a', { seLinuxOptions: { type: 'container_init_t' } })],
    },
  },
  {
    name: 'container_engine_t from v1.31',
    spec: { containers: [ctr('a', { seLinuxOptions: { type: 'container_engine_t' } })] },
  },
  {
    name: 'container_engine_t before v1.31',
    version: 30,
    spec: { containers: [ctr('a', { seLinuxOptions: { type: 'container_engine_t' } })] },
    detail: 'container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t"',
  },
  {
    name: 'pod user and container role and type',
    spec: {
      securityContext: { seLinuxOptions: { user: 'root' } },
      containers: [ctr('a', { seLinuxOptions: { type: 'spc_t', role: 'sysadm_r' } })],
    },
    reason: 'seLinuxOptions',
    detail:
      'pod and container "a" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set',
    errs: [
      'Forbidden spec.securityContext.seLinuxOptions.user=root',
      'Forbidden spec.containers[0].securityContext.seLinuxOptions.type=spc_t',
      'Forbidden spec.containers[0].securityContext.seLinuxOptions.role=sysadm_r',
    ],
  },
]);

table(procMountCheck, [
  { name: 'Default', spec: { containers: [ctr('a', { procMount: 'Default' }), ctr('b', {})] } },
  {
    name: 'Unmasked',
    spec: { containers: [ctr('a', { procMount: 'Unmasked' }), ctr('b', { procMount: 'Default' })] },
    reason: 'procMount',
    detail: 'container "a" must not set securityContext.procMount to "Unmasked"',
    errs: ['Forbidden spec.containers[0].securityContext.procMount=Unmasked'],
  },
]);

table(seccompBaselineCheck, [
  { name: 'unset is fine at baseline', spec: { containers: [ctr('a')] } },
  {
    name: 'RuntimeDefault and Localhost',
    spec: {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [ctr('a', { seccompProfile: { type: 'Localhost' } })],
    },
  },
  {
    name: 'Unconfined on pod and container',
    spec: {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [ctr('a', { seccompProfile: { type: 'Unconfined' } })],
    },
    reason: 'seccompProfile',
    detail: 'pod and container "a" must not set securityContext.seccompProfile.type to "Unconfined"',
    errs: [
      'Forbidden spec.securityContext.seccompProfile.type=Unconfined',
      'Forbidden spec.containers[0].securityContext.seccompProfile.type=Unconfined',
    ],
  },
  {
    name: 'alpha annotations before v1.19',
    version: 18,
    spec: { containers: [ctr('a')] },
    annotations: {
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/a': 'runtime/default',
    },
    detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
  },
]);

table(seccompRestrictedCheck, [
  {
    name: 'pod-level RuntimeDefault covers containers',
    spec: {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [ctr('a'), ctr('b')],
    },
  },
  {
    name: 'containers missing a profile',
    spec: { containers: [ctr('a'), ctr('b', { seccompProfile: { type: 'Localhost' } }), ctr('c', {})] },
    detail:
      'pod or containers "a", "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    errs: [
      'Required spec.containers[0].securityContext.seccompProfile.type=',
      'Required spec.containers[2].securityContext.seccompProfile.type=',
    ],
  },
  {
    name: 'explicit bad value wins over missing ones',
    spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [ctr('a')] },
    detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    errs: ['Forbidden spec.securityContext.seccompProfile.type=Unconfined'],
  },
  { name: 'windows pod exempt', spec: { os: { name: 'windows' }, containers: [ctr('a')] } },
]);

table(sysctlsCheck, [
  {
    name: 'safe sysctls',
    spec: { securityContext: { sysctls: [{ name: 'kernel.shm_rmid_forced', value: '0' }] } },
  },
  {
    name: 'tcp_rmem allowed from v1.32',
    spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem' }] } },
  },
  {
    name: 'tcp_rmem forbidden at v1.31',
    version: 31,
    spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem' }] } },
    detail: 'net.ipv4.tcp_rmem',
  },
  {
    name: 'unsafe sysctls',
    spec: {
      securityContext: {
        sysctls: [{ name: 'kernel.msgmax' }, { name: 'net.ipv4.tcp_syncookies' }, { name: 'vm.swappiness' }],
      },
    },
    reason: 'forbidden sysctls',
    detail: 'kernel.msgmax, vm.swappiness',
    errs: [
      'Forbidden spec.securityContext.sysctls[0].name=kernel.msgmax',
      'Forbidden spec.securityContext.sysctls[2].name=vm.swappiness',
    ],
  },
]);

table(volumeTypesCheck, [
  {
    name: 'allowed sources',
    spec: {
      volumes: [
        { name: 'a', configMap: {} },
        { name: 'b', secret: {} },
        { name: 'c', persistentVolumeClaim: { claimName: 'x' } },
        { name: 'd', projected: {} },
        { name: 'e', ephemeral: {} },
      ],
    },
  },
  {
    name: 'restricted and unknown sources',
    spec: {
      volumes: [
        { name: 'a', hostPath: { path: '/' } },
        { name: 'b', nfs: {} },
        { name: 'c' },
        { name: 'd', emptyDir: {} },
      ],
    },
    reason: 'restricted volume types',
    detail: 'volumes "a", "b", "c" use restricted volume types "hostPath", "nfs", "unknown"',
    errs: [
      'Forbidden spec.volumes[0].hostPath=',
      'Forbidden spec.volumes[1].nfs=',
      'Forbidden spec.volumes[2].unknown=',
    ],
  },
]);

table(privilegeEscalationCheck, [
  { name: 'false', spec: { containers: [ctr('a', { allowPrivilegeEscalation: false })] } },
  {
    name: 'unset, nil and true',
    spec: {
      containers: [
        ctr('a'),
        ctr('b', {}),
        ctr('c', { allowPrivilegeEscalation: true }),
        ctr('d', { allowPrivilegeEscalation: false }),
      ],
    },
    reason: 'allowPrivilegeEscalation != false',
    detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
    errs: [
      'Required spec.containers[0].securityContext.allowPrivilegeEscalation=',
      'Forbidden spec.containers[1].securityContext.allowPrivilegeEscalation=nil',
      'Forbidden spec.containers[2].securityContext.allowPrivilegeEscalation=true',
    ],
  },
  { name: 'windows pod exempt', spec: { os: { name: 'windows' }, containers: [ctr('a')] } },
  {
    name: 'linux pod checked',
    spec: { os: { name: 'linux' }, containers: [ctr('a')] },
    detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
  },
]);

table(runAsNonRootCheck, [
  {
    name: 'pod-level true covers containers',
    spec: { securityContext: { runAsNonRoot: true }, containers: [ctr('a'), ctr('b', {})] },
  },
  {
    name: 'explicit false and implicit',
    spec: {
      securityContext: { runAsNonRoot: false },
      containers: [ctr('a'), ctr('b', { runAsNonRoot: false }), ctr('c', { runAsNonRoot: true })],
    },
    reason: 'runAsNonRoot != true',
    detail:
      'pod and container "b" must not set securityContext.runAsNonRoot=false\npod or container "a" must set securityContext.runAsNonRoot=true',
    errs: [
      'Forbidden spec.securityContext.runAsNonRoot=false',
      'Forbidden spec.containers[1].securityContext.runAsNonRoot=false',
      'Required spec.containers[0].securityContext.runAsNonRoot=',
    ],
  },
]);

table(runAsUserCheck, [
  {
    name: 'non-zero',
    spec: { securityContext: { runAsUser: 1000 }, containers: [ctr('a', { runAsUser: 10 })] },
  },
  {
    name: 'root on pod and container',
    spec: {
      securityContext: { runAsUser: 0 },
      containers: [ctr('a', { runAsUser: 0 }), ctr('b', { runAsUser: 1 })],
    },
    reason: 'runAsUser=0',
    detail: 'pod and container "a" must not set runAsUser=0',
    errs: [
      'Forbidden spec.securityContext.runAsUser=0',
      'Forbidden spec.containers[0].securityContext.runAsUser=0',
    ],
  },
]);

table(windowsHostProcessCheck, [
  {
    name: 'false',
    spec: { securityContext: { windowsOptions: { hostProcess: false } }, containers: [ctr('a')] },
  },
  {
    name: 'pod and containers',
    spec: {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [
        ctr('a', { windowsOptions: { hostProcess: true } }),
        ctr('b', { windowsOptions: { hostProcess: true } }),
      ],
    },
    reason: 'hostProcess',
    detail: 'pod and containers "a", "b" must not set securityContext.windowsOptions.hostProcess=true',
    errs: [
      'Forbidden spec.securityContext.windowsOptions.hostProcess=true',
      'Forbidden spec.containers[0].securityContext.windowsOptions.hostProcess=true',
      'Forbidden spec.containers[1].securityContext.windowsOptions.hostProcess=true',
    ],
  },
]);

test('registry lists every control once, baseline and restricted', () => {
  const ids = DEFAULT_CHECKS.map((c) => c.id);
  assert.equal(new Set(ids).size, 17);
  assert.deepEqual(
    DEFAULT_CHECKS.filter((c) => c.level === 'restricted').map((c) => c.id),
    [
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'restrictedVolumes',
      'runAsNonRoot',
      'runAsUser',
      'seccompProfile_restricted',
    ],
  );
});
