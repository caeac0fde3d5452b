// The one loopback HTTPS smoke test (design B6): `palisade serve` as a process, with a self-signed
// certificate made by openssl, driven over real TLS: health, readiness before and after the policies
// load, a denial and an admission, metrics, a policy change swapped in, a broken change refused, and
// SIGTERM draining to exit 0.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import { requireTeamPolicy } from '../support/sample-policies.js';
import { eventually } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'palisade-serve-'));
const policies = join(work, 'policies');
const cert = join(work, 'cert.pem');
const key = join(work, 'key.pem');

const policy = (action: 'Enforce' | 'Audit') => requireTeamPolicy({ action });

const reviewOf = (uid: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid,
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: 'p',
    namespace: 'default',
    operation: 'CREATE',
    userInfo: { username: 'alice', groups: ['system:authenticated'] },
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels } },
    oldObject: null,
    dryRun: false,
  },
});

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly protocol?: string | null | undefined;
}

function call(
  base: string,
  path: string,
  body?: unknown,
  tls: { maxVersion?: 'TLSv1.1' } = {},
): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = httpsRequest(
      `${base}${path}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca: readFileSync(cert),
        headers: data === undefined ? {} : { 'content-type': 'application/json' },
        ...tls,
      },
      (res) => {
        const protocol = (res.socket as TLSSocket | null)?.getProtocol?.();
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            protocol,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function getText(url: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    httpGet(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
}

/** Polls until `probe` answers; a probe that throws (server not up yet) counts as no answer. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> =>
  eventually(what, ms, () => probe().catch(() => undefined));

let child: ChildProcess;
const logs: Record<string, unknown>[] = [];
let exited: Promise<number | null>;

function logLine(msg: string): Record<string, unknown> | undefined {
  return logs.find((l) => l.msg === msg);
}

before(async () => {
  writeLoopbackCertificate(work);
  mkdirSync(policies);
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/main.ts'),
      'serve',
      '--policies',
      policies,
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--port',
      '0',
      '--metrics-port',
      '0',
      '--watch-debounce',
      '100ms',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let buffered = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  exited = new Promise((r) => child.on('exit', (code) => r(code)));
});

after(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

describe('palisade serve over loopback HTTPS', () => {
  let base = '';
  let metrics = '';

  test('listens before the policies load, and is not ready: nothing is allowed', async () => {
    const listening = await until('the listening line', async () => logLine('listening'));
    base = String(listening.url);
    metrics = String(listening.metrics);
    assert.match(base, /^https:\/\/127\.0\.0\.1:\d+$/);
    // The folder is empty (no --allow-empty): the first load fails and the server stays not ready.
    await until('the failed first load', async () => logLine('policies failed to load; not ready'));
    assert.equal((await call(base, '/health/liveness')).status, 200);
    assert.equal((await call(base, '/health/readiness')).status, 503);
    const fail = await call(base, '/validate/fail', reviewOf('early-1', { team: 't' }));
    assert.equal(fail.status, 200);
    assert.equal((JSON.parse(fail.body) as { response: { allowed: boolean } }).response.allowed, false);
    assert.equal((await call(base, '/validate/ignore', reviewOf('early-2', { team: 't' }))).status, 503);
  });

  test('becomes ready when a policy arrives, over TLS 1.3', async () => {
    writeFileSync(join(policies, 'team.yaml'), policy('Enforce'));
    const ready = await until('readiness', async () => {
      const r = await call(base, '/health/readiness');
      return r.status === 200 ? r : undefined;
    });
    assert.equal(ready.protocol, 'TLSv1.3');
    await assert.rejects(call(base, '/health/liveness', undefined, { maxVersion: 'TLSv1.1' }));
  });

  test("denies with the UID echoed and Kyverno's message, admits a compliant Pod", async () => {
    const denied = await call(base, '/validate/fail', reviewOf('uid-deny'));
    const d = JSON.parse(denied.body) as {
      response: { uid: string; allowed: boolean; status: { message: string } };
    };
    assert.equal(d.response.uid, 'uid-deny');
    assert.equal(d.response.allowed, false);
    assert.match(
      d.response.status.message,
      /resource Pod\/default\/p was blocked due to the following policies/,
    );
    const allowed = JSON.parse(
      (await call(base, '/validate/fail', reviewOf('uid-ok', { team: 'a' }))).body,
    ) as {
      response: { uid: string; allowed: boolean };
    };
    assert.deepEqual(allowed.response, { uid: 'uid-ok', allowed: true });
    assert.equal((await call(base, '/validate/fail', '{not json')).status, 400);
  });

  test("serves Kyverno's metrics on the metrics port", async () => {
    const text = await getText(metrics);
    assert.match(text, /kyverno_admission_requests_total\{[^}]*request_allowed="false"[^}]*\} \d/);
    assert.match(
      text,
      /kyverno_policy_results_total\{[^}]*policy_name="require-team"[^}]*rule_result="fail"/,
    );
    assert.match(text, /process_resident_memory_bytes/);
  });

  test('a policy change is swapped in; a broken one keeps the previous set', async () => {
    writeFileSync(join(policies, 'team.yaml'), policy('Audit'));
    await until('the Audit set', async () => {
      const r = JSON.parse((await call(base, '/validate/fail', reviewOf('uid-audit'))).body) as {
        response: { allowed: boolean };
      };
      return r.response.allowed ? true : undefined;
    });
    writeFileSync(
      join(policies, 'broken.yaml'),
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: [\n',
    );
    await until('the refused change', async () =>
      logLine('policies failed to load; keeping the previous set'),
    );
    const r = JSON.parse((await call(base, '/validate/fail', reviewOf('uid-kept'))).body) as {
      response: { allowed: boolean };
    };
    assert.equal(r.response.allowed, true, 'still the Audit set');
    assert.equal((await call(base, '/health/readiness')).status, 200);
  });

  test('one log line per decision, naming the request', () => {
    const decisions = logs.filter((l) => l.msg === 'admission');
    const deny = decisions.find((l) => l.uid === 'uid-deny');
    assert.equal(deny?.allowed, false);
    assert.deepEqual(deny?.enforcedFailures, ['require-team/team']);
  });

  test('SIGTERM stops it cleanly with exit code 0', async () => {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(logLine('stopped')?.drained, true);
  });
});
