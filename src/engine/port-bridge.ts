/**
 * @module Runs a synchronous evaluation against asynchronous ports by replay. The evaluation sees
 * synchronous `Ports` that answer from a per-request memo; a call the memo cannot answer yet is started
 * (with the request's signal), recorded as a miss and answered with a placeholder. When a round ends with
 * misses, their answers are awaited and the evaluation runs again from the start; a round without misses
 * is the result. The engine is pure, so a discarded round has no effect, and since every port answer is
 * memoised per request, the verdict cannot depend on timing or on other requests in flight.
 *
 * Why replay rather than `async` all the way down: CEL programs and the rule walkers are synchronous and
 * hot; making every step a promise would slow the common case (no port at all) for the rare one.
 */
import type { AsyncPorts, PortErrorCode, PortResult } from './async-ports.js';
import type { ImageVerificationAnswer } from './image-verify/types.js';
import type { KubeObject } from './model/kube-object.js';
import type { AuthorizationDecision, Ports } from './ports.js';

/** Rounds of dependent calls (an answer naming the next call) before the rest is refused. */
export const DEFAULT_MAX_PORT_ROUNDS = 8;

export interface ReplayOptions {
  readonly signal?: AbortSignal;
  readonly maxRounds?: number;
}

/** Thrown by a synchronous port whose call failed and whose shape has no error value (cluster reads). */
export class PortCallError extends Error {
  override readonly name = 'PortCallError';
  readonly code: PortErrorCode;
  constructor(code: PortErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

type Settled = { readonly done: true; readonly value: unknown } | { readonly done: false };

interface Entry {
  settled: Settled;
  /** Resolves once `settled` is done (by an answer, a failure or an abort). */
  promise: Promise<void>;
}

/** How a call ended when the signal stopped it: the code and a message that names the deadline. */
function abortResult(signal: AbortSignal, what: string): { code: PortErrorCode; message: string } {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  const why = reason instanceof Error ? reason.message : String(reason ?? 'aborted');
  return timedOut
    ? { code: 'timeout', message: `${what}: timed out (evaluation deadline exceeded: ${why})` }
    : { code: 'cancelled', message: `${what}: cancelled (${why})` };
}

class PortMemo {
  private readonly entries = new Map<string, Entry>();
  private missesThisRound = 0;
  private refusal: string | undefined;
  private readonly signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.signal = signal;
  }

  beginRound(): void {
    this.missesThisRound = 0;
  }

  get misses(): number {
    return this.missesThisRound;
  }

  /** After the last allowed round: calls not yet made answer this error instead of being started. */
  refuseNewCalls(message: string): void {
    this.refusal = message;
  }

  /**
   * The settled answer of `key` (`start` makes the call), or `pending` while it runs. `failed` turns a
   * rejection or an abort into the answer value of the port's own shape.
   */
  answer<T>(
    key: string,
    what: string,
    start: (signal: AbortSignal) => Promise<T>,
    failed: (code: PortErrorCode, message: string) => T,
    pending: T,
  ): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      if (hit.settled.done) return hit.settled.value as T;
      this.missesThisRound++;
      return pending;
    }
    if (this.refusal !== undefined) return failed('failed', `${what}: ${this.refusal}`);
    if (this.signal.aborted) {
      const r = abortResult(this.signal, what);
      return failed(r.code, r.message);
    }
    const entry: Entry = { settled: { done: false }, promise: Promise.resolve() };
    this.entries.set(key, entry);
    const finish = (value: unknown): void => {
      if (!entry.settled.done) entry.settled = { done: true, value };
    };
    const run = (async () => {
      try {
        finish(await start(this.signal));
      } catch (err) {
        finish(failed('failed', `${what}: ${err instanceof Error ? err.message : String(err)}`));
      }
    })();
    // An aborted signal settles the call at once, whether or not the port honours the signal.
    entry.promise = new Promise<void>((resolve) => {
      const onAbort = (): void => {
        const r = abortResult(this.signal, what);
        finish(failed(r.code, r.message));
        resolve();
      };
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
      void run.then(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
    this.missesThisRound++;
    return pending;
  }

  /** Records `value` as the settled answer of `key` (an answer known without a call). */
  keep<T>(key: string, value: T): void {
    this.entries.set(key, { settled: { done: true, value }, promise: Promise.resolve() });
  }

  /** Whether `key` was asked before (an answer once started is kept for the whole request). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Waits until every call started so far has an answer (an abort answers them all). */
  async settle(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.promise));
  }
}

function keyOf(port: string, method: string, args: readonly unknown[]): string {
  return `${port}.${method}\u0000${JSON.stringify(args)}`;
}

function unwrap<T>(r: PortResult<T>): T {
  if (r.ok) return r.value;
  throw new PortCallError(r.code, r.message);
}

