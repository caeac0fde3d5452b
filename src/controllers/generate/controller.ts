/**
 * @module The generate controller (Kyverno's background controller, reference §9.2). Admission, on
 * any replica, records what its generate rules and GeneratingPolicies produced (generate-requests.ts);
 * the leader processes the records, and re-reads the cluster every resync: existing triggers of
 * `generateExisting`, and the downstream of synchronized generators (restored when changed or
 * deleted, updated when a clone source changes, deleted with their trigger, or when the trigger no
 * longer matches). Each piece of work is one (policy, rule, trigger) in a bounded, deduplicated
 * queue with retries; processing re-evaluates the policy on the trigger as the cluster holds it now,
 * then creates or server-side applies what it wants and deletes what it no longer wants
 * (docs/decisions/0015). A GeneratingPolicy is one generator named `''`.
 */
import { setMaxListeners } from 'node:events';
import {
  type AdmissionRequest,
  admit,
  type CompiledSetPolicy,
  type GeneratedObject,
  type KubeObject,
  LABEL_RULE_NAME,
  LABEL_SOURCE_UID,
  LABEL_TRIGGER_UID,
  objectOutsideNamespace,
  type PolicySet,
  requestForObject,
} from '../../engine/index.js';
import type { AdmittedRequest, BackgroundLogger } from '../../io/background.js';
import { asyncClusterReader, type ClusterObjects } from '../../io/cluster/cluster-objects.js';
import {
  type GenerateRequest,
  type GenerateRequestStore,
  generateRequestKey,
} from '../../io/cluster/generate-requests.js';
import { type EventSink, NO_EVENTS } from '../../io/events/event-info.js';
import { backgroundFailedEvent, generatedEvents, refOfObject } from '../../io/events/policy-events.js';
import { leadWork, PendingWrites, recordWithRetries } from '../work-loops.js';
import { createSourceTracker } from './clone-sources.js';
import {
  asStored,
  cloneSourceOf,
  covers,
  downstreamSelector,
  forApply,
  generatedBy,
  generatedByGeneratingPolicy,
  generatingPolicyLabels,
  labelsOf,
  triggerOf,
} from './downstream.js';
import { type GenerateRuleInfo, generatorsOf, type KindRef } from './generate-rules.js';
import { staleGenerators } from './stale-rules.js';
import { WorkQueue, type WorkQueueOptions } from './work-queue.js';

export const FIELD_MANAGER = 'palisade-generate';
const EVALUATION_TIMEOUT_MS = 30_000;

export interface GenerateControllerOptions {
  readonly objects: ClusterObjects;
  readonly requests: GenerateRequestStore;
  readonly policies: () => PolicySet | undefined;
  readonly logger: BackgroundLogger;
  readonly resyncMs: number;
  /** How often the leader reads the admission records (default 1 s). */
  readonly pollMs?: number;
  readonly queue?: Partial<WorkQueueOptions>;
  /** Kyverno's kyverno-generate events: objects created, rules that failed. */
  readonly events?: EventSink;
}

interface Work {
  readonly request: GenerateRequest;
  /** The admission record to delete once done. */
  readonly record?: string;
  /** Queued by the resync for an object it listed: a trigger gone since is the next resync's to handle. */
  readonly listed?: boolean;
  /**
   * Queued for the policy rather than for a change of its trigger: `generate` (generateExisting)
   * never deletes downstream of a trigger that does not match; `restore` only finds what exists.
   */
  readonly fromPolicy?: 'generate' | 'restore';
}

