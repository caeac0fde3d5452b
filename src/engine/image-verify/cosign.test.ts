import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, test } from 'node:test';
import type { CosignAttestor } from './attestor.js';
import { NetworkRequiredError, verifyCosignAttestation, verifyCosignSignature } from './cosign.js';
import {
  buildCertificate,
  cosignSign,
  signedAttestation,
  simpleSigningPayload,
} from './testing/cert-builder.js';
import type { OfflineSignature } from './types.js';

const REF = 'ghcr.io/acme/app:v1';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER = `sha256:${'cd'.repeat(32)}`;
const NOW = new Date('2025-06-01T00:00:00Z');
const target = { reference: REF, digest: DIGEST, now: NOW };
const offline = { insecureIgnoreTlog: true, insecureIgnoreSCT: true };

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec2 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');
const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

function signature(key: KeyObject, payload = simpleSigningPayload(REF, DIGEST)): OfflineSignature {
  return { payload, signature: cosignSign(key, payload) };
}

describe('cosign key attestors', () => {
  const cases: {
    name: string;
    attestor: CosignAttestor;
    signatures: OfflineSignature[];
    verified: boolean;
    reason?: RegExp;
  }[] = [
    {
      name: 'ECDSA P-256',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline },
      signatures: [signature(ec.privateKey)],
      verified: true,
    },
    {
      name: 'RSA PKCS#1 v1.5',
      attestor: { key: { data: pem(rsa.publicKey) }, ctlog: offline },
      signatures: [signature(rsa.privateKey)],
      verified: true,
    },
    {
      name: 'Ed25519',
      attestor: { key: { data: pem(ed.publicKey) }, ctlog: { insecureIgnoreTlog: true } },
      signatures: [signature(ed.privateKey)],
      verified: true,
    },
    {
      name: 'hashAlgorithm sha512',
      attestor: { key: { data: pem(ec.publicKey), hashAlgorithm: 'sha512' }, ctlog: offline },
      signatures: [
        {
          payload: simpleSigningPayload(REF, DIGEST),
          signature: sign('sha512', Buffer.from(simpleSigningPayload(REF, DIGEST)), ec.privateKey).toString(
            'base64',
          ),
        },
      ],
      verified: true,
    },
    {
      name: 'one good signature among bad ones',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline },
      signatures: [signature(ec2.privateKey), signature(ec.privateKey)],
      verified: true,
    },
    {
      name: 'signed by another key',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline },
      signatures: [signature(ec2.privateKey)],
      verified: false,
      reason: /invalid signature/,
    },
    {
      name: 'payload for another digest',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline },
      signatures: [signature(ec.privateKey, simpleSigningPayload(REF, OTHER))],
      verified: false,
      reason: /does not match the image digest/,
    },
    {
      name: 'tampered payload',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline },
      signatures: [
        {
          payload: simpleSigningPayload(REF, DIGEST, { tampered: 'yes' }),
          signature: cosignSign(ec.privateKey, simpleSigningPayload(REF, DIGEST)),
        },
      ],
      verified: false,
      reason: /invalid signature/,
    },
    {
      name: 'no signatures',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline },
      signatures: [],
      verified: false,
      reason: /no signatures found/,
    },
    {
      name: 'annotations match',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline, annotations: { env: 'prod' } },
      signatures: [signature(ec.privateKey, simpleSigningPayload(REF, DIGEST, { env: 'prod', x: 'y' }))],
      verified: true,
    },
    {
      name: 'annotations differ',
      attestor: { key: { data: pem(ec.publicKey) }, ctlog: offline, annotations: { env: 'prod' } },
      signatures: [signature(ec.privateKey, simpleSigningPayload(REF, DIGEST, { env: 'dev' }))],
      verified: false,
      reason: /annotation env: expected prod, got dev/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = verifyCosignSignature(c.attestor, c.signatures, target);
      assert.equal(out.verified, c.verified, JSON.stringify(out));
      if (!out.verified && c.reason !== undefined) assert.match(out.reason, c.reason);
    });
  }

  test('checks needing the network are refused, naming the check', () => {
    const sigs = [signature(ec.privateKey)];
    assert.throws(
      () => verifyCosignSignature({ key: { data: pem(ec.publicKey) } }, sigs, target),
      (e) => e instanceof NetworkRequiredError && /transparency log.*insecureIgnoreTlog/.test(e.message),
    );
    assert.throws(
      () => verifyCosignSignature({ key: { kms: 'awskms:///alias/x' }, ctlog: offline }, sigs, target),
      (e) => e instanceof NetworkRequiredError && /KMS key/.test(e.message),
    );
    assert.throws(
      () => verifyCosignSignature({ ctlog: offline }, sigs, target),
      /one key, keyless or certificate/,
    );
  });
});

