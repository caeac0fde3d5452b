/** @module PSS restricted "Seccomp": pod or every container must set seccompProfile.type RuntimeDefault/Localhost. */
import {
  admitWindowsPods,
  asMap,
  child,
  containerName,
  forbidden,
  joinQuote,
  namedContainers,
  required,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, FieldError, JsonMap, PodMeta } from '../types.js';
import { seccompType, validSeccomp } from './seccomp-baseline.js';

function seccompProfileRestrictedV1Dot19(_meta: PodMeta, spec: JsonMap): CheckResult {
  const badSetters = new Violations();
  const badValues = new Set<string>();
  let podSeccompSet = false;
  const podProfile = asMap(child(spec, 'securityContext', 'seccompProfile'));
  if (podProfile !== undefined) {
    if (!validSeccomp(podProfile.type)) {
      badSetters.add('pod', forbidden('spec.securityContext.seccompProfile.type', seccompType(podProfile)));
      badValues.add(seccompType(podProfile));
    } else {
      podSeccompSet = true;
    }
  }
  const explicitlyBad: string[] = [];
  const explicitErrs: FieldError[] = [];
  const implicitlyBad = new Violations();
  visitContainers(spec, (c, path) => {
    const profile = asMap(child(c, 'securityContext', 'seccompProfile'));
    // The path is written only for a container that fails (most pass).
    if (profile !== undefined) {
      if (!validSeccomp(profile.type)) {
        explicitlyBad.push(containerName(c));
        explicitErrs.push(forbidden(`${path}.securityContext.seccompProfile.type`, seccompType(profile)));
        badValues.add(seccompType(profile));
      }
    } else if (!podSeccompSet) {
      implicitlyBad.add(containerName(c), required(`${path}.securityContext.seccompProfile.type`));
    }
  });
  if (explicitlyBad.length > 0) {
    badSetters.add(namedContainers(explicitlyBad), ...explicitErrs);
  }
  // Explicitly bad values are reported alone; missing profiles only when nothing is explicitly bad.
  if (!badSetters.empty) {
    return {
      allowed: false,
      forbiddenReason: 'seccompProfile',
      forbiddenDetail: `${badSetters.data.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
      errList: badSetters.errs,
    };
  }
  return implicitlyBad.deny(
    'seccompProfile',
    'must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    'pod or ',
  );
}

export const seccompRestrictedCheck: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 19, checkPod: seccompProfileRestrictedV1Dot19 },
    { minimumVersion: 25, checkPod: admitWindowsPods(seccompProfileRestrictedV1Dot19) },
  ],
};
