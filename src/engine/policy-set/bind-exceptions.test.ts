// compilePolicySet binds the PolicyExceptions among its documents (reference §1.1): kyverno.io ones
// indexed by policy and rule, CEL ones compiled into the policies they name; Kyverno's CLI mode
// (explicit-only) and admission gate (--enablePolicyException / --exceptionNamespace).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyException } from '../kinds/cluster-policy/types.js';
import { indexExceptions } from '../kinds/policy-exception/exception-index.js';
import { admit } from './admit.js';
import type { ExceptionAdmissionGate } from './bind-exceptions.js';
import { type CompilePolicySetOptions, compilePolicySet } from './compile.js';
import { requestForObject } from './request.js';
import { clusterPolicy, type Doc, pod, podRule, validatingPolicy } from './testdata/policies.js';

const requireTeam = (name: string) =>
  clusterPolicy(name, {
    validationFailureAction: 'Enforce',
    rules: [
      {
        name: 'team',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: { message: 'label team is required', pattern: { metadata: { labels: { team: '?*' } } } },
      },
    ],
  });

const vpolRequireTeam = validatingPolicy('vpol-team', {
  matchConstraints: podRule(),
  validations: [{ expression: "has(object.metadata.labels) && 'team' in object.metadata.labels" }],
});

function exception(
  name: string,
  policyName: string,
  extra: { namespace?: string; ruleNames?: string[]; match?: unknown } = {},
): Doc {
  return {
    apiVersion: 'kyverno.io/v2',
    kind: 'PolicyException',
    metadata: { name, namespace: extra.namespace ?? 'exceptions' },
    spec: {
      exceptions: [{ policyName, ruleNames: extra.ruleNames ?? ['team'] }],
      match: extra.match ?? { any: [{ resources: { kinds: ['Pod'], namespaces: ['sandbox'] } }] },
      background: false,
    },
  } as Doc;
}

function celException(
  name: string,
  policy: { kind: string; name: string },
  matchConditions: { name: string; expression: string }[] = [],
  namespace = 'exceptions',
): Doc {
  return {
    apiVersion: 'policies.kyverno.io/v1beta1',
    kind: 'PolicyException',
    metadata: { name, namespace },
    spec: { policyRefs: [policy], ...(matchConditions.length > 0 ? { matchConditions } : {}) },
  } as Doc;
}

const sandboxPod = pod('p', 'sandbox');

/** The first rule's [status, message] of each response for a team-less Pod in `sandbox`. */
async function verdicts(
  documents: Doc[],
  options: CompilePolicySetOptions<string> = {},
): Promise<[string, string | undefined, string | undefined][]> {
  const compiled = compilePolicySet(
    documents.map((document) => ({ document, source: `${document.metadata.name}.yaml` })),
    options,
  );
  const errors = compiled.diagnostics.filter((d) => d.diagnostic.severity === 'error');
  assert.deepEqual(
    errors.map((d) => d.diagnostic.message),
    [],
  );
  const out = await admit(compiled.set, requestForObject(sandboxPod), { ports: {} });
  return out.responses.map((r) => [r.policy.name, r.response.rules[0]?.status, r.response.rules[0]?.message]);
}

