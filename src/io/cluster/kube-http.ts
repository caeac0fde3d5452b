/**
 * @module GET requests to the API server with a KubeConfig's credentials (the official client
 * applies them: token, client certificate, CA, exec plugins), over `node:https`: one JSON answer, or
 * a watch stream read line by line. The credentials are applied per request, so a rotated
 * service-account token is picked up.
 */
import type { IncomingMessage } from 'node:http';
import { type RequestOptions, request } from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from './kube-client.js';

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface KubeHttp {
  /** One GET; the body parsed as JSON (the text if it is not JSON). */
  getJson(path: string, signal?: AbortSignal): Promise<JsonAnswer>;
  /**
   * A watch: each line of a 200 answer goes to `onLine` parsed; resolves when the server ends the
   * stream (status 200) or with the error answer, rejects on a broken connection or after `idleMs`
   * without a byte.
   */
  stream(
    path: string,
    onLine: (value: unknown) => void,
    options: { readonly signal: AbortSignal; readonly idleMs: number },
  ): Promise<JsonAnswer>;
}

async function open(
  config: KubeConfig,
  path: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<IncomingMessage> {
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig names no current cluster');
  const url = new URL(path, cluster.server);
  const options: RequestOptions = { headers: { accept: 'application/json' } };
  await config.applyToHTTPSOptions(options);
  return new Promise((done, fail) => {
    const req = request(
      url,
      { ...options, method: 'GET', timeout: timeoutMs, ...(signal ? { signal } : {}) },
      done,
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no answer within ${timeoutMs} ms`)));
    req.on('error', fail);
    req.end();
  });
}

function readAll(res: IncomingMessage): Promise<unknown> {
  return new Promise((done, fail) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      text += d;
    });
    res.on('end', () => {
      try {
        done(JSON.parse(text));
      } catch {
        done(text);
      }
    });
    res.on('error', fail);
  });
}

export function kubeHttp(config: KubeConfig, requestTimeoutMs = 30_000): KubeHttp {
  return {
    async getJson(path, signal) {
      const res = await open(config, path, signal, requestTimeoutMs);
      return { status: res.statusCode ?? 0, body: await readAll(res) };
    },
    async stream(path, onLine, { signal, idleMs }) {
      const res = await open(config, path, signal, idleMs);
      const status = res.statusCode ?? 0;
      if (status !== 200) return { status, body: await readAll(res) };
      return new Promise((done, fail) => {
        const lines = createInterface({ input: res, crlfDelay: Number.POSITIVE_INFINITY });
        lines.on('line', (line) => {
          if (line.trim() === '') return;
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch {
            return; // a line that is not JSON carries no event; the next one may
          }
          onLine(value);
        });
        res.on('error', fail);
        // readline re-emits its input's errors (a reset or aborted connection): without a listener
        // that would be an uncaught exception, ending the whole server.
        lines.on('error', fail);
        res.on('aborted', () => fail(new Error(`watch ${path}: connection aborted`)));
        lines.on('close', () => done({ status, body: undefined }));
      });
    },
  };
}
