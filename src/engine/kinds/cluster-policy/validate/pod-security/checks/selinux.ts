/** @module PSS baseline "SELinux": seLinuxOptions.type limited to container types; user and role unset. */
import {
  asMap,
  asString,
  child,
  containerName,
  forbidden,
  joinQuote,
  namedContainers,
  pluralize,
  sortedSet,
  Violations,
  visitContainers,
} from '../helpers.js';
import type { Check, CheckPodFn, CheckResult, FieldError, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

const TYPES_V1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_V1_31 = new Set([...TYPES_V1_0, 'container_engine_t']);

function seLinuxOptions(spec: JsonMap, allowedTypes: ReadonlySet<string>): CheckResult {
  const badSetters = new Violations();
  const badTypes = new Set<string>();
  let setUser = false;
  let setRole = false;

  const validate = (opts: JsonMap, prefix: string, errs: FieldError[]): boolean => {
    let valid = true;
    const type = asString(opts.type);
    if (!allowedTypes.has(type)) {
      valid = false;
      badTypes.add(type);
      errs.push(forbidden(`${prefix}.seLinuxOptions.type`, type));
    }
    const user = asString(opts.user);
    if (user.length > 0) {
      valid = false;
      setUser = true;
      errs.push(forbidden(`${prefix}.seLinuxOptions.user`, user));
    }
    const role = asString(opts.role);
    if (role.length > 0) {
      valid = false;
      setRole = true;
      errs.push(forbidden(`${prefix}.seLinuxOptions.role`, role));
    }
    return valid;
  };

  const podOpts = asMap(child(spec, 'securityContext', 'seLinuxOptions'));
  if (podOpts !== undefined) {
    const errs: FieldError[] = [];
    if (!validate(podOpts, 'spec.securityContext', errs)) badSetters.add('pod', ...errs);
  }

  const badContainers: string[] = [];
  const containerErrs: FieldError[] = [];
  visitContainers(spec, (c, path) => {
    const opts = asMap(child(c, 'securityContext', 'seLinuxOptions'));
    if (opts !== undefined && !validate(opts, `${path}.securityContext`, containerErrs)) {
      badContainers.push(containerName(c));
    }
  });
  if (badContainers.length > 0) {
    badSetters.add(namedContainers(badContainers), ...containerErrs);
  }

  if (badSetters.empty) return ALLOWED;
  const badData: string[] = [];
  if (badTypes.size > 0)
    badData.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sortedSet(badTypes))}`);
  if (setUser) badData.push('user may not be set');
  if (setRole) badData.push('role may not be set');
  return {
    allowed: false,
    forbiddenReason: 'seLinuxOptions',
    forbiddenDetail: `${badSetters.data.join(' and ')} set forbidden securityContext.seLinuxOptions: ${badData.join('; ')}`,
    errList: badSetters.errs,
  };
}

const seLinuxOptionsV1Dot0: CheckPodFn = (_meta, spec) => seLinuxOptions(spec, TYPES_V1_0);
const seLinuxOptionsV1Dot31: CheckPodFn = (_meta, spec) => seLinuxOptions(spec, TYPES_V1_31);

export const seLinuxCheck: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimumVersion: 0, checkPod: seLinuxOptionsV1Dot0 },
    { minimumVersion: 31, checkPod: seLinuxOptionsV1Dot31 },
  ],
};
