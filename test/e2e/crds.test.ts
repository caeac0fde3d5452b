// The generated CRDs (config/crds, `npm run crds`) on a real API server: every one is accepted
// (structural, valid) and established, the corpus's policies of several kinds are accepted by
// `kubectl apply --server-side` with strict field validation, and a policy's status (written through
// the status subresource) keeps the fields the reference's suites assert on.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const CRD_DIR = resolve(import.meta.dirname, '../../config/crds');
const CORPUS = resolve(import.meta.dirname, '../../../shared/conformance/kyverno-policies');
/** ClusterPolicy (pattern and CEL rules), ValidatingPolicy, MutatingPolicy, GeneratingPolicy. */
const SAMPLE = [
  'pod-security',
  'pod-security-cel',
  'pod-security-vpol',
  'best-practices-vpol',
  'best-practices-mpol',
  'other-gpol',
];
const POLICY_GROUPS = ['kyverno.io/', 'policies.kyverno.io/'];

/** Policy documents of the YAML files below `dir`, skipping test folders (.chainsaw-test, .kyverno-test). */
function policyDocuments(dir: string): unknown[] {
  const out: unknown[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...policyDocuments(full));
    else if (entry.name.endsWith('.yaml')) {
      for (const doc of parseAllDocuments(readFileSync(full, 'utf8'))) {
        const value = doc.toJS() as { apiVersion?: unknown } | null;
        if (
          typeof value?.apiVersion === 'string' &&
          POLICY_GROUPS.some((g) => String(value.apiVersion).startsWith(g))
        )
          out.push(value);
      }
    }
  }
  return out;
}

describe('generated CRDs on a real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed();
  });
  after(async () => {
    await tb?.stop();
  });

  test('every CRD is accepted and established', async () => {
    const files = readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'));
    const applied = await tb.kubectl(['apply', '--server-side', '-f', CRD_DIR]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout.trim().split('\n').length, files.length, applied.stdout);
    const established = await tb.kubectl([
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      '-f',
      CRD_DIR,
    ]);
    assert.equal(established.code, 0, established.stderr);
  });

  test('the sample of the corpus is accepted with strict field validation', async () => {
    const docs = SAMPLE.flatMap((d) => policyDocuments(join(CORPUS, d)));
    const kinds = new Set(docs.map((d) => (d as { kind: string }).kind));
    assert.ok(docs.length >= 50, `only ${docs.length} policies in the sample`);
    for (const k of ['ClusterPolicy', 'ValidatingPolicy', 'MutatingPolicy', 'GeneratingPolicy'])
      assert.ok(kinds.has(k), k);
    // Several policies may share a name across folders: one namespace of names per folder is not needed
    // for cluster-scoped kinds, so apply folder by folder and count the objects written.
    let written = 0;
    for (const folder of SAMPLE) {
      const list = { apiVersion: 'v1', kind: 'List', items: policyDocuments(join(CORPUS, folder)) };
      const r = await tb.kubectl(
        ['apply', '--server-side', '--validate=strict', '-f', '-'],
        JSON.stringify(list),
      );
      assert.equal(r.code, 0, `${folder}: ${r.stderr}`);
      written += r.stdout.trim().split('\n').length;
    }
    assert.equal(written, docs.length);
  });

  test('a policy status keeps Ready conditions and conditionStatus through the status subresource', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'Succeeded',
      message: 'Ready',
      lastTransitionTime: now,
    };
    const cases = [
      {
        path: '/apis/kyverno.io/v1/clusterpolicies/disallow-privileged-containers',
        status: {
          ready: true,
          conditions: [ready],
          rulecount: { validate: 1, mutate: 0, generate: 0, verifyimages: 0 },
        },
      },
      {
        path: '/apis/policies.kyverno.io/v1beta1/validatingpolicies/disallow-privileged-containers',
        status: {
          conditionStatus: {
            ready: true,
            message: '',
            conditions: [{ ...ready, type: 'WebhookConfigured' }],
          },
        },
      },
    ];
    for (const c of cases) {
      const got = await tb.api('GET', c.path);
      assert.equal(got.status, 200, JSON.stringify(got.body));
      const put = await tb.api('PUT', `${c.path}/status`, { ...(got.body as object), status: c.status });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const back = await eventually('status stored', 5000, async () => {
        const r = await tb.api('GET', c.path);
        return (r.body as { status?: unknown }).status;
      });
      assert.deepEqual(back, c.status);
    }
    const wide = await tb.kubectl(['get', 'cpol', 'disallow-privileged-containers']);
    assert.match(wide.stdout, /READY/);
    assert.match(wide.stdout, /^disallow-privileged-containers\s.*\sTrue\s+\d+s\s+Ready$/m);
  });
});
