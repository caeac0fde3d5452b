/**
 * @module Kyverno's policy validation beyond the CRD schema (pkg/validation/policy/validate.go,
 * api/kyverno/v1/rule_types.go, spec_types.go): rule type, names, kinds, anchors, variables.
 * Works on the raw document and tolerates shapes the schema already reported.
 */
import type { Diagnostic, FieldPath } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { isPlainObject } from '../../schema/schema-dsl.js';
import { checkPatternAnchors, VALIDATE_ANCHORS } from './anchor-check.js';
import { checkTemplateSyntax, findTemplateVariables } from './variable-check.js';
import { checkVerifyImages } from './verify-images/policy-checks.js';

const RULE_TYPES = ['validate', 'mutate', 'generate', 'verifyImages'] as const;

/** Kyverno treats an empty block (`validate: {}`) as absent (DeepEqual against the zero value). */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.values(value).some((v) => v !== undefined && v !== null);
  return true;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export interface PolicyCheckContext {
  readonly namespaced: boolean;
  readonly background: boolean;
}

/** Checks across all rules of a policy spec at `path` (= ['spec']). */
export function checkPolicySpec(spec: unknown, path: FieldPath, ctx: PolicyCheckContext): Diagnostic[] {
  if (!isPlainObject(spec)) return [];
  const out: Diagnostic[] = [];
  const rules = asArray(spec.rules);
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const rulePath = [...path, 'rules', i];
    if (!isPlainObject(rule)) return;
    if (typeof rule.name === 'string') {
      const first = seen.get(rule.name);
      if (first !== undefined) {
        out.push(
          diagnostic(
            'policy/duplicate-rule-name',
            `duplicate rule name: '${rule.name}'`,
            [...rulePath, 'name'],
            {
              hint: `rule ${first} already uses this name`,
            },
          ),
        );
      } else seen.set(rule.name, i);
    }
    out.push(...checkRule(rule, rulePath, ctx));
    const action =
      typeof spec.validationFailureAction === 'string' ? spec.validationFailureAction : undefined;
    out.push(...checkVerifyImages(rule, rulePath, action));
  });

  if (spec.admission === false && spec.background === false) {
    out.push(
      diagnostic(
        'policy/invalid-value',
        'disabling both admission and background processing is not allowed',
        [...path, 'admission'],
      ),
    );
  }
  if (spec.admission === false) {
    const other = rules.find(
      (r) => isPlainObject(r) && (isSet(r.mutate) || isSet(r.generate) || isSet(r.verifyImages)),
    );
    if (other !== undefined) {
      out.push(
        diagnostic(
          'policy/invalid-value',
          'disabling admission processing is only allowed with validation policies',
          [...path, 'admission'],
        ),
      );
    }
  }
  if (ctx.namespaced && asArray(spec.validationFailureActionOverrides).length > 0) {
    out.push(
      diagnostic(
        'policy/invalid-value',
        'validationFailureActionOverrides is supported only with ClusterPolicy',
        [...path, 'validationFailureActionOverrides'],
      ),
    );
  }
  for (const [dep, modern] of [
    ['webhookTimeoutSeconds', 'timeoutSeconds'],
    ['failurePolicy', 'failurePolicy'],
  ] as const) {
    const wc = spec.webhookConfiguration;
    if (spec[dep] !== undefined && spec[dep] !== null && isPlainObject(wc) && wc[modern] !== undefined) {
      out.push(
        diagnostic(
          'policy/invalid-value',
          `remove the deprecated field and use spec.webhookConfiguration.${modern} instead`,
          [...path, dep],
        ),
      );
    }
  }
  return out;
}

