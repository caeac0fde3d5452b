/**
 * @module PSS baseline "AppArmor": appArmorProfile.type (pod and containers) must be RuntimeDefault or
 * Localhost, and `container.apparmor.security.beta.kubernetes.io/*` annotations runtime/default or localhost/*.
 */
import {
  annotationPath,
  child,
  compareGoStrings,
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

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function allowedProfileType(t: unknown): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function profileType(t: unknown): string {
  return typeof t === 'string' ? t : '';
}

function appArmorProfileV1Dot0(meta: PodMeta, spec: JsonMap): CheckResult {
  const badSetters = new Violations();
  const badValues = new Set<string>();

  const podProfile = child(spec, 'securityContext', 'appArmorProfile');
  if (podProfile !== undefined && podProfile !== null) {
    const t = child(podProfile, 'type');
    if (!allowedProfileType(t)) {
      badSetters.add('pod', forbidden('spec.securityContext.appArmorProfile.type', profileType(t)));
      badValues.add(profileType(t));
    }
  }

  const badContainers = new Violations();
  visitContainers(spec, (c, path) => {
    const profile = child(c, 'securityContext', 'appArmorProfile');
    if (profile === undefined || profile === null) return;
    const t = child(profile, 'type');
    if (!allowedProfileType(t)) {
      badContainers.add(
        containerName(c),
        forbidden(`${path}.securityContext.appArmorProfile.type`, profileType(t)),
      );
      badValues.add(profileType(t));
    }
  });
  if (!badContainers.empty) {
    badSetters.add(namedContainers(badContainers.data), ...badContainers.errs);
  }

  const annotations: string[] = [];
  const annotationErrs: FieldError[] = [];
  for (const key of Object.keys(meta.annotations).sort(compareGoStrings)) {
    const value = meta.annotations[key] ?? '';
    if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotationValue(value)) {
      annotations.push(`${key}=${goQuote(value)}`);
      annotationErrs.push(forbidden(annotationPath(key), value));
    }
  }
  const badValueList = [...sortedSet(badValues), ...annotations.sort(compareGoStrings)];
  if (annotations.length > 0) {
    badSetters.add(pluralize('annotation', 'annotations', annotations.length), ...annotationErrs);
  }

  if (badSetters.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: pluralize(
      'forbidden AppArmor profile',
      'forbidden AppArmor profiles',
      badValueList.length,
    ),
    forbiddenDetail: `${badSetters.data.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
    errList: badSetters.errs,
  };
}

export const appArmorCheck: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: appArmorProfileV1Dot0 }],
};