// A Fulcio-like PKI: root → intermediate → short-lived leaf with the signer's identity.
const rootKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const interKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const strangerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const validity = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') };
const rootPem = buildCertificate({
  subject: 'sigstore',
  issuer: 'sigstore',
  publicKey: rootKey.publicKey,
  signer: rootKey.privateKey,
  serial: 1,
  ca: true,
  ...validity,
});
const strangerRootPem = buildCertificate({
  subject: 'sigstore',
  issuer: 'sigstore',
  publicKey: strangerKey.publicKey,
  signer: strangerKey.privateKey,
  serial: 9,
  ca: true,
  ...validity,
});
const interPem = buildCertificate({
  subject: 'sigstore-intermediate',
  issuer: 'sigstore',
  publicKey: interKey.publicKey,
  signer: rootKey.privateKey,
  serial: 2,
  ca: true,
  ...validity,
});
const WORKFLOW = 'https://github.com/acme/app/.github/workflows/release.yaml@refs/tags/v1';
const GITHUB = 'https://token.actions.githubusercontent.com';
const leafPem = buildCertificate({
  subject: '',
  issuer: 'sigstore-intermediate',
  publicKey: leafKey.publicKey,
  signer: interKey.privateKey,
  serial: 3,
  uris: [WORKFLOW],
  oidcIssuer: GITHUB,
  ...validity,
});
const v1LeafPem = buildCertificate({
  subject: '',
  issuer: 'sigstore-intermediate',
  publicKey: leafKey.publicKey,
  signer: interKey.privateKey,
  serial: 4,
  emails: ['dev@acme.io'],
  oidcIssuerV1: 'https://accounts.google.com',
  ...validity,
});

function keylessSig(cert = leafPem, chain = interPem): OfflineSignature {
  return { ...signature(leafKey.privateKey), certificate: cert, chain };
}

describe('cosign keyless attestors', () => {
  const keyless = (identities: object[], roots = rootPem): CosignAttestor => ({
    keyless: { identities, roots },
    ctlog: offline,
  });
  const cases: {
    name: string;
    attestor: CosignAttestor;
    sig: OfflineSignature;
    verified: boolean;
    reason?: RegExp;
  }[] = [
    {
      name: 'exact issuer and subject',
      attestor: keyless([{ issuer: GITHUB, subject: WORKFLOW }]),
      sig: keylessSig(),
      verified: true,
    },
    {
      name: 'regular expressions (RE2, unanchored)',
      attestor: keyless([
        {
          issuerRegExp: 'actions\\.githubusercontent',
          subjectRegExp: '^https://github\\.com/acme/.+@refs/tags/v[0-9]+$',
        },
      ]),
      sig: keylessSig(),
      verified: true,
    },
    {
      name: 'second identity matches',
      attestor: keyless([
        { issuer: 'https://accounts.google.com', subject: WORKFLOW },
        { issuer: GITHUB, subjectRegExp: 'acme' },
      ]),
      sig: keylessSig(),
      verified: true,
    },
    {
      name: 'no identities: any signer of the root',
      attestor: keyless([]),
      sig: keylessSig(),
      verified: true,
    },
    {
      name: 'deprecated issuer extension and email SAN',
      attestor: keyless([{ issuer: 'https://accounts.google.com', subject: 'dev@acme.io' }]),
      sig: keylessSig(v1LeafPem),
      verified: true,
    },
    {
      name: 'wrong subject',
      attestor: keyless([{ issuer: GITHUB, subject: 'https://github.com/evil/app' }]),
      sig: keylessSig(),
      verified: false,
      reason: /none of the expected identities matched.*release\.yaml.*with issuer https:\/\/token/,
    },
    {
      name: 'untrusted root',
      attestor: keyless([], strangerRootPem),
      sig: keylessSig(),
      verified: false,
      reason: /does not chain to a trusted root/,
    },
    {
      name: 'missing intermediate',
      attestor: keyless([]),
      sig: { ...keylessSig(), chain: '' },
      verified: false,
      reason: /does not chain/,
    },
    {
      name: 'no certificate',
      attestor: keyless([]),
      sig: signature(leafKey.privateKey),
      verified: false,
      reason: /no signing certificate/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = verifyCosignSignature(c.attestor, [c.sig], target);
      assert.equal(out.verified, c.verified, JSON.stringify(out));
      if (!out.verified && c.reason !== undefined) assert.match(out.reason, c.reason);
    });
  }

  test('an expired certificate fails without a transparency log time', () => {
    const out = verifyCosignSignature(keyless([]), [keylessSig()], {
      ...target,
      now: new Date('2027-01-01T00:00:00Z'),
    });
    assert.equal(out.verified, false);
    assert.match(!out.verified ? out.reason : '', /certificate expired/);
  });

  test('SCT and Fulcio roots need the network unless waived', () => {
    assert.throws(
      () =>
        verifyCosignSignature(
          { keyless: { roots: rootPem }, ctlog: { insecureIgnoreTlog: true } },
          [keylessSig()],
          target,
        ),
      (e) => e instanceof NetworkRequiredError && /SCT.*insecureIgnoreSCT/.test(e.message),
    );
    assert.throws(
      () => verifyCosignSignature({ keyless: { identities: [] }, ctlog: offline }, [keylessSig()], target),
      (e) => e instanceof NetworkRequiredError && /Fulcio roots/.test(e.message),
    );
  });
});

