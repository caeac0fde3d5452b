/** @module PSS baseline "Host Namespaces": spec.hostNetwork/hostPID/hostIPC must be unset or false. */
import { forbidden, Violations } from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function hostNamespacesV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const v = new Violations();
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[key] === true) v.add(`${key}=true`, forbidden(`spec.${key}`, true));
  }
  if (v.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'host namespaces',
    forbiddenDetail: v.data.join(', '),
    errList: v.errs,
  };
}

export const hostNamespacesCheck: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: hostNamespacesV1Dot0 }],
};
