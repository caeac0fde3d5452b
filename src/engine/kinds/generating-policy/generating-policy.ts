/**
 * @module GeneratingPolicy / NamespacedGeneratingPolicy (reference §1.1, §1.4; Kyverno
 * pkg/cel/policies/gpol): compile once, then per trigger: matchConstraints → CEL PolicyExceptions
 * (any match → skip) → matchConditions (false → no rule) → lazy variables → `generate[]` in order
 * (`expression` calling `generator.Apply`, or a `template`). One rule result named after the policy:
 * pass "policy evaluated successfully" carrying the generated objects, or error.
 */
import type { CelProgram } from '../../cel/compile.js';
import { GeneratorContext } from '../../cel/libs/generator.js';
import { type CelActivation, toCelActivation } from '../../cel/values.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { KubeObject, ObjectMeta } from '../../model/kube-object.js';
import { isClusterScopedKind } from '../../model/resource-kinds.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage, ruleError } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import {
  admissionData,
  type CelAdmissionInput,
  outsidePolicyNamespace,
} from '../cel-shared/admission-evaluation.js';
import {
  type CelKindShape,
  type CelPolicyCompileOptions,
  type CompiledCelPolicyCore,
  compileCelPolicy,
  compiledOnly,
  compilePrograms,
} from '../cel-shared/compile-cel-policy-core.js';
import {
  bindLazyVariables,
  compileDeclaredVariables,
  compileField,
  type FieldCompiler,
  matchAllConditions,
  type NamedProgram,
  variableNames,
  withDeclaredVariables,
} from '../cel-shared/compile-fields.js';
import { matchConstraints } from '../cel-shared/match-constraints.js';
import type { MatchConstraints, NamedExpression } from '../cel-shared/types.js';
import { exceptionResult } from '../policy-exception/cel-exception.js';
import { type CompiledTemplate, compileTemplate, renderTemplate } from './generation-template.js';

export interface GenerationTemplate {
  value: string;
  /** `none` (default): the YAML is literal; `cel`: `(( expr ))` placeholders are evaluated. */
  interpolate?: 'none' | 'cel';
}

export interface Generation {
  expression?: string;
  template?: GenerationTemplate;
}

export interface GeneratingPolicySpec {
  matchConstraints?: MatchConstraints;
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
  generate?: Generation[];
  evaluation?: {
    admission?: { enabled?: boolean };
    generateExisting?: { enabled?: boolean };
    synchronize?: { enabled?: boolean };
    orphanDownstreamOnPolicyDelete?: { enabled?: boolean };
    skipBackgroundRequests?: boolean;
  };
  useServerSideApply?: boolean;
  webhookConfiguration?: { timeoutSeconds?: number };
}

export type GeneratingPolicyKind = 'GeneratingPolicy' | 'NamespacedGeneratingPolicy';

export interface GeneratingPolicy {
  apiVersion: string;
  kind: GeneratingPolicyKind;
  metadata: ObjectMeta & { name: string };
  spec: GeneratingPolicySpec;
}

type CompiledGeneration = { readonly expression: CelProgram } | { readonly template: CompiledTemplate };

export interface CompiledGeneratingPolicy extends CompiledCelPolicyCore<GeneratingPolicy> {
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
  readonly generations: readonly CompiledGeneration[];
}

export type CompileGeneratingPolicyOptions = CelPolicyCompileOptions;

/** CEL variables of GeneratingPolicy expressions (`generator` carries `Apply`). */
export const GENERATING_POLICY_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'namespaceObject',
  'variables',
  'generator',
] as const;

const SHAPE: CelKindShape = {
  celKind: 'generating',
  variables: GENERATING_POLICY_VARIABLES,
  namespacedKind: 'NamespacedGeneratingPolicy',
};

/** Compiles a GeneratingPolicy; CEL and template problems come back as diagnostics. Never throws. */
export function compileGeneratingPolicy(
  policy: GeneratingPolicy,
  options: CompileGeneratingPolicyOptions = {},
): Result<CompiledGeneratingPolicy> {
  // Kyverno compiles matchConditions before registering any variable, the generations after all.
  return compileCelPolicy(policy, SHAPE, options, (c, spec) => {
    const all = withDeclaredVariables(c, variableNames(spec.variables));
    return {
      matchConditions: compilePrograms(withDeclaredVariables(c, []), spec.matchConditions, 'matchConditions'),
      variables: compiledOnly(compileDeclaredVariables(c, spec.variables)),
      generations: compiledOnly((spec.generate ?? []).map((g, i) => compileGeneration(all, g, i))),
    };
  });
}

