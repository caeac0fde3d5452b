/** @module PSS baseline "Host Ports": containers[*].ports[*].hostPort must be unset or 0. */
import {
  asList,
  child,
  containerName,
  forbidden,
  namedContainers,
  pluralize,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, FieldError, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function hostPortsV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad = new Violations();
  const ports = new Set<string>();
  visitContainers(spec, (c, path) => {
    const errs: FieldError[] = [];
    asList(c.ports).forEach((p, i) => {
      const hostPort = child(p, 'hostPort');
      if (typeof hostPort === 'number' && hostPort !== 0) {
        ports.add(String(hostPort));
        errs.push(forbidden(`${path}.ports[${i}].hostPort`, hostPort));
      }
    });
    if (errs.length > 0) bad.add(containerName(c), ...errs);
  });
  if (bad.empty) return ALLOWED;
  // Go sorts the ports as strings (sets.String), not numerically.
  return {
    allowed: false,
    forbiddenReason: 'hostPort',
    forbiddenDetail: `${namedContainers(bad.data)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', ports.size)} ${sortedSet(ports).join(', ')}`,
    errList: bad.errs,
  };
}

export const hostPortsCheck: Check = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: hostPortsV1Dot0 }],
};
