// admit with asynchronous ports (ADR 0008): verdicts that do not depend on timing or on other requests in
// flight, and a deadline that ends an evaluation whose port never answers with a rule error naming it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AsyncPorts, PortResult } from '../async-ports.js';
import type { KubeObject } from '../model/kube-object.js';
import { admit } from './admit.js';
import { requestForObject } from './request.js';
import { clusterPolicy, pod, podRule, setOf, validatingPolicy } from './testdata/policies.js';
import type { AdmissionOutcome } from './types.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// The team's ConfigMap says whether the team may deploy (a legacy context entry read through the cluster port).
const teamAllowed = clusterPolicy('team-allowed', {
  validationFailureAction: 'Enforce',
  rules: [
    {
      name: 'allowed',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      context: [
        {
          name: 'team',
          configMap: { name: '{{ request.object.metadata.labels.team }}', namespace: 'default' },
        },
      ],
      validate: {
        message: 'team {{ request.object.metadata.labels.team }} may not deploy',
        deny: {
          conditions: { any: [{ key: '{{ team.data.allowed }}', operator: 'NotEquals', value: 'yes' }] },
        },
      },
    },
  ],
});

// The same question through CEL's resource library.
const teamQuota = validatingPolicy('team-quota', {
  validationActions: ['Deny'],
  matchConstraints: podRule(),
  variables: [
    {
      name: 'cm',
      expression: 'resource.Get("v1", "configmaps", "default", object.metadata.labels["team"])',
    },
  ],
  validations: [{ expression: 'variables.cm.data.quota != "0"', message: 'the team has no quota' }],
});

const teams: Record<string, Record<string, string>> = {
  red: { allowed: 'yes', quota: '3' },
  blue: { allowed: 'no', quota: '1' },
  green: { allowed: 'yes', quota: '0' },
};

/** A cluster that answers after `delay()` ms. */
function slowCluster(delay: () => number): AsyncPorts {
  const find = (name: string): KubeObject | undefined => {
    const data = teams[name];
    return data === undefined
      ? undefined
      : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
  };
  return {
    cluster: {
      async get(_apiVersion, kind, _namespace, name) {
        await sleep(delay());
        return { ok: true, value: kind === 'ConfigMap' ? find(name) : undefined };
      },
      async list() {
        await sleep(delay());
        return { ok: true, value: [] };
      },
    },
  };
}

/** What a verdict is made of, without timings. */
function verdict(o: AdmissionOutcome) {
  return {
    allowed: o.allowed,
    rules: o.responses.flatMap((r) =>
      r.response.rules.map((x) => `${r.policy.name}/${x.name}: ${x.status} ${x.message}`),
    ),
  };
}

describe('admit with asynchronous ports', () => {
  const set = setOf(teamAllowed, teamQuota);
  const names = ['red', 'blue', 'green', 'none'];

  test('the replayed evaluation sees the port answers (legacy context and CEL resource library)', async () => {
    const red = await admit(set, requestForObject(pod('p', 'default', { team: 'red' })), {
      asyncPorts: slowCluster(() => 2),
    });
    assert.equal(red.allowed, true, JSON.stringify(verdict(red)));
    const blue = await admit(set, requestForObject(pod('p', 'default', { team: 'blue' })), {
      asyncPorts: slowCluster(() => 2),
    });
    assert.equal(blue.allowed, false);
    assert.match(verdict(blue).rules.join('\n'), /team-allowed\/allowed: fail team blue may not deploy/);
    const green = await admit(set, requestForObject(pod('p', 'default', { team: 'green' })), {
      asyncPorts: slowCluster(() => 2),
    });
    assert.match(verdict(green).rules.join('\n'), /team-quota\S*: fail the team has no quota/);
  });

  test('many concurrent requests through ports with random delays get the sequential verdicts', async () => {
    const requests = Array.from({ length: 80 }, (_, i) =>
      requestForObject(pod(`p${i}`, 'default', { team: names[i % names.length] ?? 'red' })),
    );
    const sequential = [];
    for (const r of requests)
      sequential.push(verdict(await admit(set, r, { asyncPorts: slowCluster(() => 0) })));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 9;
    };
    const shared = slowCluster(random);
    const concurrent = await Promise.all(requests.map((r) => admit(set, r, { asyncPorts: shared })));
    assert.deepEqual(concurrent.map(verdict), sequential);
    assert.ok(sequential.some((v) => v.allowed) && sequential.some((v) => !v.allowed), 'both verdicts occur');
  });

  test('a port that never answers ends, at the deadline, with a rule error naming the timeout', async () => {
    const stuck: AsyncPorts = {
      cluster: {
        get: () => new Promise<PortResult<KubeObject | undefined>>(() => {}),
        list: () => new Promise<PortResult<readonly KubeObject[]>>(() => {}),
      },
    };
    // AbortSignal.timeout does not hold the event loop open; a real port's socket would.
    const keepAlive = setTimeout(() => {}, 10_000);
    const started = Date.now();
    const out = await admit(set, requestForObject(pod('p', 'default', { team: 'red' })), {
      asyncPorts: stuck,
      signal: AbortSignal.timeout(50),
    });
    clearTimeout(keepAlive);
    assert.ok(Date.now() - started < 5000, 'the deadline ends the wait');
    const rules = out.responses.flatMap((r) => r.response.rules);
    assert.ok(rules.length >= 2, JSON.stringify(verdict(out)));
    for (const r of rules) {
      assert.equal(r.status, 'error', `${r.name}: ${r.message}`);
      // The port's own answer ("… timed out") or the legacy engine's check of the signal (limit requestTimeoutMs).
      assert.match(r.message, /timed out|requestTimeoutMs .*timeout/);
    }
  });

  test('a signal aborted before the request starts rejects', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await assert.rejects(
      admit(set, requestForObject(pod('p', 'default', { team: 'red' })), {
        asyncPorts: slowCluster(() => 0),
        signal: controller.signal,
      }),
      /shutting down/,
    );
  });
});
