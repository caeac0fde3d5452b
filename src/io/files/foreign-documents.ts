/**
 * @module Documents a folder walk finds that are not Kubernetes objects or policies: a repository
 * holds `Chart.yaml`, `values.yaml`, `package.json` and `artifacthub-pkg.yml` beside its manifests.
 * Found by walking a folder, they are skipped with a notice; named on the command line, they are
 * still an error (the user asked for that file).
 */
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import type { LoadedDocument } from '../yaml/load-documents.js';
import { locate } from '../yaml/source-map.js';

/**
 * Why a document from a folder walk is not for `what` (`a Kubernetes object`, `a policy`), or
 * undefined when it should be loaded: not a mapping with a `kind`, or a kustomize file (its
 * `Kustomization` is build input, not an API object; render with `kustomize build`).
 */
export function foreignReason(doc: LoadedDocument, what: string): string | undefined {
  if (doc.fromFolder !== true || doc.basePath.length > 0) return undefined;
  const v = doc.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `not ${what} (not a mapping)`;
  const o = v as { kind?: unknown; apiVersion?: unknown };
  if (o.kind === undefined || o.kind === null || o.kind === '') return `not ${what} (it has no kind)`;
  if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kustomize.config.k8s.io/'))
    return `a kustomize ${String(o.kind)}, not ${what} (render it with \`kustomize build\` and pass the output)`;
  return undefined;
}

export function skippedNotice(doc: LoadedDocument, why: string): IoDiagnostic {
  return {
    ...ioDiagnostic('input/skipped', `${why}; skipped`, { severity: 'warning' }),
    source: locate(doc, []),
  };
}

/** Every document under `paths` was skipped: as good as empty input (an error unless `--allow-empty`). */
export function nothingLeft(paths: readonly string[], skipped: number, what: string): IoDiagnostic {
  return ioDiagnostic(
    'input/empty',
    `no ${what} in ${paths.join(', ')}: all ${skipped} document(s) found were skipped`,
    { severity: 'warning', ...(paths[0] !== undefined ? { file: paths[0] } : {}) },
  );
}
