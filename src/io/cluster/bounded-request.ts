/**
 * @module One HTTP(S) request whose answer is read whole but bounded: at most `maxBytes` of body
 * (past that the connection is dropped), at most `timeoutMs` without an answer, and stopped at once
 * when `signal` aborts. Used for the calls policies make while a request is evaluated, where an
 * endless or huge answer must not hold the webhook nor fill its memory.
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

export interface BoundedRequestOptions {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** TLS and agent options (CA, client certificate, …) applied as given. */
  readonly tls?: RequestOptions;
}

export interface BoundedResponse {
  readonly status: number;
  readonly text: string;
}

/** The answer was longer than the caller accepts. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

/** No answer within the call's own time limit (the evaluation's deadline comes through `signal`). */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
}

export function boundedRequest(options: BoundedRequestOptions): Promise<BoundedResponse> {
  const { url, signal, maxBytes } = options;
  if (signal.aborted) return Promise.reject(signal.reason);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...((options.tls?.headers as Record<string, string> | undefined) ?? {}),
    ...(options.headers ?? {}),
    ...(options.body !== undefined
      ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) }
      : {}),
  };
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined;
    const onAbort = (): void => {
      req?.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal.removeEventListener('abort', onAbort);
    const fail = (err: unknown): void => {
      done();
      reject(err);
    };
    const onResponse = (res: IncomingMessage): void => {
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      if (declared > maxBytes) {
        res.destroy();
        fail(
          new ResponseTooLargeError(`response of ${declared} bytes exceeds the limit of ${maxBytes} bytes`),
        );
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy(new ResponseTooLargeError(`response exceeds the limit of ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    };
    try {
      req = send(url, { ...options.tls, method: options.method, headers }, onResponse);
    } catch (err) {
      fail(err);
      return;
    }
    req.setTimeout(options.timeoutMs, () =>
      req?.destroy(new CallTimeoutError(`no answer within ${options.timeoutMs} ms`)),
    );
    req.on('error', fail);
    req.end(options.body);
  });
}
