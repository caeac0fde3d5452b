/**
 * @module MutatingPolicy / NamespacedMutatingPolicy: compile once (CEL programs for the policy and
 * its pod-controller autogen variants, plus the CEL PolicyExceptions that name it), then evaluate
 * per request with Kyverno's pipeline (reference §1.4; pkg/cel/policies/mpol): matchConstraints →
 * exceptions → lazy variables → matchConditions → mutations in order (each sees the object patched
 * by the previous one). Each variant answers with at most one rule result and its patched object.
 */
import type { CelProgram } from '../cel/compile.js';
import { compileCel } from '../cel/compile.js';
import { CelCompileError } from '../cel/errors.js';
import { type CelActivation, CelLazyMap, toCel, toCelActivation } from '../cel/values.js';
import type { Diagnostic, FieldPath, Result } from '../diagnostics/diagnostic.js';
import { diagnostic, formatFieldPath } from '../diagnostics/diagnostic.js';
import type { KubeObject } from '../policy/types.js';
import type { Ports } from '../ports.js';
import { errorMessage, ruleError, ruleResult } from '../verdict/rule-result.js';
import type { RuleResult } from '../verdict/types.js';
import type { AutogenFamily } from './autogen.js';
import { exceptionRefersTo, exceptionResult, isFullExemption } from './cel-exception.js';
import { matchConstraints } from './match-constraints.js';
import { mutatingAutogenVariants } from './mutating-autogen.js';
import type { MutatingPolicy, MutatingPolicySpec, PatchType } from './mutating-types.js';
import { applyMutationResult } from './mutation-patchers.js';
import type { CelPolicyException, MatchConstraints } from './types.js';
import {
  buildAdmissionRequest,
  type CelAdmissionInput,
  type CelCompile,
  VALIDATING_POLICY_VARIABLES,
} from './validating-policy.js';

/** CEL variables declared for MutatingPolicy expressions (the same set as ValidatingPolicies). */
export const MUTATING_POLICY_VARIABLES = VALIDATING_POLICY_VARIABLES;

export interface CompileMutatingPolicyOptions {
  readonly compile?: CelCompile;
  /** CEL PolicyExceptions; those whose `policyRefs` name this policy are compiled in. */
  readonly exceptions?: readonly CelPolicyException[];
  readonly ports?: Ports;
}

export interface CompiledMutation {
  readonly patchType: PatchType;
  readonly program: CelProgram;
}

export interface CompiledMutatingVariant {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly { readonly name: string; readonly program: CelProgram }[];
  readonly mutations: readonly CompiledMutation[];
}

interface CompiledException {
  readonly exception: CelPolicyException;
  readonly matchConditions: readonly CelProgram[];
}

export interface CompiledMutatingPolicy {
  readonly policy: MutatingPolicy;
  /** `name`, or `namespace/name` for a NamespacedMutatingPolicy. */
  readonly key: string;
  /** The namespace a NamespacedMutatingPolicy is confined to. */
  readonly namespace?: string;
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** `evaluation.mutateExisting.enabled`: such policies mutate targets, not the admitted object. */
  readonly mutateExisting: boolean;
  readonly variants: readonly CompiledMutatingVariant[];
  readonly exceptions: readonly CompiledException[];
}

/** What one variant answered: no rules when it did not match; `patched` when it mutated. */
export interface MutatingVariantResponse {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
  readonly rules: readonly RuleResult[];
  readonly patched?: KubeObject;
}

class CompileFailure extends Error {
  readonly diagnostic: Diagnostic;
  constructor(d: Diagnostic) {
    super(d.message);
    this.name = 'CompileFailure';
    this.diagnostic = d;
  }
}

