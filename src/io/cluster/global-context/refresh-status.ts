/**
 * @module After a GlobalContextEntry's API call refreshed, its `status.lastRefreshTime` is set, as
 * Kyverno's entry does (every replica writes it; the last write wins). Written with server-side
 * apply on the status subresource, so no other status field is touched.
 */
import type { GlobalContextEntry } from '../../../engine/index.js';
import type { KubeRest } from '../kube-rest.js';

const FIELD_MANAGER = 'palisade-global-context';

/** Kubernetes' `metav1.Time`: RFC 3339 in UTC, whole seconds. */
export function metaTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function refreshedStatusWriter(
  rest: KubeRest,
  warn: (message: string, fields: Record<string, unknown>) => void,
  now: () => Date = () => new Date(),
): (entry: GlobalContextEntry) => void {
  return (entry) => {
    const name = entry.metadata.name;
    const [group, version] = entry.apiVersion.split('/');
    const path = `/apis/${group}/${version}/globalcontextentries/${encodeURIComponent(name)}/status`;
    rest
      .apply(
        path,
        {
          apiVersion: entry.apiVersion,
          kind: 'GlobalContextEntry',
          metadata: { name },
          status: { lastRefreshTime: metaTime(now()) },
        },
        FIELD_MANAGER,
      )
      .catch((err: unknown) =>
        warn('cannot write the global context entry status', {
          globalContextEntry: name,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
  };
}
