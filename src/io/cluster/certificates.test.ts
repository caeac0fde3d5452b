import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import {
  createCa,
  createServingCertificate,
  readCertificate,
  signedBy,
  splitPem,
  webhookNames,
} from './certificates.js';

const DAY = 24 * 3600_000;

describe('self-managed certificates', () => {
  const now = Date.now();
  const ca = createCa('palisade-ca', now, 365 * DAY);
  const names = webhookNames({ name: 'palisade-svc', namespace: 'palisade' }, 'https://127.0.0.1:9443');
  const leaf = createServingCertificate(ca, names, now, 90 * DAY);

  test('the CA is a CA, self-signed, valid for a year', () => {
    const c = readCertificate(ca.certPem);
    assert.equal(c.x509.ca, true);
    assert.ok(signedBy(c, c));
    assert.ok(Math.abs(c.notAfter - (now + 365 * DAY)) < 2000);
    assert.ok(c.notBefore < now, 'backdated for clock skew');
  });

  test('the serving certificate chains to the CA (node:crypto verifies) and names the Service and URL host', () => {
    const l = readCertificate(leaf.certPem);
    const c = readCertificate(ca.certPem);
    assert.equal(l.x509.ca, false);
    assert.ok(signedBy(l, c));
    assert.deepEqual(l.names, [
      'palisade-svc.palisade.svc',
      'palisade-svc',
      'palisade-svc.palisade',
      'palisade-svc.palisade.svc.cluster.local',
      '127.0.0.1',
    ]);
    assert.equal(l.x509.checkHost('palisade-svc.palisade.svc'), 'palisade-svc.palisade.svc');
    assert.equal(l.x509.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(l.x509.checkPrivateKey(createPrivateKey(leaf.keyPem)), true);
  });

  test('another CA did not sign it', () => {
    const other = readCertificate(createCa('other', now, DAY).certPem);
    assert.equal(signedBy(readCertificate(leaf.certPem), other), false);
  });

  test('a TLS client trusting only the CA completes a handshake with the pair (TLS 1.3)', async () => {
    const server = createServer({ cert: leaf.certPem, key: leaf.keyPem, minVersion: 'TLSv1.2' }, (_q, s) =>
      s.end('ok'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((done, fail) => {
        request(
          { host: '127.0.0.1', port, ca: ca.certPem, servername: 'palisade-svc.palisade.svc' },
          (res) => {
            let t = '';
            res.on('data', (d) => {
              t += d;
            });
            res.on('end', () => done(t));
          },
        )
          .on('error', fail)
          .end();
      });
      assert.equal(body, 'ok');
    } finally {
      server.close();
    }
  });

  test('splitPem separates a bundle', () => {
    const other = createCa('b', now, DAY).certPem;
    assert.deepEqual(splitPem(ca.certPem + other).length, 2);
  });
});

test('PEM text uses LF line ends, so a bundle read back equals the one written', () => {
  const ca = createCa('x', Date.now(), 24 * 3600_000);
  assert.equal(ca.certPem.includes('\r'), false);
  assert.deepEqual(splitPem(ca.certPem), [ca.certPem]);
});
