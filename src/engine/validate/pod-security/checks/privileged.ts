/** @module PSS baseline "Privileged Containers": securityContext.privileged must not be true. */
import {
  child,
  containerName,
  forbidden,
  joinQuote,
  pluralize,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function privilegedV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad = new Violations();
  visitContainers(spec, (c, path) => {
    if (child(c, 'securityContext', 'privileged') === true) {
      bad.add(containerName(c), forbidden(`${path}.securityContext.privileged`, true));
    }
  });
  if (bad.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'privileged',
    forbiddenDetail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.data)} must not set securityContext.privileged=true`,
    errList: bad.errs,
  };
}

export const privilegedCheck: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: privilegedV1Dot0 }],
};
