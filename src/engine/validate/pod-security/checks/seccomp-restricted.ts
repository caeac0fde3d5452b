/** @module PSS restricted "Seccomp": pod or every container must set seccompProfile.type RuntimeDefault/Localhost. */
import {
  asMap,
  child,
  containerName,
  forbidden,
  isWindowsPod,
  joinQuote,
  pluralize,
  required,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, FieldError, JsonMap, PodMeta } from '../types.js';
import { ALLOWED } from '../types.js';
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
    const field = `${path}.securityContext.seccompProfile.type`;
    if (profile !== undefined) {
      if (!validSeccomp(profile.type)) {
        explicitlyBad.push(containerName(c));
        explicitErrs.push(forbidden(field, seccompType(profile)));
        badValues.add(seccompType(profile));
      }
    } else if (!podSeccompSet) {
      implicitlyBad.add(containerName(c), required(field));
    }
  });
  if (explicitlyBad.length > 0) {
    badSetters.add(
      `${pluralize('container', 'containers', explicitlyBad.length)} ${joinQuote(explicitlyBad)}`,
      ...explicitErrs,
    );
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
  if (!implicitlyBad.empty) {
    return {
      allowed: false,
      forbiddenReason: 'seccompProfile',
      forbiddenDetail: `pod or ${pluralize('container', 'containers', implicitlyBad.length)} ${joinQuote(implicitlyBad.data)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      errList: implicitlyBad.errs,
    };
  }
  return ALLOWED;
}

function seccompProfileRestrictedV1Dot25(meta: PodMeta, spec: JsonMap): CheckResult {
  // Pod API validation rejects seccompProfile on Windows pods, so those are admitted.
  if (isWindowsPod(spec)) return ALLOWED;
  return seccompProfileRestrictedV1Dot19(meta, spec);
}

export const seccompRestrictedCheck: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 19, checkPod: seccompProfileRestrictedV1Dot19 },
    { minimumVersion: 25, checkPod: seccompProfileRestrictedV1Dot25 },
  ],
};
