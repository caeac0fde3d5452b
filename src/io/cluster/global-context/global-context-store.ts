/**
 * @module `palisade serve`'s global context (Kyverno's `pkg/controllers/globalcontext` and
 * `pkg/globalcontext/store`): the GlobalContextEntry objects are watched; each valid one runs its
 * source (a watched collection or a polled API call), replaced when its spec changes and stopped when
 * it is deleted. Policies read it through the engine's global context port: `entry` or
 * `entry.projection`. Every replica keeps its own copy, as Kyverno's do; the number of entries can
 * be bounded (`--max-global-context-entries`, 0: unbounded): an entry over the bound is not run and
 * reads of it fail with the reason.
 */
import {
  type AsyncApiCaller,
  type AsyncGlobalContextReader,
  DEFAULT_RETRY_LIMIT,
  type GlobalContextEntry,
  loadGlobalContextEntry,
  type PortResult,
  refreshIntervalMs,
  splitGlobalReference,
} from '../../../engine/index.js';
import type { ListWatchClient } from '../list-watch-client.js';
import { type Reflector, startReflector } from '../reflector.js';
import { apiCallEntry } from './api-call-entry.js';
import type { EntryData } from './entry-data.js';
import { type EntryLog, resourceEntry } from './resource-entry.js';

export const GLOBAL_CONTEXT_ENTRY_PATHS = [
  { apiVersion: 'kyverno.io/v2', path: '/apis/kyverno.io/v2/globalcontextentries' },
  { apiVersion: 'kyverno.io/v2beta1', path: '/apis/kyverno.io/v2beta1/globalcontextentries' },
  { apiVersion: 'kyverno.io/v2alpha1', path: '/apis/kyverno.io/v2alpha1/globalcontextentries' },
] as const;

export interface GlobalContextStoreOptions {
  readonly client: ListWatchClient;
  readonly caller: AsyncApiCaller;
  /** The kind a resource of `group/version` is served as (discovery), or an error message. */
  readonly kindOf: (
    group: string,
    version: string,
    resource: string,
    signal: AbortSignal,
  ) => Promise<PortResult<string>>;
  /** Called after an entry's API call refreshed (Kyverno writes `status.lastRefreshTime`). */
  readonly onRefreshed?: (entry: GlobalContextEntry) => void;
  readonly maxEntries?: number;
  readonly callTimeoutMs: number;
  readonly log: EntryLog;
}

export interface GlobalContextStore extends AsyncGlobalContextReader {
  close(): void;
}

interface Running {
  readonly spec: string;
  readonly data: EntryData | undefined;
  /** Why the entry answers nothing (invalid, over the bound, its kind unknown), when it does not. */
  error: string | undefined;
}

export function startGlobalContextStore(options: GlobalContextStoreOptions): GlobalContextStore {
  const controller = new AbortController();
  const entries = new Map<string, Running>();
  const max = options.maxEntries ?? 0;

  const start = (gce: GlobalContextEntry, spec: string): Running => {
    const name = gce.metadata.name;
    const projections = gce.spec.projections ?? [];
    const call = gce.spec.apiCall;
    if (call !== undefined) {
      const data = apiCallEntry({
        name,
        call,
        refreshMs: refreshIntervalMs(gce),
        retryLimit: call.retryLimit ?? DEFAULT_RETRY_LIMIT,
        projections,
        caller: options.caller,
        callTimeoutMs: options.callTimeoutMs,
        onRefreshed: () => options.onRefreshed?.(gce),
        onFailed: (error) =>
          options.log('warn', 'global context entry refresh failed', { globalContextEntry: name, error }),
      });
      return { spec, data, error: undefined };
    }
    const source = gce.spec.kubernetesResource;
    if (source === undefined) return { spec, data: undefined, error: 'the entry has no source' };
    const running: { spec: string; data: EntryData | undefined; error: string | undefined } = {
      spec,
      data: undefined,
      error: `global context entry ${name} is not synced yet`,
    };
    // The kind is needed to stamp listed objects (they come without one): asked of discovery first.
    void options
      .kindOf(source.group ?? '', source.version, source.resource, controller.signal)
      .then((kind) => {
        if (controller.signal.aborted || entries.get(name) !== running) return;
        if (!kind.ok) {
          running.error = `global context entry ${name}: ${kind.message}`;
          options.log('error', 'global context entry cannot run', {
            globalContextEntry: name,
            error: kind.message,
          });
          return;
        }
        running.data = resourceEntry({
          name,
          source,
          kind: kind.value,
          projections,
          client: options.client,
          log: options.log,
        });
        running.error = undefined;
      });
    return running;
  };

  const stopEntry = (r: Running | undefined): void => r?.data?.stop();

  const reconcile = (objects: readonly Record<string, unknown>[]): void => {
    const seen = new Set<string>();
    for (const object of objects) {
      const name = String((object.metadata as { name?: unknown } | undefined)?.name ?? '');
      if (name === '') continue;
      seen.add(name);
      const spec = JSON.stringify(object.spec ?? null);
      const old = entries.get(name);
      if (old?.spec === spec) continue;
      stopEntry(old);
      const loaded = loadGlobalContextEntry(object);
      if (!loaded.ok) {
        const error = loaded.issues.map((d) => d.message).join('; ');
        entries.set(name, {
          spec,
          data: undefined,
          error: `global context entry ${name} is invalid: ${error}`,
        });
        options.log('error', 'global context entry is invalid', { globalContextEntry: name, error });
        continue;
      }
      if (old === undefined && max > 0 && entries.size >= max) {
        options.log('warn', 'global context store is full', { globalContextEntry: name, maxEntries: max });
        // Not stored, so that it is tried again when the store has room (at the next change).
        continue;
      }
      entries.set(name, start(loaded.value, spec));
      options.log('info', 'global context entry started', { globalContextEntry: name });
    }
    for (const [name, r] of entries)
      if (!seen.has(name)) {
        stopEntry(r);
        entries.delete(name);
        options.log('info', 'global context entry removed', { globalContextEntry: name });
      }
  };

  const watched: Reflector = startReflector({
    resource: 'globalcontextentries.kyverno.io',
    kind: 'GlobalContextEntry',
    versions: GLOBAL_CONTEXT_ENTRY_PATHS,
    client: options.client,
    onChange: () => reconcile(watched?.items() ?? []),
    log: options.log,
  });

  return {
    async get(reference) {
      const { entry, projection } = splitGlobalReference(reference);
      const running = entries.get(entry);
      if (running === undefined)
        return { ok: false, code: 'not-found', message: `failed to fetch entry key=${entry}` };
      if (running.data === undefined)
        return {
          ok: false,
          code: 'unavailable',
          message: running.error ?? `global context entry ${entry} is not ready`,
        };
      const answer = running.data.get(projection);
      return answer.ok
        ? { ok: true, value: answer.data }
        : { ok: false, code: 'unavailable', message: answer.error };
    },
    close() {
      controller.abort();
      watched.stop();
      for (const r of entries.values()) stopEntry(r);
      entries.clear();
    },
  };
}
