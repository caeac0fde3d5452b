/**
 * @module Mutate-existing requests kept in the cluster (Kyverno's `mutate` UpdateRequests), as
 * ConfigMaps in Palisade's namespace beside the generate requests (generate-requests.ts): any
 * replica that admits a trigger records it; the leader processes and deletes the records. One
 * pending record per (policy, trigger, DELETE or not): a newer admission of the same trigger
 * replaces the record, so an UPDATE's stored object is always the newest one.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../engine/index.js';
import type { ObjectRef } from './generate-requests.js';
import type { KubeRest } from './kube-rest.js';
import { configMapRecordStore, type RecordStore, type StoredRecord } from './record-store.js';

export interface MutateRequest {
  /** The policy's kind, name and (namespaced kinds) namespace. */
  readonly policy: { readonly kind: string; readonly name: string; readonly namespace?: string };
  readonly trigger: ObjectRef;
  /** The admission operation; `CREATE` also for work found by a resync (the trigger is read again). */
  readonly operation: string;
  readonly userInfo?: unknown;
  /**
   * The trigger as admitted, for UPDATE and DELETE (Kyverno evaluates those on the admission
   * request's objects; a CREATE's trigger is read from the cluster).
   */
  readonly object?: KubeObject;
  readonly oldObject?: KubeObject;
}

export type StoredMutateRequest = StoredRecord<MutateRequest>;

/** put: replaces a pending record of the same key. */
export type MutateRequestStore = RecordStore<MutateRequest>;

export const MUTATE_REQUEST_LABEL = 'palisade.kyverno.io/mutate-request';

/** The dedup key: one pending record per (policy, trigger), DELETEs apart. */
export function mutateRequestKey(r: MutateRequest): string {
  const p = r.policy;
  const t = r.trigger;
  return [
    p.kind,
    p.namespace ?? '',
    p.name,
    t.apiVersion,
    t.kind,
    t.namespace ?? '',
    t.name,
    r.operation === 'DELETE' ? 'DELETE' : '',
  ].join('/');
}

export function mutateRequestName(r: MutateRequest): string {
  return `palisade-mr-${createHash('sha256').update(mutateRequestKey(r)).digest('hex').slice(0, 20)}`;
}

/** A stored record, or undefined when it is not one (edited by hand, another version). */
export function parseMutateRequest(text: unknown): MutateRequest | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const r = JSON.parse(text) as MutateRequest;
    return typeof r.policy?.name === 'string' &&
      typeof r.policy.kind === 'string' &&
      typeof r.trigger?.kind === 'string' &&
      typeof r.trigger.name === 'string' &&
      typeof r.operation === 'string'
      ? r
      : undefined;
  } catch {
    return undefined;
  }
}

export function configMapMutateRequestStore(rest: KubeRest, namespace: string): MutateRequestStore {
  return configMapRecordStore(rest, namespace, {
    label: MUTATE_REQUEST_LABEL,
    name: mutateRequestName,
    parse: parseMutateRequest,
    onPending: 'replace',
  });
}
