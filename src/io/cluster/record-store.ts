/**
 * @module Work records kept as labelled ConfigMaps in Palisade's namespace (the generate and
 * mutate-existing requests, Kyverno's UpdateRequests): one ConfigMap per pending record, named from
 * the record's dedup key so replicas admitting the same change write it once, its JSON under
 * `data.request`. A record outlives the replica that wrote it and a change of leader.
 */
import type { KubeObject } from '../../engine/index.js';
import { isConflict, isNotFound, type KubeRest } from './kube-rest.js';

export interface StoredRecord<T> {
  readonly name: string;
  readonly request: T;
}

export interface RecordStore<T> {
  put(request: T): Promise<void>;
  list(): Promise<StoredRecord<T>[]>;
  remove(name: string): Promise<void>;
}

export interface RecordKind<T> {
  /** The label every record of this kind carries (`<label>=true`), and lists select by. */
  readonly label: string;
  /** The ConfigMap's name for a record: the same for records that replace each other. */
  readonly name: (request: T) => string;
  /** The record in `data.request`, or undefined when it is not one (edited by hand, another version). */
  readonly parse: (text: unknown) => T | undefined;
  /** What a put does when a record of that name is pending: keep the older or replace it. */
  readonly onPending: 'keep' | 'replace';
}

export function configMapRecordStore<T>(
  rest: KubeRest,
  namespace: string,
  kind: RecordKind<T>,
): RecordStore<T> {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  return {
    async put(request) {
      const name = kind.name(request);
      const body = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, labels: { [kind.label]: 'true' } },
        data: { request: JSON.stringify(request) },
      };
      try {
        await rest.post(base, body);
      } catch (err) {
        if (!isConflict(err)) throw err;
        // An unconditional replace: the newest admission wins.
        if (kind.onPending === 'replace') await rest.put(`${base}/${encodeURIComponent(name)}`, body);
      }
    },
    async list() {
      const out = await rest.get<{ items?: KubeObject[] }>(
        `${base}?labelSelector=${encodeURIComponent(`${kind.label}=true`)}`,
      );
      return (out.items ?? []).flatMap((o) => {
        const request = kind.parse((o.data as Record<string, unknown> | undefined)?.request);
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
