/** @module Kyverno's PSS control names (`exclude[].controlName`) and the PSA check IDs behind them. */

export const CONTROL_CHECK_IDS: Readonly<Record<string, readonly string[]>> = {
  Capabilities: ['capabilities_baseline', 'capabilities_restricted'],
  Seccomp: ['seccompProfile_baseline', 'seccompProfile_restricted'],
  'Privileged Containers': ['privileged'],
  'Host Ports': ['hostPorts'],
  '/proc Mount Type': ['procMount'],
  HostProcess: ['windowsHostProcess'],
  SELinux: ['seLinuxOptions'],
  'Host Namespaces': ['hostNamespaces'],
  'HostPath Volumes': ['hostPathVolumes'],
  Sysctls: ['sysctls'],
  AppArmor: ['appArmorProfile'],
  'Privilege Escalation': ['allowPrivilegeEscalation'],
  'Running as Non-root': ['runAsNonRoot'],
  'Running as Non-root user': ['runAsUser'],
  'Volume Types': ['restrictedVolumes'],
};

export function checkIdsForControl(controlName: string): readonly string[] {
  return Object.hasOwn(CONTROL_CHECK_IDS, controlName) ? (CONTROL_CHECK_IDS[controlName] ?? []) : [];
}

/** The control name for a check ID (for report properties), or `''` when unknown. */
export function controlNameForCheckId(id: string): string {
  for (const [name, ids] of Object.entries(CONTROL_CHECK_IDS)) {
    if (ids.includes(id)) return name;
  }
  return '';
}
