// Apply rows built field by field against the former construction (spreads of the optional fields
// and of applyRowSource): same keys in the same order, same values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  admit,
  compilePolicySet,
  type KubeObject,
  type PolicyDocument,
  requestForObject,
} from '../../engine/index.js';
import { toResource } from '../../io/files/resources.js';
import { toReportResult } from '../../io/report/report-result.js';
import { loadDocuments } from '../../io/yaml/load-documents.js';
import { settledSource } from '../../io/yaml/source-map.js';
import { applyRowSource } from '../run/locate-rows.js';
import type { ApplyResultRow } from './apply-report.js';
import { applyRows, mutatedResources } from './apply-rows.js';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: c\n    image: nginx\n';

const policy = (kind: 'ClusterPolicy' | 'Policy', action: string): PolicyDocument<string>['document'] =>
  ({
    apiVersion: 'kyverno.io/v1',
    kind,
    metadata: {
      name: `team-${kind}`,
      ...(kind === 'Policy' ? { namespace: 'shop' } : {}),
      annotations: { 'policies.kyverno.io/title': 'Team' },
    },
    spec: {
      validationFailureAction: action,
      rules: [
        {
          name: 'team',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { message: 'team required', pattern: { metadata: { labels: { team: '?*' } } } },
        },
        {
          name: 'image',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { message: 'image', pattern: { spec: { containers: [{ image: '?*' }] } } },
        },
      ],
    },
  }) as PolicyDocument<string>['document'];

test('apply rows: the fields, in the order, of the former construction', async () => {
  const doc = loadDocuments(POD, 'pod.yaml').documents[0]!;
  const loaded = toResource(doc);
  assert.ok(loaded.ok);
  const compiled = compilePolicySet([
    { document: policy('ClusterPolicy', 'Audit'), source: '' },
    { document: policy('Policy', 'Enforce'), source: '' },
  ]);
  assert.deepEqual(compiled.diagnostics, []);
  const outcome = await admit(
    compiled.set,
    requestForObject(loaded.value.object),
    { ports: {} },
    { profile: 'cli' },
  );
  for (const auditWarn of [false, true])
    for (const payload of [false, true]) {
      const former: ApplyResultRow[] = [];
      for (const { policy: p, response: er } of outcome.responses)
        for (const rule of er.rules) {
          const report = toReportResult(p, er.policyKey, er.resource, er, rule, auditWarn);
          former.push({
            policy: er.policyKey,
            ...(!payload && er.policyNamespace !== undefined ? { policyNamespace: er.policyNamespace } : {}),
            rule: rule.name,
            ruleType: rule.type,
            resource: loaded.value.object,
            status: report.result,
            message: rule.message,
            auditWarning: auditWarn && er.validationFailureAction === 'Audit' && rule.status === 'fail',
            report,
            ...applyRowSource(loaded.value, rule, p.annotations),
          });
        }
      const rows = applyRows(outcome.responses, loaded.value.object, auditWarn, loaded.value, payload);
      const plain = (r: ApplyResultRow) =>
        JSON.stringify({ ...r, location: r.location === undefined ? undefined : settledSource(r.location) });
      assert.equal(rows.length, 4);
      assert.deepEqual(rows.map(plain), former.map(plain));
      assert.ok(rows.some((r) => r.path !== undefined) && rows.some((r) => r.path === undefined));
      assert.equal(
        rows.some((r) => r.policyNamespace !== undefined),
        !payload,
      );
    }
});

test("apply rows: a mutate-existing rule once per target, as Kyverno's CLI reports its responses", async () => {
  const doc = loadDocuments(POD, 'pod.yaml').documents[0]!;
  const loaded = toResource(doc);
  assert.ok(loaded.ok);
  const cms = ['a', 'b', 'c'].map((name) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    // b's labels are not a map: its patch fails
    metadata: { name, namespace: 'shop', ...(name === 'b' ? { labels: 'oops' } : {}) },
  }));
  const compiled = compilePolicySet([
    {
      document: {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'touch' },
        spec: {
          rules: [
            {
              name: 'cms',
              match: { any: [{ resources: { kinds: ['Pod'] } }] },
              mutate: {
                targets: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' }],
                patchStrategicMerge: { metadata: { labels: { touched: 'yes' } } },
              },
            },
          ],
        },
      } as PolicyDocument<string>['document'],
      source: '',
    },
  ]);
  const cluster = {
    get: () => undefined,
    list: (_a: string, kind: string) => (kind === 'ConfigMap' ? (cms as unknown as KubeObject[]) : []),
  };
  const outcome = await admit(
    compiled.set,
    requestForObject(loaded.value.object),
    { ports: { cluster } },
    { profile: 'cli' },
  );
  assert.equal(outcome.responses[0]?.response.rules.length, 1);
  assert.equal(outcome.responses[0]?.response.rules[0]?.status, 'error');
  const rows = applyRows(outcome.responses, loaded.value.object, false, loaded.value);
  assert.deepEqual(
    rows.map((r) => [r.rule, r.status]),
    [
      ['cms', 'pass'],
      ['cms', 'error'],
      ['cms', 'pass'],
    ],
  );
  assert.equal(rows[0]?.message, 'mutated ConfigMap/a in namespace shop');
  // The targets that passed are written, though the rule folds to an error.
  assert.deepEqual(
    mutatedResources(outcome.responses).map((m) => [m.resource.metadata?.name, m.resource.metadata?.labels]),
    [
      ['a', { touched: 'yes' }],
      ['c', { touched: 'yes' }],
    ],
  );
});
