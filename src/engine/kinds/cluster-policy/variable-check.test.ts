import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkJmespathField, checkTemplateSyntax, findTemplateVariables } from './variable-check.js';

test('findTemplateVariables', () => {
  const exprs = (s: string) => findTemplateVariables(s).map((v) => v.expression);
  assert.deepEqual(exprs('{{ request.object.metadata.name }}'), ['request.object.metadata.name']);
  assert.deepEqual(exprs('a-{{x}}-{{ y }}'), ['x', 'y']);
  assert.deepEqual(exprs('\\{{ escaped }}'), []);
  assert.deepEqual(exprs('{{ {a: b} }}'), ['{a: b}']);
  assert.deepEqual(exprs('no variables {{ open'), []);
});

test('checkTemplateSyntax reports bad expressions with their path', () => {
  const d = checkTemplateSyntax({ msg: ['ok {{ a.b }}', 'bad {{ a. }}'] }, ['rule']);
  assert.deepEqual(
    d.map((x) => [x.code, x.path]),
    [['jmespath/syntax-error', ['rule', 'msg', 1]]],
  );
});

test('checkTemplateSyntax accepts Kyverno-style expressions', () => {
  const ok = [
    '{{ request.object.spec.containers[].image }}',
    '{{ request.object.metadata.labels."app.kubernetes.io/name" || \'\' }}',
    '{{ to_string(length(images.containers.*.tag)) }}',
    '{{@}}',
    "{{ request.object.spec.containers[?securityContext.privileged == `true`].name | join(', ', @) }}",
  ];
  assert.deepEqual(checkTemplateSyntax(ok, []), []);
});

test('checkJmespathField skips expressions that hold variables', () => {
  assert.deepEqual(checkJmespathField('items[?name == `{{ request.object.metadata.name }}`', []), []);
  assert.equal(checkJmespathField('items[?', ['x']).length, 1);
  assert.deepEqual(checkJmespathField('request.object.spec.containers', []), []);
});
