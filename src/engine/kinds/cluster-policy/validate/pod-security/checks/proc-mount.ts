/** @module PSS baseline "/proc Mount Type": securityContext.procMount must be unset or Default. */
import {
  child,
  containerName,
  forbidden,
  isSet,
  joinQuote,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';

function procMountV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad = new Violations();
  const types = new Set<string>();
  visitContainers(spec, (c, path) => {
    const procMount = child(c, 'securityContext', 'procMount');
    if (!isSet(procMount) || procMount === 'Default') return;
    const value = typeof procMount === 'string' ? procMount : String(procMount);
    bad.add(containerName(c), forbidden(`${path}.securityContext.procMount`, value));
    types.add(value);
  });
  return bad.deny('procMount', `must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`);
}

export const procMountCheck: Check = {
  id: 'procMount',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: procMountV1Dot0 }],
};
