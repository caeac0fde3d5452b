import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ioDiagnostic } from '../../io/codes.js';
import { renderDiagnostics } from './diagnostics.js';

test('diagnostics are sorted by file and position, and capped with a count of the rest', () => {
  const ds = [3, 1, 2].map((line) =>
    ioDiagnostic('yaml/syntax-error', `at ${line}`, { file: 'f.yaml', line }),
  );
  assert.deepEqual(renderDiagnostics(ds), [
    'f.yaml:1:1: yaml/syntax-error: at 1',
    'f.yaml:2:1: yaml/syntax-error: at 2',
    'f.yaml:3:1: yaml/syntax-error: at 3',
  ]);
  const capped = renderDiagnostics(ds, 2);
  assert.equal(capped.length, 3);
  assert.equal(capped[2], '... 1 more diagnostics not shown (1 of them errors)');
});

test('a multi-line message is printed on one line', () => {
  const [line] = renderDiagnostics([
    ioDiagnostic('cel/compile-error', "bad 'a &&\n  b +\n'", { file: 'p.yaml' }),
  ]);
  assert.equal(line, "p.yaml:1:1: cel/compile-error: bad 'a &&\\n  b +\\n'");
});
