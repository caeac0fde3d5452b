/**
 * @module The only place that listens on a port: HTTPS for admission and health (TLS 1.2 minimum,
 * 1.3 preferred), plain HTTP for `/metrics` on its own port. Bodies are read up to the limit; a
 * certificate can be replaced while running; `close` stops accepting, lets requests in flight finish
 * (up to the drain time) and only then drops the connections.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Registry } from 'prom-client';
import { HEALTH_PATHS, healthReply } from './health.js';
import { errorReply, type HttpHandler, type HttpReply } from './http.js';
import type { Logger } from './log.js';
import { readBody, tooLarge } from './middleware/body-limit.js';
import type { PolicyStore } from './policy-store.js';

export interface TlsFiles {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

export interface ServerOptions {
  readonly tls: TlsFiles;
  readonly address: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxBodyBytes: number;
  /** The webhook timeout: bounds how long one request may hold a connection. */
  readonly webhookTimeoutMs: number;
  readonly metrics?: { readonly address: string; readonly port: number; readonly registry: Registry };
}

export interface RunningServer {
  /** `https://address:port` */
  readonly url: string;
  readonly metricsUrl?: string;
  /** Requests being answered now. */
  inFlight(): number;
  /** Serves new connections with this certificate; throws (keeping the old one) if it is unusable. */
  setCertificate(tls: TlsFiles): void;
  /** Stops accepting, waits for requests in flight (at most `drainMs`), then closes every connection. */
  close(drainMs: number): Promise<{ readonly drained: boolean }>;
}

function urlOf(scheme: string, server: Server): string {
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `${scheme}://${host}:${a.port}`;
}

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Writes the reply; `done` runs once it is written or its client is gone. One `close` listener, no
 * promise: a ServerResponse emits `close` after `finish`, and also when its connection closes
 * before the answer finished, so a client gone before the answer cannot leave it in flight for ever.
 */
function send(res: ServerResponse, reply: HttpReply, close: boolean, done: () => void): void {
  // writeHead with a flat list: no header map built per reply (setHeader validates and stores each).
  const length = String(Buffer.byteLength(reply.body));
  res.writeHead(
    reply.status,
    close
      ? ['Content-Type', reply.contentType, 'Content-Length', length, 'Connection', 'close']
      : ['Content-Type', reply.contentType, 'Content-Length', length],
  );
  if (res.destroyed) {
    done();
    return;
  }
  res.once('close', done);
  res.end(reply.body);
}

export async function startServer(
  app: HttpHandler,
  store: PolicyStore,
  options: ServerOptions,
  logger: Logger,
): Promise<RunningServer> {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;

  // One async function per request (no chain of promises around it); any failure is a 500.
  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    inFlight++;
    let reply: HttpReply;
    let close = false;
    try {
      const receivedAt = performance.now();
      const path = req.url ?? '/';
      const method = req.method ?? 'GET';
      const health =
        path.startsWith('/health/') && HEALTH_PATHS.has(path.split('?')[0] ?? '')
          ? healthReply(path, store)
          : undefined;
      if (health !== undefined) reply = method === 'GET' ? health : errorReply(405, 'health checks are GETs');
      else if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
        reply = tooLarge(options.maxBodyBytes);
        close = true;
      } else {
        const body = await readBody(req, options.maxBodyBytes);
        if (body === 'too-large') {
          reply = tooLarge(options.maxBodyBytes);
          close = true;
        } else reply = await app({ method, path, body, receivedAt });
      }
    } catch (err) {
      logger.error('request failed', { error: err instanceof Error ? err.message : String(err) });
      reply = errorReply(500, 'internal error');
      close = true;
    }
    let settled = false;
    // Counted in flight from its arrival to its answer written (or its client gone).
    const done = (): void => {
      if (settled) return;
      settled = true;
      inFlight--;
      try {
        // Whatever was left unread of a refused body is not worth reading.
        if (!req.complete) req.destroy();
      } catch {
        // A request that cannot be destroyed is gone already.
      }
      if (inFlight === 0) idle?.();
    };
    try {
      send(res, reply, close || draining, done);
    } catch {
      // A reply that could not be written: no longer in flight (its request is left as it is).
      if (!settled) {
        settled = true;
        inFlight--;
        if (inFlight === 0) idle?.();
      }
    }
  };

  const https = createHttpsServer(
    { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' },
    (req, res) => void onRequest(req, res),
  );
  // Slow or stalled clients cannot hold a connection past the webhook's own timeout.
  https.headersTimeout = Math.min(10_000, options.webhookTimeoutMs);
  https.requestTimeout = options.webhookTimeoutMs + 5_000;
  https.keepAliveTimeout = 30_000;
  https.on('tlsClientError', (err) => logger.warn('TLS handshake failed', { error: err.message }));
  https.on('clientError', (err, socket) => {
    logger.warn('bad HTTP request', { error: err.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await listen(https, options.port, options.address);

  let metricsServer: Server | undefined;
  if (options.metrics !== undefined) {
    const registry = options.metrics.registry;
    metricsServer = createHttpServer((req, res) => {
      if ((req.url ?? '').split('?')[0] !== '/metrics' || req.method !== 'GET') {
        res.statusCode = 404;
        res.end('not found\n');
        return;
      }
      registry.metrics().then(
        (text) => {
          res.setHeader('Content-Type', registry.contentType);
          res.end(text);
        },
        (err: unknown) => {
          logger.error('metrics failed', { error: err instanceof Error ? err.message : String(err) });
          res.statusCode = 500;
          res.end();
        },
      );
    });
    try {
      await listen(metricsServer, options.metrics.port, options.metrics.address);
    } catch (err) {
      https.close();
      throw err;
    }
  }

  return {
    url: urlOf('https', https),
    ...(metricsServer !== undefined ? { metricsUrl: urlOf('http', metricsServer) } : {}),
    inFlight: () => inFlight,
    setCertificate(tls) {
      // createSecureContext throws on a bad pair, before anything is replaced.
      createSecureContext({ cert: tls.cert, key: tls.key });
      https.setSecureContext({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' });
    },
    async close(drainMs) {
      draining = true;
      https.close();
      metricsServer?.close();
      https.closeIdleConnections();
      const drained =
        inFlight === 0 ||
        (await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), drainMs);
          idle = () => {
            clearTimeout(timer);
            resolve(true);
          };
        }));
      https.closeAllConnections();
      metricsServer?.closeAllConnections();
      return { drained };
    },
  };
}
