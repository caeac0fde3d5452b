/**
 * @module The policy reports in the cluster (wgpolicyk8s.io PolicyReport/ClusterPolicyReport or
 * openreports.io Report/ClusterReport): read one, create, replace, delete, and page through the ones
 * Kyverno's label marks as managed (for removing reports no resource needs any more). Paths are
 * fixed by the report API, no discovery needed; a missing CRD reads as a 404 KubeApiError.
 */
import type { KubeObject } from '../../engine/index.js';
import { MANAGED_BY_KYVERNO, type ReportApi } from '../report/resource-report.js';
import { isNotFound, KubeApiError, type KubeRest } from './kube-rest.js';

const PATHS: Readonly<Record<ReportApi, { base: string; namespaced: string; cluster: string }>> = {
  wgpolicyk8s: {
    base: '/apis/wgpolicyk8s.io/v1alpha2',
    namespaced: 'policyreports',
    cluster: 'clusterpolicyreports',
  },
  openreports: { base: '/apis/openreports.io/v1alpha1', namespaced: 'reports', cluster: 'clusterreports' },
};

export interface StoredReport extends KubeObject {
  readonly results?: readonly unknown[];
}

export interface ReportStore {
  readonly api: ReportApi;
  /** Whether the API server serves the report kinds (their CRDs are installed). */
  served(): Promise<boolean>;
  get(namespace: string | undefined, name: string): Promise<StoredReport | undefined>;
  create(report: KubeObject): Promise<void>;
  /** Replaces the stored report; `report.metadata.resourceVersion` guards it (409 on a race). */
  replace(report: KubeObject): Promise<void>;
  /** Resolves also when it is already gone. */
  delete(namespace: string | undefined, name: string): Promise<void>;
  /** Managed reports of one scope, a page at a time (names and namespaces only are needed). */
  pages(scope: 'namespaced' | 'cluster', limit?: number): AsyncGenerator<readonly StoredReport[]>;
}

const enc = encodeURIComponent;

export function reportStore(rest: KubeRest, api: ReportApi): ReportStore {
  const p = PATHS[api];
  const path = (namespace: string | undefined, name?: string): string => {
    const collection =
      namespace !== undefined && namespace !== ''
        ? `${p.base}/namespaces/${enc(namespace)}/${p.namespaced}`
        : `${p.base}/${p.cluster}`;
    return name === undefined ? collection : `${collection}/${enc(name)}`;
  };
  const nsOf = (o: KubeObject): string | undefined => {
    const ns = o.metadata?.namespace;
    return typeof ns === 'string' && ns !== '' ? ns : undefined;
  };
  const selector = Object.entries(MANAGED_BY_KYVERNO)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    api,
    async served() {
      try {
        await rest.get(`${p.base}/${p.cluster}?limit=1`);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async get(namespace, name) {
      try {
        return await rest.get<StoredReport>(path(namespace, name));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async create(report) {
      await rest.post(path(nsOf(report)), report);
    },
    async replace(report) {
      await rest.put(path(nsOf(report), String(report.metadata?.name)), report);
    },
    async delete(namespace, name) {
      try {
        await rest.delete(path(namespace, name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async *pages(scope, limit = 500) {
      const collection = scope === 'cluster' ? `${p.base}/${p.cluster}` : `${p.base}/${p.namespaced}`;
      let next: string | undefined;
      do {
        const query = `?labelSelector=${enc(selector)}&limit=${limit}${next !== undefined ? `&continue=${enc(next)}` : ''}`;
        let page: { items?: StoredReport[]; metadata?: { continue?: string } };
        try {
          page = await rest.get(`${collection}${query}`);
        } catch (err) {
          if (isNotFound(err)) return;
          throw err;
        }
        yield page.items ?? [];
        next = page.metadata?.continue || undefined;
      } while (next !== undefined);
    },
  };
}

/**
 * Every object of one collection path (e.g. /api/v1/pods), a page at a time: only one page of full
 * bodies is held at once, whatever the size of the collection. A continue token that expired (410:
 * the list outlived etcd's compaction, as a slow scan of a large collection does) starts the list
 * again from the first page, up to `restarts` times; the caller skips what it has already seen.
 */
export async function* pagedList(
  rest: KubeRest,
  collectionPath: string,
  limit = 500,
  restarts = 3,
): AsyncGenerator<readonly KubeObject[]> {
  let next: string | undefined;
  let left = restarts;
  for (;;) {
    const query = `?limit=${limit}${next !== undefined ? `&continue=${enc(next)}` : ''}`;
    let page: { items?: KubeObject[]; metadata?: { continue?: string } };
    try {
      page = await rest.get(`${collectionPath}${query}`);
    } catch (err) {
      if (next === undefined || !(err instanceof KubeApiError) || err.status !== 410 || left-- <= 0)
        throw err;
      next = undefined;
      continue;
    }
    yield page.items ?? [];
    next = page.metadata?.continue || undefined;
    if (next === undefined) return;
  }
}
