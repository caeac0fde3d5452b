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
import { isConflict, isNotFound, type KubeRest } from './kube-rest.js';

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

export interface StoredGenerateRequest {
  readonly name: string;
  readonly request: GenerateRequest;
}

export interface GenerateRequestStore {
  /** Records `request` (an identical pending record is kept as it is). */
  put(request: GenerateRequest): Promise<void>;
  list(): Promise<StoredGenerateRequest[]>;
  remove(name: string): Promise<void>;
}

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

function parse(object: KubeObject): GenerateRequest | undefined {
  const data = object.data as Record<string, unknown> | undefined;
  const text = data?.request;
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
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  return {
    async put(request) {
      const body = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: generateRequestName(request),
          namespace,
          labels: { [GENERATE_REQUEST_LABEL]: 'true' },
        },
        data: { request: JSON.stringify(request) },
      };
      try {
        await rest.post(base, body);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    },
    async list() {
      const out = await rest.get<{ items?: KubeObject[] }>(
        `${base}?labelSelector=${encodeURIComponent(`${GENERATE_REQUEST_LABEL}=true`)}`,
      );
      return (out.items ?? []).flatMap((o) => {
        const request = parse(o);
        const name = o.metadata?.name;
        return request !== undefined && typeof name === 'string' ? [{ name, request }] : [];
      });
    },
    async remove(name) {
      try {
        await rest.delete(`${base}/${encodeURIComponent(name)}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };
}
