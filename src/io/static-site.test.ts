import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { fileFor, isPlaygroundFolder, type StaticSite, serveStaticSite } from './static-site.js';

function get(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('serveStaticSite', () => {
  let dir: string;
  let site: StaticSite;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-site-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1);'.repeat(100));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a.css'), 'body{}');
    writeFileSync(join(tmpdir(), 'palisade-secret.txt'), 'secret');
    site = await serveStaticSite({ dir });
  });
  after(async () => {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('listens on loopback and serves index.html for /, with the CSP that forbids connections', async () => {
    assert.match(site.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get(site.url);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(r.headers['content-security-policy']), /connect-src 'none'/);
    assert.equal(r.body.toString(), '<!doctype html><title>x</title>');
  });

  test('compresses for browsers that ask, and answers HEAD without a body', async () => {
    const r = await get(`${site.url}app.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(r.body).toString(), 'console.log(1);'.repeat(100));
    const head = await get(`${site.url}sub/a.css`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(head.body.length, 0);
  });

  test('refuses paths outside the folder, folders, missing files and other methods', async () => {
    assert.equal((await get(`${site.url}../palisade-secret.txt`)).status, 404);
    assert.equal((await get(`${site.url}%2e%2e/palisade-secret.txt`)).status, 404);
    assert.equal((await get(`${site.url}sub`)).status, 404);
    assert.equal((await get(`${site.url}nope.js`)).status, 404);
    assert.equal((await get(`${site.url}%E0%A4%A`)).status, 404);
    assert.equal((await get(site.url, { method: 'POST' })).status, 405);
    assert.equal(fileFor(dir, '/../../etc/passwd'), undefined);
    assert.equal(fileFor(dir, '/sub/a.css?x=1'), join(dir, 'sub', 'a.css'));
  });

  test('a playground folder holds index.html and app.js', () => {
    assert.ok(isPlaygroundFolder(dir));
    assert.ok(!isPlaygroundFolder(join(dir, 'sub')));
  });
});
