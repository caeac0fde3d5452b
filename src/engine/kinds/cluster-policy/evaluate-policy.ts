/**
 * @module Evaluates one compiled ClusterPolicy/Policy against one resource in Kyverno's order:
 * every mutate rule (each sees the previous result), then verifyImages rules (signatures, digests,
 * the verification annotations), then validate rules and the verifyImages checks on the result,
 * then generate rules. Per rule: match/exclude → context → preconditions → exceptions → handler.
 */

import { CompileMemo } from '../../compile-memo.js';
import type { JsonContext } from '../../context/json-context.js';
import { markPatched } from '../../context/patched-objects.js';
import { createRequestContext, type RequestContextOptions } from '../../context/request-context.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import { LimitExceededError } from '../../limits.js';
import type { MatchInput } from '../../match/match-input.js';
import { matchKindGate, ruleMatches } from '../../match/match-rule.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { EvaluationRequest } from '../../request.js';
import { ruleError } from '../../verdict/rule-result.js';
import type { PolicyResponse, RuleResult, RuleType } from '../../verdict/types.js';
import { computeRules } from './autogen/autogen.js';
import { pinRuleArtifacts } from './compile-artifacts.js';
import { failureActionForRule } from './failure-action.js';
import { generateRule } from './generate/generate-rule.js';
import { EMPTIED_RESOURCE } from './mutate/emptied-resource.js';
import { mutateRule } from './mutate/mutate-rule.js';
import { prepareRule } from './prepare-rule.js';
import type { KyvernoPolicy, Rule } from './types.js';
import type { RuleEnv } from './validate/rule-env.js';
import { validateRule } from './validate-rule.js';
import { imageChecksRule } from './verify-images/image-checks-rule.js';
import {
  hasVerifyImageChecks,
  hasVerifyImages,
  imageVerificationsOf,
} from './verify-images/image-verification.js';
import { ImageVerificationMetadata } from './verify-images/metadata.js';
import { ruleImages } from './verify-images/rule-images.js';
import { verifyImagesRule } from './verify-images/verify-images-rule.js';

export interface CompiledPolicy {
  readonly policy: KyvernoPolicy;
  /** `name` for ClusterPolicy, `namespace/name` for Policy. */
  readonly key: string;
  /** The namespace a namespaced `Policy` is confined to. */
  readonly namespace?: string;
  /** The policy's rules followed by their autogen clones. */
  readonly rules: readonly Rule[];
  /**
   * What the rules compiled to (JMESPath, regexes, kind selectors, validate.cel programs), and where
   * evaluation compiles what only it knows: the set's memo, or the policy's own outside a set.
   */
  readonly memo: CompileMemo;
}

export interface CompilePolicyOptions {
  /** The memo of the set the policy belongs to; absent: the policy gets one of its own. */
  readonly memo?: CompileMemo;
}

/** Prepares a policy once (autogen, then what its rules compile to); never throws. */
export function compilePolicy(
  policy: KyvernoPolicy,
  options: CompilePolicyOptions = {},
): Result<CompiledPolicy> {
  const namespace = policy.kind === 'Policy' ? (policy.metadata.namespace ?? 'default') : undefined;
  const key = namespace !== undefined ? `${namespace}/${policy.metadata.name}` : policy.metadata.name;
  let rules: Rule[];
  try {
    rules = computeRules(policy);
  } catch {
    rules = policy.spec.rules ?? [];
  }
  const memo = options.memo ?? new CompileMemo();
  pinRuleArtifacts(rules, memo);
  const value: CompiledPolicy =
    namespace !== undefined ? { policy, key, namespace, rules, memo } : { policy, key, rules, memo };
  return { ok: true, value, warnings: [] };
}

interface RulesByType {
  readonly mutate: readonly Rule[];
  readonly verifyImages: readonly Rule[];
  readonly validate: readonly Rule[];
  /** validate rules and verifyImages rules with checks, in rule order. */
  readonly validateWithChecks: readonly Rule[];
  readonly generate: readonly Rule[];
  /** Per rule, the kinds its match can select when they are known (see matchKindGate). */
  readonly kindGates: ReadonlyMap<Rule, ReadonlySet<string>>;
  /** How its request contexts are made (the same for every resource). */
  readonly contextOptions: RequestContextOptions;
  /** Per rule list of a pass whose handlers keep the resource, its rules kept by each kind's gates. */
  readonly gatedByKind: WeakMap<readonly Rule[], Map<string, readonly Rule[]>>;
}

