// Policy metrics: each rule result counted in the series of its own labels, whatever was seen before.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyRef } from '../../engine/index.js';
import type { Decision } from '../http.js';
import { createMetrics } from './metrics.js';

const cpol: PolicyRef = { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'cp' };
const vpol: PolicyRef = { apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy', name: 'vp' };

function decision(
  namespace: string,
  results: { policy: PolicyRef; action: string; rules: { name: string; status: string }[] }[],
  dryRun = false,
): Decision {
  return {
    endpoint: { webhook: 'ValidatingWebhookConfiguration' },
    request: {
      uid: 'u',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      namespace,
      operation: 'CREATE',
      ...(dryRun ? { dryRun: true } : {}),
    },
    answer: {
      response: { uid: 'u', allowed: true },
      outcome: {
        responses: results.map((r) => ({
          policy: r.policy,
          durationMs: 2,
          response: {
            validationFailureAction: r.action,
            rules: r.rules.map((x) => ({ name: x.name, status: x.status, type: 'Validation' })),
          },
        })),
      },
    },
  } as unknown as Decision;
}

async function exposition(record: (m: ReturnType<typeof createMetrics>) => void): Promise<string> {
  const metrics = createMetrics({ processMetrics: false });
  record(metrics);
  return metrics.registry.metrics();
}

function count(text: string, metric: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${metric}{`) && l.includes(labels));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('policy metrics', () => {
  test('results go to the series of their namespace, result, mode and dry run', async () => {
    const text = await exposition((m) => {
      m.record(
        decision('a', [{ policy: cpol, action: 'Audit', rules: [{ name: 'r', status: 'pass' }] }]),
        0.01,
      );
      m.record(
        decision('a', [{ policy: cpol, action: 'Audit', rules: [{ name: 'r', status: 'pass' }] }]),
        0.01,
      );
      m.record(
        decision('a', [{ policy: cpol, action: 'Audit', rules: [{ name: 'r', status: 'fail' }] }]),
        0.01,
      );
      m.record(
        decision('b', [{ policy: cpol, action: 'Audit', rules: [{ name: 'r', status: 'pass' }] }]),
        0.01,
      );
      m.record(
        decision('a', [{ policy: cpol, action: 'Enforce', rules: [{ name: 'r', status: 'pass' }] }]),
        0.01,
      );
      m.record(
        decision('a', [{ policy: cpol, action: 'Audit', rules: [{ name: 'r', status: 'pass' }] }], true),
        0.01,
      );
    });
    const results = 'kyverno_policy_results_total';
    const labels = (mode: string, ns: string, result: string, dry: string) =>
      `policy_validation_mode="${mode}",policy_type="cluster",policy_background_mode="false",policy_namespace="-",policy_name="cp",resource_kind="Pod",resource_namespace="${ns}",resource_request_operation="create",rule_name="r",rule_result="${result}",rule_type="validate",rule_execution_cause="admission_request",dry_run="${dry}"`;
    assert.equal(count(text, results, labels('audit', 'a', 'pass', 'false')), 2);
    assert.equal(count(text, results, labels('audit', 'a', 'fail', 'false')), 1);
    assert.equal(count(text, results, labels('audit', 'b', 'pass', 'false')), 1);
    assert.equal(count(text, results, labels('enforce', 'a', 'pass', 'false')), 1);
    assert.equal(count(text, results, labels('audit', 'a', 'pass', 'true')), 1);
    assert.equal(
      count(text, 'kyverno_policy_execution_duration_seconds_count', labels('audit', 'a', 'pass', 'false')),
      2,
    );
    assert.equal(
      count(text, 'kyverno_policy_execution_duration_seconds_sum', labels('audit', 'a', 'pass', 'false')),
      0.004,
    );
  });

  test('CEL policies count per policy in their own family, rules of several policies apart', async () => {
    const other: PolicyRef = { ...vpol, name: 'vp2' };
    const text = await exposition((m) => {
      for (let i = 0; i < 3; i++)
        m.record(
          decision('a', [
            { policy: vpol, action: 'Enforce', rules: [{ name: '', status: i === 0 ? 'fail' : 'pass' }] },
            { policy: other, action: 'Audit', rules: [{ name: '', status: 'pass' }] },
          ]),
          0.01,
        );
    });
    const results = 'kyverno_validating_policy_results_total';
    assert.equal(
      count(
        text,
        results,
        'policy_validation_mode="Deny",policy_background_mode="false",policy_name="vp",policy_namespace="",resource_kind="Pod",resource_namespace="a",resource_request_operation="create",execution_cause="admission_request",result="pass"',
      ),
      2,
    );
    assert.equal(
      count(
        text,
        results,
        'policy_name="vp",policy_namespace="",resource_kind="Pod",resource_namespace="a",resource_request_operation="create",execution_cause="admission_request",result="fail"',
      ),
      1,
    );
    assert.equal(
      count(text, results, 'policy_validation_mode="Audit",policy_background_mode="false",policy_name="vp2"'),
      3,
    );
    assert.equal(
      count(
        text,
        'kyverno_admission_requests_total',
        'resource_kind="Pod",resource_namespace="a",resource_request_operation="create",request_allowed="true"',
      ),
      3,
    );
  });

  test('admission series: one per kind, namespace, operation, answer and webhook; dry runs share them', async () => {
    const review = (
      namespace: string,
      operation: string,
      allowed: boolean,
      webhook: string,
      dryRun: boolean,
    ): Decision => {
      const d = decision(namespace, [], dryRun) as unknown as {
        endpoint: { webhook: string };
        request: { operation: string };
        answer: { response: { allowed: boolean } };
      };
      d.endpoint.webhook = webhook;
      d.request.operation = operation;
      d.answer.response.allowed = allowed;
      return d as unknown as Decision;
    };
    const calls: [string, string, boolean, string, boolean, number][] = [
      ['a', 'CREATE', true, 'V', false, 1],
      ['a', 'CREATE', true, 'V', true, 2],
      ['a', 'CREATE', false, 'V', false, 4],
      ['a', 'CREATE', true, 'M', false, 8],
      ['a', 'UPDATE', true, 'V', false, 16],
      ['b', 'CREATE', true, 'V', false, 32],
      ['a', 'CREATE', false, 'V', true, 64],
    ];
    const text = await exposition((m) => {
      for (const [ns, op, allowed, webhook, dry, seconds] of calls)
        m.record(review(ns, op, allowed, webhook, dry), seconds);
    });
    const labels = (ns: string, op: string, allowed: boolean, webhook: string) =>
      `resource_kind="Pod",resource_namespace="${ns}",resource_request_operation="${op}",request_allowed="${allowed}",request_webhook="${webhook}"`;
    const expected: [string, string, boolean, string, number, number][] = [
      ['a', 'create', true, 'V', 2, 3],
      ['a', 'create', false, 'V', 2, 68],
      ['a', 'create', true, 'M', 1, 8],
      ['a', 'update', true, 'V', 1, 16],
      ['b', 'create', true, 'V', 1, 32],
    ];
    for (const [ns, op, allowed, webhook, n, sum] of expected) {
      const l = labels(ns, op, allowed, webhook);
      assert.equal(count(text, 'kyverno_admission_requests_total', l), n, l);
      assert.equal(count(text, 'kyverno_admission_review_duration_seconds_count', l), n, l);
      assert.equal(count(text, 'kyverno_admission_review_duration_seconds_sum', l), sum, l);
    }
    assert.equal(text.split('\n').filter((l) => l.startsWith('kyverno_admission_requests_total{')).length, 5);
  });
});
