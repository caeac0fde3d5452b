/** @module PSS restricted "Running as Non-root": runAsNonRoot must be true on the pod or every container. */
import {
  asMap,
  child,
  containerName,
  forbidden,
  namedContainers,
  required,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckResult, FieldError, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function runAsNonRootV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const badSetters = new Violations();
  let podRunAsNonRoot = false;
  const podValue = child(spec, 'securityContext', 'runAsNonRoot');
  if (podValue !== undefined && podValue !== null) {
    if (podValue === false) badSetters.add('pod', forbidden('spec.securityContext.runAsNonRoot', false));
    else podRunAsNonRoot = true;
  }

  const explicitlyBad: string[] = [];
  const explicitErrs: FieldError[] = [];
  const implicitlyBad = new Violations();
  visitContainers(spec, (c, path) => {
    const value = asMap(c.securityContext)?.runAsNonRoot;
    // The path is written only for a container that fails (most pass).
    if (value !== undefined && value !== null) {
      if (value === false) {
        explicitlyBad.push(containerName(c));
        explicitErrs.push(forbidden(`${path}.securityContext.runAsNonRoot`, false));
      }
    } else if (!podRunAsNonRoot) {
      implicitlyBad.add(containerName(c), required(`${path}.securityContext.runAsNonRoot`));
    }
  });
  if (explicitlyBad.length > 0) {
    badSetters.add(namedContainers(explicitlyBad), ...explicitErrs);
  }

  const details: string[] = [];
  const errs: FieldError[] = [];
  if (!badSetters.empty) {
    details.push(`${badSetters.data.join(' and ')} must not set securityContext.runAsNonRoot=false`);
    errs.push(...badSetters.errs);
  }
  if (!implicitlyBad.empty) {
    details.push(implicitlyBad.describe('must set securityContext.runAsNonRoot=true', 'pod or '));
    errs.push(...implicitlyBad.errs);
  }
  if (details.length === 0) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'runAsNonRoot != true',
    forbiddenDetail: details.join('\n'),
    errList: errs,
  };
}

export const runAsNonRootCheck: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [{ minimumVersion: 0, checkPod: runAsNonRootV1Dot0 }],
};
