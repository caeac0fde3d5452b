// The CEL expressions of the conformance corpora's policies and a spread of their resources, for the
// differential tests of the CEL evaluation paths (src/engine/cel/*.corpus.test.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAll } from 'js-yaml';

const CORPORA = ['kyverno-policies', 'kyverno-cli'].map((c) =>
  resolve(import.meta.dirname, '../../../shared/conformance', c),
);
const EXPRESSION_KEYS = new Set(['expression', 'messageExpression', 'valueExpression']);
const POLICY_GROUPS = /kyverno\.io|admissionregistration|chainsaw|cli\.kyverno/;

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

function documents(file: string): unknown[] {
  try {
    return loadAll(readFileSync(file, 'utf8')).filter((d) => typeof d === 'object' && d !== null);
  } catch {
    return [];
  }
}

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
  for (const corpus of CORPORA.filter((c) => existsSync(c))) {
    for (const file of yamlFiles(corpus)) {
      for (const doc of documents(file) as Record<string, unknown>[]) {
        const apiVersion = String(doc.apiVersion ?? '');
        if (POLICY_GROUPS.test(apiVersion)) collectExpressions(doc, expressions);
        else if (typeof doc.kind === 'string') all.push(doc);
      }
    }
  }
  const step = Math.max(1, Math.floor(all.length / maxResources));
  return { expressions, resources: all.filter((_, i) => i % step === 0).slice(0, maxResources) };
}
