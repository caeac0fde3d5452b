// kyverno.io/docs/policy-types/cluster-policy/validate "foreach": a foreach that applies to no
// element produces no rule result at all (Kyverno ≥ v1.12; it was `skip` before), while one that
// applies to at least one element reports that element's verdict.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import { compilePolicy, evaluatePolicy } from '../evaluate-policy.js';
import type { ForEachValidation, Rule } from '../types.js';

const noLatest: ForEachValidation = {
  list: 'request.object.spec.containers',
  pattern: { image: '!*:latest' },
};

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}

function statuses(foreach: ForEachValidation[], resource: KubeObject): string[] {
  const rule: Rule = {
    name: 'r',
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    validate: { message: 'm', foreach },
  };
  const compiled = compilePolicy({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { rules: [rule] },
  });
  assert.ok(compiled.ok);
  const r = evaluatePolicy(compiled.value, { resource, operation: 'CREATE', ports: {} });
  return r.rules.map((x) => x.status);
}

const onlyNginx: ForEachValidation = {
  ...noLatest,
  preconditions: { all: [{ key: '{{ element.name }}', operator: 'Equals', value: 'nginx' }] },
};

const cases: { name: string; foreach: ForEachValidation[]; spec: Record<string, unknown>; want: string[] }[] =
  [
    { name: 'list field missing', foreach: [noLatest], spec: {}, want: [] },
    { name: 'empty list', foreach: [noLatest], spec: { containers: [] }, want: [] },
    { name: 'all elements null', foreach: [noLatest], spec: { containers: [null, null] }, want: [] },
    {
      name: 'every element fails its per-element precondition',
      foreach: [onlyNginx],
      spec: {
        containers: [
          { name: 'a', image: 'x:latest' },
          { name: 'b', image: 'y:latest' },
        ],
      },
      want: [],
    },
    {
      name: 'nested foreach over empty inner lists',
      foreach: [
        {
          list: 'request.object.spec.containers',
          foreach: [{ list: 'element.ports', pattern: { containerPort: '>0' } }],
        },
      ],
      spec: { containers: [{ name: 'a', ports: [] }] },
      want: [],
    },
    {
      name: 'one element applies and passes',
      foreach: [onlyNginx],
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1.25' },
          { name: 'b', image: 'y:latest' },
        ],
      },
      want: ['pass'],
    },
    {
      name: 'one element applies and fails',
      foreach: [noLatest],
      spec: { containers: [{ name: 'a', image: 'x:latest' }] },
      want: ['fail'],
    },
  ];

describe('validate foreach that applies to no element', () => {
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(statuses(c.foreach, pod(c.spec)), c.want));
  }
});

// Kyverno's validateForEach: a list query that fails for another reason than an absent field
// (`Unknown key`) is an `error` when no foreach entry applied to any element.
describe('validate foreach whose list query fails', () => {
  const emptyDirs: ForEachValidation = {
    list: "request.object.spec.volumes[?contains(keys(@), 'emptyDir')]",
    pattern: { name: '?*' },
  };
  const run = (foreach: ForEachValidation[], spec: Record<string, unknown>) => {
    const rule: Rule = {
      name: 'r',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      validate: { message: 'm', foreach },
    };
    const compiled = compilePolicy({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'p' },
      spec: { rules: [rule] },
    });
    assert.ok(compiled.ok);
    return evaluatePolicy(compiled.value, { resource: pod(spec), operation: 'CREATE', ports: {} }).rules.map(
      (x) => [x.status, x.message],
    );
  };
  const cases: {
    name: string;
    foreach: ForEachValidation[];
    spec: Record<string, unknown>;
    want: string[][];
  }[] = [
    {
      name: 'a function given a value of the wrong type',
      foreach: [emptyDirs],
      spec: { volumes: ['2Gi', { name: 'v', emptyDir: {} }] },
      want: [
        [
          'error',
          'failed to evaluate list: JMESPath query failed: Invalid type for: 2Gi, expected: []jmespath.JpType{"object"}',
        ],
      ],
    },
    { name: 'an absent field is skipped', foreach: [emptyDirs], spec: {}, want: [] },
    {
      name: 'another entry that applies wins over the error',
      foreach: [emptyDirs, noLatest],
      spec: { volumes: ['2Gi'], containers: [{ name: 'a', image: 'x:1' }] },
      want: [['pass', 'rule passed']],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(run(c.foreach, c.spec), c.want));
  }
});

// Kyverno's validateElements: an element whose preconditions cannot be evaluated is skipped; any
// other element error is the rule's verdict at once, also on an element before the last.
describe('validate foreach elements that error', () => {
  const hostPath = '{{ path_canonicalize(element.hostPath.path) }}';
  const denySock = (preconditionKey: string): ForEachValidation => ({
    list: 'request.object.spec.volumes[]',
    preconditions: { all: [{ key: preconditionKey, operator: 'NotEquals', value: '' }] },
    deny: { conditions: { any: [{ key: hostPath, operator: 'Equals', value: '/run/containerd.sock' }] } },
  });
  const emptyDir = { name: 'v', emptyDir: {} };
  const tmp = { name: 'w', hostPath: { path: '/tmp' } };
  const sock = { name: 's', hostPath: { path: '/run/containerd.sock' } };
  const cases: { name: string; foreach: ForEachValidation[]; volumes: unknown[]; want: string[] }[] = [
    {
      name: 'preconditions error on the only element: no result',
      foreach: [denySock('{{ element.hostPath.path }}')],
      volumes: [emptyDir],
      want: [],
    },
    {
      name: 'preconditions error on the last element: the others decide',
      foreach: [denySock('{{ element.hostPath.path }}')],
      volumes: [tmp, emptyDir],
      want: ['pass'],
    },
    {
      name: 'preconditions error before a denied element',
      foreach: [denySock('{{ element.hostPath.path }}')],
      volumes: [emptyDir, sock],
      want: ['fail'],
    },
    {
      name: 'a deny error on an element before the last',
      foreach: [denySock('{{ element.name }}')],
      volumes: [emptyDir, tmp],
      want: ['error'],
    },
    {
      name: 'a deny error whose text reads like a preconditions error is still an error',
      foreach: [denySock('{{ element.name }}')].map((f) => ({
        ...f,
        deny: {
          conditions: {
            any: [
              { key: '{{ element."failed to evaluate preconditions" }}', operator: 'Equals', value: 'x' },
            ],
          },
        },
      })),
      volumes: [emptyDir, tmp],
      want: ['error'],
    },
    {
      name: 'nested: an inner preconditions error skips the outer element',
      foreach: [
        {
          list: 'request.object.spec.volumes[]',
          foreach: [{ ...denySock('{{ element.hostPath.path }}'), list: '[element]' }],
        },
      ],
      volumes: [tmp, emptyDir],
      want: ['pass'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(statuses(c.foreach, pod({ volumes: c.volumes })), c.want));
  }
});
