/** @module PSS baseline "Capabilities": only the default capability set may be added. */
import {
  asList,
  asString,
  child,
  containerName,
  forbidden,
  joinQuote,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';

const ALLOWED_V1_0 = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function capabilitiesBaselineV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad = new Violations();
  const nonDefault = new Set<string>();
  visitContainers(spec, (c, path) => {
    const caps = child(c, 'securityContext', 'capabilities');
    if (caps === undefined || caps === null) return;
    const forbiddenHere = new Set<string>();
    for (const cap of asList(child(caps, 'add')).map(asString)) {
      if (!ALLOWED_V1_0.has(cap)) {
        forbiddenHere.add(cap);
        nonDefault.add(cap);
      }
    }
    if (forbiddenHere.size > 0) {
      bad.add(
        containerName(c),
        forbidden(`${path}.securityContext.capabilities.add`, sortedSet(forbiddenHere)),
      );
    }
  });
  return bad.deny(
    'non-default capabilities',
    `must not include ${joinQuote(sortedSet(nonDefault))} in securityContext.capabilities.add`,
  );
}

export const capabilitiesBaselineCheck: Check = {
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: capabilitiesBaselineV1Dot0 }],
};
