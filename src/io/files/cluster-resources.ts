/**
 * @module A test's `clusterResources`: ClusterResource files whose inline `spec.resources` and
 * `spec.crds` files make up the fake cluster that context loaders and CEL `resource.*` calls read
 * (Kyverno's CLI test command, reference §8.5).
 */
import type { KubeObject } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { validateClusterResourceFile } from '../schemas/cluster-resource-file.js';
import { locate } from '../yaml/source-map.js';
import { loadSingleFile } from './load-files.js';
import { loadResources } from './resources.js';

export interface LoadedClusterResources {
  /** The inline objects, as written (Kyverno's fake cluster does not default their namespace). */
  readonly objects: readonly KubeObject[];
  /** The CustomResourceDefinitions named under `spec.crds`. */
  readonly crds: readonly KubeObject[];
  /** The files named under `spec.crds`, resolved. */
  readonly crdPaths: readonly string[];
  readonly issues: readonly IoDiagnostic[];
}

/**
 * Loads ClusterResource files. `resolve` maps a path as written to a file path; like Kyverno's CLI,
 * CRD paths are taken relative to the test's folder, not to the ClusterResource file.
 */
export function loadClusterResources(
  files: readonly string[],
  resolve: (path: string) => string,
): LoadedClusterResources {
  const objects: KubeObject[] = [];
  const crdPaths: string[] = [];
  const issues: IoDiagnostic[] = [];
  for (const file of files) {
    const loaded = loadSingleFile(file, { duplicateKeys: 'error' });
    issues.push(...loaded.issues);
    const doc = loaded.document;
    if (doc === undefined) {
      if (loaded.issues.length === 0)
        issues.push(ioDiagnostic('test/invalid', 'ClusterResource file is empty', { file }));
      continue;
    }
    const validated = validateClusterResourceFile(doc.value);
    if (!validated.ok) {
      issues.push(...validated.issues.map((d) => ({ ...d, source: locate(doc, d.path) })));
      continue;
    }
    crdPaths.push(...(validated.value.spec?.crds ?? []).map(resolve));
    (validated.value.spec?.resources ?? []).forEach((r, i) => {
      const kind = (r as { kind?: unknown } | null)?.kind;
      if (
        r === null ||
        typeof r !== 'object' ||
        Array.isArray(r) ||
        typeof kind !== 'string' ||
        kind === ''
      ) {
        const path = ['spec', 'resources', i];
        issues.push({
          ...ioDiagnostic('resource/invalid', 'a cluster resource must be a mapping with a `kind`', { path }),
          source: locate(doc, path),
        });
        return;
      }
      objects.push(r as KubeObject);
    });
  }
  const crds = crdPaths.length > 0 ? loadResources(crdPaths) : { resources: [], issues: [] };
  issues.push(...crds.issues);
  return { objects, crds: crds.resources.map((r) => r.object), crdPaths, issues };
}

/**
 * `group/version` + plural resource → kind, from CRDs' `spec.names` (what a REST mapper built from
 * them answers), so `resource.Get('g/v', 'plural', …)` finds kinds whose plural is irregular.
 */
export function crdResourceKinds(crds: readonly KubeObject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const crd of crds) {
    const spec = (crd as { spec?: Record<string, unknown> }).spec;
    const names = spec?.names as { plural?: unknown; kind?: unknown } | undefined;
    const versions = Array.isArray(spec?.versions) ? spec.versions : [];
    if (
      typeof spec?.group !== 'string' ||
      typeof names?.plural !== 'string' ||
      typeof names.kind !== 'string'
    )
      continue;
    for (const v of versions) {
      const name = (v as { name?: unknown } | null)?.name;
      if (typeof name === 'string') out.set(`${spec.group}/${name}|${names.plural}`, names.kind);
    }
  }
  return out;
}