function compileAt(
  options: CompileMutatingPolicyOptions,
  policyName: string,
  expression: unknown,
  path: FieldPath,
): CelProgram {
  const where = formatFieldPath(path);
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new CompileFailure(
      diagnostic('policy/missing-field', `policy ${policyName}: ${where} must be a CEL expression`, path),
    );
  }
  try {
    return (options.compile ?? compileCel)(expression, {
      variables: MUTATING_POLICY_VARIABLES,
      kind: 'mutating',
      ...(options.ports !== undefined ? { ports: options.ports } : {}),
    });
  } catch (e) {
    const at =
      e instanceof CelCompileError && e.line !== undefined
        ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})`
        : '';
    throw new CompileFailure(
      diagnostic(
        'cel/compile-error',
        `policy ${policyName}: ${where}${at}: compilation failed: ${errorMessage(e)}`,
        path,
      ),
    );
  }
}

function compileVariant(
  spec: MutatingPolicySpec,
  options: CompileMutatingPolicyOptions,
  policyName: string,
  autogen: AutogenFamily | undefined,
  issues: Diagnostic[],
): CompiledMutatingVariant | undefined {
  const before = issues.length;
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof CompileFailure)) throw e;
      if (!issues.some((d) => d.message === e.diagnostic.message)) issues.push(e.diagnostic);
      return undefined;
    }
  };
  const matchConditions = (spec.matchConditions ?? []).map((m, i) =>
    attempt(() =>
      compileAt(options, policyName, m?.expression, ['spec', 'matchConditions', i, 'expression']),
    ),
  );
  const variables = (spec.variables ?? []).map((v, i) => {
    const program = attempt(() =>
      compileAt(options, policyName, v?.expression, ['spec', 'variables', i, 'expression']),
    );
    return program === undefined ? undefined : { name: String(v?.name ?? ''), program };
  });
  const mutations = (spec.mutations ?? []).map((m, i) => {
    const patchType: PatchType = m?.patchType === 'JSONPatch' ? 'JSONPatch' : 'ApplyConfiguration';
    const field = patchType === 'JSONPatch' ? 'jsonPatch' : 'applyConfiguration';
    const expression =
      patchType === 'JSONPatch' ? m?.jsonPatch?.expression : m?.applyConfiguration?.expression;
    const program = attempt(() =>
      compileAt(options, policyName, expression, ['spec', 'mutations', i, field, 'expression']),
    );
    return program === undefined ? undefined : { patchType, program };
  });
  if (issues.length > before) return undefined;
  return {
    ...(autogen !== undefined ? { autogen } : {}),
    ...(spec.matchConstraints !== undefined ? { matchConstraints: spec.matchConstraints } : {}),
    matchConditions: matchConditions as CelProgram[],
    variables: variables as { name: string; program: CelProgram }[],
    mutations: mutations as CompiledMutation[],
  };
}

/**
 * Compiles a MutatingPolicy (and its autogen variants) with the exceptions that refer to it.
 * Never throws: CEL compile errors come back as `cel/compile-error` diagnostics naming the policy
 * and the field path (e.g. `spec.mutations[0].applyConfiguration.expression`).
 */
export function compileMutatingPolicy(
  policy: MutatingPolicy,
  options: CompileMutatingPolicyOptions,
): Result<CompiledMutatingPolicy> {
  const issues: Diagnostic[] = [];
  const name = policy.metadata.name;
  const spec = policy.spec ?? {};
  const variants: CompiledMutatingVariant[] = [];
  try {
    const main = compileVariant(spec, options, name, undefined, issues);
    if (main !== undefined) variants.push(main);
    if (issues.length === 0) {
      for (const v of mutatingAutogenVariants(spec)) {
        const compiled = compileVariant(v.spec, options, name, v.family, issues);
        if (compiled !== undefined) variants.push(compiled);
      }
    }
  } catch (e) {
    issues.push(diagnostic('cel/compile-error', `policy ${name}: ${errorMessage(e)}`, ['spec']));
  }
  const exceptions: CompiledException[] = [];
  for (const exception of options.exceptions ?? []) {
    if (!exceptionRefersTo(exception, policy)) continue;
    const conditions: CelProgram[] = [];
    (exception.spec.matchConditions ?? []).forEach((m, i) => {
      try {
        conditions.push(
          compileAt(options, `${name} (exception ${exception.metadata.name})`, m?.expression, [
            'spec',
            'matchConditions',
            i,
            'expression',
          ]),
        );
      } catch (e) {
        if (e instanceof CompileFailure) issues.push(e.diagnostic);
        else throw e;
      }
    });
    exceptions.push({ exception, matchConditions: conditions });
  }
  if (issues.length > 0) return { ok: false, issues };
  const namespace =
    policy.kind === 'NamespacedMutatingPolicy' ? (policy.metadata.namespace ?? 'default') : undefined;
  return {
    ok: true,
    warnings: [],
    value: {
      policy,
      key: namespace !== undefined ? `${namespace}/${name}` : name,
      ...(namespace !== undefined ? { namespace } : {}),
      failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      mutateExisting: spec.evaluation?.mutateExisting?.enabled === true,
      variants,
      exceptions,
    },
  };
}

// ---- evaluation ---------------------------------------------------------------------------------

class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

/** All true → true; any false → false; otherwise the collected errors are thrown. */
function allTrue(programs: readonly CelProgram[], activation: CelActivation): boolean {
  const errors: string[] = [];
  for (const p of programs) {
    let out: unknown;
    try {
      out = p.evaluate(activation);
    } catch (e) {
      errors.push(errorMessage(e));
      continue;
    }
    if (typeof out !== 'boolean') {
      errors.push(`expected a bool result, got ${out === null ? 'null' : typeof out}`);
      continue;
    }
    if (!out) return false;
  }
  if (errors.length > 0) throw new ConditionError(errors.join('; '));
  return true;
}

interface EvaluationData {
  readonly object: KubeObject | null;
  readonly oldObject: unknown;
  readonly request: unknown;
  readonly namespaceObject: unknown;
}

/** Exceptions, variables, matchConditions, mutations: Kyverno's mpol `Policy.evaluate`. */
function evaluateVariant(
  compiled: CompiledMutatingPolicy,
  variant: CompiledMutatingVariant,
  data: EvaluationData,
): { rule: RuleResult; patched?: KubeObject } {
  const values: Record<string, unknown> = { ...toCelActivation({ ...data }).values };
  const activation: CelActivation = { celActivation: true, values };
  try {
    const allowedImages: string[] = [];
    const allowedValues: string[] = [];
    if (compiled.exceptions.length > 0) {
      const matched: CelPolicyException[] = [];
      let full = false;
      for (const e of compiled.exceptions) {
        let hit: boolean;
        try {
          hit = allTrue(e.matchConditions, activation);
        } catch (err) {
          // A broken exception cannot take back an exemption already granted.
          if (full) continue;
          throw err;
        }
        if (!hit) continue;
        matched.push(e.exception);
        if (isFullExemption(e.exception)) full = true;
        else if (!full) {
          allowedImages.push(...(e.exception.spec.images ?? []));
          allowedValues.push(...(e.exception.spec.allowedValues ?? []));
        }
      }
      if (full) {
        const r = exceptionResult(matched, 'exception');
        return { rule: { ...r, type: 'Mutation' } };
      }
    }
    values.exceptions = toCel({ allowedImages, allowedValues });
    // Variables are evaluated on first use and then kept, even after a mutation changes `object`.
    const lazy: Record<string, () => unknown> = {};
    for (const { name, program } of variant.variables) lazy[name] = () => program.evaluateRaw(activation);
    values.variables = new CelLazyMap(lazy).celValue;
    if (!allTrue(variant.matchConditions, activation)) {
      return { rule: ruleResult('', 'Mutation', 'skip', 'skip') };
    }
    let current: KubeObject = data.object ?? {};
    for (const m of variant.mutations) {
      const raw = m.program.evaluateRaw(activation);
      current = applyMutationResult(m.patchType, current, raw);
      values.object = toCel(current);
    }
    return { rule: ruleResult('', 'Mutation', 'pass', 'success'), patched: current };
  } catch (e) {
    return { rule: ruleError('evaluation', 'Mutation', 'failed to evaluate policy', e) };
  }
}

/**
 * Evaluates a MutatingPolicy against one admission request: one response per variant (the
 * policy, then its autogen variants), each on the request's object. Never throws.
 */
export function evaluateMutatingPolicy(
  compiled: CompiledMutatingPolicy,
  input: CelAdmissionInput,
): MutatingVariantResponse[] {
  if (compiled.namespace !== undefined && input.attributes.namespace !== compiled.namespace) return [];
  const data: EvaluationData = {
    object: input.attributes.object,
    oldObject: input.attributes.oldObject,
    request: buildAdmissionRequest(input),
    namespaceObject: input.namespaceObject,
  };
  return compiled.variants.map((variant) => {
    const head = {
      ...(variant.autogen !== undefined ? { autogen: variant.autogen } : {}),
      ...(variant.matchConstraints !== undefined ? { matchConstraints: variant.matchConstraints } : {}),
    };
    const m = matchConstraints(variant.matchConstraints, input.attributes, input.namespaceObject);
    if (m.error !== undefined) {
      return {
        ...head,
        rules: [ruleError('match', 'Validation', 'failed to execute matching', new ConditionError(m.error))],
      };
    }
    if (!m.matches) return { ...head, rules: [] };
    const r = evaluateVariant(compiled, variant, data);
    return { ...head, rules: [r.rule], ...(r.patched !== undefined ? { patched: r.patched } : {}) };
  });
}
