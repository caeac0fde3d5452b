/** @module Whether background scans evaluate a CEL-kind policy. */

/** Why a scan skips a CEL-kind policy whose background mode is off. */
export const BACKGROUND_DISABLED = 'spec.evaluation.background.enabled is false';

/** `spec.evaluation.background.enabled` of the CEL kinds (default true). */
export function backgroundEnabled(spec: object): boolean {
  const { evaluation } = spec as {
    readonly evaluation?: { readonly background?: { readonly enabled?: unknown } };
  };
  return evaluation?.background?.enabled !== false;
}
