// The CEL expressions of the conformance corpora's policies and a spread of their resources, for the
// differential tests of the CEL evaluation paths (src/engine/cel/*.corpus.test.ts).
import { corpusDocuments } from './corpus-documents.js';

const EXPRESSION_KEYS = new Set(['expression', 'messageExpression', 'valueExpression']);
const POLICY_GROUPS = /kyverno\.io|admissionregistration|chainsaw|cli\.kyverno/;

function collectExpressions(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectExpressions(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (EXPRESSION_KEYS.has(k) && typeof v === 'string') out.add(v);
      else collectExpressions(v, out);
    }
  }
}

export interface CelCorpus {
  /** Every `expression`, `messageExpression` and `valueExpression` of the corpora's policies. */
  readonly expressions: ReadonlySet<string>;
  /** Up to `maxResources` of the corpora's other documents, spread over the whole corpora. */
  readonly resources: readonly Record<string, unknown>[];
}

export function loadCelCorpus(maxResources: number): CelCorpus {
  const expressions = new Set<string>();
  const all: Record<string, unknown>[] = [];
  for (const doc of corpusDocuments()) {
    const apiVersion = String(doc.apiVersion ?? '');
    if (POLICY_GROUPS.test(apiVersion)) collectExpressions(doc, expressions);
    else if (typeof doc.kind === 'string') all.push(doc);
  }
  const step = Math.max(1, Math.floor(all.length / maxResources));
  return { expressions, resources: all.filter((_, i) => i % step === 0).slice(0, maxResources) };
}
