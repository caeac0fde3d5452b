/** @module PSS baseline "HostPath Volumes": spec.volumes[*].hostPath must be unset. */
import {
  asList,
  asMap,
  asString,
  child,
  forbidden,
  isSet,
  joinQuote,
  pluralize,
  Violations,
} from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

function hostPathVolumesV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad = new Violations();
  asList(spec.volumes).forEach((v, i) => {
    const volume = asMap(v) ?? {};
    if (isSet(volume.hostPath)) {
      bad.add(
        asString(volume.name),
        forbidden(`spec.volumes[${i}].hostPath`, asString(child(volume, 'hostPath', 'path'))),
      );
    }
  });
  if (bad.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'hostPath volumes',
    forbiddenDetail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad.data)}`,
    errList: bad.errs,
  };
}

export const hostPathVolumesCheck: Check = {
  id: 'hostPathVolumes',
  level: 'baseline',
  versions: [{ minimumVersion: 0, checkPod: hostPathVolumesV1Dot0 }],
};
