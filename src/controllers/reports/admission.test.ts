import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AdmissionRequest,
  admit,
  compilePolicySet,
  type PolicyDocument,
  requestForObject,
} from '../../engine/index.js';
import { admissionRecord } from './admission.js';

const policy = (name: string, background: boolean): PolicyDocument<string>['document'] => {
  const document = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name },
    spec: {
      background,
      rules: [
        {
          name: 'label',
          match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
          validate: {
            failureAction: 'Audit',
            message: 'team',
            pattern: { metadata: { labels: { team: '?*' } } },
          },
        },
      ],
    },
  };
  return document;
};

const set = compilePolicySet(
  [policy('scanned', true), policy('admission-only', false)].map((document) => ({ document, source: 't' })),
).set;
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps' } };

async function recordFor(request: AdmissionRequest) {
  const outcome = await admit(set, request, { ports: {} });
  return admissionRecord(set, outcome.responses, request, 5);
}

describe('admissionRecord', () => {
  test('keeps only the results of background-off policies, as admission review', async () => {
    const r = await recordFor(requestForObject(cm, 'CREATE'));
    assert.deepEqual(r?.resource, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'c' });
    assert.deepEqual(
      r?.results.map((x) => [x.policy, x.rule, x.result, x.properties?.process]),
      [['admission-only', 'label', 'fail', 'admission review']],
    );
  });

  const none: [string, AdmissionRequest][] = [
    ['a deletion', requestForObject(cm, 'DELETE')],
    ['a dry run', requestForObject(cm, 'CREATE', { dryRun: true })],
  ];
  for (const [name, request] of none)
    test(`${name} records nothing`, async () => {
      assert.equal(await recordFor(request), undefined);
    });

  test('nothing when every policy is scanned in the background', async () => {
    const scannedOnly = compilePolicySet([{ document: policy('scanned', true), source: 't' }]).set;
    const request = requestForObject(cm, 'CREATE');
    const outcome = await admit(scannedOnly, request, { ports: {} });
    assert.equal(admissionRecord(scannedOnly, outcome.responses, request, 5), undefined);
  });
});
