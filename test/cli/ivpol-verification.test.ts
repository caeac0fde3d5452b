// ImageValidatingPolicy signature and attestation verification through the CLI, on the signature
// material a Context file supplies (fixtures under test/fixtures/ivpol, generated with real keys).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { palisade, ROOT } from '../support/run-cli.js';

const FIX = 'test/fixtures/ivpol/signed-images';

describe('ImageValidatingPolicy verification offline', () => {
  test('palisade test: key, attestation and keyless verification rows pass', () => {
    const r = palisade(['test', FIX, '--detailed-results']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Test Summary: 3 tests passed and 0 tests failed/);
    assert.match(r.stdout, /unsigned\s+│ Pass\s+│ Ok\s+│ image signature verification failed/);
  });

  // Each policy also passes the resources whose images none of its references select (Kyverno
  // evaluates the validations on the empty lists): 2 policies x 3 resources.
  test('palisade apply --context-file reports the unsigned image', () => {
    const r = palisade([
      'apply',
      `${FIX}/policies.yaml`,
      '--resource',
      `${FIX}/resources.yaml`,
      '--context-file',
      `${FIX}/context.yaml`,
    ]);
    assert.match(
      r.stdout,
      /resource default\/Pod\/unsigned failed:\n1\. verify-signed-sbom: image signature verification failed/,
    );
    assert.match(r.stdout, /pass: 5, fail: 1, warn: 0, error: 0, skip: 0/);
  });

  test('a tampered signature no longer verifies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-ivpol-'));
    const context = readFileSync(resolve(ROOT, FIX, 'context.yaml'), 'utf8').replace(
      /"docker-manifest-digest":"sha256:a1a1/,
      '"docker-manifest-digest":"sha256:a1a2',
    );
    writeFileSync(join(dir, 'context.yaml'), context);
    const r = palisade([
      'apply',
      `${FIX}/policies.yaml`,
      '--resource',
      `${FIX}/resources.yaml`,
      '--context-file',
      join(dir, 'context.yaml'),
    ]);
    assert.match(r.stdout, /resource default\/Pod\/signed failed/);
    assert.match(r.stdout, /pass: 4, fail: 2/);
  });

  test('without signature material the verification is an error, not a verdict', () => {
    const r = palisade(['apply', `${FIX}/policies.yaml`, '--resource', `${FIX}/resources.yaml`]);
    assert.match(r.stdout, /pass: 3, fail: 0, warn: 0, error: 3, skip: 0/);
  });
});
