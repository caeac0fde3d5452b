// kyverno.io/docs/writing-policies/variables ("Inline Variables") and external-data-sources
// (ConfigMap, API calls), Kyverno pkg/engine/context/loaders (kyverno-reference §2.4, §2.7).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContextEntry } from '../kinds/cluster-policy/types.js';
import type { KubeObject } from '../model/kube-object.js';
import type { ApiCaller, ApiCallRequest, ClusterReader, Ports } from '../ports.js';
import { JsonContext } from './json-context.js';
import { ContextLoadError, loadContextEntries } from './load-context.js';

const newCtx = () =>
  new JsonContext({
    request: {
      operation: 'CREATE',
      namespace: 'shop',
      object: { metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } } },
    },
  });

const load = (
  entries: ContextEntry[],
  ports: Ports = {},
  extra: { policyNamespace?: string; ruleValues?: Record<string, unknown> } = {},
) => {
  const ctx = newCtx();
  loadContextEntries(entries, ctx, { ports, ...extra });
  // Each entry read once, as a rule naming it would: a failed load is an error from then on.
  for (const e of entries) {
    if (Object.hasOwn(extra.ruleValues ?? {}, e.name)) continue;
    try {
      ctx.query(e.name);
    } catch (error) {
      if (error instanceof ContextLoadError) throw error;
    }
  }
  return ctx;
};

function fakeCluster(objects: KubeObject[]): ClusterReader {
  return {
    get: (_apiVersion, kind, namespace, name) =>
      objects.find(
        (o) =>
          o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? '') === (namespace ?? ''),
      ),
    list: () => objects,
  };
}

function fakeApi(answers: Record<string, unknown>, seen: ApiCallRequest[] = []): ApiCaller {
  return {
    call: (req) => {
      seen.push(req);
      const key = req.urlPath ?? req.url ?? '';
      return key in answers ? { ok: true, body: answers[key] } : undefined;
    },
  };
}

describe('variable entries', () => {
  test('static value (docs: foodata)', () => {
    assert.equal(load([{ name: 'foodata', variable: { value: 'foo' } }]).query('foodata'), 'foo');
  });

  test('jmesPath over the whole context (docs: objName)', () => {
    assert.equal(
      load([{ name: 'objName', variable: { jmesPath: 'request.object.metadata.name' } }]).query('objName'),
      'web',
    );
  });

  test('value with variables, then jmesPath applied to it (docs: nested-metadata)', () => {
    const ctx = load([
      { name: 'jpExpression', variable: { value: 'name' } },
      {
        name: 'objName',
        variable: { value: { name: '{{ request.object.metadata.name }}' }, jmesPath: '{{ jpExpression }}' },
      },
    ]);
    assert.equal(ctx.query('objName'), 'web');
  });

  test('default used when the query fails', () => {
    const ctx = load([
      { name: 'team', variable: { jmesPath: 'request.object.metadata.labels.team', default: 'none' } },
    ]);
    assert.equal(ctx.query('team'), 'none');
  });

  test('default used when the context query returns null', () => {
    const ctx = load([
      {
        name: 'vols',
        variable: { jmesPath: 'request.object.spec.volumes[?hostPath] || `null`', default: [] },
      },
    ]);
    assert.deepEqual(ctx.query('vols'), []);
  });

  test('query failure without default is an error', () => {
    assert.throws(
      () => load([{ name: 'team', variable: { jmesPath: 'request.object.metadata.labels.team' } }]),
      (e: unknown) =>
        e instanceof ContextLoadError &&
        e.message ===
          'failed to apply jmespath request.object.metadata.labels.team to variable <nil>: JMESPath query failed: Unknown key "team" in path',
    );
  });

  test('a variable resolving to null is an error', () => {
    assert.throws(
      () => load([{ name: 'n', variable: { value: null, jmesPath: '`null`' } }]),
      /failed to add context entry for variable n since it evaluated to nil/,
    );
  });

  test('substitution failure in value', () => {
    assert.throws(
      () => load([{ name: 'v', variable: { value: '{{ nope }}' } }]),
      /^ContextLoadError: failed to substitute variables in context entry v \{\{ nope \}\}: failed to resolve nope at path : /,
    );
  });

  test('later entries see earlier ones', () => {
    const ctx = load([
      { name: 'a', variable: { value: 2 } },
      { name: 'b', variable: { jmesPath: 'multiply(a, `3`)' } },
    ]);
    assert.equal(ctx.query('b'), 6);
  });

  test('entries supplied by rule values are not loaded (values win)', () => {
    const ctx = newCtx();
    ctx.set('cm', { data: { k: 'from-values' } });
    loadContextEntries([{ name: 'cm', variable: { jmesPath: 'nope.nope' } }], ctx, {
      ports: {},
      ruleValues: { cm: {} },
    });
    assert.equal(ctx.query('cm.data.k'), 'from-values');
  });
});

