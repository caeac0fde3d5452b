/**
 * @module List and watch of one resource collection, in the API server's terms: a paged list that
 * says whether the resource exists at all (404: its CRD or API version is not served), and a watch
 * from a resourceVersion that says how it ended: closed by the server (watch again from the last
 * version seen), or 410 Gone (that version is too old: list again).
 */
import type { KubeHttp } from './kube-http.js';

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, unknown> & {
  readonly metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    [field: string]: unknown;
  };
};

export type ListResult =
  | { readonly kind: 'listed'; readonly items: readonly KubeObject[]; readonly resourceVersion: string }
  | { readonly kind: 'missing' };

export type WatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: KubeObject }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

export type WatchEnd = 'closed' | 'gone';

export interface ListWatchClient {
  list(path: string, signal: AbortSignal): Promise<ListResult>;
  /** Calls `onEvent` for each change after `resourceVersion`, until the watch ends. */
  watch(
    path: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd>;
}

const PAGE = 500;
/** The server ends a watch after about this long; it is then resumed from the last version. */
const WATCH_SECONDS = 290;

function statusMessage(body: unknown): string {
  const b = body as { message?: unknown } | undefined;
  return typeof b?.message === 'string' ? b.message : typeof body === 'string' ? body.slice(0, 200) : '';
}

function failure(what: string, status: number, body: unknown): Error {
  const m = statusMessage(body);
  return new Error(`${what}: HTTP ${status}${m !== '' ? `: ${m}` : ''}`);
}

export interface ListWatchOptions {
  /** Items per list page (default 500). */
  readonly pageSize?: number;
  /** How long the server keeps a watch open before closing it (default 290 s). */
  readonly watchSeconds?: number;
}

export function listWatchClient(http: KubeHttp, options: ListWatchOptions = {}): ListWatchClient {
  const pageSize = options.pageSize ?? PAGE;
  const watchSeconds = options.watchSeconds ?? WATCH_SECONDS;
  return {
    async list(path, signal) {
      const items: KubeObject[] = [];
      let cont = '';
      for (;;) {
        const query = new URLSearchParams({ limit: String(pageSize) });
        if (cont !== '') query.set('continue', cont);
        const answer = await http.getJson(`${path}?${query}`, signal);
        if (answer.status === 404) return { kind: 'missing' };
        // 410 on a continue token: the snapshot expired mid-way; start the list again.
        if (answer.status === 410 && cont !== '') {
          items.length = 0;
          cont = '';
          continue;
        }
        if (answer.status !== 200) throw failure(`list ${path}`, answer.status, answer.body);
        const body = answer.body as {
          items?: KubeObject[];
          metadata?: { resourceVersion?: string; continue?: string };
        };
        items.push(...(body.items ?? []));
        cont = body.metadata?.continue ?? '';
        if (cont === '')
          return { kind: 'listed', items, resourceVersion: body.metadata?.resourceVersion ?? '' };
      }
    },
    async watch(path, resourceVersion, onEvent, signal) {
      const query = new URLSearchParams({
        watch: 'true',
        allowWatchBookmarks: 'true',
        resourceVersion,
        timeoutSeconds: String(watchSeconds),
      });
      let gone = false;
      let error: Error | undefined;
      const answer = await http.stream(
        `${path}?${query}`,
        (line) => {
          const e = line as { type?: string; object?: KubeObject & { code?: number } };
          if (e.type === 'ERROR') {
            // A Status object: 410 means the version is too old; anything else ends the watch too.
            if (e.object?.code === 410) gone = true;
            else error = failure(`watch ${path}`, Number(e.object?.code ?? 0), e.object);
            return;
          }
          if (e.object === undefined) return;
          if (e.type === 'BOOKMARK')
            onEvent({
              type: 'BOOKMARK',
              resourceVersion: e.object.metadata?.resourceVersion ?? resourceVersion,
            });
          else if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED')
            onEvent({ type: e.type, object: e.object });
        },
        { signal, idleMs: (watchSeconds + 30) * 1000 },
      );
      if (answer.status === 410) return 'gone';
      if (answer.status !== 200) throw failure(`watch ${path}`, answer.status, answer.body);
      if (error !== undefined && !gone) throw error;
      return gone ? 'gone' : 'closed';
    },
  };
}
