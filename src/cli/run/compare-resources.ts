/**
 * @module How `kyverno test` compares an expected resource file with what the engine produced
 * (reference §8.3; Kyverno `cmd/cli/kubectl-kyverno/resource/{compare,tidy,labels}.go`): both sides
 * are tidied (nulls, empty maps and empty lists removed recursively), labels are normalised
 * (`generate.kyverno.io/*` dropped, `app.kubernetes.io/managed-by: kyverno` forced on both), then
 * they must be exactly equal. Pure.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../engine/index.js';

export interface ResourceComparison {
  readonly equal: boolean;
  /** A line diff of the YAML forms (`-` expected, `+` actual); empty when equal. */
  readonly diff: string;
}

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Kyverno TidyObject: drops null values and empty maps/lists, recursively; undefined when empty. */
export function tidy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = value.map(tidy).filter((v) => v !== undefined);
    return out.length === 0 ? undefined : out;
  }
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) {
      const t = tidy(v);
      if (t !== undefined) out[k] = t;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

const GENERATE_LABEL_PREFIX = 'generate.kyverno.io/';

/** Kyverno FixupGenerateLabels: drop generate bookkeeping labels, force the managed-by label. */
export function fixupGenerateLabels(resource: KubeObject): KubeObject {
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'kyverno' };
  for (const [k, v] of Object.entries(resource.metadata?.labels ?? {})) {
    if (!k.startsWith(GENERATE_LABEL_PREFIX)) labels[k] = v;
  }
  labels['app.kubernetes.io/managed-by'] = 'kyverno';
  return { ...resource, metadata: { ...(resource.metadata ?? {}), labels } };
}

function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => equalJson(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equalJson(a[k], b[k]))
    );
  }
  return false;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

/** Line diff (LCS) of two texts: unchanged lines indented, removed `-`, added `+`. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (
      j < m &&
      (i === n || ((lcs[i] as number[])[j + 1] as number) >= ((lcs[i + 1] as number[])[j] as number))
    ) {
      out.push(`+ ${b[j]}`);
      j++;
    } else {
      out.push(`- ${a[i]}`);
      i++;
    }
  }
  return out.join('\n');
}

function normalise(resource: KubeObject): unknown {
  return tidy(fixupGenerateLabels(resource)) ?? {};
}

/** Compares an expected `patchedResources` document with the engine's resource. */
export function compareResources(expected: KubeObject, actual: KubeObject): ResourceComparison {
  const e = normalise(expected);
  const a = normalise(actual);
  if (equalJson(e, a)) return { equal: true, diff: '' };
  return { equal: false, diff: lineDiff(stringify(sortKeys(e)).trimEnd(), stringify(sortKeys(a)).trimEnd()) };
}

/**
 * Compares an expected `generatedResource(s)` document with a generated object. Kyverno applies the
 * same normalisation here (the `generate.kyverno.io/*` labels the background controller adds are
 * ignored); kept as its own entry point so generate callers do not depend on that coincidence.
 */
export function compareGeneratedResources(expected: KubeObject, actual: KubeObject): ResourceComparison {
  return compareResources(alignDefaultNamespace(expected, actual), actual);
}

/**
 * Expected files are loaded like test resources, which puts namespace-less documents into
 * `default`; a generated cluster-scoped object has no namespace, so the filled one is dropped.
 */
function alignDefaultNamespace(expected: KubeObject, actual: KubeObject): KubeObject {
  const actualNs = actual.metadata?.namespace ?? '';
  if (actualNs !== '' || expected.metadata?.namespace !== 'default') return expected;
  const { namespace: _dropped, ...metadata } = expected.metadata;
  return { ...expected, metadata };
}

/** apiVersion + kind + namespace + name: how an expected document is picked for an actual object. */
export function resourceIdentity(o: KubeObject): string {
  const ns = o.metadata?.namespace ?? '';
  // Namespace-less documents count as `default`, as the CLI loads them.
  return [o.apiVersion ?? '', o.kind ?? '', ns === '' ? 'default' : ns, o.metadata?.name ?? ''].join('/');
}

/** The expected document for `actual`, by exact apiVersion/kind/namespace/name. */
export function findExpected(expected: readonly KubeObject[], actual: KubeObject): KubeObject | undefined {
  const id = resourceIdentity(actual);
  return expected.find((e) => resourceIdentity(e) === id);
}
