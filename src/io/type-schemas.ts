/**
 * @module The type schemas an offline run's MutatingPolicies merge ApplyConfiguration patches with,
 * as Kyverno's CLI does (its OpenAPI client: CRD files, then the Kubernetes 1.32 builtins; no cluster
 * offline). Loaded only when a policy has such a mutation, so other runs never parse them.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { loadBuiltinTypeSchemas, type TypeSchemas, withCrdSchemas } from '../engine/index.js';
import type { LoadedPolicies } from './files/policies.js';
import { loadResources } from './files/resources.js';

/**
 * The CRD documents Kyverno's CLI reads for `crdPaths`: every YAML and JSON file in the folder of
 * each (a file's folder, not the file alone — kubectl-validate's local CRD client reads folders).
 */
function crdDocuments(crdPaths: readonly string[]): unknown[] {
  const folders = new Set<string>();
  for (const p of crdPaths) {
    const path = p.endsWith('/') ? p.slice(0, -1) : p;
    try {
      folders.add(statSync(path).isDirectory() ? path : dirname(path));
    } catch {
      folders.add(path);
    }
  }
  const files: string[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.(ya?ml|json)$/i.test(name)) continue;
      const file = join(folder, name);
      if (statSync(file).isFile()) files.push(file);
    }
  }
  // Problems in these files are reported where the CRDs are loaded for the fake cluster, if at all.
  return loadResources(files).resources.map((r) => r.object);
}

/**
 * The schemas `policies` need, or undefined when none has an ApplyConfiguration mutation.
 * `crdPaths`: a test's ClusterResource `spec.crds` files.
 */
export async function typeSchemasFor(
  policies: LoadedPolicies,
  crdPaths: readonly string[] = [],
): Promise<TypeSchemas | undefined> {
  const needed = policies.mutatingPolicies.some((p) =>
    (p.policy.spec?.mutations ?? []).some((m) => m?.patchType === 'ApplyConfiguration'),
  );
  if (!needed) return undefined;
  const builtins = await loadBuiltinTypeSchemas();
  return crdPaths.length > 0 ? withCrdSchemas(builtins, crdDocuments(crdPaths)) : builtins;
}

/**
 * What Kyverno's CLI refuses in a `--crd-paths` entry, whatever the policies (common.LoadCrdsFromPath):
 * it must name a `.yaml`/`.yml` file that exists (the schemas then come from its whole folder).
 */
export function crdPathProblem(
  path: string,
): { code: 'input/not-found' | 'input/read-error'; message: string } | undefined {
  const abs = resolve(path.endsWith('/') ? path.slice(0, -1) : path);
  const ext = extname(abs);
  if (ext !== '.yaml' && ext !== '.yml')
    return { code: 'input/read-error', message: `CRD file must have .yaml or .yml extension: ${abs}` };
  if (!existsSync(abs))
    return { code: 'input/not-found', message: `CRD file does not exist at path: ${abs}` };
  return undefined;
}
