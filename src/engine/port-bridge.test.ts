import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AsyncPorts, PortResult } from './async-ports.js';
import type { KubeObject } from './model/kube-object.js';
import { evaluateWithAsyncPorts, PortCallError } from './port-bridge.js';
import type { Ports } from './ports.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

/** A cluster whose reads answer after `delay()` ms, counting the calls it receives. */
function slowCluster(objects: readonly KubeObject[], delay: () => number) {
  const calls: string[] = [];
  const ports: AsyncPorts = {
    cluster: {
      async get(apiVersion, kind, namespace, name) {
        calls.push(`get ${kind} ${name}`);
        await sleep(delay());
        const found = objects.find(
          (o) => o.apiVersion === apiVersion && o.kind === kind && o.metadata?.name === name,
        );
        return { ok: true, value: namespace === undefined ? undefined : found };
      },
      async list(_apiVersion, kind) {
        calls.push(`list ${kind}`);
        await sleep(delay());
        return { ok: true, value: objects.filter((o) => o.kind === kind) };
      },
    },
  };
  return { ports, calls };
}

/** A toy evaluation: follows `next` pointers through ConfigMaps, as a chain of context entries would. */
function followChain(ports: Ports, start: string): string[] {
  const seen: string[] = [];
  let name: string | undefined = start;
  while (name !== undefined && seen.length < 50) {
    const cm: KubeObject | undefined = ports.cluster?.get('v1', 'ConfigMap', 'default', name);
    if (cm === undefined) break;
    seen.push(name);
    name = (cm.data as Record<string, string> | undefined)?.next;
  }
  return seen;
}