function compileGeneration(c: FieldCompiler, g: Generation, i: number): CompiledGeneration | undefined {
  const hasExpr = typeof g?.expression === 'string' && g.expression !== '';
  const hasTemplate = g?.template !== undefined && g.template !== null;
  if (hasExpr && hasTemplate) {
    c.issues.push(
      diagnostic(
        'policy/invalid-value',
        `policy ${c.policyName}: only one of expression or template may be set`,
        ['spec', 'generate', i],
      ),
    );
    return undefined;
  }
  if (hasTemplate) return compileTemplateAt(c, g.template!, i);
  if (!hasExpr) {
    c.issues.push(
      diagnostic(
        'policy/missing-field',
        `policy ${c.policyName}: one of expression or template must be set`,
        ['spec', 'generate', i],
      ),
    );
    return undefined;
  }
  const program = compileField(c, g.expression, ['spec', 'generate', i, 'expression']);
  return program === undefined ? undefined : { expression: program };
}

function compileTemplateAt(
  c: FieldCompiler,
  t: GenerationTemplate,
  i: number,
): CompiledGeneration | undefined {
  const path = ['spec', 'generate', i, 'template', 'value'];
  if (typeof t.value !== 'string') {
    c.issues.push(
      diagnostic('policy/missing-field', `policy ${c.policyName}: template.value must be a string`, path),
    );
    return undefined;
  }
  try {
    const template = compileTemplate(t.value, t.interpolate === 'cel', (expression) => {
      const scratch: FieldCompiler = { ...c, issues: [] };
      const program = compileField(scratch, expression, path);
      if (program === undefined) throw new Error(scratch.issues[0]?.message ?? 'compilation failed');
      return program;
    });
    return { template };
  } catch (e) {
    c.issues.push(
      diagnostic(
        'cel/compile-error',
        `policy ${c.policyName}: spec.generate[${i}].template.value: ${errorMessage(e)}`,
        path,
      ),
    );
    return undefined;
  }
}

/** What a GeneratingPolicy answered for one trigger: no answer (not matched), no rule, or one rule. */
export type GeneratingPolicyOutcome =
  | { readonly matched: false }
  | { readonly matched: true; readonly rules: readonly RuleResult[] };

function generateAll(
  compiled: CompiledGeneratingPolicy,
  activation: CelActivation,
  generator: GeneratorContext,
  runtime: EvaluationRuntime,
): void {
  for (const g of compiled.generations) {
    if ('expression' in g) {
      g.expression.evaluateRaw(activation, runtime);
      continue;
    }
    for (const doc of renderTemplate(g.template, activation, runtime)) {
      const meta = (doc.metadata ?? {}) as { namespace?: unknown };
      const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
      generator.apply(ns, [doc]);
    }
  }
}

/** Evaluates the policy for one trigger (Kubernetes mode), with the ports of `runtime`. Never throws. */
export function evaluateGeneratingPolicy(
  compiled: CompiledGeneratingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
  options: { readonly labelSources?: boolean } = {},
): GeneratingPolicyOutcome {
  const name = compiled.policy.metadata.name;
  if (outsidePolicyNamespace(compiled, input)) return { matched: false };
  const m = matchConstraints(compiled.policy.spec.matchConstraints, input.attributes, input.namespaceObject);
  if (m.error !== undefined) {
    return { matched: true, rules: [ruleError(name, 'Generation', 'failed to execute matching', m.error)] };
  }
  if (!m.matches) return { matched: false };
  const base = toCelActivation(admissionData(input));
  try {
    const matchedExceptions = compiled.exceptions
      .filter((e) => matchAllConditions(e.conditions, base, runtime))
      .map((e) => e.exception);
    if (matchedExceptions.length > 0) {
      // As the other CEL kinds (gpol/engine/engine.go): rule `exception`, `skip`, or `pass` when the
      // selected exception says `reportResult: pass`.
      return {
        matched: true,
        rules: [{ ...exceptionResult(matchedExceptions, 'exception'), type: 'Generation' }],
      };
    }
    if (!matchAllConditions(compiled.matchConditions, base, runtime)) return { matched: true, rules: [] };
    const generator = new GeneratorContext({
      ...(compiled.namespace !== undefined ? { policyNamespace: compiled.namespace } : {}),
      isClusterScoped: (_apiVersion, kind) => isClusterScopedKind(kind),
      ...(options.labelSources === true ? { labelSources: true } : {}),
    });
    const values: Record<string, unknown> = { ...base.values, generator };
    const activation: CelActivation = { celActivation: true, values };
    bindLazyVariables(values, compiled.variables, activation, runtime);
    generateAll(compiled, activation, generator, runtime);
    return {
      matched: true,
      rules: [
        {
          name,
          type: 'Generation',
          status: 'pass',
          message: 'policy evaluated successfully',
          generatedResources: generator.generated as KubeObject[],
        },
      ],
    };
  } catch (e) {
    return { matched: true, rules: [ruleError(name, 'Generation', 'failed to evaluate policy', e)] };
  }
}
