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

// The path is written only for a container that fails (most pass).
function fieldOf(path: string): string {
  return `${path}.securityContext.allowPrivilegeEscalation`;
}

function allowPrivilegeEscalationV1Dot8(_meta: PodMeta, spec: JsonMap): CheckResult {
  const bad = new Violations();
  visitContainers(spec, (c, path) => {
    const sc = asMap(c.securityContext);
    // PSA distinguishes a missing securityContext (Required) from a missing field ("nil") and true.
    if (sc === undefined) bad.add(containerName(c), required(fieldOf(path)));
    else if (sc.allowPrivilegeEscalation === undefined || sc.allowPrivilegeEscalation === null)
      bad.add(containerName(c), forbidden(fieldOf(path), 'nil'));
    else if (sc.allowPrivilegeEscalation === true) bad.add(containerName(c), forbidden(fieldOf(path), true));
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
