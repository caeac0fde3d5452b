/**
 * @module JSON requests to the API server on any path, authenticated by the official client's
 * KubeConfig (token, client certificate, exec plugins: `applyToHTTPSOptions`). The typed client has
 * no call for discovery of arbitrary groups, server-side apply of any kind, or status subresources
 * of custom resources; this is the one small place that makes such requests. Errors carry the
 * HTTP status and the API's Status message.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export class KubeApiError extends Error {
  readonly status: number;
  /** The Status `reason` (NotFound, Conflict, AlreadyExists, Invalid, …). */
  readonly reason: string | undefined;
  constructor(status: number, message: string, reason?: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export interface KubeRest {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body: unknown): Promise<T>;
  put<T = unknown>(path: string, body: unknown): Promise<T>;
  /** Server-side apply: `fieldManager` owns the fields it sends; conflicts are forced. */
  apply<T = unknown>(path: string, body: unknown, fieldManager: string): Promise<T>;
  delete(path: string): Promise<void>;
  /** JSON merge patch (RFC 7386); optional so that test doubles need not have it. */
  mergePatch?<T = unknown>(path: string, body: unknown): Promise<T>;
}

const TIMEOUT_MS = 30_000;

export function kubeRest(config: KubeConfig): KubeRest {
  const server = config.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('the kubeconfig names no cluster');

  const send = async <T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> => {
    const options: RequestOptions = { method, headers: {} };
    await config.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = {
      ...(options.headers as Record<string, string>),
      accept: 'application/json',
      ...(payload !== undefined ? { 'content-type': contentType } : {}),
    };
    return new Promise<T>((resolve, reject) => {
      const req = httpsRequest(new URL(path, server), { ...options, headers, timeout: TIMEOUT_MS }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = text;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(parsed as T);
          const s = (parsed ?? {}) as { message?: string; reason?: string };
          reject(
            new KubeApiError(status, `${method} ${path}: ${status} ${s.message ?? text}`.trim(), s.reason),
          );
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  };

  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    apply: (path, body, fieldManager) =>
      send(
        'PATCH',
        `${path}${path.includes('?') ? '&' : '?'}fieldManager=${encodeURIComponent(fieldManager)}&force=true`,
        body,
        'application/apply-patch+yaml',
      ),
    delete: async (path) => {
      await send('DELETE', path);
    },
    mergePatch: (path, body) => send('PATCH', path, body, 'application/merge-patch+json'),
  };
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeApiError && err.status === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeApiError && err.status === 409;
