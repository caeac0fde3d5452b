// admit in the `admission` profile: one AdmissionRequest through every phase, and the decision
// (reference §3.4 "Admission denial", §1.2 emitWarning, §9.1 mutating/validating webhooks).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../model/kube-object.js';
import { admit } from './admit.js';
import { type AdmissionRequest, requestForObject } from './request.js';
import { clusterPolicy, pod, podRule, setOf, validatingPolicy } from './testdata/policies.js';

const requireTeam = (name: string, action: 'Enforce' | 'Audit', extra: Record<string, unknown> = {}) =>
  clusterPolicy(name, {
    validationFailureAction: action,
    ...extra,
    rules: [
      {
        name: 'team',
        match: { any: [{ resources: { kinds: ['Pod'], operations: ['CREATE', 'UPDATE', 'DELETE'] } }] },
        validate: { message: 'label team is required', pattern: { metadata: { labels: { team: '?*' } } } },
      },
    ],
  });
const addOwner = clusterPolicy('add-owner', {
  rules: [
    {
      name: 'owner',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      mutate: { patchStrategicMerge: { metadata: { labels: { owner: 'x' } } } },
    },
  ],
});

const run = (set: ReturnType<typeof setOf>, request: AdmissionRequest) => admit(set, request, { ports: {} });

describe('admit: operations', () => {
  const set = setOf(requireTeam('require-team', 'Enforce'));
  test('CREATE evaluates the new object', async () => {
    assert.equal((await run(set, requestForObject(pod('a', 'default', { team: 't' })))).allowed, true);
    assert.equal((await run(set, requestForObject(pod('a')))).allowed, false);
  });
  test('an outcome keeps its key order (allowed, the denial message, then the rest)', async () => {
    const rest = ['responses', 'patchedObject', 'patch', 'warnings', 'enforcedFailures', 'auditFailures'];
    const tail = ['generated', 'mutatedTargets'];
    const allowed = await run(set, requestForObject(pod('a', 'default', { team: 't' })));
    assert.deepEqual(Object.keys(allowed), ['allowed', ...rest, ...tail]);
    const denied = await run(set, requestForObject(pod('a')));
    assert.deepEqual(Object.keys(denied), ['allowed', 'message', ...rest, ...tail]);
    assert.match(denied.message ?? '', /resource Pod\/default\/a was blocked due to the following policies/);
  });
  test('UPDATE evaluates the new object, not the old one', async () => {
    const request: AdmissionRequest = {
      ...requestForObject(pod('a', 'default', { team: 't' }), 'UPDATE'),
      oldObject: pod('a'),
    };
    assert.equal((await run(set, request)).allowed, true);
  });
  test('DELETE is evaluated on the old object', async () => {
    const protect = clusterPolicy('protect', {
      validationFailureAction: 'Enforce',
      rules: [
        {
          name: 'protected',
          match: { any: [{ resources: { kinds: ['Pod'], operations: ['DELETE'] } }] },
          validate: {
            message: 'protected pods stay',
            deny: {
              conditions: {
                any: [
                  {
                    key: "{{ request.oldObject.metadata.labels.protected || '' }}",
                    operator: 'Equals',
                    value: 'true',
                  },
                ],
              },
            },
          },
        },
      ],
    });
    const keepTeam = validatingPolicy('keep-team', {
      matchConstraints: podRule(['pods'], ['DELETE']),
      validations: [
        { expression: "oldObject.metadata.?labels.?team.orValue('') != 'core'", message: 'core' },
      ],
    });
    const guarded = setOf(protect, keepTeam);
    const locked = await run(guarded, requestForObject(pod('a', 'default', { protected: 'true' }), 'DELETE'));
    assert.deepEqual(
      locked.enforcedFailures.map((f) => f.policy.name),
      ['protect'],
    );
    assert.equal(locked.patchedObject, null);
    assert.deepEqual(locked.patch, []);
    const core = await run(guarded, requestForObject(pod('a', 'default', { team: 'core' }), 'DELETE'));
    assert.deepEqual(
      core.enforcedFailures.map((f) => f.policy.name),
      ['keep-team'],
    );
    assert.equal((await run(guarded, requestForObject(pod('a'), 'DELETE'))).allowed, true);
  });
});