export interface GenerateController {
  onGenerated(objects: readonly GeneratedObject[], request: AdmissionRequest): void;
  /** An allowed request: a DELETE records the work of the generators that match DELETE. */
  onAdmitted(admitted: AdmittedRequest): void;
  lead(signal: AbortSignal): Promise<void>;
  /** Waits for the admission records being written. */
  flush(): Promise<void>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const policyKey = (ref: CompiledSetPolicy['ref']): string => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;

const isGeneratingPolicy = (p: CompiledSetPolicy): boolean => p.kind === 'generating-policy';

/** Whether `object` is downstream of `rule` (`''`: of the GeneratingPolicy) of `policy`. */
const owns = (object: KubeObject, policy: CompiledSetPolicy, rule: string): boolean =>
  rule === '' && isGeneratingPolicy(policy)
    ? generatedByGeneratingPolicy(object, policy.ref)
    : generatedBy(object, policy.ref, rule);

const idOf = (o: KubeObject): string =>
  `${str(o.apiVersion)}/${str(o.kind)}/${str(o.metadata?.namespace)}/${str(o.metadata?.name)}`;

function withLabels(object: KubeObject, labels: Record<string, string>): KubeObject {
  return { ...object, metadata: { ...(object.metadata ?? {}), labels: { ...labelsOf(object), ...labels } } };
}

function applyOne(policy: CompiledSetPolicy): boolean {
  const c = policy.compiled as { compiled?: { policy?: { spec?: { applyRules?: unknown } } } } | undefined;
  return c?.compiled?.policy?.spec?.applyRules === 'One';
}

const sameRef = (p: CompiledSetPolicy, r: GenerateRequest['policy']): boolean =>
  p.ref.kind === r.kind && p.ref.name === r.name && (p.ref.namespace ?? '') === (r.namespace ?? '');

function refOf(object: KubeObject): GenerateRequest['trigger'] {
  const ns = str(object.metadata?.namespace);
  return {
    apiVersion: str(object.apiVersion),
    kind: str(object.kind),
    ...(ns !== '' ? { namespace: ns } : {}),
    name: str(object.metadata?.name),
  };
}

/** The trigger of an admission request: its object (the old one for DELETE). */
function admissionTrigger(request: AdmissionRequest): GenerateRequest['trigger'] {
  const object = (request.object ?? request.oldObject ?? {}) as KubeObject;
  const k = request.kind;
  return {
    apiVersion: k.group === '' ? k.version : `${k.group}/${k.version}`,
    kind: k.kind,
    ...(request.namespace !== undefined && request.namespace !== '' ? { namespace: request.namespace } : {}),
    name: str(object.metadata?.name) || str(request.name),
  };
}

const policyRefOf = (ref: CompiledSetPolicy['ref']): GenerateRequest['policy'] => ({
  kind: ref.kind,
  name: ref.name,
  ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}),
});

/**
 * The records a DELETE leaves (Kyverno's generation handler syncTriggerAction and the
 * GeneratingPolicy webhook): for each generator that matches DELETE and answered for the deleted
 * trigger (a generate rule fails on it at admission, having matched the old object; a
 * GeneratingPolicy matched), work that generates from the deleted trigger, which it keeps.
 */
export function deletionRecords(admitted: AdmittedRequest): GenerateRequest[] {
  const { request, set } = admitted;
  if (request.operation !== 'DELETE' || request.oldObject === null) return [];
  const trigger = admissionTrigger(request);
  const out: GenerateRequest[] = [];
  for (const { policy: ref, response } of admitted.responses) {
    const policy = set.policies.find(
      (p) =>
        p.ref.kind === ref.kind &&
        p.ref.name === ref.name &&
        (p.ref.namespace ?? '') === (ref.namespace ?? ''),
    );
    if (policy === undefined) continue;
    for (const g of generatorsOf(policy)) {
      if (!g.generatesOnDelete) continue;
      const answered = isGeneratingPolicy(policy)
        ? true
        : response.rules.some((r) => r.name === g.name && r.status === 'fail');
      if (!answered) continue;
      out.push({
        policy: policyRefOf(policy.ref),
        rule: g.name,
        trigger,
        operation: 'DELETE',
        ...(request.userInfo !== undefined ? { userInfo: request.userInfo } : {}),
        oldObject: request.oldObject,
      });
    }
  }
  return out;
}

