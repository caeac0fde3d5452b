import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, test } from 'node:test';
import { createImageDataReader } from '../offline-ports.js';
import { imageVerificationDataOf } from './image-verification-data.js';

const D = `sha256:${'ef'.repeat(32)}`;

describe('Context file signature material', () => {
  const cases: { name: string; entry: Record<string, unknown>; data?: unknown; problems?: RegExp }[] = [
    {
      name: 'payload text and PEM fields',
      entry: {
        digest: D,
        signatures: [{ payload: '{}', signature: 'c2ln', certificate: 'CERT', chain: 'CHAIN' }],
      },
      data: {
        digest: D,
        signatures: [{ payload: '{}', signature: 'c2ln', certificate: 'CERT', chain: 'CHAIN' }],
        attestations: [],
      },
    },
    {
      name: 'payloadBase64',
      entry: {
        signatures: [{ payloadBase64: Buffer.from('{"a":1}').toString('base64'), signature: 'c2ln' }],
      },
      data: { signatures: [{ payload: '{"a":1}', signature: 'c2ln' }], attestations: [] },
    },
    {
      name: 'DSSE envelope, bare or under envelope:',
      entry: {
        attestations: [
          { payloadType: 't', payload: 'cA==', signatures: [{ keyid: 'k', sig: 's1' }] },
          { envelope: { payload: 'cA==', signatures: [{ sig: 's2' }] }, certificate: 'CERT' },
        ],
      },
      data: {
        signatures: [],
        attestations: [
          { payloadType: 't', payload: 'cA==', signatures: [{ sig: 's1' }] },
          {
            payloadType: 'application/vnd.in-toto+json',
            payload: 'cA==',
            signatures: [{ sig: 's2' }],
            certificate: 'CERT',
          },
        ],
      },
    },
    {
      name: 'signature without payload',
      entry: { signatures: [{ signature: 'x' }] },
      problems: /needs payload/,
    },
    {
      name: 'attestation without signatures',
      entry: { attestations: [{ payload: 'cA==' }] },
      problems: /DSSE payload/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { answer, problems } = imageVerificationDataOf(c.entry);
      if (c.problems !== undefined) assert.match(problems.join('\n'), c.problems);
      else {
        assert.deepEqual(problems, []);
        assert.deepEqual(answer.ok ? answer.data : undefined, c.data);
      }
    });
  }

  test('the reader finds an entry exactly, else by normalised reference', () => {
    const reader = createImageDataReader([
      { image: 'nginx', digest: D, signatures: [] },
      { image: 'ghcr.io/a/b:1', digest: D, signatures: [{ signature: 'x' }] },
    ]);
    assert.equal(reader.verification?.('docker.io/nginx:latest').ok, true);
    assert.equal(reader.verification?.('nginx').ok, true);
    const bad = reader.verification?.('ghcr.io/a/b:1');
    assert.match(
      bad?.ok === false ? bad.error : '',
      /context image ghcr.io\/a\/b:1: a signature needs payload/,
    );
    assert.equal(reader.verification?.('ghcr.io/a/c:1').ok, false);
  });
});