describe('admit: the decision', () => {
  test('an Enforce failure denies with Kyverno’s message', async () => {
    const out = await run(
      setOf(requireTeam('require-team', 'Enforce')),
      requestForObject(pod('web', 'shop')),
    );
    assert.equal(out.allowed, false);
    // Kyverno's text: Go's YAML encoder single-quotes a message with `: ` in it (pkg/webhooks/utils/block.go).
    assert.equal(
      out.message,
      "\n\nresource Pod/shop/web was blocked due to the following policies \n\nrequire-team:\n  team: 'validation error: label team is required. rule team failed at path /metadata/labels/'\n",
    );
    assert.deepEqual(
      out.enforcedFailures.map((f) => [f.policy.name, f.rule, f.status]),
      [['require-team', 'team', 'fail']],
    );
    assert.deepEqual(out.auditFailures, []);
  });
  test('a denial’s message, written when read, is a property like the others', async () => {
    const set = setOf(requireTeam('require-team', 'Enforce'));
    const denied = await run(set, requestForObject(pod('web', 'shop')));
    const allowed = await run(set, requestForObject(pod('web', 'shop', { team: 't' })));
    const keys = ['allowed', 'message', 'responses', 'patchedObject', 'patch', 'warnings'];
    assert.deepEqual(Object.keys(denied).slice(0, 6), keys);
    assert.deepEqual(
      Object.keys(allowed).slice(0, 5),
      keys.filter((k) => k !== 'message'),
    );
    assert.equal('message' in allowed, false);
    // Read twice, spread and serialised: the same text each time.
    const text = denied.message;
    assert.match(text ?? '', /^\n\nresource Pod\/shop\/web was blocked/);
    assert.equal(denied.message, text);
    assert.equal({ ...denied }.message, text);
    assert.equal(JSON.parse(JSON.stringify(denied)).message, text);
    assert.equal(Object.getOwnPropertyDescriptor(denied, 'message')?.enumerable, true);
  });
  test('an Audit failure is allowed and kept apart', async () => {
    const out = await run(setOf(requireTeam('audit-team', 'Audit')), requestForObject(pod('web')));
    assert.equal(out.allowed, true);
    assert.equal(out.message, undefined);
    assert.deepEqual(out.enforcedFailures, []);
    assert.deepEqual(
      out.auditFailures.map((f) => [f.policy.name, f.rule]),
      [['audit-team', 'team']],
    );
  });
  test('a ValidatingPolicy with Deny blocks; with Audit it does not', async () => {
    const spec = (actions: string[]) => ({
      validationActions: actions,
      matchConstraints: podRule(),
      validations: [{ expression: 'false', message: 'never' }],
    });
    const deny = await run(setOf(validatingPolicy('deny', spec(['Deny']))), requestForObject(pod('a')));
    assert.equal(deny.allowed, false);
    // Kyverno's ValidatingPolicy handler words it `Policy <name> failed: <message>` (vpol/handler.go).
    assert.equal(deny.message, 'Policy deny failed: never');
    const audit = await run(setOf(validatingPolicy('audit', spec(['Audit']))), requestForObject(pod('a')));
    assert.equal(audit.allowed, true);
    assert.equal(audit.auditFailures.length, 1);
  });
});

describe('admit: mutation, patch and warnings', () => {
  test('the patch is the RFC 6902 diff from the request object to the mutated one', async () => {
    const original = pod('a', 'default', { team: 't' });
    const out = await run(
      setOf(addOwner, requireTeam('require-team', 'Enforce')),
      requestForObject(original),
    );
    assert.deepEqual(out.patch, [{ op: 'add', path: '/metadata/labels/owner', value: 'x' }]);
    assert.deepEqual(out.patchedObject?.metadata?.labels, { team: 't', owner: 'x' });
    assert.deepEqual(original.metadata?.labels, { team: 't' }, 'the request object is not changed');
    assert.equal(out.allowed, true);
  });
  test('validate rules see the object the mutate rules left', async () => {
    const addTeam = clusterPolicy('add-team', {
      rules: [
        {
          name: 'team',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          mutate: { patchStrategicMerge: { metadata: { labels: { team: 'default' } } } },
        },
      ],
    });
    const out = await run(setOf(requireTeam('require-team', 'Enforce'), addTeam), requestForObject(pod('a')));
    assert.equal(out.allowed, true);
  });
  test('emitWarning policies warn for mutations and Audit failures', async () => {
    const audit = requireTeam('audit-team', 'Audit', { emitWarning: true });
    const mutate = clusterPolicy('add-owner', {
      emitWarning: true,
      rules: (addOwner.spec as { rules: unknown[] }).rules,
    } as Record<string, unknown>);
    const out = await run(setOf(audit, mutate), requestForObject(pod('a')));
    assert.equal(out.warnings.length, 2);
    assert.match(out.warnings[0] ?? '', /^policy add-owner\.owner: /);
    assert.match(out.warnings[1] ?? '', /^policy audit-team\.team: validation error: label team is required/);
  });
  test('no warnings without emitWarning', async () => {
    const out = await run(setOf(requireTeam('audit-team', 'Audit')), requestForObject(pod('a')));
    assert.deepEqual(out.warnings, []);
  });
});

