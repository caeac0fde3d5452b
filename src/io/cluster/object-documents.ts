/**
 * @module Objects read from the cluster as loaded documents, so that they go through exactly the
 * decoding the policy files go through. Each object is written out as indented JSON (valid YAML,
 * with no YAML 1.1 ambiguity) under a name such as `ClusterPolicy/require-labels` or
 * `Policy/team-a/require-labels`, so a diagnostic names the object and a line of `kubectl get -o json`.
 * Documents are cached by uid and resourceVersion: an unchanged object is not written out again.
 */
import { type LoadedDocument, loadDocuments } from '../yaml/load-documents.js';
import type { KubeObject } from './list-watch-client.js';

/** `Kind/name` or `Kind/namespace/name`. */
export function objectRef(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${String(o.kind)}/${ns !== undefined && ns !== '' ? `${ns}/` : ''}${o.metadata?.name ?? ''}`;
}

/** The object without the server's bookkeeping that no policy reads (managedFields). */
function withoutManagedFields(o: KubeObject): KubeObject {
  if (o.metadata === undefined || !('managedFields' in o.metadata)) return o;
  const { managedFields: _, ...metadata } = o.metadata as Record<string, unknown>;
  return { ...o, metadata };
}

export class ObjectDocuments {
  #cache = new Map<string, LoadedDocument>();

  /** One document per object; the cache keeps only the objects of this call. */
  documents(objects: readonly KubeObject[]): { documents: LoadedDocument[]; issues: [] } {
    const next = new Map<string, LoadedDocument>();
    const documents: LoadedDocument[] = [];
    for (const o of objects) {
      const key = `${objectRef(o)}@${o.metadata?.uid ?? ''}@${o.metadata?.resourceVersion ?? ''}`;
      let doc = this.#cache.get(key);
      if (doc === undefined) {
        const loaded = loadDocuments(JSON.stringify(withoutManagedFields(o), null, 2), objectRef(o));
        doc = loaded.documents[0];
      }
      if (doc === undefined) continue;
      next.set(key, doc);
      documents.push(doc);
    }
    this.#cache = next;
    return { documents, issues: [] };
  }
}
