// Real policies must never be rejected: every kyverno.io ClusterPolicy/Policy/PolicyException in the
// conformance corpus loads with zero error diagnostics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldPath } from '../../src/engine/diagnostics/diagnostic.js';
import {
  classifyDocument,
  loadKyvernoPolicy,
  loadPolicyException,
} from '../../src/engine/kinds/cluster-policy/load.js';
import { CORPUS_ROOT, corpusDocuments, corpusExists } from './conformance-corpus.js';

/** Chainsaw assertion files hold a partial object (status only) to compare against the cluster. */
function isChainsawStatusAssertion(where: string, doc: Record<string, unknown>): boolean {
  return where.includes('.chainsaw-test') && doc.spec === undefined && doc.status !== undefined;
}

test('every kyverno.io policy and exception in the corpus loads without errors', {
  skip: corpusExists() ? false : `corpus not found at ${CORPUS_ROOT}`,
}, () => {
  assert.ok(corpusExists(), `conformance corpus not found at ${CORPUS_ROOT}`);
  let policies = 0;
  let exceptions = 0;
  const failures: string[] = [];
  for (const { where, doc } of corpusDocuments('kyverno.io')) {
    const kind = classifyDocument(doc);
    if (kind !== 'kyverno-policy' && kind !== 'policy-exception') continue;
    if (isChainsawStatusAssertion(where, doc as Record<string, unknown>)) continue;
    const result = kind === 'kyverno-policy' ? loadKyvernoPolicy(doc) : loadPolicyException(doc);
    if (kind === 'kyverno-policy') policies++;
    else exceptions++;
    if (!result.ok) {
      for (const d of result.issues.filter((i) => i.severity === 'error')) {
        failures.push(`${where}: ${d.code} at ${formatFieldPath(d.path)}: ${d.message}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  // Guards against a walker that silently finds nothing.
  assert.ok(policies > 250, `only ${policies} policies found`);
  assert.ok(exceptions >= 0);
});

test('loaded corpus policies carry the defaults', {
  skip: corpusExists() ? false : `corpus not found at ${CORPUS_ROOT}`,
}, () => {
  // The first policy of a sample-library folder, not a chainsaw assertion (a partial object).
  const sample = corpusDocuments('kyverno.io').find(
    (d) => classifyDocument(d.doc) === 'kyverno-policy' && !d.where.includes('.chainsaw-test'),
  );
  assert.ok(sample);
  const result = loadKyvernoPolicy(sample.doc);
  assert.ok(result.ok);
  assert.equal(typeof result.value.spec.background, 'boolean');
  assert.ok(['Audit', 'Enforce'].includes(result.value.spec.validationFailureAction ?? ''));
});
