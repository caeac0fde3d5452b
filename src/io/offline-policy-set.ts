/**
 * @module The policy set of an offline run (`apply`, `test`) from files: the Context file and the
 * `--parameter-resource` / `paramResources` files are read here, then compiled by
 * offline-set-compile.ts (the browser-safe part the playground shares).
 */
import type { KubeObject } from '../engine/index.js';
import type { IoDiagnostic } from './codes.js';
import { loadContextFile } from './files/context-file.js';
import { loadResources } from './files/resources.js';
import {
  compileOfflineDocuments,
  type OfflineDocumentsInputs,
  type OfflineSet,
} from './offline-set-compile.js';

export type { OfflineSet } from './offline-set-compile.js';

export interface OfflineSetInputs
  extends Omit<OfflineDocumentsInputs, 'clusterObjects' | 'images' | 'paramObjects'> {
  readonly contextFile?: string;
  readonly paramResources?: readonly string[];
  readonly targetResources?: readonly KubeObject[];
}

/** Compiles the run's policies once. Never throws. */
export function compileOfflineSet(inputs: OfflineSetInputs): OfflineSet {
  const issues: IoDiagnostic[] = [];
  let contextObjects: readonly KubeObject[] = [];
  let contextImages: readonly Readonly<Record<string, unknown>>[] = [];
  if (inputs.contextFile !== undefined) {
    const ctx = loadContextFile(inputs.contextFile);
    issues.push(...ctx.issues);
    contextObjects = ctx.resources;
    contextImages = ctx.images;
  }
  const params = loadResources(inputs.paramResources ?? []);
  issues.push(...params.issues);
  const { contextFile: _file, paramResources: _params, targetResources, ...rest } = inputs;
  const compiled = compileOfflineDocuments({
    ...rest,
    paramObjects: params.resources.map((r) => r.object),
    clusterObjects: [...contextObjects, ...(targetResources ?? [])],
    images: contextImages,
  });
  return { ...compiled, issues: [...issues, ...compiled.issues] };
}
