/**
 * @module Values (`cli.kyverno.io/v1alpha1` kind Values, a Test's inline `values:`, `--set`) →
 * the engine's VariableValues for one (policy, resource), with Kyverno's precedence:
 * globalValues < policies[].resources[].values < --set; rule values and foreachValues per rule.
 */
import type { VariableValues } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import type { LoadedDocument } from '../yaml/load-documents.js';
import { locate } from '../yaml/source-map.js';
import { loadPaths } from './load-files.js';

type Json = Record<string, unknown>;

export interface ValuesRule {
  readonly name: string;
  readonly values?: Json;
  readonly foreachValues?: Record<string, unknown[]>;
}
export interface ValuesPolicy {
  readonly name: string;
  readonly rules?: readonly ValuesRule[];
  readonly resources?: readonly { name: string; values?: Json }[];
}
/** The ValuesSpec: what a values file holds besides apiVersion/kind/metadata. */
export interface ValuesSpec {
  readonly globalValues?: Json;
  readonly policies?: readonly ValuesPolicy[];
  readonly namespaceSelector?: readonly { name: string; labels?: Record<string, string> }[];
  readonly namespaces?: readonly { metadata?: { name?: string; labels?: Record<string, string> } }[];
  readonly subresources?: readonly unknown[];
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const SPEC_KEYS = new Set(['globalValues', 'policies', 'namespaceSelector', 'namespaces', 'subresources']);

/** Structural check of a ValuesSpec; `path` prefixes the diagnostics' paths. */
export function checkValuesSpec(v: unknown, extraKeys: ReadonlySet<string> = new Set()): IoDiagnostic[] {
  const out: IoDiagnostic[] = [];
  if (!isObject(v)) return [ioDiagnostic('values/invalid', 'values must be a mapping')];
  for (const k of Object.keys(v)) {
    if (!SPEC_KEYS.has(k) && !extraKeys.has(k))
      out.push(ioDiagnostic('values/invalid', `unknown field "${k}"`, { path: [k] }));
  }
  if (v.globalValues !== undefined && !isObject(v.globalValues)) {
    out.push(ioDiagnostic('values/invalid', 'globalValues must be a mapping', { path: ['globalValues'] }));
  }
  if (v.policies !== undefined) {
    if (!Array.isArray(v.policies))
      out.push(ioDiagnostic('values/invalid', 'policies must be a list', { path: ['policies'] }));
    else
      v.policies.forEach((p, i) => {
        if (!isObject(p) || typeof p.name !== 'string') {
          out.push(ioDiagnostic('values/invalid', 'each policy needs a name', { path: ['policies', i] }));
        }
      });
  }
  if (v.namespaceSelector !== undefined && !Array.isArray(v.namespaceSelector)) {
    out.push(
      ioDiagnostic('values/invalid', 'namespaceSelector must be a list', { path: ['namespaceSelector'] }),
    );
  }
  return out;
}

export interface LoadedValues {
  readonly spec?: ValuesSpec;
  readonly issues: readonly IoDiagnostic[];
}

/** Loads a `kind: Values` file. A file without apiVersion/kind is the deprecated schema: an error. */
export function loadValuesFile(path: string): LoadedValues {
  const loaded = loadPaths([path]);
  if (loaded.issues.length > 0) return { issues: loaded.issues };
  const doc: LoadedDocument | undefined = loaded.documents[0];
  if (doc === undefined)
    return { issues: [ioDiagnostic('values/invalid', 'values file is empty', { file: path })] };
  const v = doc.value;
  if (!isObject(v))
    return {
      issues: [{ ...ioDiagnostic('values/invalid', 'values must be a mapping'), source: locate(doc, []) }],
    };
  if (v.apiVersion === undefined || v.kind === undefined) {
    return {
      issues: [
        {
          ...ioDiagnostic(
            'test/deprecated-schema',
            `values file ${path} uses a deprecated schema — please migrate to the latest format`,
          ),
          source: locate(doc, []),
        },
      ],
    };
  }
  // Kyverno decodes into the Values struct without checking `kind` (the corpus has `kind: Value`).
  const issues = checkValuesSpec(v, new Set(['apiVersion', 'kind', 'metadata'])).map((d) => ({
    ...d,
    source: locate(doc, d.path),
  }));
  if (issues.length > 0) return { issues };
  return { spec: v as ValuesSpec, issues: [] };
}

/** Parses `--set k=v,k2=v2` (values stay strings, as in Kyverno). */
export function parseSetPairs(items: readonly string[]): {
  values: Record<string, string>;
  issues: IoDiagnostic[];
} {
  const values: Record<string, string> = {};
  const issues: IoDiagnostic[] = [];
  for (const item of items) {
    for (const pair of item.split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        issues.push(ioDiagnostic('values/invalid', `--set expects key=value, got "${pair}"`));
        continue;
      }
      values[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return { values, issues };
}

/** VariableValues for one policy (by name) and one resource (by name). Never throws. */
export function computeVariableValues(
  spec: ValuesSpec | undefined,
  setValues: Readonly<Record<string, string>>,
  policyName: string,
  resourceName: string,
): VariableValues {
  const global: Record<string, unknown> = {};
  const rules: Record<string, Record<string, unknown>> = {};
  const foreachValues: Record<string, Record<string, readonly unknown[]>> = {};
  if (spec !== undefined) {
    if (isObject(spec.globalValues)) Object.assign(global, spec.globalValues);
    for (const p of spec.policies ?? []) {
      if (p.name !== policyName) continue;
      for (const r of p.resources ?? [])
        if (r.name === resourceName && isObject(r.values)) Object.assign(global, r.values);
      for (const rule of p.rules ?? []) {
        if (isObject(rule.values)) rules[rule.name] = { ...(rules[rule.name] ?? {}), ...rule.values };
        if (isObject(rule.foreachValues)) {
          const fv: Record<string, readonly unknown[]> = { ...(foreachValues[rule.name] ?? {}) };
          for (const [k, list] of Object.entries(rule.foreachValues)) if (Array.isArray(list)) fv[k] = list;
          foreachValues[rule.name] = fv;
        }
      }
    }
  }
  Object.assign(global, setValues);
  if (global['request.operation'] === undefined) global['request.operation'] = 'CREATE';
  return { global, rules, foreachValues };
}

/** Labels of `namespace` from `namespaceSelector` entries (or full `namespaces` objects). */
export function namespaceLabels(
  spec: ValuesSpec | undefined,
  namespace: string | undefined,
): Record<string, string> | undefined {
  if (spec === undefined || namespace === undefined) return undefined;
  for (const ns of spec.namespaceSelector ?? []) if (ns.name === namespace) return { ...(ns.labels ?? {}) };
  for (const ns of spec.namespaces ?? [])
    if (ns.metadata?.name === namespace) return { ...(ns.metadata.labels ?? {}) };
  return undefined;
}