describe('exceptions among the documents', () => {
  const table: {
    readonly name: string;
    readonly documents: Doc[];
    readonly options?: CompilePolicySetOptions<string>;
    readonly want: [string, string, string][];
  }[] = [
    {
      name: 'a kyverno.io exception exempts the rule it names (Kyverno message, no space)',
      documents: [requireTeam('require-team'), exception('sandbox', 'require-team')],
      want: [['require-team', 'skip', 'rule is skipped due to policy exceptionsexceptions/sandbox']],
    },
    {
      name: 'ruleNames are wildcards',
      documents: [requireTeam('require-team'), exception('sandbox', 'require-team', { ruleNames: ['te*'] })],
      want: [['require-team', 'skip', 'rule is skipped due to policy exceptionsexceptions/sandbox']],
    },
    {
      name: 'an exception naming another policy does not exempt',
      documents: [requireTeam('require-team'), exception('sandbox', 'other-policy')],
      want: [
        [
          'require-team',
          'fail',
          'validation error: label team is required. rule team failed at path /metadata/labels/',
        ],
      ],
    },
    {
      name: 'an exception naming another rule does not exempt',
      documents: [
        requireTeam('require-team'),
        exception('sandbox', 'require-team', { ruleNames: ['owner'] }),
      ],
      want: [
        [
          'require-team',
          'fail',
          'validation error: label team is required. rule team failed at path /metadata/labels/',
        ],
      ],
    },
    {
      name: "an exception whose match misses the resource's namespace does not exempt",
      documents: [
        requireTeam('require-team'),
        exception('prod', 'require-team', {
          match: { any: [{ resources: { kinds: ['Pod'], namespaces: ['prod'] } }] },
        }),
      ],
      want: [
        [
          'require-team',
          'fail',
          'validation error: label team is required. rule team failed at path /metadata/labels/',
        ],
      ],
    },
    {
      name: 'a CEL PolicyException exempts the ValidatingPolicy it names',
      documents: [vpolRequireTeam, celException('sandbox', { kind: 'ValidatingPolicy', name: 'vpol-team' })],
      want: [['vpol-team', 'skip', 'rule is skipped due to policy exception: exceptions/sandbox']],
    },
    {
      name: 'a CEL PolicyException with matchConditions exempts only what they select',
      documents: [
        vpolRequireTeam,
        celException('sandbox', { kind: 'ValidatingPolicy', name: 'vpol-team' }, [
          { name: 'prod-only', expression: "object.metadata.namespace == 'prod'" },
        ]),
      ],
      want: [['vpol-team', 'fail', 'CEL expression validation failed at index 0']],
    },
    {
      name: 'a CEL PolicyException naming another kind with the same name does not exempt',
      documents: [vpolRequireTeam, celException('sandbox', { kind: 'MutatingPolicy', name: 'vpol-team' })],
      want: [['vpol-team', 'fail', 'CEL expression validation failed at index 0']],
    },
    {
      name: "explicit-only (Kyverno's CLI) ignores exceptions among the documents",
      documents: [
        requireTeam('require-team'),
        exception('sandbox', 'require-team'),
        vpolRequireTeam,
        celException('sandbox', { kind: 'ValidatingPolicy', name: 'vpol-team' }),
      ],
      options: { exceptions: 'explicit-only' },
      want: [
        [
          'require-team',
          'fail',
          'validation error: label team is required. rule team failed at path /metadata/labels/',
        ],
        ['vpol-team', 'fail', 'CEL expression validation failed at index 0'],
      ],
    },
    {
      name: 'explicit-only binds the explicit exceptions',
      documents: [requireTeam('require-team'), vpolRequireTeam],
      options: {
        exceptions: 'explicit-only',
        explicitExceptions: [
          { document: exception('given', 'require-team'), source: 'e.yaml' },
          {
            document: celException('given', { kind: 'ValidatingPolicy', name: 'vpol-team' }),
            source: 'e.yaml',
          },
        ],
      },
      want: [
        ['require-team', 'skip', 'rule is skipped due to policy exceptionsexceptions/given'],
        ['vpol-team', 'skip', 'rule is skipped due to policy exception: exceptions/given'],
      ],
    },
    {
      name: 'explicit exceptions come first, then those among the documents',
      documents: [requireTeam('require-team'), exception('from-docs', 'require-team')],
      options: { explicitExceptions: [{ document: exception('given', 'require-team'), source: 'e.yaml' }] },
      want: [
        [
          'require-team',
          'skip',
          'rule is skipped due to policy exceptionsexceptions/given, exceptions/from-docs',
        ],
      ],
    },
  ];
  for (const row of table) {
    test(row.name, async () => {
      assert.deepEqual(await verdicts(row.documents, row.options), row.want);
    });
  }
});

