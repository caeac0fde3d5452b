/**
 * @module PSS baseline "Seccomp": if set, seccomp profiles must be RuntimeDefault or Localhost
 * (v1.0–v1.18: the alpha annotations; v1.19+: securityContext.seccompProfile.type).
 */
import {
  annotationPath,
  asMap,
  child,
  containerName,
  forbidden,
  goQuote,
  joinQuote,
  namedContainers,
  pluralize,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, FieldError, JsonMap, PodMeta } from '../types.js';
import { ALLOWED } from '../types.js';

const ANNOTATION_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const ANNOTATION_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export function validSeccomp(t: unknown): boolean {
  return t === 'Localhost' || t === 'RuntimeDefault';
}

export function seccompType(profile: JsonMap): string {
  return typeof profile.type === 'string' ? profile.type : '';
}

function validAnnotationValue(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function seccompProfileBaselineV1Dot0(meta: PodMeta, spec: JsonMap): CheckResult {
  const found = new Map<string, FieldError>();
  const check = (key: string): void => {
    const val = meta.annotations[key];
    if (val !== undefined && !validAnnotationValue(val))
      found.set(`${key}=${goQuote(val)}`, forbidden(annotationPath(key), val));
  };
  check(ANNOTATION_POD);
  visitContainers(spec, (c) => check(ANNOTATION_CONTAINER_PREFIX + containerName(c)));
  if (found.size === 0) return ALLOWED;
  const keys = sortedSet(found.keys());
  return {
    allowed: false,
    forbiddenReason: 'seccompProfile',
    forbiddenDetail: `forbidden ${pluralize('annotation', 'annotations', keys.length)} ${keys.join(', ')}`,
    errList: keys.map((k) => found.get(k) as FieldError),
  };
}

function seccompProfileBaselineV1Dot19(_meta: PodMeta, spec: JsonMap): CheckResult {
  const badSetters = new Violations();
  const badValues = new Set<string>();
  const podProfile = asMap(child(spec, 'securityContext', 'seccompProfile'));
  if (podProfile !== undefined && !validSeccomp(podProfile.type)) {
    badSetters.add('pod', forbidden('spec.securityContext.seccompProfile.type', seccompType(podProfile)));
    badValues.add(seccompType(podProfile));
  }
  const explicitlyBad = new Violations();
  visitContainers(spec, (c, path) => {
    const profile = asMap(child(c, 'securityContext', 'seccompProfile'));
    if (profile !== undefined && !validSeccomp(profile.type)) {
      explicitlyBad.add(
        containerName(c),
        forbidden(`${path}.securityContext.seccompProfile.type`, seccompType(profile)),
      );
      badValues.add(seccompType(profile));
    }
  });
  if (!explicitlyBad.empty) {
    badSetters.add(namedContainers(explicitlyBad.data), ...explicitlyBad.errs);
  }
  if (badSetters.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'seccompProfile',
    forbiddenDetail: `${badSetters.data.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
    errList: badSetters.errs,
  };
}

export const seccompBaselineCheck: Check = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: seccompProfileBaselineV1Dot0 },
    { minimumVersion: 19, checkPod: seccompProfileBaselineV1Dot19 },
  ],
};
