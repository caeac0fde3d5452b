/** @module PSS baseline "Privileged Containers": securityContext.privileged must not be true. */
import { child, containerName, forbidden, Violations, visitContainers } from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';

function privilegedV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad = new Violations();
  visitContainers(spec, (c, path) => {
    if (child(c, 'securityContext', 'privileged') === true) {
      bad.add(containerName(c), forbidden(`${path}.securityContext.privileged`, true));
    }
  });
  return bad.deny('privileged', 'must not set securityContext.privileged=true');
}

export const privilegedCheck: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: privilegedV1Dot0 }],
};