describe('exception problems are reported on the exception document', () => {
  test('a CEL exception whose matchConditions do not compile: an error at its own document; the policy still compiles', () => {
    const bad = celException('broken', { kind: 'ValidatingPolicy', name: 'vpol-team' }, [
      { name: 'oops', expression: 'object.metadata.name ==' },
    ]);
    const out = compilePolicySet([
      { document: vpolRequireTeam, source: 'policy.yaml' },
      { document: bad, source: 'exception.yaml' },
    ]);
    assert.deepEqual(out.rejected, []);
    assert.deepEqual(
      out.set.policies.map((p) => p.ref.name),
      ['vpol-team'],
    );
    assert.equal(out.diagnostics.length, 1);
    const [d] = out.diagnostics;
    assert.equal(d?.source, 'exception.yaml');
    assert.equal(d?.policy.kind, 'PolicyException');
    assert.equal(d?.policy.name, 'broken');
    assert.equal(d?.diagnostic.code, 'cel/compile-error');
    assert.equal(d?.diagnostic.severity, 'error');
    assert.deepEqual(d?.diagnostic.path, ['spec', 'matchConditions', 0, 'expression']);
    assert.match(
      d?.diagnostic.message ?? '',
      /^PolicyException exceptions\/broken: spec\.matchConditions\[0\]\.expression/,
    );
  });
  test('a broken CEL exception exempts nothing, and is reported once however many policies it names', async () => {
    const bad = {
      ...celException('broken', { kind: 'ValidatingPolicy', name: 'vpol-team' }, [
        { name: 'oops', expression: 'object.metadata.name ==' },
      ]),
    } as Doc;
    (bad.spec as { policyRefs: unknown[] }).policyRefs.push({ kind: 'ValidatingPolicy', name: 'vpol-two' });
    const two = { ...vpolRequireTeam, metadata: { name: 'vpol-two' } } as Doc;
    const out = compilePolicySet([
      { document: vpolRequireTeam, source: 'p1.yaml' },
      { document: two, source: 'p2.yaml' },
      { document: bad, source: 'exception.yaml' },
    ]);
    assert.equal(out.diagnostics.length, 1);
    const admitted = await admit(out.set, requestForObject(sandboxPod), { ports: {} });
    assert.deepEqual(
      admitted.responses.map((r) => r.response.rules[0]?.status),
      ['fail', 'fail'],
    );
  });
  const warnings: {
    readonly name: string;
    readonly match: unknown;
    readonly background?: boolean;
    readonly path: (string | number)[];
    readonly message: RegExp;
  }[] = [
    {
      name: 'a match with no any/all filter',
      match: {},
      path: ['spec', 'match'],
      message: /has no any or all filter, so the exception applies to no resource/,
    },
    {
      name: 'a kind selector of more than four segments',
      match: { any: [{ resources: { kinds: ['apps/v1/Deployment/scale/extra'] } }] },
      path: ['spec', 'match', 'any', 0, 'resources', 'kinds', 0],
      message: /kind selector "apps\/v1\/Deployment\/scale\/extra" .* matches nothing/,
    },
    {
      name: 'user info in a background exception',
      match: { all: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'dev' }] }] },
      background: true,
      path: ['spec', 'match', 'all', 0, 'subjects'],
      message: /Usage of user info is forbidden/,
    },
  ];
  for (const row of warnings) {
    test(`a kyverno.io exception with a bad match (${row.name}): a warning naming its document`, () => {
      const doc = exception('odd', 'require-team', { match: row.match }) as Doc & {
        spec: { background: boolean };
      };
      if (row.background !== undefined) doc.spec.background = row.background;
      const out = compilePolicySet([
        { document: requireTeam('require-team'), source: 'policy.yaml' },
        { document: doc, source: 'odd.yaml' },
      ]);
      assert.deepEqual(
        out.diagnostics.map((d) => [d.source, d.policy.name, d.diagnostic.severity, d.diagnostic.path]),
        [['odd.yaml', 'odd', 'warning', row.path]],
      );
      assert.match(out.diagnostics[0]?.diagnostic.message ?? '', row.message);
      assert.match(out.diagnostics[0]?.diagnostic.message ?? '', /^PolicyException exceptions\/odd: /);
    });
  }
  test('an explicit exception document of another kind is reported', () => {
    const out = compilePolicySet([], {
      explicitExceptions: [{ document: requireTeam('not-an-exception'), source: 'e.yaml' }],
    });
    assert.deepEqual(
      out.diagnostics.map((d) => [d.source, d.diagnostic.code, d.diagnostic.message]),
      [
        [
          'e.yaml',
          'policy/unsupported-kind',
          'policy exception type not supported: kyverno.io/v1, Kind=ClusterPolicy',
        ],
      ],
    );
  });
});

