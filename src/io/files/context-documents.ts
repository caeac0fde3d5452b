/**
 * @module `cli.kyverno.io/v1alpha1` kind Context documents (a Test's `context:`, apply's
 * `--context-file`, the playground's context editor): `spec.resources` are the objects CEL
 * `resource.Get/List` sees offline; `spec.images` mock image metadata (reference §8.5) and, as
 * Palisade's extension, the cosign `signatures` / `attestations` ImageValidatingPolicies verify
 * (image-verification-data.ts). Pure: the documents come already parsed (browser-safe).
 */
import type { KubeObject } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import type { LoadedDocument } from '../yaml/load-documents.js';
import { locate } from '../yaml/source-map.js';
import { imageVerificationDataOf } from './image-verification-data.js';

export interface LoadedContext {
  readonly resources: readonly KubeObject[];
  readonly images: readonly Readonly<Record<string, unknown>>[];
  readonly issues: readonly IoDiagnostic[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Decodes the documents of a Context file; every problem is a diagnostic, never a throw. */
export function decodeContextDocuments(loaded: {
  readonly documents: readonly LoadedDocument[];
  readonly issues: readonly IoDiagnostic[];
}): LoadedContext {
  const issues: IoDiagnostic[] = [...loaded.issues];
  const resources: KubeObject[] = [];
  const images: Record<string, unknown>[] = [];
  for (const doc of loaded.documents) {
    const v = doc.value;
    if (!isObject(v) || v.kind !== 'Context' || typeof v.apiVersion !== 'string') {
      issues.push({
        ...ioDiagnostic('test/invalid', 'a context file must hold a cli.kyverno.io/v1alpha1 Context'),
        source: locate(doc, []),
      });
      continue;
    }
    const spec = isObject(v.spec) ? v.spec : {};
    const list = spec.resources ?? [];
    if (!Array.isArray(list)) {
      issues.push({
        ...ioDiagnostic('test/invalid', 'spec.resources must be a list of objects', {
          path: ['spec', 'resources'],
        }),
        source: locate(doc, ['spec', 'resources']),
      });
    } else {
      list.forEach((r, i) => {
        if (isObject(r) && typeof r.kind === 'string') resources.push(r as KubeObject);
        else
          issues.push({
            ...ioDiagnostic('test/invalid', 'each context resource must be a Kubernetes object', {
              path: ['spec', 'resources', i],
            }),
            source: locate(doc, ['spec', 'resources', i]),
          });
      });
    }
    if (Array.isArray(spec.images))
      spec.images.forEach((img, i) => {
        if (!isObject(img)) return;
        images.push(img);
        for (const problem of imageVerificationDataOf(img).problems)
          issues.push({
            ...ioDiagnostic('test/invalid', `context image ${String(img.image)}: ${problem}`, {
              path: ['spec', 'images', i],
            }),
            source: locate(doc, ['spec', 'images', i]),
          });
      });
  }
  return { resources, images, issues };
}
