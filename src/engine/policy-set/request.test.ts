// The request each legacy policy evaluates: shared by the policies of a request that read the same.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { indexExceptions } from '../kinds/policy-exception/exception-index.js';
import type { KubeObject } from '../model/kube-object.js';
import type { VariableValues } from '../request.js';
import type { EvaluationRuntime } from '../runtime.js';
import { type LegacyRequestMemo, legacyEvaluationRequest, requestForObject } from './request.js';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' } };
const other: KubeObject = { ...pod, metadata: { name: 'q', namespace: 'n' } };
const exceptions = indexExceptions([]);
const otherExceptions = indexExceptions([]);
const runtime: EvaluationRuntime = { ports: {} };
const limited: EvaluationRuntime = { ports: {}, limits: { maxJmespathCost: 3 } };
const values = (op: string): VariableValues => ({
  global: { 'request.operation': op },
  rules: {},
  foreachValues: {},
});

describe('legacyEvaluationRequest', () => {
  test('policies with the same inputs share one request; any other input makes its own, equal to a fresh one', () => {
    const plain = requestForObject(pod);
    const update = requestForObject(pod, 'UPDATE');
    const shared = values('CREATE');
    const perPolicy = requestForObject(pod, 'CREATE', {
      context: { variables: (name) => (name === 'a' ? shared : values('DELETE')) },
    });
    const memo: LegacyRequestMemo = {};
    const first = legacyEvaluationRequest(memo, plain, 'a', pod, exceptions, runtime, 'admission');
    assert.equal(legacyEvaluationRequest(memo, plain, 'b', pod, exceptions, runtime, 'admission'), first);
    const table: [string, () => ReturnType<typeof legacyEvaluationRequest>][] = [
      ['object', () => legacyEvaluationRequest(memo, plain, 'b', other, exceptions, runtime, 'admission')],
      ['request', () => legacyEvaluationRequest(memo, update, 'b', pod, exceptions, runtime, 'admission')],
      ['runtime', () => legacyEvaluationRequest(memo, plain, 'b', pod, exceptions, limited, 'admission')],
      [
        'exceptions',
        () => legacyEvaluationRequest(memo, plain, 'b', pod, otherExceptions, runtime, 'admission'),
      ],
      ['profile', () => legacyEvaluationRequest(memo, plain, 'b', pod, exceptions, runtime, 'cli')],
      ['values', () => legacyEvaluationRequest(memo, perPolicy, 'a', pod, exceptions, runtime, 'cli')],
    ];
    for (const [name, make] of table) {
      legacyEvaluationRequest(memo, plain, 'a', pod, exceptions, runtime, 'admission');
      const made = make();
      assert.notEqual(made, first, name);
      // The same again is shared, and equals one made after something else.
      assert.equal(make(), made, name);
      legacyEvaluationRequest(memo, plain, 'a', pod, exceptions, runtime, 'admission');
      assert.deepEqual(make(), made, name);
    }
    const a = legacyEvaluationRequest(memo, perPolicy, 'a', pod, exceptions, runtime, 'cli');
    assert.equal(a.operation, 'CREATE');
    const c = legacyEvaluationRequest(memo, perPolicy, 'c', pod, exceptions, runtime, 'cli');
    assert.equal(c.operation, 'DELETE');
    assert.equal(
      legacyEvaluationRequest(memo, perPolicy, 'a', pod, exceptions, runtime, 'cli').values,
      shared,
    );
  });

  test('admissions do not share: each keeps its own last request', () => {
    const plain = requestForObject(pod);
    const first = legacyEvaluationRequest({}, plain, 'a', pod, exceptions, runtime, 'admission');
    const second = legacyEvaluationRequest({}, plain, 'a', pod, exceptions, runtime, 'admission');
    assert.notEqual(second, first);
    assert.deepEqual(second, first);
  });
});
