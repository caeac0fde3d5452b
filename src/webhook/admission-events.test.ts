// Admission's events: each endpoint reports its own rules, and feeding the writer never holds the
// request back, even when the writer's queue is full and the API server does not answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PolicyResult } from '../engine/index.js';
import type { AdmittedRequest } from '../io/background.js';
import type { EventInfo } from '../io/events/event-info.js';
import { createEventWriter } from '../io/events/event-writer.js';
import { admissionEventFeed, eventsOfAdmission } from './admission-events.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'a' } };

function admitted(role: AdmittedRequest['role'], allowed: boolean): AdmittedRequest {
  const response = {
    policy: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' },
    ruleActions: undefined,
    failurePolicy: 'Fail',
    response: {
      policyKey: 'p',
      policyName: 'p',
      policyKind: 'ClusterPolicy',
      resource: pod,
      patchedResource: pod,
      validationFailureAction: 'Enforce',
      rules: [
        { name: 'v', type: 'Validation', status: 'fail', message: 'bad' },
        { name: 'm', type: 'Mutation', status: 'fail', message: 'patch failed' },
      ],
    },
  } as unknown as PolicyResult;
  return {
    request: {} as AdmittedRequest['request'],
    set: {} as AdmittedRequest['set'],
    select: () => true,
    role,
    responses: [response],
    allowed,
  };
}

test('the validate endpoint reports validation rules, the mutate endpoint mutation rules, generate none', () => {
  const rules = (events: EventInfo[]) => events.map((e) => e.message.match(/\[(\w)\]/)?.[1] ?? e.message);
  assert.deepEqual(rules(eventsOfAdmission(admitted('validate', false))), ['v']);
  assert.deepEqual(rules(eventsOfAdmission(admitted('mutate', true))), [
    'm',
    'policy p/m fail: patch failed',
  ]);
  assert.deepEqual(eventsOfAdmission(admitted('generate', true)), []);
});

test('feeding a full writer whose API server never answers takes no time on the request path', async () => {
  const writer = createEventWriter({
    transport: {
      create: () => new Promise(() => undefined),
      updateSeries: () => new Promise(() => undefined),
    },
    maxQueued: 1,
    omit: new Set(),
    qps: 1,
    burst: 1,
    instance: 'test',
  });
  const feed = admissionEventFeed(writer);
  const started = performance.now();
  for (let i = 0; i < 1000; i++) feed(admitted('validate', false));
  const onPath = performance.now() - started;
  assert.ok(onPath < 50, `1,000 requests spent ${onPath} ms feeding events`);
  await new Promise((r) => setImmediate(r));
  // The same blocked violation each time: one event queued or in flight, its count raised, none lost.
  assert.equal(writer.stats().aggregated + writer.stats().queued + 1, 1000);
});
