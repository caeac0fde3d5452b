/**
 * @module A TCP relay on loopback in front of the real API server, to cause real network faults:
 * `cut()` resets every open connection (a dropped watch), `refuse(true)` resets new ones as they
 * arrive (the server unreachable). TLS passes through untouched; the client still talks to the real
 * server, which answers every request.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** https://127.0.0.1:PORT, the address to give the client instead of the server's. */
  readonly url: string;
  /** Connections open now. */
  readonly open: number;
  /** Resets every open connection. */
  cut(): void;
  /** While on, new connections are reset at once. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const to = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(to.port), to.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const cut = (): void => {
    for (const [client, upstream] of [...pairs]) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    url: `https://127.0.0.1:${port}`,
    get open() {
      return pairs.size;
    },
    cut,
    refuse(on) {
      refusing = on;
    },
    close() {
      cut();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
