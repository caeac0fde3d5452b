/**
 * @module Pod-controller autogen for MutatingPolicies (Kyverno pkg/cel/policies/mpol/autogen): a
 * policy matching only core/v1 pods gets one extra spec per replacement family, like a
 * ValidatingPolicy (same targets and constraints, see autogen.ts), but only the matchConditions
 * and the ApplyConfiguration expressions are rewritten — with plain text replacement, and an
 * `Object{...}` root wrapped into the pod template path. JSONPatch expressions and variables are
 * left as written, as in Kyverno.
 */
import { type AutogenFamily, type AutogenTarget, autogenVariants } from '../cel-shared/autogen.js';
import type { MutatingPolicySpec } from './types.js';

export interface MutatingAutogenVariant {
  readonly family: AutogenFamily;
  readonly targets: readonly AutogenTarget[];
  readonly spec: MutatingPolicySpec;
}

const PATHS: Readonly<Record<AutogenFamily, { spec: string; metadata: string; wrap: [string, string] }>> = {
  defaults: {
    spec: 'spec.template.spec',
    metadata: 'spec.template.metadata',
    wrap: ['Object{spec: Object.spec{template: Object.spec.template{', '}}}'],
  },
  cronjobs: {
    spec: 'spec.jobTemplate.spec.template.spec',
    metadata: 'spec.jobTemplate.spec.template.metadata',
    wrap: [
      'Object{spec: Object.spec{jobTemplate: Object.spec.jobTemplate{spec: Object.spec.jobTemplate.spec{template: Object.spec.jobTemplate.spec.template{',
      '}}}}}',
    ],
  },
};

/** Kyverno's convertPodToTemplateExpression. */
export function convertPodExpression(expression: string, family: AutogenFamily): string {
  const p = PATHS[family];
  let out = expression;
  out = out.replaceAll('object.spec', `object.${p.spec}`).replaceAll('Object.spec', `Object.${p.spec}`);
  for (const field of ['labels', 'annotations']) {
    out = out
      .replaceAll(`object.metadata.${field}`, `object.${p.metadata}.${field}`)
      .replaceAll(`Object.metadata.${field}`, `Object.${p.metadata}.${field}`);
  }
  const trimmed = out.trim();
  if (!trimmed.startsWith('Object{')) return out;
  const content = trimmed.slice('Object{'.length);
  let depth = 1;
  for (let i = 0; i < content.length; i++) {
    if (content[i] === '{') depth++;
    else if (content[i] === '}' && --depth === 0) {
      if (i === 0) return out;
      return `${p.wrap[0]}${content.slice(0, i)}${p.wrap[1]}${content.slice(i + 1)}`;
    }
  }
  return out;
}

/** The autogen variants of a MutatingPolicy spec, `defaults` before `cronjobs`. Never throws. */
export function mutatingAutogenVariants(spec: MutatingPolicySpec): MutatingAutogenVariant[] {
  const base = autogenVariants({
    ...(spec.matchConstraints !== undefined ? { matchConstraints: spec.matchConstraints } : {}),
    ...(spec.autogen?.podControllers !== undefined
      ? { autogen: { podControllers: spec.autogen.podControllers } }
      : {}),
  });
  return base.map((v) => {
    const rewritten: MutatingPolicySpec = {
      ...spec,
      matchConstraints: v.spec.matchConstraints ?? {},
      ...(spec.matchConditions !== undefined
        ? {
            matchConditions: spec.matchConditions.map((m) => ({
              ...m,
              expression: convertPodExpression(m.expression, v.family),
            })),
          }
        : {}),
      ...(spec.mutations !== undefined
        ? {
            mutations: spec.mutations.map((m) =>
              m.applyConfiguration !== undefined && m.applyConfiguration.expression !== ''
                ? {
                    ...m,
                    applyConfiguration: {
                      expression: convertPodExpression(m.applyConfiguration.expression, v.family),
                    },
                  }
                : m,
            ),
          }
        : {}),
    };
    return { family: v.family, targets: v.targets, spec: rewritten };
  });
}
