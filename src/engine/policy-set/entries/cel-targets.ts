/** @module What the CEL kinds' `matchConstraints` can match, for the set's index. */
import type { MatchConstraints } from '../../kinds/cel-shared/types.js';
import type { IndexTargets } from '../types.js';

/** The resources named by the constraints (`pods/status` → `pods`); a wildcard makes them unindexable. */
export function celTargets(constraints: readonly (MatchConstraints | undefined)[]): IndexTargets {
  const resources = new Set<string>();
  for (const c of constraints) {
    const rules = c?.resourceRules ?? [];
    if (rules.length === 0) return { any: true };
    for (const rule of rules) {
      for (const r of rule.resources ?? []) {
        const resource = r.split('/', 1)[0] ?? '';
        if (resource === '' || /[*?]/.test(resource)) return { any: true };
        resources.add(resource);
      }
    }
  }
  return { kinds: [], resources: [...resources] };
}
