// `palisade serve --kubeconfig`: policies that read the cluster while a request is judged (issue #14).
// A real API server holds the policies and the data they read; AdmissionReviews go straight to serve's
// HTTPS endpoint. Covered: a configMap context entry (and the same request judged anew when the
// ConfigMap changes), an apiCall urlPath with jmesPath, a CEL ValidatingPolicy reading a ConfigMap with
// resource.Get, a missing ConfigMap as a rule error that the policy's failurePolicy decides, and a
// namespaced Policy refused outside its namespace; a GlobalContextEntry read by a ClusterPolicy's
// globalReference and by CEL globalContext.Get.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import { type ServeProcess, startServe } from '../support/serve-cluster-process.js';
import { startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CRDS = join(ROOT, 'config/crds');
const NS = 'ctx-apps';

let uids = 0;
const reviewOf = (labels: Record<string, string>, namespace = NS) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: `u${++uids}`,
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    name: 'cm',
    namespace,
    operation: 'CREATE',
    userInfo: { username: 'bob', groups: ['system:authenticated'] },
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace, labels } },
    oldObject: null,
    dryRun: false,
  },
});

/** A ClusterPolicy (or, with `namespace`, a Policy) with one validate rule on labelled ConfigMaps. */
function legacyPolicy(
  name: string,
  label: string,
  rule: Record<string, unknown>,
  options: { failurePolicy?: 'Fail' | 'Ignore'; namespace?: string } = {},
) {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: options.namespace === undefined ? 'ClusterPolicy' : 'Policy',
    metadata: { name, ...(options.namespace !== undefined ? { namespace: options.namespace } : {}) },
    spec: {
      validationFailureAction: 'Enforce',
      background: false,
      ...(options.failurePolicy !== undefined ? { failurePolicy: options.failurePolicy } : {}),
      rules: [
        {
          name: 'check',
          match: {
            any: [
              {
                resources: {
                  kinds: ['ConfigMap'],
                  selector: { matchExpressions: [{ key: label, operator: 'Exists' }] },
                },
              },
            ],
          },
          ...rule,
        },
      ],
    },
  };
}

const POLICIES = [
  // configMap context: the colour the settings ConfigMap blocks.
  legacyPolicy('blocked-colour', 'colour', {
    context: [{ name: 'settings', configMap: { name: 'settings', namespace: 'ctx-config' } }],
    validate: {
      message: 'colour {{ request.object.metadata.labels.colour }} is blocked',
      deny: {
        conditions: {
          any: [
            {
              key: '{{ request.object.metadata.labels.colour }}',
              operator: 'Equals',
              value: '{{ settings.data.blocked }}',
            },
          ],
        },
      },
    },
  }),
  // apiCall urlPath + jmesPath: the namespace a ConfigMap points at must exist.
  legacyPolicy('target-exists', 'target', {
    context: [
      { name: 'namespaces', apiCall: { urlPath: '/api/v1/namespaces', jmesPath: 'items[].metadata.name' } },
    ],
    validate: {
      message: 'namespace {{ request.object.metadata.labels.target }} does not exist',
      deny: {
        conditions: {
          any: [
            {
              key: '{{ request.object.metadata.labels.target }}',
              operator: 'AnyNotIn',
              value: '{{ namespaces }}',
            },
          ],
        },
      },
    },
  }),
  // A missing ConfigMap: the rule errors; failurePolicy Fail denies, Ignore admits.
  ...(['Fail', 'Ignore'] as const).map((fp) =>
    legacyPolicy(
      `missing-${fp.toLowerCase()}`,
      `missing-${fp.toLowerCase()}`,
      {
        context: [{ name: 'absent', configMap: { name: 'not-there', namespace: 'ctx-config' } }],
        validate: {
          message: 'never reached',
          deny: { conditions: { any: [{ key: '{{ absent.data.x }}', operator: 'Equals', value: 'x' }] } },
        },
      },
      { failurePolicy: fp },
    ),
  ),
  // A namespaced Policy may read only its own namespace (reference: CVE-2026-22039 hardening).
  legacyPolicy(
    'ns-reads-other',
    'ns-other',
    {
      context: [{ name: 'other', configMap: { name: 'settings', namespace: 'ctx-config' } }],
      validate: {
        message: 'never reached',
        deny: {
          conditions: { any: [{ key: '{{ other.data.blocked }}', operator: 'Equals', value: 'none' }] },
        },
      },
    },
    { namespace: NS },
  ),
  legacyPolicy(
    'ns-lists-own',
    'ns-own',
    {
      context: [
        {
          name: 'local',
          apiCall: { urlPath: `/api/v1/namespaces/${NS}/configmaps`, jmesPath: 'length(items)' },
        },
      ],
      validate: {
        message: '{{ local }} ConfigMaps here already',
        deny: { conditions: { any: [{ key: '{{ local }}', operator: 'GreaterThan', value: 0 }] } },
      },
    },
    { namespace: NS },
  ),
  // globalReference: the namespaces a GlobalContextEntry watches, through its projection.
  legacyPolicy('gctx-target', 'gctx-target', {
    context: [{ name: 'known', globalReference: { name: 'namespaces.names' } }],
    validate: {
      message: 'namespace {{ request.object.metadata.labels."gctx-target" }} is not in the global context',
      deny: {
        conditions: {
          any: [
            {
              key: '{{ request.object.metadata.labels."gctx-target" }}',
              operator: 'AnyNotIn',
              value: '{{ known }}',
            },
          ],
        },
      },
    },
  }),
  // CEL globalContext.Get of the same entry and projection.
  {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: 'cel-gctx-target' },
    spec: {
      validationActions: ['Deny'],
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
        ],
        objectSelector: { matchExpressions: [{ key: 'cel-gctx-target', operator: 'Exists' }] },
      },
      validations: [
        {
          expression: 'object.metadata.labels["cel-gctx-target"] in globalContext.Get("namespaces", "names")',
          messageExpression: '"unknown namespace " + object.metadata.labels["cel-gctx-target"]',
        },
      ],
    },
  },
  // CEL: resource.Get of the same settings ConfigMap.
  {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: 'cel-blocked-shape' },
    spec: {
      validationActions: ['Deny'],
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
        ],
        objectSelector: { matchExpressions: [{ key: 'shape', operator: 'Exists' }] },
      },
      variables: [
        { name: 'settings', expression: 'resource.Get("v1", "configmaps", "ctx-config", "settings")' },
      ],
      validations: [
        {
          expression: 'object.metadata.labels.shape != variables.settings.data.blockedShape',
          messageExpression: '"shape " + object.metadata.labels.shape + " is blocked"',
        },
      ],
    },
  },
];

