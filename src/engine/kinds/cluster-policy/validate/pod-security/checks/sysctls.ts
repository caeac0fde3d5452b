/** @module PSS baseline "Sysctls": only the safe, namespaced sysctls may be set (the set grows per version). */
import { asList, asString, child, forbidden, Violations } from '../helpers.js';
import type { Check, CheckPodFn, CheckResult, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

const V1_0 = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
]);
const V1_27 = new Set([...V1_0, 'net.ipv4.ip_local_reserved_ports']);
const V1_29 = new Set([
  ...V1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const V1_32 = new Set([...V1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);

function sysctls(spec: JsonMap, allowed: ReadonlySet<string>): CheckResult {
  const bad = new Violations();
  asList(child(spec, 'securityContext', 'sysctls')).forEach((s, i) => {
    const name = asString(child(s, 'name'));
    if (!allowed.has(name)) bad.add(name, forbidden(`spec.securityContext.sysctls[${i}].name`, name));
  });
  if (bad.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'forbidden sysctls',
    forbiddenDetail: bad.data.join(', '),
    errList: bad.errs,
  };
}

const forSet =
  (allowed: ReadonlySet<string>): CheckPodFn =>
  (_meta, spec) =>
    sysctls(spec, allowed);

export const sysctlsCheck: Check = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: forSet(V1_0) },
    { minimumVersion: 27, checkPod: forSet(V1_27) },
    { minimumVersion: 29, checkPod: forSet(V1_29) },
    { minimumVersion: 32, checkPod: forSet(V1_32) },
  ],
};
