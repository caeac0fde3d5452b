// The compiled pass checks of patterns (pattern/quick-pass.ts) against the walker over the conformance
// corpora: every `validate.pattern` and `anyPattern` entry of their ClusterPolicies and Policies
// (autogen rules included), planned as a compiled policy plans them, against a spread of the
// corpora's resources: the outcome (status, path, message) is the walker's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { corpusDocuments } from '../../../../../test/support/corpus-documents.js';
import { PatternPlans } from '../../../pattern/map-plan.js';
import { quickPasses, validatePattern } from '../../../pattern/validate-pattern.js';
import { compilePolicy } from '../evaluate-policy.js';
import type { KyvernoPolicy } from '../types.js';

const docs = corpusDocuments();

function corpusPatterns(): unknown[] {
  const out: unknown[] = [];
  for (const d of docs) {
    if (d.kind !== 'ClusterPolicy' && d.kind !== 'Policy') continue;
    const spec = d.spec as { rules?: unknown } | undefined;
    if (!Array.isArray(spec?.rules)) continue;
    const compiled = compilePolicy(d as unknown as KyvernoPolicy);
    if (!compiled.ok) continue;
    for (const rule of compiled.value.rules) {
      const v = rule.validate;
      if (v?.pattern !== undefined) out.push(v.pattern);
      if (Array.isArray(v?.anyPattern)) out.push(...v.anyPattern);
    }
  }
  return out;
}

describe('compiled pass checks over the corpora', () => {
  test('every pattern against a spread of resources answers as the walker', () => {
    const patterns = corpusPatterns();
    const objects = docs.filter((d) => d.kind !== 'ClusterPolicy' && d.kind !== 'Policy');
    const step = Math.max(1, Math.floor(objects.length / 150));
    const resources = objects.filter((_, i) => i % step === 0);
    const plans = new PatternPlans();
    for (const p of patterns) plans.add(p);
    let passed = 0;
    let compared = 0;
    for (const pattern of patterns) {
      const check = plans.quickPass(pattern);
      if (check === undefined) continue;
      for (const resource of resources) {
        const quick = validatePattern(resource, pattern, plans);
        quickPasses.enabled = false;
        let walked: ReturnType<typeof validatePattern>;
        try {
          walked = validatePattern(resource, pattern, plans);
        } finally {
          quickPasses.enabled = true;
        }
        assert.deepEqual(quick, walked);
        compared++;
        if (check(resource)) passed++;
      }
    }
    assert.ok(patterns.length > 300, `only ${patterns.length} patterns in the corpora`);
    assert.ok(passed > 1000 && compared - passed > 1000, `${passed} passes of ${compared} compared`);
  });
});
