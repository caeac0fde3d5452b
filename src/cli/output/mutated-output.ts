/**
 * @module How `palisade apply` shows mutated resources (reference §8.2; Kyverno's policy
 * processor): as text blocks `policy <p> applied to <resource>:` + YAML + `---`, or as YAML documents
 * for a `--output` file or one file per resource in a `--output` directory. Pure.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../engine/index.js';
import { resourceLabel } from './apply-report.js';

export interface MutatedResource {
  /** Policy key (`name` or `namespace/name`). */
  readonly policy: string;
  /** The resource after the policy's mutate rules, or a patched mutate-existing target. */
  readonly resource: KubeObject;
}

export function renderMutatedText(items: readonly MutatedResource[]): string[] {
  return items.flatMap((m) => [
    `policy ${m.policy} applied to ${resourceLabel(m.resource)}:`,
    stringify(m.resource).trimEnd(),
    '---',
  ]);
}

export interface GeneratedResource {
  readonly policy: string;
  /** The resource whose admission triggered the generate rule. */
  readonly trigger: KubeObject;
  /** The object the rule wants to exist. */
  readonly resource: KubeObject;
}

/** `policy <p> generated <resource> for <trigger>:` + YAML + `---` per generated object. */
export function renderGeneratedText(items: readonly GeneratedResource[]): string[] {
  return items.flatMap((g) => [
    `policy ${g.policy} generated ${resourceLabel(g.resource)} for ${resourceLabel(g.trigger)}:`,
    stringify(g.resource).trimEnd(),
    '---',
  ]);
}

/** All mutated resources as one multi-document YAML text (a `--output` file). */
export function renderMutatedDocuments(items: readonly MutatedResource[]): string {
  return items.map((m) => `${stringify(m.resource).trimEnd()}\n---\n`).join('');
}

/**
 * One file per resource for a `--output` directory: `<name>-mutated.yaml` as Kyverno names them,
 * `<namespace>-<kind>-<name>-mutated.yaml` when another resource already took that name. A later
 * policy's output for the same resource replaces the earlier one (it already includes it).
 */
export function mutatedFiles(items: readonly MutatedResource[]): { name: string; content: string }[] {
  const owner = new Map<string, string>();
  const fileOf = new Map<string, string>();
  const contents = new Map<string, string>();
  for (const m of items) {
    const r = m.resource;
    const id = `${r.apiVersion ?? ''}/${r.kind ?? ''}/${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`;
    let name = fileOf.get(id);
    if (name === undefined) {
      const base = safe(r.metadata?.name ?? 'resource');
      name = `${base}-mutated.yaml`;
      if (owner.has(name)) {
        name = `${[r.metadata?.namespace ?? '', r.kind ?? '', base]
          .filter((x) => x !== '')
          .map(safe)
          .join('-')}-mutated.yaml`;
      }
      owner.set(name, id);
      fileOf.set(id, name);
    }
    contents.set(name, `${stringify(r).trimEnd()}\n`);
  }
  return [...contents].map(([name, content]) => ({ name, content }));
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}
