/**
 * @module JSON payloads: arbitrary JSON or YAML documents (`palisade apply --json`, a test's
 * `jsonPayloads` / deprecated `jsonPayload`) that ValidatingPolicies with
 * `spec.evaluation.mode: JSON` evaluate, bound to CEL `object` (reference §1.4). Kyverno's CLI keys
 * a payload's responses by its path as written in the test, so result rows name payloads in
 * `resources` by that path; a file holding several YAML documents is one payload, their list.
 */
import type { KubeObject } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { type LoadedDocument, loadDocuments } from '../yaml/load-documents.js';
import { displayName, readText, type StdinReader } from './read-text.js';

export interface JsonPayload {
  /** The path as written: the response key test rows select (`resources: [payload.json]`). */
  readonly key: string;
  /** The decoded document: always an object (the CEL engines bind it to `object`). */
  readonly value: KubeObject;
  /** The document as loaded, for the positions of findings (`<stdin>` for standard input). */
  readonly source: LoadedDocument;
}

/** A test's payload paths: `jsonPayloads`, then the deprecated single `jsonPayload`, each once. */
export function jsonPayloadPaths(spec: object): string[] {
  const s = spec as { jsonPayloads?: unknown; jsonPayload?: unknown };
  const out: string[] = [];
  if (Array.isArray(s.jsonPayloads)) {
    for (const p of s.jsonPayloads) if (typeof p === 'string' && p !== '') out.push(p);
  }
  if (typeof s.jsonPayload === 'string' && s.jsonPayload !== '') out.push(s.jsonPayload);
  return [...new Set(out)];
}

function isObject(v: unknown): v is KubeObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads payload files. `key` is the path as the user wrote it, `file` where to read it (relative
 * paths of a test are resolved by the caller). Never throws: problems come back as diagnostics.
 */
export function loadJsonPayloads(
  paths: readonly { readonly key: string; readonly file: string }[],
  stdin?: StdinReader,
): { payloads: JsonPayload[]; issues: IoDiagnostic[] } {
  const payloads: JsonPayload[] = [];
  const issues: IoDiagnostic[] = [];
  for (const { key, file } of paths) {
    const read = readText(file, stdin);
    if (!read.ok) {
      issues.push(read.issue);
      continue;
    }
    const loaded = loadDocuments(read.text, displayName(file), { expandLists: false });
    issues.push(...loaded.issues);
    if (loaded.issues.some((d) => d.severity === 'error')) continue;
    const docs = loaded.documents.filter((d) => d.value !== null && d.value !== undefined);
    const values = docs.map((d) => d.value);
    const value = values.length === 1 ? values[0] : values;
    if (values.length === 0) {
      issues.push(ioDiagnostic('input/empty', `JSON payload ${key} is empty`, { file }));
      continue;
    }
    if (!isObject(value)) {
      // Kyverno's CLI hands ValidatingPolicies object roots only.
      issues.push(
        ioDiagnostic(
          'resource/invalid',
          `JSON payload ${key} must be a JSON object (got a list or a scalar)`,
          {
            file,
          },
        ),
      );
      continue;
    }
    payloads.push({ key, value, source: docs[0]! });
  }
  return { payloads, issues };
}