describe('configMap entries', () => {
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'roles', namespace: 'default' },
    data: { allowed: '["a"]' },
  };

  test('stores {data, metadata}; namespace defaults to "default"', () => {
    const ctx = load([{ name: 'rolesCM', configMap: { name: 'roles' } }], { cluster: fakeCluster([cm]) });
    assert.equal(ctx.query('rolesCM.data.allowed'), '["a"]');
    assert.equal(ctx.query('rolesCM.metadata.name'), 'roles');
  });

  test('name and namespace take variables', () => {
    const shopCm: KubeObject = {
      kind: 'ConfigMap',
      metadata: { name: 'web-cfg', namespace: 'shop' },
      data: { x: '1' },
    };
    const ctx = load(
      [
        {
          name: 'c',
          configMap: { name: '{{ request.object.metadata.name }}-cfg', namespace: '{{ request.namespace }}' },
        },
      ],
      {
        cluster: fakeCluster([shopCm]),
      },
    );
    assert.equal(ctx.query('c.data.x'), '1');
  });

  test('missing ConfigMap is an error', () => {
    assert.throws(
      () => load([{ name: 'c', configMap: { name: 'nope' } }], { cluster: fakeCluster([]) }),
      (e: unknown) =>
        e instanceof ContextLoadError &&
        e.message ===
          'failed to retrieve config map for context entry c: failed to get configmap default/nope : configmaps "nope" not found',
    );
  });

  test('a namespaced Policy may not read another namespace', () => {
    assert.throws(
      () =>
        load(
          [{ name: 'c', configMap: { name: 'roles', namespace: 'default' } }],
          { cluster: fakeCluster([cm]) },
          { policyNamespace: 'shop' },
        ),
      /configMap namespace "default" is different from policy namespace "shop"/,
    );
  });

  test('no cluster port: skipped silently (CLI)', () => {
    const ctx = load([{ name: 'c', configMap: { name: 'roles' } }]);
    assert.equal(Object.hasOwn(ctx.root, 'c'), false);
  });
});

describe('apiCall entries', () => {
  test('urlPath with variables and jmesPath (docs: count pods)', () => {
    const seen: ApiCallRequest[] = [];
    const api = fakeApi({ '/api/v1/namespaces/shop/pods': { items: [{}, {}, {}] } }, seen);
    const ctx = load(
      [
        {
          name: 'podCount',
          apiCall: {
            urlPath: '/api/v1/namespaces/{{ request.namespace }}/pods',
            jmesPath: 'items | length(@)',
          },
        },
      ],
      {
        apiCaller: api,
      },
    );
    assert.equal(ctx.query('podCount'), 3);
    assert.deepEqual(seen[0], { urlPath: '/api/v1/namespaces/shop/pods', method: 'GET' });
  });

  test('service call with POST data and headers', () => {
    const seen: ApiCallRequest[] = [];
    const api = fakeApi({ 'https://svc.example/check': { allowed: true } }, seen);
    const ctx = load(
      [
        {
          name: 'result',
          apiCall: {
            method: 'POST',
            data: [{ key: 'name', value: '{{ request.object.metadata.name }}' }],
            service: {
              url: 'https://svc.example/check',
              headers: [{ key: 'X-Ns', value: '{{ request.namespace }}' }],
            },
          },
        },
      ],
      { apiCaller: api },
    );
    assert.equal(ctx.query('result.allowed'), true);
    assert.deepEqual(seen[0], {
      url: 'https://svc.example/check',
      method: 'POST',
      headers: { 'X-Ns': 'shop' },
      body: { name: 'web' },
    });
  });

  test('failed call falls back to default (jmesPath not applied)', () => {
    const ctx = load(
      [{ name: 'x', apiCall: { urlPath: '/nope', jmesPath: 'items', default: { items: [] } } }],
      { apiCaller: fakeApi({}) },
    );
    assert.deepEqual(ctx.query('x'), { items: [] });
  });

  test('failed call without default is an error', () => {
    assert.throws(
      () => load([{ name: 'x', apiCall: { urlPath: '/nope' } }], { apiCaller: fakeApi({}) }),
      /^ContextLoadError: failed to fetch data for APICall: /,
    );
  });

  test('service call passes its caBundle to the port', () => {
    const seen: ApiCallRequest[] = [];
    const api = fakeApi({ 'https://svc.example/x': {} }, seen);
    load([{ name: 'r', apiCall: { service: { url: 'https://svc.example/x', caBundle: 'PEM' } } }], {
      apiCaller: api,
    });
    assert.equal(seen[0]?.caBundle, 'PEM');
  });

  test('namespaced Policy: a path in its own namespace is called', () => {
    const seen: ApiCallRequest[] = [];
    const api = fakeApi({ '/api/v1/namespaces/shop/pods': { items: [] } }, seen);
    const ctx = load(
      [{ name: 'p', apiCall: { urlPath: '/api/v1/namespaces/shop/pods' } }],
      { apiCaller: api },
      {
        policyNamespace: 'shop',
      },
    );
    assert.deepEqual(ctx.query('p'), { items: [] });
  });

  test('namespaced Policy: another namespace is refused before the call, default or not (Kyverno apiCall.go)', () => {
    const seen: ApiCallRequest[] = [];
    const api = fakeApi({ '/api/v1/namespaces/kube-system/secrets': {} }, seen);
    const entry: ContextEntry = {
      name: 's',
      apiCall: { urlPath: '/api/v1/namespaces/shop/../kube-system/secrets', default: {} },
    };
    assert.throws(
      () => load([entry], { apiCaller: api }, { policyNamespace: 'shop' }),
      /path \/api\/v1\/namespaces\/shop\/\.\.\/kube-system\/secrets has a "\." or "\.\." segment, which namespaced policies may not use/,
    );
    assert.equal(seen.length, 0);
  });

  test('namespaced Policy: cluster-wide paths and service calls are refused', () => {
    const api = fakeApi({ '/api/v1/namespaces': {}, 'https://svc.example/x': {} });
    assert.throws(
      () =>
        load(
          [{ name: 'n', apiCall: { urlPath: '/api/v1/namespaces' } }],
          { apiCaller: api },
          { policyNamespace: 'shop' },
        ),
      /path \/api\/v1\/namespaces does not contain a namespace segment, which is required for namespaced policies/,
    );
    assert.throws(
      () =>
        load(
          [{ name: 'n', apiCall: { service: { url: 'https://svc.example/x' } } }],
          { apiCaller: api },
          { policyNamespace: 'shop' },
        ),
      /path \. does not contain a namespace segment/,
    );
  });

  test('no api port: skipped silently (CLI)', () => {
    assert.equal(Object.hasOwn(load([{ name: 'x', apiCall: { urlPath: '/x' } }]).root, 'x'), false);
  });
});

