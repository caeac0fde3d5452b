// Which matchConditions a CEL policy's own webhook offloads to the API server (Kyverno's
// validConditions, webhookMatchConditions, restrictMatchConditionsToCreate, CreateMatchConditions).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  conditionsForTargets,
  offloadable,
  POD_TARGET,
  restrictToCreate,
  validConditions,
} from './webhook-match-conditions.js';

const c = (name: string, expression: string) => ({ name, expression });

describe('validConditions: all or nothing, as the API server would compile them', () => {
  const cases: [string, ReturnType<typeof c>[] | undefined, boolean][] = [
    ['no list', undefined, false],
    ['an empty list', [], true],
    [
      'request and object fields',
      [c('a', "request.operation == 'CREATE' && object.metadata.name != 'x'")],
      true,
    ],
    ['optional field selection', [c('a', 'object.metadata.?labels["x"].orValue("") == "y"')], true],
    ['the authorizer', [c('a', "authorizer.group('').resource('pods').check('get').allowed()")], true],
    [
      'request fields, nested too',
      [c('a', "request.userInfo.username != 'x' && request.kind.kind == 'Pod'")],
      true,
    ],
    ['a field AdmissionRequest lacks', [c('a', 'request.namespaceObject == null')], false],
    ['a nested field it lacks', [c('a', "request.userInfo.name == 'x'")], false],
    ['a Kyverno library the API server lacks', [c('a', "json.unmarshal('{}') == {}")], false],
    ['a policy variable', [c('a', 'variables.x == 1')], false],
    ['a syntax error', [c('a', 'object.metadata.')], false],
    ['not a boolean', [c('a', "'text'")], false],
    ['an empty expression', [c('a', '  ')], false],
    ['a duplicate name', [c('a', 'true'), c('a', 'false')], false],
    ['an unqualified name', [c('not a name', 'true')], false],
    ['a prefixed name', [c('example.com/a', 'true')], true],
    ['one bad among good', [c('a', 'true'), c('b', 'json.unmarshal("1") == 1')], false],
    ['more than 64', Array.from({ length: 65 }, (_, i) => c(`c${i}`, 'true')), false],
  ];
  for (const [name, conditions, valid] of cases)
    test(name, () => assert.deepEqual(validConditions(conditions), valid ? conditions : undefined));
});

describe('offloadable: namespaceObject (always null for webhooks) stays with Palisade', () => {
  const cases: [string, string, boolean][] = [
    ['field access', "'l' in namespaceObject.metadata.labels", false],
    ['has macro', 'has(namespaceObject.metadata.annotations)', false],
    ['optional selection', 'namespaceObject.metadata.?labels["x"].orValue("") == "y"', false],
    ['no reference', "request.resource.resource != 'leases'", true],
    ['a string naming it', "object.metadata.name != 'namespaceObject'", true],
  ];
  for (const [name, expression, kept] of cases)
    test(name, () => assert.deepEqual(offloadable([c('x', expression)]), kept ? [c('x', expression)] : []));
});

test('restrictToCreate lets every other operation through', () => {
  assert.deepEqual(restrictToCreate([c('a', 'x == 1')]), [
    c('a', "request.operation != 'CREATE' || (x == 1)"),
  ]);
});

test('conditionsForTargets: named autogen-[config-]name, guarded by the targets sorted', () => {
  const targets = [
    { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job' },
    { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' },
  ];
  assert.deepEqual(conditionsForTargets('defaults', targets, [c('a', 'x')]), [
    c(
      'autogen-defaults-a',
      "!((object.apiVersion == 'apps/v1' && object.kind =='Deployment') || (object.apiVersion == 'batch/v1' && object.kind =='Job')) || (x)",
    ),
  ]);
  assert.deepEqual(conditionsForTargets('', [POD_TARGET], [c('a', 'x')]), [
    c('autogen-a', "!((object.apiVersion == 'v1' && object.kind =='Pod')) || (x)"),
  ]);
  assert.deepEqual(conditionsForTargets('', [], [c('a', 'x')]), []);
});
