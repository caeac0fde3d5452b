/** @module PSS restricted "Capabilities": containers must drop ALL and may only add NET_BIND_SERVICE. */
import {
  admitWindowsPods,
  asList,
  asString,
  child,
  containerName,
  forbidden,
  joinQuote,
  required,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function capabilitiesRestrictedV1Dot22(_meta: unknown, spec: JsonMap): CheckResult {
  const missingDropAll = new Violations();
  const addingForbidden = new Violations();
  const forbiddenCaps = new Set<string>();
  visitContainers(spec, (c, path) => {
    const caps = child(c, 'securityContext', 'capabilities');
    // The path is written only for a container that fails (most pass).
    if (caps === undefined || caps === null) {
      missingDropAll.add(containerName(c), required(`${path}.securityContext.capabilities.drop`));
      return;
    }
    const drop = asList(child(caps, 'drop')).map(asString);
    if (!drop.includes('ALL')) {
      const dropPath = `${path}.securityContext.capabilities.drop`;
      if (drop.length > 0) missingDropAll.add(containerName(c), forbidden(dropPath, sortedSet(drop)));
      else missingDropAll.add(containerName(c), required(dropPath));
    }
    const bad = asList(child(caps, 'add'))
      .map(asString)
      .filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (bad.length > 0) {
      for (const cap of bad) forbiddenCaps.add(cap);
      addingForbidden.add(
        containerName(c),
        forbidden(`${path}.securityContext.capabilities.add`, sortedSet(bad)),
      );
    }
  });
  const details: string[] = [];
  if (!missingDropAll.empty) {
    details.push(missingDropAll.describe('must set securityContext.capabilities.drop=["ALL"]'));
  }
  if (!addingForbidden.empty) {
    details.push(
      addingForbidden.describe(
        `must not include ${joinQuote(sortedSet(forbiddenCaps))} in securityContext.capabilities.add`,
      ),
    );
  }
  if (details.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'unrestricted capabilities',
    forbiddenDetail: details.join('; '),
    errList: [...missingDropAll.errs, ...addingForbidden.errs],
  };
}

export const capabilitiesRestrictedCheck: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 22, checkPod: capabilitiesRestrictedV1Dot22 },
    { minimumVersion: 25, checkPod: admitWindowsPods(capabilitiesRestrictedV1Dot22) },
  ],
};
