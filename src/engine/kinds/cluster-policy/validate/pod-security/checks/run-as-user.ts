/** @module PSS restricted "Running as Non-root user": runAsUser must not be 0 (v1.23+). */
import { child, containerName, forbidden, namedContainers, Violations, visitContainers } from '../helpers.js';
import type { Check, CheckResult, FieldError, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function runAsUserV1Dot23(_meta: unknown, spec: JsonMap): CheckResult {
  const badSetters = new Violations();
  if (child(spec, 'securityContext', 'runAsUser') === 0)
    badSetters.add('pod', forbidden('spec.securityContext.runAsUser', 0));
  const bad: string[] = [];
  const errs: FieldError[] = [];
  visitContainers(spec, (c, path) => {
    if (child(c, 'securityContext', 'runAsUser') === 0) {
      bad.push(containerName(c));
      errs.push(forbidden(`${path}.securityContext.runAsUser`, 0));
    }
  });
  if (bad.length > 0) badSetters.add(namedContainers(bad), ...errs);
  if (badSetters.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'runAsUser=0',
    forbiddenDetail: `${badSetters.data.join(' and ')} must not set runAsUser=0`,
    errList: badSetters.errs,
  };
}

export const runAsUserCheck: Check = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [{ minimumVersion: 23, checkPod: runAsUserV1Dot23 }],
};