export function createGenerateController(options: GenerateControllerOptions): GenerateController {
  const events = options.events ?? NO_EVENTS;
  const { objects, requests, logger } = options;
  const queue = new WorkQueue<Work>({
    capacity: 10_000,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxAttempts: 8,
    ...options.queue,
  });
  const writes = new PendingWrites();
  /** Downstream of synchronized rules seen at the last resync, with their trigger (deletions restored). */
  let seen = new Map<string, Work>();
  /** Rules whose existing triggers were already generated for in this term, by compiled policy. */
  let existingDone = new WeakMap<object, Set<string>>();
  /** Policies with synchronized rules at the last resync (their deletion deletes the downstream). */
  let known = new Map<string, { policy: CompiledSetPolicy; rules: GenerateRuleInfo[] }>();
  /** Triggers whose GeneratingPolicy downstream was compared with the desired set, by compiled policy. */
  const comparedFor = new WeakMap<object, Set<string>>();
  /** Synchronized downstream written since the resync began (restored if gone by the next one). */
  let freshlyWritten = new Map<string, Work>();
  /** Kinds each GeneratingPolicy was seen to generate (only its evaluation tells), by policy key. */
  const learnt = new Map<string, Map<string, KindRef>>();
  /** Where clones' sources are (a synchronized clone goes with its source). */
  const sources = createSourceTracker(objects);

  const kindsOf = (policy: CompiledSetPolicy, rule: GenerateRuleInfo): KindRef[] =>
    rule.name === '' && isGeneratingPolicy(policy)
      ? [...(learnt.get(policyKey(policy.ref))?.values() ?? [])]
      : [...rule.generatedKinds];

  const learn = (policy: CompiledSetPolicy, object: KubeObject): void => {
    if (!isGeneratingPolicy(policy)) return;
    const key = policyKey(policy.ref);
    const kinds = learnt.get(key) ?? new Map<string, KindRef>();
    const k = { apiVersion: str(object.apiVersion), kind: str(object.kind) };
    kinds.set(`${k.apiVersion}/${k.kind}`, k);
    learnt.set(key, kinds);
  };

  /** The downstream of one generator (of one trigger, when `triggerUid` is given). */
  const downstreamOf = async (
    policy: CompiledSetPolicy,
    rule: GenerateRuleInfo,
    triggerUid?: string,
  ): Promise<KubeObject[]> => {
    const out: KubeObject[] = [];
    const namespace = isGeneratingPolicy(policy) ? policy.ref.namespace : undefined;
    for (const kind of kindsOf(policy, rule))
      for (const o of await objects.list(
        kind.apiVersion,
        kind.kind,
        namespace,
        downstreamSelector(policy.ref, rule.name, triggerUid),
      ))
        if (owns(o, policy, rule.name)) out.push(o);
    return out;
  };

  const remove = async (
    o: KubeObject,
    why: string,
    policy: CompiledSetPolicy,
    rule: string,
  ): Promise<void> => {
    await objects.delete(
      str(o.apiVersion),
      str(o.kind),
      str(o.metadata?.namespace) || undefined,
      str(o.metadata?.name),
    );
    logger.info(`generated object deleted: ${why}`, { policy: policy.ref.name, rule, object: idOf(o) });
  };

  const enqueue = (work: Work): void => {
    if (!queue.add(generateRequestKey(work.request), work))
      logger.warn('generate queue full; the work is left to the next resync', {
        key: generateRequestKey(work.request),
      });
  };

  const record = (request: GenerateRequest): Promise<void> =>
    recordWithRetries(
      () => requests.put(request),
      { what: 'generate', key: generateRequestKey(request) },
      logger,
    );

  /**
   * A synchronized generator that no longer applies to the trigger takes that trigger's downstream
   * with it; a synchronized GeneratingPolicy that now generates less deletes the rest.
   */
  const removeStale = async (
    policy: CompiledSetPolicy,
    generators: readonly GenerateRuleInfo[],
    results: readonly { name: string; status: string; exceptions?: readonly string[] }[],
    trigger: KubeObject,
    written: ReadonlySet<string>,
    errors: readonly string[],
    changed: boolean,
    signal: AbortSignal,
  ): Promise<void> => {
    const uid = str(trigger.metadata?.uid);
    const stale = staleGenerators(generators, results, {
      generatingPolicy: isGeneratingPolicy(policy),
      applyOne: applyOne(policy),
    });
    for (const rule of stale)
      for (const o of await downstreamOf(policy, rule, uid)) {
        if (signal.aborted) return;
        await remove(o, 'its trigger no longer matches', policy, rule.name);
      }
    // A synchronized GeneratingPolicy that now generates less for the trigger deletes the rest:
    // looked for when the trigger changed (an admission record) or the policy did, not every resync.
    const gpol = isGeneratingPolicy(policy) ? generators[0] : undefined;
    const checked = comparedFor.get(policy.compiled as object) ?? new Set<string>();
    comparedFor.set(policy.compiled as object, checked);
    if (!changed && checked.has(uid)) return;
    checked.add(uid);
    if (gpol?.synchronize === true && errors.length === 0 && !stale.includes(gpol))
      for (const o of await downstreamOf(policy, gpol, uid)) {
        if (signal.aborted || written.has(idOf(o))) continue;
        await remove(o, 'no longer generated for its trigger', policy, '');
      }
  };

  /** Evaluates `policy` alone on `request`, through the cluster port (clone sources). */
  const evaluate = async (
    set: PolicySet,
    policy: CompiledSetPolicy,
    request: AdmissionRequest,
    signal: AbortSignal,
  ) => {
    // One signal per evaluation: it bounds the evaluation, and its port calls' listeners go with it.
    const evaluation = AbortSignal.any([signal, AbortSignal.timeout(EVALUATION_TIMEOUT_MS)]);
    setMaxListeners(0, evaluation);
    const outcome = await admit(
      set,
      request,
      // The policy's own downstream reads as absent, so the engine reports the whole desired object.
      {
        // A GeneratingPolicy's evaluation does not depend on its targets: it sees them all.
        asyncPorts: {
          cluster: asyncClusterReader(
            objects,
            (o) => !isGeneratingPolicy(policy) && generatedBy(o, policy.ref),
          ),
        },
        signal: evaluation,
      },
      {
        profile: 'admission',
        phases: isGeneratingPolicy(policy) ? ['validating'] : ['legacy-generate'],
        select: (p) => p === policy,
      },
    );
    const results = outcome.responses.flatMap((r) => r.response.rules);
    // A generate rule that could not build its objects passes with a generateError.
    const failedRules = results.flatMap((rule) =>
      rule.status === 'error'
        ? [rule]
        : rule.generateError !== undefined
          ? [{ ...rule, message: rule.generateError }]
          : [],
    );
    const trigger = (request.object ?? request.oldObject) as KubeObject | null;
    if (trigger !== null)
      for (const rule of failedRules)
        events.add(
          backgroundFailedEvent(
            'kyverno-generate',
            policy.ref,
            rule.name,
            rule.message,
            refOfObject(trigger),
          ),
        );
    const errors = failedRules.map((rule) => `${rule.name}: ${rule.message}`);
    return { generated: outcome.generated, results, errors };
  };

  /**
   * A deleted trigger, for the generators matching DELETE: Kyverno's background controller takes
   * the deleted object from the admission request as the new one (legacy rules then match and
   * generate; a GeneratingPolicy sees `object` null and `oldObject` the trigger) once the deletion
   * is seen to have happened: a trigger still there with its uid and no deletionTimestamp had its
   * deletion refused, and is looked at again (retried) until the work is given up. Nothing is deleted
   * here, and what is written is not restored later (its trigger is gone).
   */
  const processDeletion = async (
    work: Work,
    set: PolicySet,
    policy: CompiledSetPolicy,
    signal: AbortSignal,
  ): Promise<void> => {
    const deleted = work.request.oldObject;
    const t = work.request.trigger;
    if (deleted === undefined) return;
    const live = await objects.get(t.apiVersion, t.kind, t.namespace, t.name);
    if (
      live !== undefined &&
      live.metadata?.uid === deleted.metadata?.uid &&
      live.metadata?.deletionTimestamp === undefined
    )
      throw new Error(
        `trigger ${t.kind}/${t.namespace ?? ''}/${t.name} still exists: its deletion was refused?`,
      );
    const ns = str(deleted.metadata?.namespace);
    const namespaceObject =
      ns !== '' ? ((await objects.get('v1', 'Namespace', undefined, ns)) ?? null) : null;
    const userInfo = work.request.userInfo as AdmissionRequest['userInfo'];
    const request = requestForObject(deleted, 'DELETE', {
      context: { namespaceObject },
      ...(userInfo !== undefined ? { userInfo } : {}),
    });
    const { generated, errors } = await evaluate(set, policy, { ...request, object: deleted }, signal);
    const rules = new Map(generatorsOf(policy).map((r) => [r.name, r]));
    for (const { object } of generated) {
      const rule = rules.get(labelsOf(object)[LABEL_RULE_NAME] ?? '');
      // Only the generators that match DELETE generate on it (Kyverno's UpdateRequest names them).
      if (rule?.generatesOnDelete !== true) continue;
      const desired = isGeneratingPolicy(policy)
        ? withLabels(object, generatingPolicyLabels(policy.ref, deleted))
        : object;
      await write(desired, policy, rule, signal);
    }
    if (errors.length > 0) throw new Error(errors.join('; '));
  };

  /** Evaluates the policy on the trigger as it is now and writes what it wants; throws to retry. */
  const process = async (work: Work, signal: AbortSignal): Promise<void> => {
    const set = options.policies();
    if (set === undefined) throw new Error('no policy set loaded yet');
    const policy = set.policies.find((p) => sameRef(p, work.request.policy));
    if (policy === undefined) return; // deleted meanwhile: nothing to generate
    if (work.request.operation === 'DELETE') return processDeletion(work, set, policy, signal);
    const t = work.request.trigger;
    const trigger = await objects.get(t.apiVersion, t.kind, t.namespace, t.name);
    // Not there yet (admission runs before the object is stored) or denied by another webhook.
    if (trigger === undefined) {
      if (work.listed === true) return;
      throw new Error(`trigger ${t.kind}/${t.namespace ?? ''}/${t.name} not found`);
    }
    const ns = str(trigger.metadata?.namespace);
    const namespaceObject =
      ns !== '' ? ((await objects.get('v1', 'Namespace', undefined, ns)) ?? null) : null;
    const operation = work.request.operation === 'UPDATE' ? 'UPDATE' : 'CREATE';
    const userInfo = work.request.userInfo as AdmissionRequest['userInfo'];
    const request = requestForObject(trigger, operation, {
      context: { namespaceObject },
      ...(userInfo !== undefined ? { userInfo } : {}),
    });
    const { generated, results, errors } = await evaluate(
      set,
      policy,
      operation === 'UPDATE' ? { ...request, oldObject: trigger } : request,
      signal,
    );
    const generators = generatorsOf(policy);
    const rules = new Map(generators.map((r) => [r.name, r]));
    // Every rule of the policy is written, not only the one queued: admission cannot evaluate a clone
    // without a cluster port, so a clone rule beside a data rule is first noticed here.
    const written = new Set<string>();
    for (const { object } of generated) {
      const rule = rules.get(labelsOf(object)[LABEL_RULE_NAME] ?? '');
      const desired = isGeneratingPolicy(policy)
        ? withLabels(object, generatingPolicyLabels(policy.ref, trigger))
        : object;
      written.add(idOf(desired));
      if (
        (await write(desired, policy, rule, signal, work.fromPolicy === 'restore')) &&
        rule?.synchronize === true
      )
        // Remembered at once, so that a deletion before the next resync lists it is restored too.
        freshlyWritten.set(idOf(desired), { request: { ...work.request, rule: rule.name }, listed: true });
    }
    // Work for the policy (generateExisting, restore) is not a change of the trigger: nothing is deleted.
    if (work.fromPolicy === undefined)
      await removeStale(
        policy,
        generators,
        results,
        trigger,
        written,
        errors,
        work.record !== undefined,
        signal,
      );
    if (errors.length > 0) throw new Error(errors.join('; '));
  };

  /** Writes one desired object; answers whether it is there now, the policy's. */
  const write = async (
    object: KubeObject,
    policy: CompiledSetPolicy,
    rule: GenerateRuleInfo | undefined,
    signal: AbortSignal,
    restoreOnly = false,
  ): Promise<boolean> => {
    const id = `${str(object.kind)}/${str(object.metadata?.namespace)}/${str(object.metadata?.name)}`;
    const outside = objectOutsideNamespace(object, policy.ref.namespace);
    if (outside !== undefined) {
      logger.warn('generated object refused', { policy: policy.ref.name, object: id, reason: outside });
      return false;
    }
    const existing = await objects.get(
      str(object.apiVersion),
      str(object.kind),
      str(object.metadata?.namespace) || undefined,
      str(object.metadata?.name),
    );
    if (isGeneratingPolicy(policy)) {
      // Kyverno's CEL generator: an object someone else made (or another trigger's) is never taken
      // over; its own is brought back to what the policy wants now, synchronized or not.
      if (
        existing !== undefined &&
        (!generatedByGeneratingPolicy(existing, policy.ref) ||
          labelsOf(existing)[LABEL_TRIGGER_UID] !== labelsOf(object)[LABEL_TRIGGER_UID])
      )
        return false;
      if (restoreOnly && existing === undefined) return false;
      learn(policy, object);
      if (restoreOnly || (existing !== undefined && covers(asStored(forApply(object)), existing)))
        return true;
    } else if (
      existing !== undefined &&
      (rule?.synchronize !== true || covers(asStored(forApply(object)), existing))
    )
      return true;
    if (signal.aborted) return false; // leadership lost: write nothing more
    await objects.apply(forApply(object), FIELD_MANAGER);
    events.add(...generatedEvents(policy.ref, rule?.name ?? '', object));
    logger.info(existing === undefined ? 'generated object created' : 'generated object synchronized', {
      policy: policy.ref.name,
      rule: rule?.name ?? '',
      object: id,
    });
    return true;
  };

  const triggersOf = async (policy: CompiledSetPolicy, rule: GenerateRuleInfo): Promise<KubeObject[]> => {
    const out: KubeObject[] = [];
    const kinds =
      rule.triggerRules !== undefined
        ? ((await objects.kindsFor?.(rule.triggerRules)) ?? [])
        : rule.triggerKinds;
    for (const k of kinds) out.push(...(await objects.list(k.apiVersion, k.kind, policy.ref.namespace)));
    return out;
  };

  /** Existing triggers of generateExisting rules, and the downstream of synchronized rules. */
  const resync = async (signal: AbortSignal): Promise<void> => {
    const set = options.policies();
    if (set === undefined) return;
    const nowSeen = new Map<string, Work>();
    /** Clones deleted because their source is: not generated again. */
    const cloneGone = new Set<string>();
    const round = sources.round();
    const fresh = freshlyWritten;
    freshlyWritten = new Map();
    const triggerLists = new Map<string, Promise<KubeObject[] | undefined>>();
    for (const policy of set.policies) {
      for (const rule of generatorsOf(policy)) {
        if (signal.aborted) return;
        const policyRef = {
          kind: policy.ref.kind,
          name: policy.ref.name,
          ...(policy.ref.namespace !== undefined ? { namespace: policy.ref.namespace } : {}),
        };
        const work = (trigger: GenerateRequest['trigger']): Work => ({
          request: { policy: policyRef, rule: rule.name, trigger, operation: 'CREATE' },
        });
        const done = existingDone.get(policy.compiled as object) ?? new Set<string>();
        // A synchronized GeneratingPolicy whose downstream this process has not seen yet (a new
        // leader): its triggers are evaluated again to find it, as Kyverno restores its watch cache.
        const restore =
          rule.synchronize && rule.triggerRules !== undefined && !learnt.has(policyKey(policy.ref));
        if ((rule.generateExisting || restore) && !done.has(rule.name)) {
          const fromPolicy = rule.generateExisting ? ('generate' as const) : ('restore' as const);
          const triggers = await triggersOf(policy, rule);
          for (const trigger of triggers) enqueue({ ...work(refOf(trigger)), listed: true, fromPolicy });
          logger.info('generate: existing triggers queued', {
            policy: policy.ref.name,
            rule: rule.name,
            reason: fromPolicy === 'generate' ? 'generateExisting' : 'finding synchronized downstream',
            triggers: triggers.length,
          });
          done.add(rule.name);
          existingDone.set(policy.compiled as object, done);
        }
        if (!rule.synchronize) continue;
        const scope = isGeneratingPolicy(policy) ? policy.ref.namespace : undefined;
        for (const d of await downstreamOf(policy, rule)) {
          // A synchronized clone goes with its source (Kyverno: the source's deletion deletes it).
          const source = cloneSourceOf(d);
          if (source !== undefined && (await round.gone(source, scope))) {
            if (signal.aborted) return;
            await remove(d, 'its clone source is gone', policy, rule.name);
            cloneGone.add(idOf(d));
            continue;
          }
          const t = triggerOf(d);
          if (t === undefined) continue;
          const listKey = `${t.apiVersion}/${t.kind}/${t.namespace}`;
          let list = triggerLists.get(listKey);
          if (list === undefined) {
            // A list that failed is no answer: nothing is deleted on it.
            list = objects.list(t.apiVersion, t.kind, t.namespace || undefined).catch(() => undefined);
            triggerLists.set(listKey, list);
          }
          const listed = await list;
          if (listed === undefined) continue;
          const trigger = listed.find((o) => o.metadata?.uid === t.uid);
          if (trigger === undefined) {
            // A rule matching DELETE generates on the trigger's deletion: its downstream stays.
            if (signal.aborted) return;
            if (!rule.generatesOnDelete) await remove(d, 'its trigger is gone', policy, rule.name);
            continue;
          }
          const w: Work = { ...work(refOf(trigger)), listed: true };
          nowSeen.set(idOf(d), w);
          enqueue(w);
        }
      }
    }
    // Downstream seen (or written) last time and gone now: generate again for its trigger, if any.
    for (const [id, w] of [...seen, ...fresh]) if (!nowSeen.has(id) && !cloneGone.has(id)) enqueue(w);
    seen = new Map([...nowSeen, ...freshlyWritten]);
    round.done();
    await policiesDeleted(set, signal);
  };

  /**
   * A policy that left the set and is gone from the cluster takes the downstream of its synchronized
   * rules with it, unless `orphanDownstreamOnPolicyDelete`. Gone, not merely left out: a policy
   * that stopped compiling is left out of the set but still exists, and its downstream stays.
   */
  const policiesDeleted = async (set: PolicySet, signal: AbortSignal): Promise<void> => {
    const current = new Map<string, { policy: CompiledSetPolicy; rules: GenerateRuleInfo[] }>();
    for (const policy of set.policies) {
      const rules = generatorsOf(policy).filter((r) => r.synchronize && !r.orphanDownstreamOnPolicyDelete);
      if (rules.length > 0) current.set(policyKey(policy.ref), { policy, rules });
    }
    for (const [key, { policy, rules }] of known) {
      if (current.has(key) || signal.aborted) continue;
      const ref = policy.ref;
      // An error reading it (discovery, the API server) is not an answer: look again next time.
      const stored = await objects.get(ref.apiVersion, ref.kind, ref.namespace, ref.name).catch(() => ref);
      if (stored !== undefined) {
        current.set(key, { policy, rules }); // still there: look again next time
        continue;
      }
      for (const rule of rules)
        for (const d of await downstreamOf(policy, rule)) {
          if (signal.aborted) return;
          // A GeneratingPolicy's clones stay (Kyverno's RemoveWatchersForPolicy skips a source-uid).
          if (isGeneratingPolicy(policy) && labelsOf(d)[LABEL_SOURCE_UID] !== undefined) continue;
          await remove(d, 'its policy is gone', policy, rule.name);
        }
      learnt.delete(key);
    }
    known = current;
  };

  return {
    onGenerated(generated, request) {
      // A deletion generates only for the generators matching DELETE (onAdmitted records them).
      if (request.operation === 'DELETE') return;
      const trigger = admissionTrigger(request);
      const keys = new Map<string, GenerateRequest>();
      for (const g of generated) {
        const rule = labelsOf(g.object)[LABEL_RULE_NAME] ?? '';
        const r: GenerateRequest = {
          policy: {
            kind: g.policy.kind,
            name: g.policy.name,
            ...(g.policy.namespace !== undefined ? { namespace: g.policy.namespace } : {}),
          },
          rule,
          trigger,
          operation: request.operation,
          ...(request.userInfo !== undefined ? { userInfo: request.userInfo } : {}),
        };
        keys.set(generateRequestKey(r), r);
      }
      for (const r of keys.values()) {
        writes.track(record(r));
      }
    },
    onAdmitted(admitted) {
      for (const r of deletionRecords(admitted)) {
        writes.track(record(r));
      }
    },
    async lead(signal) {
      seen = new Map();
      freshlyWritten = new Map();
      existingDone = new WeakMap();
      sources.reset();
      await leadWork(
        {
          what: 'generate',
          queue,
          process,
          logger,
          records: requests,
          enqueueRecord: (request, record) => enqueue({ request, record }),
          pollMs: options.pollMs ?? 1000,
          resyncMs: options.resyncMs,
          resync,
        },
        signal,
      );
    },
    flush: () => writes.flush(),
  };
}
