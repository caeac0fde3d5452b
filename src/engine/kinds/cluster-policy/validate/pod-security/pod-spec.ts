/** @module Extracts the pod spec and metadata Kyverno checks from a Pod or pod controller (getSpec). */
import { RecentMemo } from '../../../../units/recent-memo.js';
import { asMap, asString } from './helpers.js';
import { goUnmarshalError } from './typed-decode.js';
import { CRONJOB_TYPE, DEPLOYMENT_TYPE, POD_TYPE } from './typed-pod.js';
import type { JsonMap, PodMeta } from './types.js';

export const TEMPLATE_KINDS: ReadonlySet<string> = new Set([
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
]);

export interface ExtractedPod {
  readonly kind: string;
  readonly meta: PodMeta;
  readonly spec: JsonMap;
}

export class PodSecurityResourceError extends Error {
  constructor(kind: string) {
    super(`could not find correct resource type${kind === '' ? '' : ` (kind ${kind})`}`);
    this.name = 'PodSecurityResourceError';
  }
}

/** The resource does not decode into the typed object Kyverno reads (the message is Go's). */
export class PodSecurityDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PodSecurityDecodeError';
  }
}

/** Kyverno unmarshals every pod-template kind into an apps/v1 Deployment. */
function throwUnlessDecodes(resource: object, kind: string): void {
  const type = kind === 'Pod' ? POD_TYPE : kind === 'CronJob' ? CRONJOB_TYPE : DEPLOYMENT_TYPE;
  const error = goUnmarshalError(resource, type);
  if (error !== undefined) throw new PodSecurityDecodeError(error);
}

function at(obj: unknown, ...keys: string[]): JsonMap {
  let cur: JsonMap = asMap(obj) ?? {};
  for (const k of keys) cur = asMap(cur[k]) ?? {};
  return cur;
}

function toMeta(m: JsonMap): PodMeta {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(asMap(m.annotations) ?? {})) {
    if (typeof v === 'string') annotations[k] = v;
  }
  const meta: { name?: string; namespace?: string; annotations: Record<string, string> } = { annotations };
  if (typeof m.name === 'string') meta.name = m.name;
  if (typeof m.namespace === 'string') meta.namespace = m.namespace;
  return meta;
}

/**
 * Kept for the last few resources: every podSecurity rule of a set reads the same resource (objects
 * given to the engine are not changed in place; mutation copies), and the checks' results are kept
 * per pod. A RecentMemo, not a WeakMap: see units/recent-memo.ts.
 */
const extracted = new RecentMemo<object, ExtractedPod>(8);

/**
 * Throws PodSecurityResourceError for kinds that carry no pod template and PodSecurityDecodeError
 * for a resource with a wrong JSON type in a field of its typed form (errors are not kept).
 */
export function extractPod(resource: object): ExtractedPod {
  let pod = extracted.get(resource);
  if (pod === undefined) {
    pod = extractPodAnew(resource);
    extracted.set(resource, pod);
  }
  return pod;
}

function extractPodAnew(resource: object): ExtractedPod {
  const kind = asString((resource as JsonMap).kind);
  if (TEMPLATE_KINDS.has(kind) || kind === 'CronJob' || kind === 'Pod') throwUnlessDecodes(resource, kind);
  if (TEMPLATE_KINDS.has(kind)) {
    return {
      kind,
      meta: toMeta(at(resource, 'spec', 'template', 'metadata')),
      spec: at(resource, 'spec', 'template', 'spec'),
    };
  }
  if (kind === 'CronJob') {
    // Kyverno takes the Job template's metadata here, not the pod template's.
    return {
      kind,
      meta: toMeta(at(resource, 'spec', 'jobTemplate', 'metadata')),
      spec: at(resource, 'spec', 'jobTemplate', 'spec', 'template', 'spec'),
    };
  }
  if (kind === 'Pod') return { kind, meta: toMeta(at(resource, 'metadata')), spec: at(resource, 'spec') };
  throw new PodSecurityResourceError(kind);
}