/** Synchronous `Ports` answered from `memo`, calling `ports` on a miss. */
function syncView(ports: AsyncPorts, memo: PortMemo): Ports {
  const view: {
    -readonly [K in keyof Ports]: Ports[K];
  } = {};
  if (ports.clock !== undefined) view.clock = ports.clock;
  if (ports.admissionParams !== undefined) view.admissionParams = ports.admissionParams;
  const { cluster, apiCaller, globalContext, imageData, authorizer } = ports;
  if (cluster !== undefined) {
    // Cluster reads have no error value in their synchronous shape: a failure throws PortCallError.
    type Read<T> = { readonly result?: PortResult<T> };
    view.cluster = {
      get(apiVersion, kind, namespace, name) {
        const key = keyOf('cluster', 'get', [apiVersion, kind, namespace ?? null, name]);
        // A local copy answers at once and is kept, so later rounds see the same object.
        const held = memo.has(key) ? undefined : cluster.peek?.(apiVersion, kind, namespace, name);
        if (held !== undefined)
          memo.keep<Read<KubeObject | undefined>>(key, { result: { ok: true, value: held } });
        const what = `get ${apiVersion} ${kind} ${namespace ?? ''}/${name}`;
        const r = memo.answer<Read<KubeObject | undefined>>(
          key,
          what,
          async (signal) => ({ result: await cluster.get(apiVersion, kind, namespace, name, { signal }) }),
          (code, message) => ({ result: { ok: false, code, message } }),
          {},
        );
        return r.result === undefined ? undefined : unwrap(r.result);
      },
      list(apiVersion, kind, namespace) {
        const what = `list ${apiVersion} ${kind}${namespace !== undefined ? ` in ${namespace}` : ''}`;
        const r = memo.answer<Read<readonly KubeObject[]>>(
          keyOf('cluster', 'list', [apiVersion, kind, namespace ?? null]),
          what,
          async (signal) => ({ result: await cluster.list(apiVersion, kind, namespace, { signal }) }),
          (code, message) => ({ result: { ok: false, code, message } }),
          {},
        );
        return r.result === undefined ? [] : unwrap(r.result);
      },
    };
  }
  if (apiCaller !== undefined) {
    view.apiCaller = {
      call(request) {
        const what = `API call ${request.method} ${request.url ?? request.urlPath ?? ''}`;
        return memo.answer(
          keyOf('apiCaller', 'call', [request]),
          what,
          async (signal) => {
            const r = await apiCaller.call(request, { signal });
            if (!r.ok) return { ok: false as const, error: r.message };
            return r.value === undefined ? undefined : { ok: true as const, body: r.value };
          },
          (_code, message) => ({ ok: false as const, error: message }),
          { ok: false as const, error: `${what}: pending` },
        );
      },
    };
  }
  if (globalContext !== undefined) {
    view.globalContext = {
      get(name) {
        const what = `global context entry ${name}`;
        return memo.answer(
          keyOf('globalContext', 'get', [name]),
          what,
          async (signal) => dataAnswer(await globalContext.get(name, { signal })),
          (_code, message) => ({ ok: false as const, error: message }),
          { ok: false as const, error: `${what}: pending` },
        );
      },
    };
  }
  if (imageData !== undefined) {
    const verification = imageData.verification?.bind(imageData);
    view.imageData = {
      get(reference) {
        const what = `image data of ${reference}`;
        return memo.answer(
          keyOf('imageData', 'get', [reference]),
          what,
          async (signal) => dataAnswer(await imageData.get(reference, { signal })),
          (_code, message) => ({ ok: false as const, error: message }),
          { ok: false as const, error: `${what}: pending` },
        );
      },
      ...(verification !== undefined
        ? {
            verification(reference: string): ImageVerificationAnswer {
              const what = `signatures of ${reference}`;
              return memo.answer<ImageVerificationAnswer>(
                keyOf('imageData', 'verification', [reference]),
                what,
                (signal) => verification(reference, { signal }),
                (_code, message) => ({ ok: false, error: message }),
                { ok: false, error: `${what}: pending` },
              );
            },
          }
        : {}),
    };
  }
  if (authorizer !== undefined) {
    view.authorizer = {
      authorize(attributes) {
        const what = `authorization check for ${attributes.user}`;
        return memo.answer<AuthorizationDecision>(
          keyOf('authorizer', 'authorize', [attributes]),
          what,
          (signal) => authorizer.authorize(attributes, { signal }),
          (_code, message) => ({ decision: 'noOpinion', reason: '', error: message }),
          { decision: 'noOpinion', reason: '', error: `${what}: pending` },
        );
      },
    };
  }
  return view;
}

function dataAnswer(
  r: PortResult<unknown>,
): { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly error: string } {
  return r.ok ? { ok: true, data: r.value } : { ok: false, error: r.message };
}

const NEVER = new AbortController().signal;

/**
 * Runs `evaluate` (synchronous, pure) with ports answered from `ports`, replaying it until a round
 * needs no port answer it has not had. Resolves with the last round's result. A port failure or an
 * abort does not reject: it reaches `evaluate` as the port's error answer (a rule `error` naming the
 * cause), or as a thrown PortCallError for cluster reads; only an exception `evaluate` lets escape rejects.
 */
export async function evaluateWithAsyncPorts<T>(
  ports: AsyncPorts,
  evaluate: (ports: Ports) => T,
  options: ReplayOptions = {},
): Promise<T> {
  const memo = new PortMemo(options.signal ?? NEVER);
  const view = syncView(ports, memo);
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_PORT_ROUNDS;
  for (let round = 1; ; round++) {
    memo.beginRound();
    const result = evaluate(view);
    if (memo.misses === 0) return result;
    await memo.settle();
    if (round === maxRounds)
      memo.refuseNewCalls(`more than ${maxRounds} rounds of dependent external calls in one request`);
  }
}