// A compiled policy is evaluated once per resource: split its rules by type once.
const rulesByTypeCache = new WeakMap<CompiledPolicy, RulesByType>();

function rulesByType(compiled: CompiledPolicy): RulesByType {
  let split = rulesByTypeCache.get(compiled);
  if (split === undefined) {
    const pick = (has: (r: Rule) => unknown) => compiled.rules.filter((r) => has(r) !== undefined);
    split = {
      mutate: pick((r) => r.mutate),
      verifyImages: compiled.rules.filter(hasVerifyImages),
      validate: pick((r) => r.validate),
      validateWithChecks: compiled.rules.filter((r) => r.validate !== undefined || hasVerifyImageChecks(r)),
      generate: pick((r) => r.generate),
      kindGates: kindGatesOf(compiled),
      contextOptions:
        compiled.namespace !== undefined
          ? { policyNamespace: compiled.namespace, memo: compiled.memo }
          : { memo: compiled.memo },
      gatedByKind: new WeakMap(),
    };
    rulesByTypeCache.set(compiled, split);
  }
  return split;
}

function kindGatesOf(compiled: CompiledPolicy): ReadonlyMap<Rule, ReadonlySet<string>> {
  const gates = new Map<Rule, ReadonlySet<string>>();
  for (const rule of compiled.rules) {
    const gate = matchKindGate(rule.match, compiled.memo);
    if (gate !== undefined) gates.set(rule, gate);
  }
  return gates;
}

/** Off: every pass gates its rules one by one (tests compare the two). */
export const kindGatedPasses = { enabled: true };

// Distinct kinds a policy's gated lists are kept for; past it, lists are filtered per evaluation.
const MAX_GATED_KINDS = 64;

/**
 * The rules of `rules` whose kind gate lets `kind` through (rules without a gate kept), in order:
 * what runPass's per-rule gate check keeps while the resource stays the same, filtered once per
 * policy and kind instead of per rule and resource.
 */
function gatedRules(byType: RulesByType, rules: readonly Rule[], kind: string): readonly Rule[] {
  let byKind = byType.gatedByKind.get(rules);
  if (byKind === undefined) {
    byKind = new Map();
    byType.gatedByKind.set(rules, byKind);
  }
  let kept = byKind.get(kind);
  if (kept === undefined) {
    const gates = byType.kindGates;
    kept = rules.filter((rule) => {
      const gate = gates.get(rule);
      return gate === undefined || gate.has(kind);
    });
    if (byKind.size < MAX_GATED_KINDS) byKind.set(kind, kept);
  }
  return kept;
}

/** Whether `o` has no own enumerable key (`Object.keys(o).length === 0` without its array, per policy). */
function isEmptyObject(o: KubeObject | undefined): boolean {
  if (o === undefined || o === null) return true;
  for (const key in o) if (Object.hasOwn(o, key)) return false;
  return true;
}

/** The last match input made, and what from (see matchInputOf). */
let lastInput: { compiled: CompiledPolicy; request: EvaluationRequest; input: MatchInput } | undefined;

/**
 * The match input of a policy's rules, shared with the previous policy when it reads the same: the
 * input is a function of the request (immutable), the resource, and the policy's namespace and memo
 * (one memo per set), and the policies of a request share their request (see legacyEvaluationRequest).
 */
function matchInputOf(
  compiled: CompiledPolicy,
  request: EvaluationRequest,
  resource: KubeObject,
): MatchInput {
  const last = lastInput;
  if (
    last !== undefined &&
    last.request === request &&
    last.input.resource === resource &&
    last.compiled.namespace === compiled.namespace &&
    last.compiled.memo === compiled.memo
  )
    return last.input;
  const input = matchInput(compiled, request, resource);
  lastInput = { compiled, request, input };
  return input;
}

// Built field by field (no conditional spreads, V8's slow path): this runs once per rule.
export function matchInput(
  compiled: CompiledPolicy,
  request: EvaluationRequest,
  resource: KubeObject,
): MatchInput {
  const input: { -readonly [K in keyof MatchInput]: MatchInput[K] } = {
    resource,
    operation: request.operation,
  };
  if (request.subresource !== undefined) input.subresource = request.subresource;
  if (request.resourceKind !== undefined) input.resourceKind = request.resourceKind;
  if (request.namespaceLabels !== undefined) input.namespaceLabels = request.namespaceLabels;
  if (request.requestInfo !== undefined) input.requestInfo = request.requestInfo;
  if (compiled.namespace !== undefined) input.policyNamespace = compiled.namespace;
  input.selectors = compiled.memo;
  return input;
}

