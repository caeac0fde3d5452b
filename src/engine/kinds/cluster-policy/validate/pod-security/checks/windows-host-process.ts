/** @module PSS baseline "HostProcess": windowsOptions.hostProcess must not be true (pod or containers). */
import { child, containerName, forbidden, namedContainers, Violations, visitContainers } from '../helpers.js';
import type { Check, CheckResult, FieldError, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function windowsHostProcessV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad: string[] = [];
  const errs: FieldError[] = [];
  visitContainers(spec, (c, path) => {
    if (child(c, 'securityContext', 'windowsOptions', 'hostProcess') === true) {
      bad.push(containerName(c));
      errs.push(forbidden(`${path}.securityContext.windowsOptions.hostProcess`, true));
    }
  });
  const setters = new Violations();
  if (child(spec, 'securityContext', 'windowsOptions', 'hostProcess') === true) {
    setters.add('pod', forbidden('spec.securityContext.windowsOptions.hostProcess', true));
  }
  if (bad.length > 0) setters.add(namedContainers(bad), ...errs);
  if (setters.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'hostProcess',
    forbiddenDetail: `${setters.data.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
    errList: setters.errs,
  };
}

export const windowsHostProcessCheck: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: windowsHostProcessV1Dot0 }],
};
