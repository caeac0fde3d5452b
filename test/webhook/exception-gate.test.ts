// `palisade serve` honours PolicyExceptions only as Kyverno's admission controller does: none by
// default (each one is logged as ignored), all with --enable-policy-exception --exception-namespace '*',
// and only those in the named namespace otherwise. A real serve process over loopback TLS.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { requireTeamPolicy } from '../support/sample-policies.js';
import {
  type ServeCertificate,
  type ServeProcess,
  serveCertificate,
  startServe,
} from '../support/serve-process.js';

const POLICY = requireTeamPolicy();

// An exception for Pods in namespace `legacy`, itself kept in namespace `exceptions`.
const EXCEPTION = `apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: legacy-pods
  namespace: exceptions
spec:
  exceptions:
    - policyName: require-team
      ruleNames: [team]
  match:
    any:
      - resources:
          kinds: [Pod]
          namespaces: [legacy]
`;

function review(namespace: string) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${namespace}`,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      name: 'p',
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace } },
      oldObject: null,
      dryRun: false,
    },
  };
}

function allowed(serve: ServeProcess, cert: ServeCertificate, namespace: string): Promise<boolean> {
  const body = JSON.stringify(review(namespace));
  return new Promise((done, fail) => {
    const req = request(
      `${serve.url}/validate/fail`,
      { method: 'POST', ca: cert.caPem, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => done((JSON.parse(text) as { response: { allowed: boolean } }).response.allowed));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

describe('serve: the PolicyException gate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-exception-gate-'));
  const policies = join(dir, 'policies');
  mkdirSync(policies);
  writeFileSync(join(policies, 'policy.yaml'), POLICY);
  writeFileSync(join(policies, 'exception.yaml'), EXCEPTION);
  const cert = serveCertificate(dir);
  const servers: ServeProcess[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (args: string[] = []) => {
    const serve = await startServe({ policies, certificate: cert, args });
    servers.push(serve);
    await serve.waitReady();
    return serve;
  };

  test('by default no exception is honoured, and the ignored one is named in the log', async () => {
    const serve = await start();
    assert.equal(await allowed(serve, cert, 'legacy'), false);
    const loaded = await serve.waitForLog('policy set loaded', (l) => l.msg === 'policy set loaded');
    assert.match(JSON.stringify(loaded.warnings), /PolicyException resources would not be processed/);
  });

  test("--enable-policy-exception with --exception-namespace '*': honoured wherever it is", async () => {
    const serve = await start(['--enable-policy-exception', '--exception-namespace', '*']);
    assert.equal(await allowed(serve, cert, 'legacy'), true);
    assert.equal(await allowed(serve, cert, 'other'), false, 'the exception matches namespace legacy only');
  });

  test('--exception-namespace names where exceptions may live: elsewhere they are ignored', async () => {
    const elsewhere = await start(['--enable-policy-exception', '--exception-namespace', 'kyverno']);
    assert.equal(await allowed(elsewhere, cert, 'legacy'), false);
    const here = await start(['--enable-policy-exception', '--exception-namespace', 'exceptions']);
    assert.equal(await allowed(here, cert, 'legacy'), true);
  });
});