describe("the admission gate (Kyverno's --enablePolicyException / --exceptionNamespace)", () => {
  const DISABLED = 'PolicyException resources would not be processed until it is enabled.';
  const NO_NAMESPACE = 'The exceptionNamespace flag is not set';
  const OTHER = 'PolicyException resource namespace must match the defined namespace.';
  const rows: {
    readonly gate: ExceptionAdmissionGate | undefined;
    readonly legacy: string | undefined;
    readonly cel: string | undefined;
  }[] = [
    // No gate: Kyverno's CLI honours every exception it binds.
    { gate: undefined, legacy: undefined, cel: undefined },
    // Kyverno's defaults: disabled.
    { gate: {}, legacy: DISABLED, cel: DISABLED },
    { gate: { enablePolicyException: false, exceptionNamespace: '*' }, legacy: DISABLED, cel: DISABLED },
    // Enabled without a namespace: no kyverno.io exception; CEL ones from every namespace.
    { gate: { enablePolicyException: true }, legacy: NO_NAMESPACE, cel: undefined },
    { gate: { enablePolicyException: true, exceptionNamespace: '*' }, legacy: undefined, cel: undefined },
    {
      gate: { enablePolicyException: true, exceptionNamespace: 'exceptions' },
      legacy: undefined,
      cel: undefined,
    },
    { gate: { enablePolicyException: true, exceptionNamespace: 'kyverno' }, legacy: OTHER, cel: OTHER },
  ];
  for (const row of rows) {
    test(`gate ${JSON.stringify(row.gate)}: kyverno.io ${row.legacy ?? 'bound'}, CEL ${row.cel ?? 'bound'}`, async () => {
      const options: CompilePolicySetOptions<string> = row.gate !== undefined ? { admission: row.gate } : {};
      const documents = [
        requireTeam('require-team'),
        exception('sandbox', 'require-team'),
        vpolRequireTeam,
        celException('sandbox-cel', { kind: 'ValidatingPolicy', name: 'vpol-team' }),
      ];
      const compiled = compilePolicySet(
        documents.map((document) => ({ document, source: document.metadata.name })),
        options,
      );
      const ignored = compiled.diagnostics
        .filter((d) => d.diagnostic.code === 'policy/exception-ignored')
        .map((d) => [d.source, d.diagnostic.severity, d.diagnostic.message]);
      const want: string[][] = [];
      if (row.legacy !== undefined) want.push(['sandbox', 'warning', row.legacy]);
      if (row.cel !== undefined) want.push(['sandbox-cel', 'warning', row.cel]);
      assert.deepEqual(ignored, want);
      const got = await verdicts(documents, options);
      assert.deepEqual(
        got.map(([, status]) => status),
        [row.legacy === undefined ? 'skip' : 'fail', row.cel === undefined ? 'skip' : 'fail'],
      );
    });
  }
  test('an exception without a namespace counts as in `default`', () => {
    const doc = exception('no-ns', 'require-team') as Doc & { metadata: { namespace?: string } };
    delete doc.metadata.namespace;
    const gated = (exceptionNamespace: string) =>
      compilePolicySet([{ document: doc, source: 'e.yaml' }], {
        admission: { enablePolicyException: true, exceptionNamespace },
      }).set.exceptions.all.length;
    assert.equal(gated('default'), 1);
    assert.equal(gated('kyverno'), 0);
  });
});

describe('the kyverno.io exception index', () => {
  const e = (name: string, policyName: string, ruleNames: string[]): PolicyException =>
    ({
      apiVersion: 'kyverno.io/v2',
      kind: 'PolicyException',
      metadata: { name },
      spec: { exceptions: [{ policyName, ruleNames }], match: {} },
    }) as PolicyException;
  const index = indexExceptions([
    e('a', 'p', ['r*']),
    e('b', 'ns/p', ['rule']),
    e('c', 'p', ['other']),
    e('d', 'p', ['rule', 'r?le']),
  ]);
  test('looks up by exact policy key, then rule-name wildcards, keeping order', () => {
    assert.deepEqual(
      index.forRule('p', 'rule').map((x) => x.metadata.name),
      ['a', 'd'],
    );
    assert.deepEqual(
      index.forRule('ns/p', 'rule').map((x) => x.metadata.name),
      ['b'],
    );
    assert.deepEqual(index.forRule('q', 'rule'), []);
  });
  test('answers per (policy, rule) are memoised', () => {
    assert.equal(index.forRule('p', 'rule'), index.forRule('p', 'rule'));
  });
});