describe('admit: only the policies that may match are evaluated', () => {
  test('a ConfigMap gets no response from Pod policies', async () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
    };
    const out = await run(setOf(requireTeam('require-team', 'Enforce'), addOwner), requestForObject(cm));
    assert.deepEqual(out.responses, []);
    assert.equal(out.allowed, true);
  });
  test('an aborted signal rejects', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    const set = setOf(addOwner);
    await assert.rejects(
      admit(set, requestForObject(pod('a')), { ports: {}, signal: controller.signal }),
      /deadline/,
    );
  });
});

describe("admit: Kyverno's wording of denials and warnings", () => {
  const failing = (name: string, actions: string[], message: string) =>
    validatingPolicy(name, {
      validationActions: actions,
      matchConstraints: podRule(),
      validations: [{ expression: 'false', message }],
    });
  test('CEL denials are `Policy <name> failed: <message>`, joined by "; " (vpol/handler.go)', async () => {
    const out = await run(
      setOf(failing('a-first', ['Deny'], 'one'), failing('b-second', ['Deny'], 'two')),
      requestForObject(pod('p')),
    );
    assert.equal(out.message, 'Policy a-first failed: one; Policy b-second failed: two');
  });
  test('a Warn action warns `Policy <name> failed: <message>`', async () => {
    const out = await run(
      setOf(failing('warn-owner', ['Audit', 'Warn'], 'owner')),
      requestForObject(pod('p')),
    );
    assert.equal(out.allowed, true);
    assert.deepEqual(out.warnings, ['Policy warn-owner failed: owner']);
  });
  test('a cluster-scoped object is `<Kind>//<name>` in the blocked message (block.go)', async () => {
    const noNamespaces = clusterPolicy('no-namespaces', {
      validationFailureAction: 'Enforce',
      rules: [
        {
          name: 'deny-all',
          match: { any: [{ resources: { kinds: ['Namespace'] } }] },
          validate: { message: 'namespaces are closed', deny: {} },
        },
      ],
    });
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const out = await run(setOf(noNamespaces), requestForObject(ns));
    assert.equal(
      out.message,
      '\n\nresource Namespace//shop was blocked due to the following policies \n\nno-namespaces:\n  deny-all: namespaces are closed\n',
    );
  });
});

describe('admit: context entries are loaded when read (Kyverno deferred loading)', () => {
  // other/require-emptydir-requests-limits: the entry reads request.object, which a DELETE lacks.
  const emptyDir = clusterPolicy('require-emptydir-limits', {
    validationFailureAction: 'Enforce',
    rules: [
      {
        name: 'check',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        context: [
          {
            name: 'emptydirnames',
            variable: { jmesPath: "request.object.spec.volumes[?contains(keys(@), 'emptyDir')].name" },
          },
        ],
        preconditions: {
          all: [
            { key: "{{request.operation || 'BACKGROUND'}}", operator: 'AnyIn', value: ['CREATE', 'UPDATE'] },
          ],
        },
        validate: {
          message: 'emptyDir volumes need limits',
          foreach: [
            {
              list: 'request.object.spec.containers',
              preconditions: {
                any: [
                  {
                    key: '{{ element.volumeMounts[].name }}',
                    operator: 'AnyIn',
                    value: '{{ emptydirnames }}',
                  },
                ],
              },
              pattern: { resources: { limits: { 'ephemeral-storage': '?*' } } },
            },
          ],
        },
      },
    ],
  });
  const set = setOf(emptyDir);
  const cronJob: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/v' }] }],
              volumes: [{ name: 'v', emptyDir: {} }],
            },
          },
        },
      },
    },
  };
  test('a DELETE (of the autogen CronJob) is admitted: the precondition skips before anything reads the entry', async () => {
    const outcome = await run(set, requestForObject(cronJob, 'DELETE'));
    assert.equal(outcome.allowed, true);
    const rules = outcome.responses.flatMap((r) => r.response.rules);
    assert.deepEqual(
      rules.map((r) => [r.name, r.status]),
      [['autogen-cronjob-check', 'skip']],
    );
  });
  test('a CREATE still reads the entry and validates', async () => {
    const outcome = await run(set, requestForObject(cronJob));
    assert.equal(outcome.allowed, false);
  });
  test("an entry that fails to load skips the foreach element whose preconditions read it (Kyverno's CLI: no row)", async () => {
    // No volumes at all: the entry is null (an error), and the foreach's precondition reads it.
    const noVolumes: KubeObject = {
      ...pod('bare'),
      spec: { containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/v' }] }] },
    };
    const outcome = await run(set, requestForObject(noVolumes));
    const rules = outcome.responses.flatMap((r) => r.response.rules);
    assert.deepEqual(
      rules.map((r) => r.status),
      [],
    );
    assert.equal(outcome.allowed, true);
  });
});