describe('evaluateWithAsyncPorts', () => {
  test('an evaluation that calls no port runs once', async () => {
    let runs = 0;
    const result = await evaluateWithAsyncPorts({}, () => {
      runs++;
      return 'verdict';
    });
    assert.equal(result, 'verdict');
    assert.equal(runs, 1);
  });

  test('a port answer that arrives later is seen by the replayed evaluation', async () => {
    const { ports, calls } = slowCluster([configMap('a', {})], () => 5);
    let runs = 0;
    const seen = await evaluateWithAsyncPorts(ports, (p) => {
      runs++;
      return followChain(p, 'a');
    });
    assert.deepEqual(seen, ['a']);
    assert.equal(runs, 2);
    assert.deepEqual(calls, ['get ConfigMap a'], 'each distinct call is made once per request');
  });

  test('dependent calls take one round each', async () => {
    const objects = [configMap('a', { next: 'b' }), configMap('b', { next: 'c' }), configMap('c', {})];
    const { ports } = slowCluster(objects, () => 1);
    let runs = 0;
    const seen = await evaluateWithAsyncPorts(ports, (p) => {
      runs++;
      return followChain(p, 'a');
    });
    assert.deepEqual(seen, ['a', 'b', 'c']);
    assert.equal(runs, 4);
  });

  test('independent calls of one round are started together', async () => {
    const { ports } = slowCluster([configMap('a', {}), configMap('b', {})], () => 1);
    let runs = 0;
    const both = await evaluateWithAsyncPorts(ports, (p) => {
      runs++;
      return [followChain(p, 'a'), followChain(p, 'b')];
    });
    assert.deepEqual(both, [['a'], ['b']]);
    assert.equal(runs, 2);
  });

  test('a chain longer than maxRounds is cut with an error naming the limit', async () => {
    const objects = Array.from({ length: 20 }, (_, i) => configMap(`n${i}`, { next: `n${i + 1}` }));
    const { ports } = slowCluster(objects, () => 0);
    const outcome = await evaluateWithAsyncPorts(
      ports,
      (p) => {
        try {
          return followChain(p, 'n0').length;
        } catch (err) {
          return err instanceof PortCallError ? err.message : 'other';
        }
      },
      { maxRounds: 3 },
    );
    assert.match(String(outcome), /more than 3 rounds of dependent external calls/);
  });

  test('a port that never answers ends with a timeout error once the signal fires', async () => {
    const ports: AsyncPorts = {
      apiCaller: { call: () => new Promise<PortResult<unknown>>(() => {}) },
    };
    const started = Date.now();
    // AbortSignal.timeout's timer does not hold the event loop open; a real port's socket would.
    const keepAlive = setTimeout(() => {}, 5000);
    const answer = await evaluateWithAsyncPorts(
      ports,
      (p) => p.apiCaller?.call({ method: 'GET', urlPath: '/api/v1/namespaces' }),
      { signal: AbortSignal.timeout(30) },
    );
    clearTimeout(keepAlive);
    assert.ok(Date.now() - started < 2000, 'the abort ends the wait');
    assert.equal(answer?.ok, false);
    assert.match(answer?.ok === false ? answer.error : '', /API call GET \/api\/v1\/namespaces: timed out/);
  });

  test('a cancelled signal names the cancellation, not a timeout', async () => {
    const controller = new AbortController();
    const ports: AsyncPorts = {
      globalContext: { get: () => new Promise<PortResult<unknown>>(() => {}) },
    };
    setTimeout(() => controller.abort(new Error('client went away')), 5);
    const answer = await evaluateWithAsyncPorts(ports, (p) => p.globalContext?.get('deployments'), {
      signal: controller.signal,
    });
    assert.deepEqual(answer, {
      ok: false,
      error: 'global context entry deployments: cancelled (client went away)',
    });
  });

  test('a cluster read that fails throws PortCallError with the port code', async () => {
    const ports: AsyncPorts = {
      cluster: {
        get: async () => ({ ok: false, code: 'forbidden', message: 'configmaps "a" is forbidden' }),
        list: async () => ({ ok: true, value: [] }),
      },
    };
    const outcome = await evaluateWithAsyncPorts(ports, (p) => {
      try {
        return p.cluster?.get('v1', 'ConfigMap', 'default', 'a');
      } catch (err) {
        return err instanceof PortCallError ? `${err.code}: ${err.message}` : 'other';
      }
    });
    assert.equal(outcome, 'forbidden: configmaps "a" is forbidden');
  });

  test('a port that rejects becomes an error answer, not a rejection', async () => {
    const ports: AsyncPorts = {
      imageData: {
        get: async () => {
          throw new Error('registry unreachable');
        },
      },
    };
    const answer = await evaluateWithAsyncPorts(ports, (p) => p.imageData?.get('nginx:1'));
    assert.deepEqual(answer, { ok: false, error: 'image data of nginx:1: registry unreachable' });
  });

  test('a local copy (peek) answers in the first round and stays fixed for the request', async () => {
    let copy: KubeObject | undefined = configMap('held', { v: '1' });
    let gets = 0;
    let rounds = 0;
    const ports: AsyncPorts = {
      cluster: {
        peek: (_a, _k, _ns, name) => (name === 'held' ? copy : undefined),
        async get() {
          gets++;
          return { ok: true, value: undefined };
        },
        async list() {
          return { ok: true, value: [] };
        },
      },
    };
    const seen = await evaluateWithAsyncPorts(ports, (p) => {
      rounds++;
      const first = p.cluster?.get('v1', 'ConfigMap', 'default', 'held')?.data;
      copy = configMap('held', { v: '2' });
      p.cluster?.get('v1', 'ConfigMap', 'default', 'other');
      return first;
    });
    assert.deepEqual(seen, { v: '1' });
    assert.equal(gets, 1, 'only the object not held is fetched');
    assert.equal(rounds, 2);
  });

  test('concurrent requests through slow ports get the same verdicts as sequential ones', async () => {
    const objects = Array.from({ length: 12 }, (_, i) =>
      configMap(`c${i}`, i % 3 === 2 ? {} : { next: `c${i + 1}` }),
    );
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 7;
    };
    const starts = Array.from({ length: 60 }, (_, i) => `c${i % 12}`);
    const sequential: string[][] = [];
    for (const s of starts) {
      sequential.push(
        await evaluateWithAsyncPorts(slowCluster(objects, () => 0).ports, (p) => followChain(p, s)),
      );
    }
    const shared = slowCluster(objects, random);
    const concurrent = await Promise.all(
      starts.map((s) => evaluateWithAsyncPorts(shared.ports, (p) => followChain(p, s))),
    );
    assert.deepEqual(concurrent, sequential);
    assert.ok(
      sequential.some((chain) => chain.length > 1),
      'the case exercises dependent calls',
    );
  });
});
