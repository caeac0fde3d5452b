/** @module Whether background scans evaluate a CEL-kind policy. */

/** `spec.evaluation.background.enabled` of the CEL kinds (default true). */
export function backgroundEnabled(spec: object): boolean {
  const { evaluation } = spec as {
    readonly evaluation?: { readonly background?: { readonly enabled?: unknown } };
  };
  return evaluation?.background?.enabled !== false;
}