describe('cosign certificate attestors', () => {
  test('certificate without chain: its key verifies', () => {
    const att: CosignAttestor = {
      certificate: { cert: { value: leafPem } },
      ctlog: { insecureIgnoreTlog: true },
    };
    assert.equal(verifyCosignSignature(att, [signature(leafKey.privateKey)], target).verified, true);
    assert.equal(verifyCosignSignature(att, [signature(ec.privateKey)], target).verified, false);
  });
  test('certificate with chain: the chain must hold', () => {
    const good: CosignAttestor = {
      certificate: { cert: { value: leafPem }, certChain: { value: interPem + rootPem } },
      ctlog: offline,
    };
    assert.equal(verifyCosignSignature(good, [signature(leafKey.privateKey)], target).verified, true);
    const bad: CosignAttestor = {
      certificate: { cert: { value: leafPem }, certChain: { value: strangerRootPem } },
      ctlog: offline,
    };
    assert.throws(
      () => verifyCosignSignature(bad, [signature(leafKey.privateKey)], target),
      /certificate chain/,
    );
  });
});

describe('cosign attestations', () => {
  const key: CosignAttestor = { key: { data: pem(ec.publicKey) }, ctlog: offline };
  const sbom = { bomFormat: 'CycloneDX', specVersion: '1.4' };
  const envelope = signedAttestation(ec.privateKey, DIGEST, 'https://cyclonedx.org/bom', sbom);
  const cases: { name: string; type: string; envelopes: object[]; verified: boolean; reason?: RegExp }[] = [
    {
      name: 'matching predicate type',
      type: 'https://cyclonedx.org/bom',
      envelopes: [envelope],
      verified: true,
    },
    { name: "cosign's short type name", type: 'cyclonedx', envelopes: [envelope], verified: true },
    {
      name: 'other predicate type',
      type: 'https://slsa.dev/provenance/v0.2',
      envelopes: [envelope],
      verified: false,
      reason:
        /required predicate type https:\/\/slsa\.dev\/provenance\/v0\.2 not found, found \[https:\/\/cyclonedx\.org\/bom\]/,
    },
    {
      name: 'statement about another image',
      type: 'cyclonedx',
      envelopes: [signedAttestation(ec.privateKey, OTHER, 'https://cyclonedx.org/bom', sbom)],
      verified: false,
      reason: /subject matches the image digest/,
    },
    {
      name: 'signed by another key',
      type: 'cyclonedx',
      envelopes: [signedAttestation(ec2.privateKey, DIGEST, 'https://cyclonedx.org/bom', sbom)],
      verified: false,
      reason: /invalid attestation signature/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = verifyCosignAttestation(
        key,
        { name: 'sbom', intoto: { type: c.type } },
        c.envelopes as never,
        target,
      );
      assert.equal(out.verified, c.verified, JSON.stringify(out));
      if (out.verified) assert.deepEqual(out.predicates, [sbom]);
      else if (c.reason !== undefined) assert.match(out.reason, c.reason);
    });
  }
  test('referrer attestations are not cosign attestations', () => {
    assert.throws(
      () => verifyCosignAttestation(key, { name: 'x', referrer: { type: 'sbom/cyclone-dx' } }, [], target),
      /only supports intoto/,
    );
  });
});
