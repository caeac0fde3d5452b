// Every evaluation limit, reached by a policy, makes the rule an `error` that names the limit: never a
// crash, never a hang, whatever the handler does with the failure on the way (docs/limits.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Limits } from '../../limits.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { EvaluationRequest } from '../../request.js';
import { compilePolicy, evaluatePolicy } from './evaluate-policy.js';
import type { ContextEntry, KyvernoPolicy, Rule } from './types.js';

const matchPods = { any: [{ resources: { kinds: ['Pod'] } }] };

function pod(annotations: Record<string, string> = {}, containers = 1): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', annotations },
    spec: { containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: 'nginx' })) },
  };
}

function run(rules: Rule[], resource: KubeObject, extra: Partial<EvaluationRequest> = {}) {
  const policy: KyvernoPolicy = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { rules },
  };
  const compiled = compilePolicy(policy);
  assert.ok(compiled.ok);
  return evaluatePolicy(compiled.value, { resource, operation: 'CREATE', ports: {}, ...extra }).rules;
}

function failing(message: string, extra: Partial<Rule> = {}): Rule {
  return {
    name: 'r',
    match: matchPods,
    validate: { message, pattern: { metadata: { name: 'not-p' } } },
    ...extra,
  };
}

/** `v0` = 64 characters, `v<i>` = `v<i-1>` twice: 2^n × 64 characters if nothing stops it. */
function doubling(n: number, template = (p: string) => `{{${p}}}{{${p}}}`): ContextEntry[] {
  const entries: ContextEntry[] = [{ name: 'v0', variable: { value: 'x'.repeat(64) } }];
  for (let i = 1; i <= n; i++) entries.push({ name: `v${i}`, variable: { value: template(`v${i - 1}`) } });
  return entries;
}

/** A clock that advances `step` ms each time it is read. */
function ticking(step: number): { now: () => Date } {
  let t = 0;
  return {
    now: () => {
      t += step;
      return new Date(t);
    },
  };
}

function assertLimitError(rules: ReturnType<typeof run>, limit: keyof Limits): void {
  assert.equal(rules.length, 1, JSON.stringify(rules));
  const [r] = rules;
  assert.equal(r?.status, 'error', r?.message);
  assert.match(r?.message ?? '', new RegExp(`^evaluation stopped: limit ${limit} \\(`), r?.message);
}

