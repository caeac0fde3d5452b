/**
 * @module A local copy of one resource collection, kept current by list-then-watch (client-go's
 * reflector): list, then watch from the list's resourceVersion; a watch the server closes is resumed
 * from the last version seen, a 410 Gone lists again, any other failure lists again after a backoff
 * (doubling up to a ceiling, reset by a good list). A collection that is not served (its CRD not
 * installed, or none of its API versions) is empty and `missing`, said once, and asked again later.
 */

import { abortableSleep } from '../abortable-sleep.js';
import type { KubeObject, ListWatchClient, WatchEvent } from './list-watch-client.js';

export type ReflectorState = 'pending' | 'synced' | 'missing';

export interface CollectionVersion {
  readonly apiVersion: string;
  /** e.g. /apis/kyverno.io/v1/clusterpolicies (every namespace). */
  readonly path: string;
}

export type ReflectorLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Record<string, unknown>,
) => void;

export interface ReflectorOptions {
  /** For messages, e.g. `clusterpolicies.kyverno.io`. */
  readonly resource: string;
  readonly kind: string;
  /** API versions in order of preference: the first one served is used. */
  readonly versions: readonly CollectionVersion[];
  readonly client: ListWatchClient;
  /** Called after every change of the copy (and when it first becomes synced or missing). */
  readonly onChange: () => void;
  readonly log: ReflectorLog;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Waits `ms` unless `signal` aborts first (tests pass a fake). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Reflector {
  readonly state: ReflectorState;
  /** The objects as last seen, each with apiVersion and kind set. */
  items(): KubeObject[];
  /** One object by name (and namespace, for a namespaced kind). */
  get(name: string, namespace?: string): KubeObject | undefined;
  stop(): void;
}

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 };

function keyOf(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function startReflector(options: ReflectorOptions): Reflector {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? abortableSleep;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const items = new Map<string, KubeObject>();
  let state: ReflectorState = 'pending';
  let delay = backoff.initialMs;

  const stamp = (o: KubeObject, apiVersion: string): KubeObject =>
    o.apiVersion === undefined || o.kind === undefined ? { ...o, apiVersion, kind: options.kind } : o;

  const wait = async (): Promise<void> => {
    await sleep(delay, signal);
    delay = Math.min(delay * 2, backoff.maxMs);
  };

  /** Lists the first served version; undefined when none is. */
  const list = async () => {
    for (const v of options.versions) {
      const r = await options.client.list(v.path, signal);
      if (r.kind === 'listed') return { version: v, ...r };
    }
    return undefined;
  };

  const run = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const listed = await list();
        if (signal.aborted) return;
        if (listed === undefined) {
          if (state !== 'missing') {
            options.log('warn', 'resource not served (CRD not installed?); will look again', {
              resource: options.resource,
              versions: options.versions.map((v) => v.apiVersion),
            });
            items.clear();
            state = 'missing';
            options.onChange();
          }
          await wait();
          continue;
        }
        const wasMissing = state === 'missing';
        items.clear();
        for (const o of listed.items) items.set(keyOf(o), stamp(o, listed.version.apiVersion));
        state = 'synced';
        delay = backoff.initialMs;
        if (wasMissing)
          options.log('info', 'resource now served', {
            resource: options.resource,
            apiVersion: listed.version.apiVersion,
          });
        options.onChange();
        let resourceVersion = listed.resourceVersion;
        const apply = (e: WatchEvent): void => {
          if (e.type === 'BOOKMARK') {
            resourceVersion = e.resourceVersion;
            return;
          }
          const o = stamp(e.object, listed.version.apiVersion);
          resourceVersion = o.metadata?.resourceVersion ?? resourceVersion;
          if (e.type === 'DELETED') items.delete(keyOf(o));
          else items.set(keyOf(o), o);
          options.onChange();
        };
        // Watch until the version is too old (then list again); a closed watch resumes where it was.
        while (!signal.aborted) {
          const end = await options.client.watch(listed.version.path, resourceVersion, apply, signal);
          if (end === 'gone') break;
          // A server that closes watches at once must not be asked again in a tight loop.
          await sleep(backoff.initialMs, signal);
        }
      } catch (err) {
        if (signal.aborted) return;
        options.log('error', 'list/watch failed; retrying', {
          resource: options.resource,
          error: message(err),
          retryInMs: delay,
        });
        await wait();
      }
    }
  };
  void run();

  return {
    get state() {
      return state;
    },
    items: () => [...items.values()],
    get: (name, namespace = '') => items.get(`${namespace}/${name}`),
    stop: () => controller.abort(),
  };
}
