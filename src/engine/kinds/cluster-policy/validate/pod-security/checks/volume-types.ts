/** @module PSS restricted "Volume Types": only configMap, csi, downwardAPI, emptyDir, ephemeral, image, PVC, projected, secret. */
import {
  asList,
  asMap,
  asString,
  forbidden,
  isSet,
  joinQuote,
  pluralize,
  sortedSet,
  Violations,
} from '../helpers.js';
import type { Check, CheckResult, JsonMap } from '../types.js';
import { ALLOWED } from '../types.js';

const ALLOWED_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

/** Restricted sources, in the order PSA tests them (the first one present names the volume's type). */
const RESTRICTED_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
] as const;

function restrictedVolumesV1Dot0(_meta: unknown, spec: JsonMap): CheckResult {
  const bad = new Violations();
  const badTypes = new Set<string>();
  asList(spec.volumes).forEach((v, i) => {
    const volume = asMap(v) ?? {};
    if (ALLOWED_SOURCES.some((k) => isSet(volume[k]))) return;
    const type = RESTRICTED_SOURCES.find((k) => isSet(volume[k])) ?? 'unknown';
    badTypes.add(type);
    bad.add(asString(volume.name), forbidden(`spec.volumes[${i}].${type}`));
  });
  if (bad.empty) return ALLOWED;
  return {
    allowed: false,
    forbiddenReason: 'restricted volume types',
    forbiddenDetail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad.data)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', badTypes.size)} ${joinQuote(sortedSet(badTypes))}`,
    errList: bad.errs,
  };
}

export const volumeTypesCheck: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ minimumVersion: 0, checkPod: restrictedVolumesV1Dot0 }],
};