describe('evaluation limits make the rule an error naming the limit', () => {
  test('maxContextSize: context variables doubling through substitution', () => {
    assertLimitError(run([failing('bad', { context: doubling(30) })], pod()), 'maxContextSize');
  });

  test('maxContextSize: doubling through JMESPath join', () => {
    const rule = failing('bad', { context: doubling(30, (p) => `{{ join('', [${p}, ${p}]) }}`) });
    assertLimitError(run([rule], pod(), { limits: { maxValueSize: 64 * 1024 * 1024 } }), 'maxContextSize');
  });

  test('maxValueSize: a doubling chain through join stops at the value size', () => {
    const rule = failing('bad', { context: doubling(30, (p) => `{{ join('', [${p}, ${p}]) }}`) });
    assertLimitError(run([rule], pod(), { limits: { maxContextSize: 1024 * 1024 * 1024 } }), 'maxValueSize');
  });

  test('maxMessageSize: a message expanding through variables', () => {
    const rule = failing('{{v12}}', { context: doubling(12) });
    assertLimitError(run([rule], pod()), 'maxMessageSize');
  });

  test('maxMessageSize: a message variable whose value (from the resource) names itself twice', () => {
    const self = '{{request.object.metadata.annotations.x}}{{request.object.metadata.annotations.x}}';
    assertLimitError(
      run([failing('bad {{request.object.metadata.annotations.x}}')], pod({ x: self })),
      'maxMessageSize',
    );
  });

  test('maxValueSize: the same self-reference in a pattern', () => {
    const self = 'a{{request.object.metadata.annotations.x}}{{request.object.metadata.annotations.x}}';
    const rule: Rule = {
      name: 'r',
      match: matchPods,
      validate: { pattern: { metadata: { name: 'n {{request.object.metadata.annotations.x}}' } } },
    };
    // Re-scanning a long text per variable is charged too: a low value size is reached first.
    assertLimitError(run([rule], pod({ x: self }), { limits: { maxValueSize: 10_000 } }), 'maxValueSize');
  });

  test('maxSubstitutionPasses: a value that keeps producing a variable', () => {
    const rule = failing('m a{{request.object.metadata.annotations.x}}');
    const loop = 'b{{request.object.metadata.annotations.x}}';
    assertLimitError(
      run([rule], pod({ x: loop }), { limits: { maxSubstitutionPasses: 10 } }),
      'maxSubstitutionPasses',
    );
  });

  test('maxSubstitutionOutput: many large values in one rule', () => {
    const keys = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'x{{ big }}']));
    const rule: Rule = {
      name: 'r',
      match: matchPods,
      context: [{ name: 'big', variable: { value: 'y'.repeat(100_000) } }],
      validate: { deny: { conditions: { any: [{ key: keys, operator: 'Equals', value: 'z' }] } } },
    };
    assertLimitError(
      run([rule], pod(), { limits: { maxSubstitutionOutput: 1_000_000 } }),
      'maxSubstitutionOutput',
    );
  });

  test('maxJmespathCost: expensive queries across a rule', () => {
    const rule: Rule = {
      name: 'r',
      match: matchPods,
      context: Array.from({ length: 50 }, (_, i) => ({
        name: `q${i}`,
        variable: { jmesPath: 'length(request.object.spec.containers[].name)' },
      })),
      validate: { pattern: { metadata: { name: 'p' } } },
    };
    assertLimitError(run([rule], pod({}, 1000), { limits: { maxJmespathCost: 20_000 } }), 'maxJmespathCost');
  });

  test('maxForeachElements: a foreach list that is too long (the foreach would otherwise skip it)', () => {
    const rule: Rule = {
      name: 'r',
      match: matchPods,
      validate: { foreach: [{ list: 'request.object.spec.containers', pattern: { name: 'c*' } }] },
    };
    assertLimitError(run([rule], pod({}, 20), { limits: { maxForeachElements: 10 } }), 'maxForeachElements');
    assert.equal(run([rule], pod({}, 10), { limits: { maxForeachElements: 10 } })[0]?.status, 'pass');
  });

  test('maxRegexInput: a regex over a long string', () => {
    const rule: Rule = {
      name: 'r',
      match: matchPods,
      context: [
        { name: 'm', variable: { jmesPath: "regex_match('a+', request.object.metadata.annotations.x)" } },
      ],
      validate: { pattern: { metadata: { name: 'p' } } },
    };
    assertLimitError(
      run([rule], pod({ x: 'a'.repeat(2000) }), { limits: { maxRegexInput: 1000 } }),
      'maxRegexInput',
    );
  });

  test('ruleTimeoutMs: a rule that runs past its time, by the clock port', () => {
    // Every look at the clock advances it: the rule's foreach elements take 100 ms each.
    const clock = ticking(100);
    const rule: Rule = {
      name: 'r',
      match: matchPods,
      validate: { foreach: [{ list: 'request.object.spec.containers', pattern: { name: 'c*' } }] },
    };
    const rules = run([rule], pod({}, 100), {
      ports: { clock },
      limits: { ruleTimeoutMs: 1000, requestTimeoutMs: 1e9 },
    });
    assertLimitError(rules, 'ruleTimeoutMs');
  });

  test('requestTimeoutMs: once the request is out of time, every later rule is an error', () => {
    const clock = ticking(100);
    const rule = (name: string): Rule => ({
      name,
      match: matchPods,
      validate: { foreach: [{ list: 'request.object.spec.containers', pattern: { name: 'c*' } }] },
    });
    const rules = run([rule('a'), rule('b'), rule('c')], pod({}, 5), {
      ports: { clock },
      limits: { ruleTimeoutMs: 1e9, requestTimeoutMs: 1000 },
    });
    assert.equal(rules.length, 3);
    assert.match(rules[2]?.message ?? '', /^evaluation stopped: limit requestTimeoutMs/);
  });

  test('requestTimeoutMs: the runtime signal cancels the evaluation', () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    assertLimitError(run([failing('m')], pod(), { signal: controller.signal }), 'requestTimeoutMs');
  });

  test('the next rule runs within fresh per-rule limits', () => {
    const rules = run(
      [failing('m {{request.object.metadata.annotations.x}}'), { ...failing('plain'), name: 'second' }],
      pod({ x: '{{request.object.metadata.annotations.x}}{{request.object.metadata.annotations.x}}' }),
    );
    assert.deepEqual(
      rules.map((r) => r.status),
      ['error', 'fail'],
    );
  });

  test('defaults leave ordinary rules alone', () => {
    const rules = run([failing('name {{ request.object.metadata.name }} is wrong')], pod());
    assert.equal(rules[0]?.status, 'fail');
    assert.match(rules[0]?.message ?? '', /name p is wrong/);
  });
});
