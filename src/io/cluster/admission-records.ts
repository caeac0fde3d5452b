/**
 * @module Admission results waiting for the reports controller (docs/decisions/0016), as ConfigMaps
 * in Palisade's namespace: the replica that admits a resource records the results of the policies a
 * background scan does not evaluate (background off); the leader merges them into the resource's
 * report and deletes the record. One record per resource, named by a hash of its identity and
 * overwritten by the next admission of it, so their number is bounded by the number of resources,
 * never by the number of requests.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../engine/index.js';
import type { ResourceReportResult } from '../report/resource-report.js';
import { isConflict, isNotFound, type KubeRest } from './kube-rest.js';

export interface AdmittedResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface AdmissionRecord {
  readonly resource: AdmittedResource;
  readonly results: readonly ResourceReportResult[];
}

export interface AdmissionRecordStore {
  /** Records the latest admission results of a resource (replacing earlier ones). */
  put(record: AdmissionRecord): Promise<void>;
  /** The waiting records, with when each was written (ms since the epoch). */
  list(): Promise<{ readonly name: string; readonly record: AdmissionRecord; readonly createdAt: number }[]>;
  remove(name: string): Promise<void>;
}

export const ADMISSION_RECORD_LABEL = 'palisade.kyverno.io/admission-results';

export function admissionRecordName(r: AdmittedResource): string {
  const key = [r.apiVersion, r.kind, r.namespace ?? '', r.name].join('/');
  return `palisade-ar-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

function parse(object: KubeObject): AdmissionRecord | undefined {
  const text = (object.data as Record<string, unknown> | undefined)?.record;
  if (typeof text !== 'string') return undefined;
  try {
    const r = JSON.parse(text) as AdmissionRecord;
    return typeof r.resource?.kind === 'string' && Array.isArray(r.results) ? r : undefined;
  } catch {
    return undefined;
  }
}

export function configMapAdmissionRecords(rest: KubeRest, namespace: string): AdmissionRecordStore {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  return {
    async put(record) {
      const name = admissionRecordName(record.resource);
      const body = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, labels: { [ADMISSION_RECORD_LABEL]: 'true' } },
        data: { record: JSON.stringify(record) },
      };
      try {
        await rest.post(base, body);
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      // A record of this resource waits: the newer admission replaces it.
      const stored = await rest.get<KubeObject>(`${base}/${name}`);
      await rest.put(`${base}/${name}`, {
        ...body,
        metadata: { ...body.metadata, resourceVersion: stored.metadata?.resourceVersion },
      });
    },
    async list() {
      const out = await rest.get<{ items?: KubeObject[] }>(
        `${base}?labelSelector=${encodeURIComponent(`${ADMISSION_RECORD_LABEL}=true`)}`,
      );
      return (out.items ?? []).flatMap((o) => {
        const record = parse(o);
        const name = o.metadata?.name;
        const createdAt = Date.parse(String(o.metadata?.creationTimestamp ?? '')) || 0;
        return record !== undefined && typeof name === 'string' ? [{ name, record, createdAt }] : [];
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