/**
 * One evaluation of a policy against a resource: what its rule handlers read, and the resource as
 * mutations leave it. One object per policy and resource, where closures over the locals of
 * `evaluatePolicy` cost a context and a function each (made per policy and resource).
 */
interface Evaluation {
  readonly compiled: CompiledPolicy;
  readonly request: EvaluationRequest;
  readonly ctx: JsonContext;
  /** The policy's kind gates (see RulesByType), looked up once per evaluation. */
  readonly gates: ReadonlyMap<Rule, ReadonlySet<string>>;
  readonly byType: RulesByType;
  resource: KubeObject;
}

type Handler = (
  ev: Evaluation,
  rule: Rule,
  ctx: JsonContext,
  input: MatchInput,
) => RuleResult | readonly RuleResult[] | undefined;

/**
 * One pass over the rules of one type; `applyRules: One` stops it after the first applied rule.
 * `keepsResource`: the pass's handlers never change `ev.resource`, so its rules are gated by kind
 * once (gatedRules) instead of one by one.
 */
function runPass(
  ev: Evaluation,
  type: RuleType,
  all: readonly Rule[],
  handler: Handler,
  out: RuleResult[],
  keeps = false,
): void {
  const keepsResource = keeps && kindGatedPasses.enabled;
  const { compiled, request, ctx, gates } = ev;
  const applyOne = compiled.policy.spec.applyRules === 'One';
  let input: MatchInput | undefined;
  // Kyverno matches no rule against an empty resource ("resource is empty").
  if (keepsResource && ev.resource === EMPTIED_RESOURCE) return;
  const rules = keepsResource
    ? gatedRules(ev.byType, all, request.resourceKind?.kind ?? ev.resource.kind ?? '')
    : all;
  for (const rule of rules) {
    const resource = ev.resource;
    if (!keepsResource) {
      // Kyverno matches no rule against an empty resource ("resource is empty").
      if (resource === EMPTIED_RESOURCE) return;
      // A rule that selects other kinds only is not matched: skipped before anything is built.
      const gate = gates.get(rule);
      if (gate !== undefined && !gate.has(request.resourceKind?.kind ?? resource.kind ?? '')) continue;
    }
    // The same input while the resource stays the same (only a mutation changes it).
    if (input === undefined || input.resource !== resource) input = matchInputOf(compiled, request, resource);
    let matched: boolean;
    try {
      matched = ruleMatches(rule, input);
    } catch (err) {
      out.push(ruleError(rule.name, type, 'failed to match rule', err));
      continue;
    }
    if (!matched) continue;
    const stopped = ctx.meter.startRule();
    if (stopped !== undefined) {
      out.push(ruleError(rule.name, type, 'evaluation stopped', stopped));
      continue;
    }
    const depth = ctx.depth;
    let handled: RuleResult | readonly RuleResult[] | undefined;
    try {
      handled = handler(ev, rule, ctx, input);
    } catch (error) {
      // A limit met where nothing turns errors into results: the meter holds it, withinLimits reports it.
      if (!(error instanceof LimitExceededError)) throw error;
      ctx.unwind(depth);
    }
    // verifyImages rules answer once per image (no image: as if no result); the others once.
    let applied = false;
    if (Array.isArray(handled) && handled.length > 0) {
      for (const one of handled as readonly RuleResult[]) {
        const result = withinLimits(ctx, rule, type, one);
        if (result === undefined) continue;
        out.push(result);
        if (result.status === 'pass' || result.status === 'fail') applied = true;
        if (ctx.meter.exceeded !== undefined) break;
      }
    } else {
      const result = withinLimits(
        ctx,
        rule,
        type,
        Array.isArray(handled) ? undefined : (handled as RuleResult),
      );
      if (result !== undefined) {
        out.push(result);
        if (result.status === 'pass' || result.status === 'fail') applied = true;
      }
    }
    if (applyOne && applied) break;
  }
}

/**
 * A rule that ran into a limit is an `error` naming it, whatever the handler made of the failure on
 * the way (a foreach skips erroring elements, a message falls back to a generic text).
 */
