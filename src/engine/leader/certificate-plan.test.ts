import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { caBundleMembers, certificatePlan, DEFAULT_VALIDITY, renewalTime } from './certificate-plan.js';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 0, 1);
const ca = { notBefore: T0, notAfter: T0 + DEFAULT_VALIDITY.caMs };
const serving = (
  from: number,
  extra: Partial<{ signedByCurrentCa: boolean; coversNames: boolean }> = {},
) => ({
  notBefore: from,
  notAfter: from + DEFAULT_VALIDITY.servingMs,
  signedByCurrentCa: true,
  coversNames: true,
  ...extra,
});

describe('certificatePlan over time (injected clock)', () => {
  test('nothing yet: CA and serving certificate at once', () => {
    const p = certificatePlan({ now: T0, caPublished: false });
    assert.deepEqual([p.newCa, p.newServing], [true, true]);
  });

  test('fresh certificates: nothing to do', () => {
    const p = certificatePlan({ now: T0 + DAY, ca, serving: serving(T0), caPublished: true });
    assert.deepEqual([p.newCa, p.newServing, p.reasons], [false, false, []]);
  });

  test('the serving certificate is renewed at two thirds of its 90 days (day 60), not before', () => {
    const s = serving(T0);
    assert.equal(renewalTime(s), T0 + 60 * DAY);
    assert.equal(
      certificatePlan({ now: T0 + 59 * DAY, ca, serving: s, caPublished: true }).newServing,
      false,
    );
    assert.equal(certificatePlan({ now: T0 + 60 * DAY, ca, serving: s, caPublished: true }).newServing, true);
  });

  test('a year-long CA is renewed at day ~243; the serving certificate waits until the new CA is published', () => {
    const now = T0 + 244 * DAY;
    const old = certificatePlan({ now, ca, serving: serving(T0 + 200 * DAY), caPublished: true });
    assert.deepEqual([old.newCa, old.newServing], [true, false]);
    // The new CA is written; the serving certificate is not signed by it and the bundle is not out yet.
    const newCa = { notBefore: now, notAfter: now + DEFAULT_VALIDITY.caMs };
    const waiting = certificatePlan({
      now,
      ca: newCa,
      serving: serving(T0 + 200 * DAY, { signedByCurrentCa: false }),
      caPublished: false,
    });
    assert.equal(waiting.newServing, false);
    assert.match(waiting.reasons.join(), /waiting for the CA bundle/);
    const published = certificatePlan({
      now: now + 60_000,
      ca: newCa,
      serving: serving(T0 + 200 * DAY, { signedByCurrentCa: false }),
      caPublished: true,
    });
    assert.equal(published.newServing, true);
  });

  test('names that changed (a new --webhook-url) reissue the serving certificate', () => {
    const p = certificatePlan({
      now: T0 + DAY,
      ca,
      serving: serving(T0, { coversNames: false }),
      caPublished: true,
    });
    assert.equal(p.newServing, true);
  });
});

describe('caBundleMembers', () => {
  test('old and new CA during the overlap, newest first; the expired one dropped', () => {
    const a = { pem: 'A', notBefore: T0, notAfter: T0 + 365 * DAY };
    const b = { pem: 'B', notBefore: T0 + 244 * DAY, notAfter: T0 + 609 * DAY };
    assert.deepEqual(
      caBundleMembers([a, b], T0 + 300 * DAY).map((c) => c.pem),
      ['B', 'A'],
    );
    assert.deepEqual(
      caBundleMembers([a, b, { ...b }], T0 + 400 * DAY).map((c) => c.pem),
      ['B'],
    );
  });
});
