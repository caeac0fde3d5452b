import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renameStdinDiagnostics, renameStdinLocations } from './stdin-name.js';

const onStdin = { file: '<stdin>', document: 2, line: 30, column: 11 };
const onFile = { file: 'a.yaml', document: 0, line: 3, column: 1 };

test('only positions on stdin are renamed; lines and columns stay', () => {
  const rows = renameStdinLocations([{ location: onStdin }, { location: onFile }, {}], 'web.yaml');
  assert.deepEqual(rows, [{ location: { ...onStdin, file: 'web.yaml' } }, { location: onFile }, {}]);
  const diags = renameStdinDiagnostics([{ source: onStdin, message: 'm' }, { message: 'n' }], 'web.yaml');
  assert.deepEqual(diags, [{ source: { ...onStdin, file: 'web.yaml' }, message: 'm' }, { message: 'n' }]);
});

test('without a name nothing changes', () => {
  const items = [{ location: onStdin }];
  assert.equal(renameStdinLocations(items, undefined), items);
  assert.deepEqual(renameStdinDiagnostics([{ source: onStdin }], undefined), [{ source: onStdin }]);
});