describe('globalReference entries', () => {
  test('data from the port, with jmesPath', () => {
    const ctx = load([{ name: 'gctx', globalReference: { name: 'deployments', jmesPath: 'length(@)' } }], {
      globalContext: {
        get: (n) => (n === 'deployments' ? { ok: true, data: [1, 2] } : { ok: false, error: 'x' }),
      },
    });
    assert.equal(ctx.query('gctx'), 2);
  });

  test('an entry the store does not hold is an error', () => {
    assert.throws(
      () =>
        load([{ name: 'g', globalReference: { name: 'nope' } }], {
          globalContext: { get: (n) => ({ ok: false, error: `global context entry not found: ${n}` }) },
        }),
      /global context entry not found: nope/,
    );
  });

  // Kyverno's context loader factory skips globalReference entries when it has no store (the
  // offline CLI without globalContextEntries); values may then supply the variable.
  test('no global context store: skipped silently (CLI)', () => {
    assert.equal(Object.hasOwn(load([{ name: 'g', globalReference: { name: 'nope' } }]).root, 'g'), false);
  });
});

describe('deferred failures (Kyverno loads entries when a query names them)', () => {
  const failing: ContextEntry = {
    name: 'emptydirnames',
    variable: { jmesPath: 'request.object.spec.volumes' },
  };
  test('an entry that fails to load is no error while nothing reads it', () => {
    const ctx = newCtx();
    loadContextEntries(
      [failing, { name: 'app', variable: { jmesPath: 'request.object.metadata.labels.app' } }],
      ctx,
      {
        ports: {},
      },
    );
    assert.equal(ctx.query('app'), 'web');
    assert.equal(ctx.query('request.operation'), 'CREATE');
  });
  test('a query naming it throws the load error, also inside a larger expression', () => {
    const ctx = newCtx();
    loadContextEntries([failing], ctx, { ports: {} });
    for (const q of ['emptydirnames', 'length(emptydirnames)', 'request.name == emptydirnames[0]'])
      assert.throws(() => ctx.query(q), ContextLoadError);
    // Not the name: a field of something else, or a longer word (plain misses, not the load error).
    for (const q of ['request.emptydirnames', 'emptydirnamesx'])
      assert.throws(
        () => ctx.query(q),
        (e: unknown) => !(e instanceof ContextLoadError),
      );
  });
  test('the failure is forgotten with the rule (reset to the checkpoint before it)', () => {
    const ctx = newCtx();
    ctx.checkpoint();
    loadContextEntries([failing], ctx, { ports: {} });
    ctx.reset();
    assert.throws(
      () => ctx.query('emptydirnames'),
      (e: unknown) => !(e instanceof ContextLoadError),
    );
  });
  test('a later entry that reads a failed one fails too', () => {
    const ctx = newCtx();
    loadContextEntries([failing, { name: 'count', variable: { jmesPath: 'length(emptydirnames)' } }], ctx, {
      ports: {},
    });
    assert.throws(() => ctx.query('count'), ContextLoadError);
  });
});