function withinLimits(
  ctx: JsonContext,
  rule: Rule,
  type: RuleType,
  result: RuleResult | undefined,
): RuleResult | undefined {
  const exceeded = ctx.meter.exceeded;
  if (exceeded !== undefined) return ruleError(rule.name, type, 'evaluation stopped', exceeded);
  const max = ctx.meter.limits.maxMessageSize;
  if (result !== undefined && result.message.length > max) {
    const detail = `the message of rule ${rule.name} (${result.message.length} characters) is longer than the limit`;
    return ruleError(
      rule.name,
      type,
      'evaluation stopped',
      new LimitExceededError('maxMessageSize', max, detail),
    );
  }
  return result;
}

type Env = RuleEnv & { readonly resource: KubeObject; readonly policyName: string };

// Built field by field (no conditional spreads, V8's slow path): this runs once per rule.
function ruleEnv(
  compiled: CompiledPolicy,
  ctx: JsonContext,
  request: EvaluationRequest,
  rule: Rule,
  target: KubeObject,
): Env {
  const out: { -readonly [K in keyof Env]: Env[K] } = {
    rule,
    ctx,
    request,
    resource: target,
    policyName: compiled.policy.metadata.name,
  };
  if (compiled.namespace !== undefined) out.policyNamespace = compiled.namespace;
  return out;
}

/** Which halves of verifyImages rules run (both by default, as Kyverno's CLI runs them). */
export interface EvaluatePolicyOptions {
  /** Verify signatures and attestations, pin digests, write the verification annotations. */
  readonly imageVerification?: boolean;
  /** The validating checks (`verifyDigest`, `required`) with the validate rules. */
  readonly imageChecks?: boolean;
}

/** Runs every rule of the policy that matches the request; never throws. */
export function evaluatePolicy(
  compiled: CompiledPolicy,
  request: EvaluationRequest,
  options: EvaluatePolicyOptions = {},
): PolicyResponse {
  const { policy } = compiled;
  const useOld = isEmptyObject(request.resource) && !isEmptyObject(request.oldResource);
  const byType = rulesByType(compiled);
  const ctx = createRequestContext(request, byType.contextOptions);
  const ev: Evaluation = {
    compiled,
    request,
    ctx,
    gates: byType.kindGates,
    byType,
    resource: useOld ? (request.oldResource ?? {}) : request.resource,
  };
  const namespace = ev.resource.metadata?.namespace;
  const results: RuleResult[] = [];

  if (byType.mutate.length > 0) runPass(ev, 'Mutation', byType.mutate, mutateHandler, results);

  if (options.imageVerification !== false && byType.verifyImages.length > 0) {
    const metadata = new ImageVerificationMetadata();
    runPass(
      ev,
      'ImageVerify',
      byType.verifyImages,
      (e, rule, c, input) => verifyImagesHandler(e, rule, c, input, metadata),
      results,
    );
    // Kyverno's CLI (and mutating webhook) records what was verified on the object.
    if (!metadata.isEmpty()) {
      ev.resource = metadata.annotate(ev.resource);
      setPatchedObject(ctx, request, ev.resource);
    }
  }

  runPass(
    ev,
    'Validation',
    options.imageChecks === false ? byType.validate : byType.validateWithChecks,
    validateHandler,
    results,
    true,
  );

  if (byType.generate.length > 0) runPass(ev, 'Generation', byType.generate, generateHandler, results, true);

  const validationFailureAction = failureActionForRule(
    policy,
    compiled.rules[0],
    namespace,
    request.namespaceLabels,
  );
  const patchedResource = useOld ? request.resource : ev.resource;
  // Built in one of two literal shapes (same key order), not with a conditional spread: V8 builds a
  // literal with fields after a spread slowly and in the old space (once per policy and request).
  if (compiled.namespace !== undefined)
    return {
      policyKey: compiled.key,
      policyName: policy.metadata.name,
      policyNamespace: compiled.namespace,
      policyKind: policy.kind,
      resource: request.resource,
      patchedResource,
      rules: results,
      validationFailureAction,
    };
  return {
    policyKey: compiled.key,
    policyName: policy.metadata.name,
    policyKind: policy.kind,
    resource: request.resource,
    patchedResource,
    rules: results,
    validationFailureAction,
  };
}

/**
 * Puts the object a patch produced in the context as `request.object`; for Kyverno's CLI
 * (`goIntegers`) with Go integers, as Kyverno decodes the patched JSON, and marked so the next
 * policies see it so too (context/patched-objects.ts).
 */
function setPatchedObject(c: JsonContext, request: EvaluationRequest, object: KubeObject): void {
  if (request.goIntegers === true) {
    markPatched(object);
    c.setPatched('request.object', object);
  } else c.set('request.object', object);
}