describe('palisade serve: policies reading the cluster', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  let work: string;
  let cert: string;
  let base = '';

  const kubectl = async (args: string[], input?: unknown): Promise<string> => {
    const r = await tb.kubectl(args, input === undefined ? undefined : JSON.stringify(input));
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  const review = (path: string, body: unknown): Promise<{ allowed: boolean; message: string }> =>
    new Promise((done, fail) => {
      const req = httpsRequest(
        `${base}${path}`,
        { method: 'POST', ca: readFileSync(cert), headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            text += d;
          });
          res.on('end', () => {
            const r = (JSON.parse(text) as { response: { allowed: boolean; status?: { message?: string } } })
              .response;
            done({ allowed: r.allowed, message: r.status?.message ?? '' });
          });
        },
      );
      req.on('error', fail);
      req.end(JSON.stringify(body));
    });

  before(async () => {
    tb = await startTestbed();
    work = mkdtempSync(join(tmpdir(), 'palisade-serve-context-'));
    ({ cert } = writeLoopbackCertificate(work));
    await kubectl(['apply', '--server-side', '-f', CRDS]);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', CRDS]);
    await kubectl(['create', 'namespace', NS]);
    await kubectl(['create', 'namespace', 'ctx-config']);
    await kubectl([
      'create',
      'configmap',
      'settings',
      '-n',
      'ctx-config',
      '--from-literal=blocked=red',
      '--from-literal=blockedShape=square',
    ]);
    await kubectl(['apply', '-f', '-'], {
      apiVersion: 'kyverno.io/v2beta1',
      kind: 'GlobalContextEntry',
      metadata: { name: 'namespaces' },
      spec: {
        kubernetesResource: { version: 'v1', resource: 'namespaces' },
        projections: [{ name: 'names', jmesPath: '[].metadata.name' }],
      },
    });
    serve = startServe([
      '--kubeconfig',
      tb.kubeconfig,
      '--tls-cert',
      cert,
      '--tls-key',
      join(work, 'key.pem'),
      '--port',
      '0',
      '--watch-debounce',
      '100ms',
    ]);
    base = String((await serve.waitFor('listening')).url);
    for (const p of POLICIES) await kubectl(['apply', '-f', '-'], p);
    await serve.waitFor('policy set loaded', 30_000, (l) => l.policies === POLICIES.length);
  });

  after(async () => {
    await serve?.kill();
    await tb?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test('configMap context: the ConfigMap value decides, read afresh for each request', async () => {
    const red = await review('/validate/fail', reviewOf({ colour: 'red' }));
    assert.equal(red.allowed, false);
    assert.match(red.message, /blocked-colour:\s+check: colour red is blocked/);
    assert.equal((await review('/validate/fail', reviewOf({ colour: 'blue' }))).allowed, true);
    await kubectl([
      'patch',
      'configmap',
      'settings',
      '-n',
      'ctx-config',
      '--type=merge',
      '-p',
      '{"data":{"blocked":"blue"}}',
    ]);
    assert.equal((await review('/validate/fail', reviewOf({ colour: 'blue' }))).allowed, false);
    assert.equal((await review('/validate/fail', reviewOf({ colour: 'red' }))).allowed, true);
    await kubectl([
      'patch',
      'configmap',
      'settings',
      '-n',
      'ctx-config',
      '--type=merge',
      '-p',
      '{"data":{"blocked":"red"}}',
    ]);
  });

  test('apiCall urlPath with jmesPath: the namespaces the API server lists', async () => {
    assert.equal((await review('/validate/fail', reviewOf({ target: 'ctx-config' }))).allowed, true);
    const missing = await review('/validate/fail', reviewOf({ target: 'nowhere' }));
    assert.equal(missing.allowed, false);
    assert.match(missing.message, /target-exists:\s+check: namespace nowhere does not exist/);
  });

  test('CEL resource.Get: a ValidatingPolicy reads the ConfigMap', async () => {
    const square = await review('/vpol', reviewOf({ shape: 'square' }));
    assert.equal(square.allowed, false);
    assert.match(square.message, /shape square is blocked/);
    assert.equal((await review('/vpol', reviewOf({ shape: 'round' }))).allowed, true);
  });

  test('a missing ConfigMap is a rule error: failurePolicy Fail denies, Ignore admits', async () => {
    const fail = await review('/validate/fail', reviewOf({ 'missing-fail': 'x' }));
    assert.equal(fail.allowed, false);
    assert.match(fail.message, /missing-fail:\s+check: .*configmaps "not-there" not found/s);
    assert.equal((await review('/validate/ignore', reviewOf({ 'missing-ignore': 'x' }))).allowed, true);
  });

  test('a namespaced Policy reads its own namespace and is refused another one', async () => {
    const other = await review('/validate/fail', reviewOf({ 'ns-other': 'x' }));
    assert.equal(other.allowed, false);
    assert.match(other.message, /is different from policy namespace/);
    assert.equal((await review('/validate/fail', reviewOf({ 'ns-own': 'x' }))).allowed, true);
    await kubectl(['create', 'configmap', 'first', '-n', NS]);
    const own = await review('/validate/fail', reviewOf({ 'ns-own': 'x' }));
    assert.equal(own.allowed, false);
    assert.match(own.message, /1 ConfigMaps here already/);
  });

  test('GlobalContextEntry: globalReference and CEL globalContext.Get read the watched namespaces', async () => {
    // The entry syncs after serve starts: retry until it answers.
    const deadline = Date.now() + 20_000;
    let known = await review('/validate/fail', reviewOf({ 'gctx-target': 'ctx-config' }));
    while (!known.allowed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      known = await review('/validate/fail', reviewOf({ 'gctx-target': 'ctx-config' }));
    }
    assert.equal(known.allowed, true, known.message);
    const unknown = await review('/validate/fail', reviewOf({ 'gctx-target': 'later' }));
    assert.equal(unknown.allowed, false);
    assert.match(unknown.message, /gctx-target:\s+check: namespace later is not in the global context/);
    assert.equal((await review('/vpol', reviewOf({ 'cel-gctx-target': 'ctx-config' }))).allowed, true);
    assert.match(
      (await review('/vpol', reviewOf({ 'cel-gctx-target': 'later' }))).message,
      /unknown namespace later/,
    );
    // A namespace created now is in the entry's copy (watched), with no policy change.
    await kubectl(['create', 'namespace', 'later']);
    const until = Date.now() + 20_000;
    let later = await review('/validate/fail', reviewOf({ 'gctx-target': 'later' }));
    while (!later.allowed && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      later = await review('/validate/fail', reviewOf({ 'gctx-target': 'later' }));
    }
    assert.equal(later.allowed, true, later.message);
    assert.equal((await review('/vpol', reviewOf({ 'cel-gctx-target': 'later' }))).allowed, true);
  });

  test('requests that read nothing are answered as before', async () => {
    assert.deepEqual(await review('/validate/fail', reviewOf({ plain: 'yes' })), {
      allowed: true,
      message: '',
    });
  });
});
