/** @module PSS restricted "Privilege Escalation": securityContext.allowPrivilegeEscalation must be false. */
import {
  admitWindowsPods,
  asMap,
  containerName,
  forbidden,
  required,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, JsonMap, PodMeta } from '../types.js';

function allowPrivilegeEscalationV1Dot8(_meta: PodMeta, spec: JsonMap): CheckResult {
  const bad = new Violations();
  visitContainers(spec, (c, path) => {
    const sc = asMap(c.securityContext);
    const field = `${path}.securityContext.allowPrivilegeEscalation`;
    // PSA distinguishes a missing securityContext (Required) from a missing field ("nil") and true.
    if (sc === undefined) bad.add(containerName(c), required(field));
    else if (sc.allowPrivilegeEscalation === undefined || sc.allowPrivilegeEscalation === null)
      bad.add(containerName(c), forbidden(field, 'nil'));
    else if (sc.allowPrivilegeEscalation === true) bad.add(containerName(c), forbidden(field, true));
  });
  return bad.deny(
    'allowPrivilegeEscalation != false',
    'must set securityContext.allowPrivilegeEscalation=false',
  );
}

export const privilegeEscalationCheck: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minimumVersion: 8, checkPod: allowPrivilegeEscalationV1Dot8 },
    { minimumVersion: 25, checkPod: admitWindowsPods(allowPrivilegeEscalationV1Dot8) },
  ],
};
