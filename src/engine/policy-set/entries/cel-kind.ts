/**
 * @module The parts of a kind entry every policies.kyverno.io kind fills in the same way: its group,
 * compiling with the set's CEL PolicyExceptions, its PolicyRef, and index targets from its
 * matchConstraints.
 */

import type { Result } from '../../diagnostics/diagnostic.js';
import type { CelPolicyCompileOptions } from '../../kinds/cel-shared/compile-cel-policy-core.js';
import type { MatchConstraints } from '../../kinds/cel-shared/types.js';
import { policyRefOf, type RulelessPolicy } from '../results.js';
import type { KindEntry } from '../types.js';
import { celTargets } from './cel-targets.js';

export function celKindParts<D, C extends RulelessPolicy>(
  compile: (document: D, options: CelPolicyCompileOptions) => Result<C>,
  constraints: (compiled: C) => readonly (MatchConstraints | undefined)[],
): Pick<KindEntry<D, C>, 'group' | 'compile' | 'ref' | 'targets'> {
  return {
    group: 'policies.kyverno.io',
    compile: (document, ctx) => compile(document, { exceptions: ctx.celExceptions }),
    ref: (c) => policyRefOf(c.policy, c.namespace),
    targets: (c) => celTargets(constraints(c)),
  };
}