describe("admit: a mutate rule's error (Kyverno hands on its error response's empty object)", () => {
  const broken = clusterPolicy('broken', {
    rules: [
      {
        name: 'needs-a-name',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { x: '{{ request.object.nope }}' } } } },
      },
      {
        name: 'after',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { after: 'y' } } } },
      },
    ],
  });
  const denyAll = validatingPolicy('deny-all', {
    validationActions: ['Deny'],
    matchConstraints: podRule(),
    validations: [{ expression: 'false', message: 'no' }],
  });
  const rules = (out: Awaited<ReturnType<typeof admit>>) =>
    out.responses.flatMap((r) => r.response.rules.map((x) => `${r.policy.name}/${x.name}:${x.status}`));

  test('the CLI: nothing after the error matches, of any kind', async () => {
    const set = setOf(addOwner, broken, requireTeam('require-team', 'Audit'), denyAll);
    const out = await admit(set, requestForObject(pod('a')), { ports: {} }, { profile: 'cli' });
    assert.deepEqual(rules(out), ['add-owner/owner:pass', 'broken/needs-a-name:error']);
  });

  test("the CLI: DeletingPolicies still judge the resource as loaded (Kyverno's CLI runs them apart)", async () => {
    const cleanup = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'DeletingPolicy',
      metadata: { name: 'cleanup' },
      spec: {
        schedule: '*/5 * * * *',
        matchConstraints: podRule(),
        conditions: [{ name: 'named', expression: "object.metadata.name == 'a'" }],
      },
    } as Parameters<typeof setOf>[0];
    const set = setOf(broken, cleanup);
    const cases: [string, string[]][] = [
      ['a', ['broken/needs-a-name:error', 'cleanup/cleanup:pass']],
      ['b', ['broken/needs-a-name:error', 'cleanup/cleanup:fail']],
    ];
    for (const [name, want] of cases) {
      const out = await admit(set, requestForObject(pod(name)), { ports: {} }, { profile: 'cli' });
      assert.deepEqual(rules(out), want, name);
    }
  });

  test('the CLI: ImageValidatingPolicies still judge the resource as loaded, ValidatingPolicies do not', async () => {
    const ivp = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'ImageValidatingPolicy',
      metadata: { name: 'ivp' },
      spec: {
        validationActions: ['Deny'],
        matchConstraints: podRule(['pods'], ['CREATE']),
        matchImageReferences: [{ glob: '*' }],
        attestors: [{ name: 'k', cosign: { key: { data: 'unused' } } }],
        validations: [{ expression: 'true' }],
      },
    } as Parameters<typeof setOf>[0];
    const set = setOf(broken, denyAll, ivp);
    const out = await admit(set, requestForObject(pod('a')), { ports: {} }, { profile: 'cli' });
    // The image has no digest: Kyverno's CLI reports the ImageValidatingPolicy's `fail`.
    assert.deepEqual(rules(out), ['broken/needs-a-name:error', 'ivp/ivp:fail']);
  });

  test('admission: the next mutating policies match nothing; validation and patches keep the last good object', async () => {
    const addTeam = clusterPolicy('add-team', {
      rules: [
        {
          name: 'team',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          mutate: { patchStrategicMerge: { metadata: { labels: { team: 't' } } } },
        },
      ],
    });
    const set = setOf(addOwner, broken, addTeam, requireTeam('require-team', 'Enforce'));
    const out = await run(set, requestForObject(pod('a')));
    assert.deepEqual(rules(out), [
      'add-owner/owner:pass',
      'broken/needs-a-name:error',
      'require-team/team:fail',
    ]);
    assert.deepEqual(out.patchedObject?.metadata?.labels, { owner: 'x' });
  });
});
