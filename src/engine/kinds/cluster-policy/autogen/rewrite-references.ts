/**
 * @module Textual rewriting Kyverno applies to generated rules: `request.object.spec` →
 * `request.object.spec.template.spec` (and `.metadata`, `oldObject`, CronJob's
 * `spec.jobTemplate.spec.template`) as plain substring replacement over the whole serialized rule,
 * plus the shift of `$(...)` references in validate messages.
 * See Kyverno pkg/autogen/v1/rule.go (updateFields) and pkg/engine/variables (FindAndShiftReferences).
 */

export type TemplateTarget = 'pod-controllers' | 'cronjob';

const PREFIX: Record<TemplateTarget, string> = {
  'pod-controllers': 'spec.template',
  cronjob: 'spec.jobTemplate.spec.template',
};

/** Replacement pairs in Kyverno's order; `cel` rules rewrite bare `object.*` too. */
export function replacementsFor(target: TemplateTarget, cel: boolean): [string, string][] {
  const p = PREFIX[target];
  const roots = cel ? ['object', 'oldObject'] : ['request.object', 'request.oldObject'];
  return [
    [`${roots[0]}.spec`, `${roots[0]}.${p}.spec`],
    [`${roots[1]}.spec`, `${roots[1]}.${p}.spec`],
    [`${roots[0]}.metadata`, `${roots[0]}.${p}.metadata`],
    [`${roots[1]}.metadata`, `${roots[1]}.${p}.metadata`],
  ];
}

/** Substring replacement over the JSON text of `value`; returns a fresh deep copy. */
export function rewriteSerialized<T>(value: T, target: TemplateTarget, cel: boolean): T {
  let text = JSON.stringify(value);
  for (const [from, to] of replacementsFor(target, cel)) text = text.replaceAll(from, to);
  return JSON.parse(text) as T;
}

// `$(...)` at the start, or preceded by any character except a backslash (Kyverno RegexReferences).
const REFERENCE = /^\$\(.[^ ]*\)|[^\\]\$\(.[^ ]*\)/g;

/**
 * Inserts `shift` after `pivot` inside each `$(...)` reference of a message, e.g.
 * `$(./../pattern/spec/x)` → `$(./../pattern/spec/template/spec/x)`. For anyPattern the pivot is
 * extended with the pattern index, and (as in Kyverno) the extended pivot carries over to later
 * references in the same message.
 */
export function shiftReferences(value: string, shift: string, pivotIn: string): string {
  let pivot = pivotIn;
  let out = value;
  for (const match of value.match(REFERENCE) ?? []) {
    const initial = match.startsWith('$(');
    const reference = initial ? match : match.slice(1);
    const index = reference.indexOf(pivot);
    if (pivot === 'anyPattern' && index >= 0) {
      const ruleIndex = reference.slice(index + pivot.length + 1).split('/')[0] ?? '';
      pivot = `${pivot}/${ruleIndex}`;
    }
    const shifted = reference.split(pivot).join(`${pivot}/${shift}`);
    const replacement = (initial ? '' : match[0]) + shifted;
    out = out.replace(match, () => replacement);
  }
  return out;
}
