/**
 * @module The default PSA checks, in upstream registration order (Go runs `init()` in file-name
 * order, so the failure list in Kyverno's message follows this order).
 */
import type { Check } from '../types.js';
import { appArmorCheck } from './app-armor.js';
import { capabilitiesBaselineCheck } from './capabilities-baseline.js';
import { capabilitiesRestrictedCheck } from './capabilities-restricted.js';
import { hostNamespacesCheck } from './host-namespaces.js';
import { hostPathVolumesCheck } from './host-path-volumes.js';
import { hostPortsCheck } from './host-ports.js';
import { privilegeEscalationCheck } from './privilege-escalation.js';
import { privilegedCheck } from './privileged.js';
import { procMountCheck } from './proc-mount.js';
import { runAsNonRootCheck } from './run-as-non-root.js';
import { runAsUserCheck } from './run-as-user.js';
import { seccompBaselineCheck } from './seccomp-baseline.js';
import { seccompRestrictedCheck } from './seccomp-restricted.js';
import { seLinuxCheck } from './selinux.js';
import { sysctlsCheck } from './sysctls.js';
import { volumeTypesCheck } from './volume-types.js';
import { windowsHostProcessCheck } from './windows-host-process.js';

export const DEFAULT_CHECKS: readonly Check[] = [
  privilegeEscalationCheck,
  appArmorCheck,
  capabilitiesBaselineCheck,
  capabilitiesRestrictedCheck,
  hostNamespacesCheck,
  hostPathVolumesCheck,
  hostPortsCheck,
  privilegedCheck,
  procMountCheck,
  volumeTypesCheck,
  runAsNonRootCheck,
  runAsUserCheck,
  seLinuxCheck,
  seccompBaselineCheck,
  seccompRestrictedCheck,
  sysctlsCheck,
  windowsHostProcessCheck,
];
