// server.ts on loopback: bodies read no further than the limit, a request in flight finishes when the
// server closes (drain) while new connections are refused, and the certificate can be replaced.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { type HttpHandler, jsonReply } from './http.js';
import { createLogger } from './log.js';
import { PolicyStore } from './policy-store.js';
import { type RunningServer, startServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'palisade-server-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function certificate(name: string): { cert: Buffer; key: Buffer } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key].concat(
      ['-out', cert, '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'],
    ),
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

const first = certificate('first');
const logs: string[] = [];
const logger = createLogger((l) => logs.push(l));

function post(
  url: string,
  body: string | Buffer,
  ca: Buffer,
): Promise<{ status: number; body: string; peer: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/validate/fail`, { method: 'POST', ca, agent: false }, (res) => {
      const peer = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), peer }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function serverWith(app: HttpHandler, maxBodyBytes = 1024): Promise<RunningServer> {
  return startServer(
    app,
    new PolicyStore(),
    { tls: first, address: '127.0.0.1', port: 0, maxBodyBytes, webhookTimeoutMs: 10_000 },
    logger,
  );
}

describe('startServer', () => {
  test('a body over the limit is a 413 without reaching the handler', async () => {
    let called = 0;
    const server = await serverWith(async (call) => {
      called++;
      return jsonReply(200, { bytes: call.body.byteLength });
    });
    try {
      const ok = await post(server.url, 'x'.repeat(1024), first.cert);
      assert.deepEqual([ok.status, JSON.parse(ok.body)], [200, { bytes: 1024 }]);
      const big = await post(server.url, 'x'.repeat(4096), first.cert);
      assert.equal(big.status, 413);
      assert.equal(called, 1);
    } finally {
      await server.close(1000);
    }
  });

  test('answers on a kept-alive connection leave nothing in flight; a handler that throws is a 500 that closes', async () => {
    const server = await serverWith(async (call) => {
      if (call.body.toString() === 'throw') throw new Error('boom');
      return jsonReply(200, { bytes: call.body.byteLength });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; connection: string; body: string }>((resolve, reject) => {
        const req = request(`${server.url}/validate`, { method: 'POST', ca: first.cert, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              connection: String(res.headers.connection),
              body: Buffer.concat(chunks).toString(),
            }),
          );
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const answers = [];
      for (const body of ['a', 'bb', 'ccc']) answers.push(await send(body));
      assert.deepEqual(
        answers.map((a) => [a.status, a.connection, a.body]),
        [
          [200, 'keep-alive', '{"bytes":1}'],
          [200, 'keep-alive', '{"bytes":2}'],
          [200, 'keep-alive', '{"bytes":3}'],
        ],
      );
      const deadline = Date.now() + 2000;
      while (server.inFlight() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.equal(server.inFlight(), 0);
      const failed = await send('throw');
      assert.deepEqual([failed.status, failed.connection], [500, 'close']);
      assert.equal(JSON.parse(failed.body).message, 'internal error');
      assert.ok(logs.some((l) => l.includes('"msg":"request failed"') && l.includes('boom')));
    } finally {
      agent.destroy();
      await server.close(1000);
    }
  });

  test('close lets a request in flight finish, then refuses new connections', async () => {
    let entered: () => void = () => {};
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const server = await serverWith(async () => {
      entered();
      await new Promise((r) => setTimeout(r, 300));
      return jsonReply(200, { finished: true });
    });
    const pending = post(server.url, '{}', first.cert);
    await inside;
    assert.equal(server.inFlight(), 1);
    const closing = server.close(5000);
    await assert.rejects(post(server.url, '{}', first.cert));
    const answered = await pending;
    assert.deepEqual([answered.status, JSON.parse(answered.body)], [200, { finished: true }]);
    assert.deepEqual(await closing, { drained: true });
  });

  test('a drain that takes too long gives up at the drain time', async () => {
    const server = await serverWith(() => new Promise(() => {}));
    const pending = post(server.url, '{}', first.cert).catch(() => 'dropped');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await server.close(100), { drained: false });
    assert.equal(await pending, 'dropped');
  });

  test('a client that leaves before its answer is not counted in flight once the answer is dropped', async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((r) => {
      release = r;
    });
    let entered: () => void = () => {};
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const server = await serverWith(async () => {
      entered();
      await answered;
      return jsonReply(200, {});
    });
    try {
      const req = request(`${server.url}/validate/fail`, { method: 'POST', ca: first.cert, agent: false });
      req.on('error', () => undefined);
      req.end('{}');
      await inside;
      req.destroy();
      // the server sees the connection close before it answers
      await new Promise((r) => setTimeout(r, 100));
      release();
      const deadline = Date.now() + 2000;
      while (server.inFlight() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(server.inFlight(), 0);
    } finally {
      assert.deepEqual(await server.close(1000), { drained: true });
    }
  });

  test('a client that leaves in the middle of its body is not counted in flight', async () => {
    let called = 0;
    const server = await serverWith(async () => {
      called++;
      return jsonReply(200, {});
    });
    try {
      const req = request(`${server.url}/validate/fail`, {
        method: 'POST',
        ca: first.cert,
        agent: false,
        headers: { 'content-length': '500' },
      });
      req.on('error', () => undefined);
      req.write('{"a":');
      const deadline = Date.now() + 2000;
      while (server.inFlight() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(server.inFlight(), 1);
      req.destroy();
      while (server.inFlight() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(server.inFlight(), 0);
      assert.equal(called, 0);
    } finally {
      assert.deepEqual(await server.close(1000), { drained: true });
    }
  });

  test('a new certificate serves new connections; a broken one is refused', async () => {
    const server = await serverWith(async () => jsonReply(200, {}));
    try {
      assert.equal((await post(server.url, '{}', first.cert)).peer, 'first');
      const second = certificate('second');
      server.setCertificate(second);
      assert.equal((await post(server.url, '{}', second.cert)).peer, 'second');
      assert.throws(() => server.setCertificate({ cert: second.cert, key: first.key }));
      assert.equal((await post(server.url, '{}', second.cert)).peer, 'second');
    } finally {
      await server.close(1000);
    }
  });
});