function mutateHandler(
  ev: Evaluation,
  rule: Rule,
  c: JsonContext,
  input: MatchInput,
): RuleResult | undefined {
  const { compiled, request } = ev;
  const prepared = prepareRule(compiled.key, rule, 'Mutation', c, request, input);
  if (prepared.done) return finish(c, prepared.result);
  try {
    const resource = ev.resource;
    const outcome = mutateRule(ruleEnv(compiled, ev.ctx, request, rule, resource));
    if (outcome.resource === EMPTIED_RESOURCE) {
      // Not put in the context: Kyverno adds no empty object back (request.object stays as it was).
      ev.resource = EMPTIED_RESOURCE;
      return finish(c, outcome.result);
    }
    if (outcome.resource !== resource) {
      ev.resource = outcome.resource;
      c.reset();
      setPatchedObject(c, request, outcome.resource);
      return outcome.result;
    }
    return finish(c, outcome.result);
  } catch (err) {
    return finish(c, ruleError(rule.name, 'Mutation', 'failed to mutate resource', err));
  }
}

function verifyImagesHandler(
  ev: Evaluation,
  rule: Rule,
  c: JsonContext,
  input: MatchInput,
  metadata: ImageVerificationMetadata,
): RuleResult | readonly RuleResult[] | undefined {
  const { compiled, request } = ev;
  const resource = ev.resource;
  let images: ReturnType<typeof ruleImages>;
  try {
    images = ruleImages(rule, resource, imageVerificationsOf(rule));
  } catch (err) {
    return ruleError(rule.name, 'ImageVerify', 'failed to instantiate handler', err);
  }
  if (images.length === 0) return undefined;
  const prepared = prepareRule(compiled.key, rule, 'ImageVerify', c, request, input);
  if (prepared.done) return finish(c, prepared.result);
  const outcome = verifyImagesRule(
    { ...ruleEnv(compiled, ev.ctx, request, rule, resource), metadata },
    images,
  );
  if (outcome.resource !== resource) {
    ev.resource = outcome.resource;
    c.reset();
    setPatchedObject(c, request, outcome.resource);
    return outcome.results;
  }
  c.reset();
  return outcome.results;
}

function validateHandler(
  ev: Evaluation,
  rule: Rule,
  c: JsonContext,
  input: MatchInput,
): RuleResult | undefined {
  if (rule.validate === undefined) return imageChecks(ev, rule, c, input);
  const { compiled, request } = ev;
  const prepared = prepareRule(compiled.key, rule, 'Validation', c, request, input);
  if (prepared.done) return finish(c, prepared.result);
  return finish(c, validateRule(ruleEnv(compiled, ev.ctx, request, rule, ev.resource), prepared.exceptions));
}

/** The validating half of a verifyImages rule (not for DELETE, only when images match). */
function imageChecks(ev: Evaluation, rule: Rule, c: JsonContext, input: MatchInput): RuleResult | undefined {
  const { compiled, request } = ev;
  if (request.operation === 'DELETE') return undefined;
  const resource = ev.resource;
  let images: ReturnType<typeof ruleImages>;
  try {
    images = ruleImages(rule, resource, imageVerificationsOf(rule));
  } catch (err) {
    return ruleError(rule.name, 'Validation', 'failed to instantiate handler', err);
  }
  if (images.length === 0) return undefined;
  const prepared = prepareRule(compiled.key, rule, 'Validation', c, request, input);
  if (prepared.done) return finish(c, prepared.result);
  const policyNamespace = compiled.namespace;
  return finish(
    c,
    imageChecksRule({
      rule,
      resource,
      policyName: compiled.policy.metadata.name,
      ...(policyNamespace !== undefined ? { policyNamespace } : {}),
    }),
  );
}

function generateHandler(
  ev: Evaluation,
  rule: Rule,
  c: JsonContext,
  input: MatchInput,
): RuleResult | undefined {
  const { compiled, request } = ev;
  const prepared = prepareRule(compiled.key, rule, 'Generation', c, request, input);
  if (prepared.done) return finish(c, prepared.result);
  return finish(c, generateRule(ruleEnv(compiled, ev.ctx, request, rule, ev.resource)));
}

/** Drops the rule's context (pushed by prepareRule) and passes the result through. */
function finish(ctx: JsonContext, result: RuleResult | undefined): RuleResult | undefined {
  ctx.reset();
  return result;
}
