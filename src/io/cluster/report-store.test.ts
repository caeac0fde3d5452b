import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeApiError, type KubeRest } from './kube-rest.js';
import { pagedList, reportStore } from './report-store.js';

function fakeRest(get: (path: string) => unknown): KubeRest & { calls: string[] } {
  const calls: string[] = [];
  const record = async (method: string, path: string): Promise<never> => {
    calls.push(`${method} ${path}`);
    return undefined as never;
  };
  return {
    calls,
    get: async (path) => {
      calls.push(`GET ${path}`);
      return get(path) as never;
    },
    post: (path) => record('POST', path),
    put: (path) => record('PUT', path),
    apply: (path) => record('PATCH', path),
    delete: async (path) => {
      await record('DELETE', path);
    },
  };
}

describe('pagedList', () => {
  test('follows continue tokens, and starts again when one expired (410)', async () => {
    let expired = false;
    const rest = fakeRest((path) => {
      if (path.includes('continue=b') && !expired) {
        expired = true;
        throw new KubeApiError(410, 'the continue token has expired', 'Expired');
      }
      if (path.includes('continue=b')) return { items: [{ n: 3 }] };
      if (path.includes('continue=a')) return { items: [{ n: 2 }], metadata: { continue: 'b' } };
      return { items: [{ n: 1 }], metadata: { continue: 'a' } };
    });
    const seen: unknown[] = [];
    for await (const page of pagedList(rest, '/api/v1/pods', 1)) seen.push(...page.map((o) => o.n));
    assert.deepEqual(seen, [1, 2, 1, 2, 3]);
    assert.equal(rest.calls[0], 'GET /api/v1/pods?limit=1');
  });

  test('other errors, and a 410 on the first page, are thrown', async () => {
    const rest = fakeRest(() => {
      throw new KubeApiError(410, 'gone');
    });
    await assert.rejects(async () => {
      for await (const _ of pagedList(rest, '/api/v1/pods')) void _;
    }, /gone/);
  });
});

describe('reportStore', () => {
  const cases = [
    ['wgpolicyk8s', 'apps', '/apis/wgpolicyk8s.io/v1alpha2/namespaces/apps/policyreports/u1'],
    ['wgpolicyk8s', undefined, '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/u1'],
    ['openreports', 'apps', '/apis/openreports.io/v1alpha1/namespaces/apps/reports/u1'],
    ['openreports', undefined, '/apis/openreports.io/v1alpha1/clusterreports/u1'],
  ] as const;
  for (const [api, ns, path] of cases)
    test(`${api} ${ns ?? 'cluster'}: ${path}`, async () => {
      const rest = fakeRest(() => {
        throw new KubeApiError(404, 'not found');
      });
      const store = reportStore(rest, api);
      assert.equal(await store.get(ns, 'u1'), undefined);
      await store.delete(ns, 'u1');
      assert.deepEqual(rest.calls, [`GET ${path}`, `DELETE ${path}`]);
    });
});
