import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import {
  certificateSecretNames,
  readCaBundle,
  readServingPair,
  rotateCertificates,
} from './certificate-secrets.js';
import { readCertificate, signedBy, splitPem } from './certificates.js';
import { loadKubeConfig } from './kube-client.js';
import { type KubeRest, kubeRest } from './kube-rest.js';

const DAY = 24 * 3600_000;

describe('certificate rotation in Secrets on the real API server (injected clock)', {
  skip: testbedSkip(),
}, () => {
  let tb: Testbed;
  let rest: KubeRest;
  before(async () => {
    tb = await startTestbed();
    rest = kubeRest(loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} }).config);
    assert.equal((await tb.kubectl(['create', 'namespace', 'palisade'])).code, 0);
  });
  after(() => tb?.stop());

  test('bootstrap, steady state, CA renewal with overlap, serving certificate reissued once the new CA is published', async () => {
    const names = certificateSecretNames('palisade-svc', 'palisade');
    let clock = Date.UTC(2026, 0, 1);
    const options = {
      rest,
      namespace: 'palisade',
      names,
      hostNames: ['palisade-svc.palisade.svc', '127.0.0.1'],
      validity: { caMs: 30 * DAY, servingMs: 9 * DAY },
      now: () => clock,
    };
    let published = '';
    const isPublished = (pem: string) => published.includes(pem.trim());

    const first = await rotateCertificates(options, isPublished);
    assert.deepEqual([first.newCa, first.newServing], [true, true]);
    const ca1 = splitPem(first.caBundle);
    assert.equal(ca1.length, 1);
    published = first.caBundle;
    const pair1 = await readServingPair(rest, 'palisade', names);
    assert.ok(pair1 !== undefined);
    assert.ok(signedBy(readCertificate(pair1.certPem), readCertificate(ca1[0] ?? '')));

    clock += DAY;
    const steady = await rotateCertificates(options, isPublished);
    assert.deepEqual([steady.newCa, steady.newServing], [false, false]);

    // Day 21 of a 30-day CA: two thirds through. The serving certificate (issued day 0, 9 days) is due too.
    clock = Date.UTC(2026, 0, 21);
    const renew = await rotateCertificates(options, isPublished);
    assert.deepEqual([renew.newCa, renew.newServing], [true, false]);
    const bundle = splitPem((await readCaBundle(rest, 'palisade', names)) ?? '');
    assert.equal(bundle.length, 2, 'old and new CA during the overlap');
    assert.equal(bundle[1], ca1[0]);
    const pairDuring = await readServingPair(rest, 'palisade', names);
    assert.equal(pairDuring?.certPem, pair1.certPem, 'the pair waits until the new CA is trusted');

    published = renew.caBundle;
    clock += 60_000;
    const reissue = await rotateCertificates(options, isPublished);
    assert.deepEqual([reissue.newCa, reissue.newServing], [false, true]);
    const pair2 = await readServingPair(rest, 'palisade', names);
    assert.ok(pair2 !== undefined && pair2.certPem !== pair1.certPem);
    assert.ok(signedBy(readCertificate(pair2.certPem), readCertificate(bundle[0] ?? '')));

    // After the old CA expires (day 31 + a bit), renewing drops it from the bundle.
    clock = Date.UTC(2026, 1, 15);
    await rotateCertificates(options, isPublished);
    const later = splitPem((await readCaBundle(rest, 'palisade', names)) ?? '');
    assert.equal(later.includes(ca1[0] ?? ''), false);
  });
});