/** Checks one rule at `path` (= ['spec','rules',i]). */
export function checkRule(
  rule: Record<string, unknown>,
  path: FieldPath,
  ctx: PolicyCheckContext,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = typeof rule.name === 'string' ? rule.name : '';
  const types = RULE_TYPES.filter((t) => isSet(rule[t]));
  if (types.length === 0) {
    out.push(
      diagnostic('policy/rule-type', `no operation defined in the rule '${name}'`, path, {
        hint: 'add one of validate, mutate, generate, verifyImages',
      }),
    );
  } else if (types.length > 1) {
    out.push(
      diagnostic(
        'policy/rule-type',
        `multiple operations defined in the rule '${name}' (${types.join(', ')}): only one of validate, mutate, generate, verifyImages is allowed per rule`,
        path,
      ),
    );
  }
  if (isSet(rule.imageExtractors) && !isSet(rule.verifyImages)) {
    out.push(
      diagnostic('policy/invalid-value', 'imageExtractors can only be defined for verifyImages rules', [
        ...path,
        'imageExtractors',
      ]),
    );
  }

  out.push(...checkMatchKinds(rule.match, [...path, 'match']));
  for (const block of ['match', 'exclude'] as const) {
    out.push(...checkNoVariables(rule[block], [...path, block], block));
    if (ctx.namespaced) out.push(...checkNamespacedFilters(rule[block], [...path, block]));
    out.push(...checkWildcardKinds(rule, rule[block], [...path, block], ctx));
  }

  if (isPlainObject(rule.validate)) out.push(...checkValidatePatterns(rule.validate, [...path, 'validate']));
  if (isPlainObject(rule.generate)) out.push(...checkGenerate(rule.generate, [...path, 'generate']));

  // Every `{{ }}` in the rule must be valid JMESPath; match/exclude were reported above.
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'match' || key === 'exclude') continue;
    out.push(...checkTemplateSyntax(value, [...path, key]));
  }
  return out;
}

function filtersOf(match: Record<string, unknown>, path: FieldPath): { filter: unknown; path: FieldPath }[] {
  for (const k of ['any', 'all'] as const) {
    const list = asArray(match[k]);
    if (list.length > 0) return list.map((filter, i) => ({ filter, path: [...path, k, i] }));
  }
  return [{ filter: match, path }];
}

/** Every match filter must name at least one kind (validate.go: "at least one element must be specified in a kind block"). */
function checkMatchKinds(match: unknown, path: FieldPath): Diagnostic[] {
  if (!isPlainObject(match)) return [];
  const out: Diagnostic[] = [];
  for (const { filter, path: p } of filtersOf(match, path)) {
    if (!isPlainObject(filter)) continue;
    const resources = filter.resources;
    const kinds = isPlainObject(resources) ? resources.kinds : undefined;
    // A non-list `kinds` was already reported as a wrong type.
    if (kinds === undefined || kinds === null || (Array.isArray(kinds) && kinds.length === 0)) {
      out.push(
        diagnostic(
          'policy/missing-field',
          'at least one kind must be specified in `resources.kinds` of a match block',
          [...p, 'resources', 'kinds'],
        ),
      );
    }
  }
  return out;
}

function checkNoVariables(block: unknown, path: FieldPath, name: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (v: unknown, p: FieldPath): void => {
    if (typeof v === 'string') {
      if (findTemplateVariables(v).length > 0) {
        out.push(diagnostic('variables/not-allowed', `variables are not allowed in the ${name} block`, p));
      }
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        visit(x, [...p, i]);
      });
    } else if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) visit(x, [...p, k]);
    }
  };
  visit(block, path);
  return out;
}

function checkNamespacedFilters(block: unknown, path: FieldPath): Diagnostic[] {
  if (!isPlainObject(block)) return [];
  const out: Diagnostic[] = [];
  for (const { filter, path: p } of filtersOf(block, path)) {
    if (!isPlainObject(filter) || !isPlainObject(filter.resources)) continue;
    if (asArray(filter.resources.namespaces).length > 0) {
      out.push(
        diagnostic('policy/invalid-value', 'filtering namespaces is not allowed in a namespaced Policy', [
          ...p,
          'resources',
          'namespaces',
        ]),
      );
    }
  }
  return out;
}

