/** @module How `apply` names a resource in its text: `namespace/Kind/name` (Kyverno's CLI's label). */
import type { KubeObject } from '../../engine/index.js';

export function resourceLabel(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${ns !== undefined && ns !== '' ? `${ns}/` : ''}${o.kind ?? ''}/${o.metadata?.name ?? ''}`;
}
