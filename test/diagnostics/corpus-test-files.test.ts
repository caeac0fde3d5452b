// Every cli.kyverno.io Test / Values / UserInfo file in the conformance corpus validates without errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Result } from '../../src/engine/diagnostics/diagnostic.js';
import { formatFieldPath } from '../../src/engine/diagnostics/diagnostic.js';
import { validateTestFile } from '../../src/io/schemas/test-file.js';
import { validateUserInfoFile } from '../../src/io/schemas/user-info-file.js';
import { validateValuesFile } from '../../src/io/schemas/values-file.js';
import { CORPUS_ROOT, corpusDocuments, corpusExists } from './conformance-corpus.js';

const VALIDATORS: Record<string, (doc: unknown) => Result<unknown>> = {
  Test: validateTestFile,
  Values: validateValuesFile,
  // Kyverno does not check the kind of a values file; some suites write `Value`.
  Value: validateValuesFile,
  UserInfo: validateUserInfoFile,
};

test('every Test, Values and UserInfo file in the corpus validates without errors', {
  skip: corpusExists() ? false : `corpus not found at ${CORPUS_ROOT}`,
}, () => {
  assert.ok(corpusExists(), `conformance corpus not found at ${CORPUS_ROOT}`);
  const counts: Record<string, number> = {};
  const failures: string[] = [];
  for (const { where, doc } of corpusDocuments('cli.kyverno.io')) {
    const kind = (doc as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string') continue;
    const validate = VALIDATORS[kind];
    if (validate === undefined) continue;
    counts[kind] = (counts[kind] ?? 0) + 1;
    const result = validate(doc);
    if (!result.ok) {
      for (const d of result.issues.filter((i) => i.severity === 'error')) {
        failures.push(`${where}: ${d.code} at ${formatFieldPath(d.path)}: ${d.message}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok((counts.Test ?? 0) > 300, `only ${counts.Test ?? 0} Test files found`);
  assert.ok((counts.Values ?? 0) > 10, `only ${counts.Values ?? 0} Values files found`);
});
