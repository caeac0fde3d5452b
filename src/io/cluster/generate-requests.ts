/**
 * @module Generate requests kept in the cluster (Kyverno's UpdateRequests, as ConfigMaps in
 * Palisade's namespace): every replica that admits a request with generate rules records what to
 * generate; only the leader processes the records and deletes them when done. A record outlives the
 * replica that wrote it and a change of leader, so admission work is never lost; its name is a hash
 * of (policy, rule, trigger, whether it was deleted), so replicas answering the same change write it
 * once. A deletion's record keeps the deleted trigger.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../engine/index.js';
import type { KubeRest } from './kube-rest.js';
import { configMapRecordStore, type RecordStore, type StoredRecord } from './record-store.js';

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface GenerateRequest {
  /** The policy's kind, name and (namespaced kinds) namespace. */
  readonly policy: { readonly kind: string; readonly name: string; readonly namespace?: string };
  /** The rule (`''` for a GeneratingPolicy). */
  readonly rule: string;
  readonly trigger: ObjectRef;
  readonly operation: string;
  /** The admission request's user, for rules that match on it. */
  readonly userInfo?: unknown;
  /**
   * The trigger as it was deleted, for DELETE (rules matching DELETE generate from it: it is no longer
   * in the cluster to be read, as Kyverno's UpdateRequest keeps the admission request).
   */
  readonly oldObject?: KubeObject;
}

export type StoredGenerateRequest = StoredRecord<GenerateRequest>;

/** put: an identical pending record is kept as it is. */
export type GenerateRequestStore = RecordStore<GenerateRequest>;

export const GENERATE_REQUEST_LABEL = 'palisade.kyverno.io/generate-request';

/** The dedup key: one pending record per (policy, rule, trigger), a deletion apart. */
export function generateRequestKey(r: GenerateRequest): string {
  const p = r.policy;
  const t = r.trigger;
  const key = [p.kind, p.namespace ?? '', p.name, r.rule, t.apiVersion, t.kind, t.namespace ?? '', t.name];
  // A deletion is not the same work as a pending CREATE or UPDATE of the trigger, which it must not
  // be deduplicated into; other keys keep their names.
  if (r.operation === 'DELETE') key.push('DELETE');
  return key.join('/');
}

export function generateRequestName(r: GenerateRequest): string {
  return `palisade-gr-${createHash('sha256').update(generateRequestKey(r)).digest('hex').slice(0, 20)}`;
}

/** A stored record, or undefined when it is not one (edited by hand, another version). */
export function parseGenerateRequest(text: unknown): GenerateRequest | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const r = JSON.parse(text) as GenerateRequest;
    return typeof r.rule === 'string' &&
      typeof r.policy?.name === 'string' &&
      typeof r.trigger?.kind === 'string'
      ? r
      : undefined;
  } catch {
    return undefined;
  }
}

export function configMapRequestStore(rest: KubeRest, namespace: string): GenerateRequestStore {
  return configMapRecordStore(rest, namespace, {
    label: GENERATE_REQUEST_LABEL,
    name: generateRequestName,
    parse: parseGenerateRequest,
    onPending: 'keep',
  });
}
