/**
 * @module A GlobalContextEntry's `apiCall`: called at once and then every `refreshInterval`, each
 * refresh tried `retryLimit` times with a growing pause (Kyverno's `externalapi` entry). The last
 * good answer and its projections are kept; a refresh that fails makes reads fail until one
 * succeeds, as Kyverno's does. After each good refresh `onRefreshed` runs (the status writer).
 */
import type { ApiCallRequest, AsyncApiCaller, GlobalContextEntry } from '../../../engine/index.js';
import { abortableSleep } from '../../abortable-sleep.js';
import type { EntryAnswer, EntryData, Projection } from './entry-data.js';
import { Projector } from './entry-data.js';

/** What an entry's `apiCall` says (the engine's loaded GlobalContextEntry). */
export type ApiCallSource = NonNullable<GlobalContextEntry['spec']['apiCall']>;

/** client-go's DefaultBackoff: 10 ms, ×5 per attempt. */
const FIRST_PAUSE_MS = 10;
const PAUSE_FACTOR = 5;

export function apiCallRequest(call: ApiCallSource): ApiCallRequest {
  const method = call.method ?? 'GET';
  const body =
    call.data !== undefined ? Object.fromEntries(call.data.map((d) => [d.key, d.value])) : undefined;
  const headers =
    call.service?.headers !== undefined
      ? Object.fromEntries(call.service.headers.map((h) => [h.key, h.value]))
      : undefined;
  return {
    method,
    ...(call.urlPath !== undefined && call.urlPath !== '' ? { urlPath: call.urlPath } : {}),
    ...(call.service !== undefined ? { url: call.service.url } : {}),
    ...(call.service?.caBundle !== undefined && call.service.caBundle !== ''
      ? { caBundle: call.service.caBundle }
      : {}),
    ...(headers !== undefined ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}

export function apiCallEntry(options: {
  readonly name: string;
  readonly call: ApiCallSource;
  readonly refreshMs: number;
  readonly retryLimit: number;
  readonly projections: readonly Projection[];
  readonly caller: AsyncApiCaller;
  /** Bounds each call (Kyverno's `--apiCallTimeout`). */
  readonly callTimeoutMs: number;
  readonly onRefreshed?: () => void;
  readonly onFailed?: (error: string) => void;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}): EntryData {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? abortableSleep;
  const projector = new Projector(options.projections);
  const request = apiCallRequest(options.call);
  let state: EntryAnswer = { ok: false, error: 'no data available' };

  const callOnce = async (): Promise<EntryAnswer> => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.callTimeoutMs)]);
    const r = await options.caller.call(request, { signal: deadline });
    if (!r.ok) return { ok: false, error: r.message };
    return r.value === undefined || r.value === null
      ? { ok: false, error: 'no data available' }
      : { ok: true, data: r.value };
  };

  const refresh = async (): Promise<void> => {
    let pause = FIRST_PAUSE_MS;
    let last: EntryAnswer = { ok: false, error: 'no data available' };
    for (let attempt = 1; attempt <= Math.max(1, options.retryLimit); attempt++) {
      last = await callOnce();
      if (last.ok || signal.aborted) break;
      if (attempt < options.retryLimit) {
        await sleep(pause, signal);
        pause *= PAUSE_FACTOR;
      }
    }
    if (signal.aborted) return;
    state = last;
    projector.invalidate();
    if (last.ok) options.onRefreshed?.();
    else options.onFailed?.(last.error);
  };

  void (async () => {
    while (!signal.aborted) {
      try {
        await refresh();
      } catch (err) {
        state = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      await sleep(options.refreshMs, signal).catch(() => undefined);
    }
  })();

  return {
    get(projection): EntryAnswer {
      if (!state.ok) return state;
      const data = state.data;
      if (projection === '') return state;
      const projected = projector.project(projection, () => data);
      // Kyverno keeps projections in a map: a missing or null one is "no data available".
      return projected === undefined ||
        (projected.ok && (projected.data === null || projected.data === undefined))
        ? { ok: false, error: 'no data available' }
        : projected;
    },
    stop: () => controller.abort(),
  };
}
