/**
 * @module Values (`cli.kyverno.io/v1alpha1` kind Values, a Test's inline `values:`, `--set`) →
 * the engine's VariableValues for one (policy, resource), with Kyverno's precedence:
 * globalValues < policies[].resources[].values < --set; rule values and foreachValues per rule.
 * Pure (browser-safe): reading the file is values.ts.
 */
import type { VariableValues } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { validateValuesFile } from '../schemas/values-file.js';
import type { LoadedDocument } from '../yaml/load-documents.js';
import { locate } from '../yaml/source-map.js';

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

export interface LoadedValues {
  readonly spec?: ValuesSpec;
  readonly issues: readonly IoDiagnostic[];
}

/**
 * Decodes a `kind: Values` document. A document without apiVersion/kind is the deprecated schema:
 * an error, as Kyverno decodes into its Values struct strictly.
 */
export function decodeValuesDocument(doc: LoadedDocument | undefined, file: string): LoadedValues {
  if (doc === undefined)
    return { issues: [ioDiagnostic('values/invalid', 'values file is empty', { file })] };
  const validated = validateValuesFile(doc.value);
  if (!validated.ok) return { issues: validated.issues.map((d) => ({ ...d, source: locate(doc, d.path) })) };
  return { spec: validated.value as unknown as ValuesSpec, issues: [] };
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
      const key = pair.slice(0, eq).trim();
      // Kyverno's CLI ignores --set variables naming fields of the object (its variables.parse);
      // values files may set them and change the object, --set may not.
      if (key.includes('request.object.')) {
        issues.push(
          ioDiagnostic('values/invalid', `--set ${key}: variables under request.object are ignored`, {
            severity: 'warning',
          }),
        );
        continue;
      }
      values[key] = pair.slice(eq + 1).trim();
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