/** `*` kind: alone, background off, not with generate/verifyImages/validate.foreach (validateWildcard). */
function checkWildcardKinds(
  rule: Record<string, unknown>,
  block: unknown,
  path: FieldPath,
  ctx: PolicyCheckContext,
): Diagnostic[] {
  if (!isPlainObject(block)) return [];
  const out: Diagnostic[] = [];
  for (const { filter, path: p } of filtersOf(block, path)) {
    if (!isPlainObject(filter) || !isPlainObject(filter.resources)) continue;
    const kinds = asArray(filter.resources.kinds);
    if (!kinds.includes('*')) continue;
    const kp = [...p, 'resources', 'kinds'];
    if (ctx.background) {
      out.push(
        diagnostic('policy/invalid-value', 'wildcard policy not allowed in background mode', kp, {
          hint: 'set spec.background: false',
        }),
      );
    }
    if (kinds.length > 1) {
      out.push(
        diagnostic('policy/invalid-value', 'wildcard policy can not deal with more than one kind', kp),
      );
    }
    const validate = rule.validate;
    if (
      isSet(rule.generate) ||
      isSet(rule.verifyImages) ||
      (isPlainObject(validate) && isSet(validate.foreach))
    ) {
      out.push(diagnostic('policy/invalid-value', 'wildcard policy does not support this rule type', kp));
    }
  }
  return out;
}

function checkValidatePatterns(validate: Record<string, unknown>, path: FieldPath): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (validate.pattern !== undefined) {
    out.push(...checkPatternAnchors(validate.pattern, VALIDATE_ANCHORS, [...path, 'pattern']));
  }
  asArray(validate.anyPattern).forEach((p, i) => {
    out.push(...checkPatternAnchors(p, VALIDATE_ANCHORS, [...path, 'anyPattern', i]));
  });
  asArray(validate.foreach).forEach((fe, i) => {
    if (isPlainObject(fe)) out.push(...checkValidatePatterns(fe, [...path, 'foreach', i]));
  });
  return out;
}

/** Generation.Validate: one source at most; a target needs apiVersion, kind and name (unless cloneList). */
function checkGenerate(generate: Record<string, unknown>, path: FieldPath): Diagnostic[] {
  const out: Diagnostic[] = [];
  const cloneList = generate.cloneList;
  const sources = [
    generate.data !== undefined && generate.data !== null ? 'data' : undefined,
    isSet(generate.clone) ? 'clone' : undefined,
    isPlainObject(cloneList) && Array.isArray(cloneList.kinds) ? 'cloneList' : undefined,
    Array.isArray(generate.foreach) ? 'foreach' : undefined,
  ].filter((s) => s !== undefined);
  if (sources.length > 1) {
    out.push(
      diagnostic(
        'policy/invalid-value',
        `only one of data, clone, cloneList and foreach can be specified (found ${sources.join(', ')})`,
        path,
      ),
    );
    return out;
  }
  if (Array.isArray(generate.foreach)) {
    generate.foreach.forEach((fe, i) => {
      if (isPlainObject(fe)) out.push(...checkGenerateTarget(fe, [...path, 'foreach', i]));
    });
  } else {
    out.push(...checkGenerateTarget(generate, path));
  }
  return out;
}

function checkGenerateTarget(pattern: Record<string, unknown>, path: FieldPath): Diagnostic[] {
  const cloneList = pattern.cloneList;
  if (isPlainObject(cloneList) && asArray(cloneList.kinds).length > 0) return [];
  return (['apiVersion', 'kind', 'name'] as const)
    .filter((k) => pattern[k] === undefined || pattern[k] === null || pattern[k] === '')
    .map((k) => diagnostic('policy/missing-field', `${k} can not be empty in a generate rule`, [...path, k]));
}
