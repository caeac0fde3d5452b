/**
 * @module Builds the JSON context of an evaluation request: `request.*` (object, oldObject,
 * operation, namespace, name, kind, subResource, userInfo, roles, clusterRoles, dryRun),
 * `serviceAccountName`/`serviceAccountNamespace`, `images`, then the global values (dotted keys).
 */

import type { CompileMemo } from '../compile-memo.js';
import { LimitExceededError, LimitMeter, type LimitMeterOptions } from '../limits.js';
import type { KubeObject } from '../model/kube-object.js';
import { type Clock, clockMillis } from '../ports.js';
import type { EvaluationRequest } from '../request.js';
import { RecentMemo } from '../units/recent-memo.js';
import { extractImages, imagesError } from './images.js';
import { JsonContext } from './json-context.js';
import { ContextLoadError } from './loaders/errors.js';
import { goIntView, isPatched } from './patched-objects.js';
import { serviceAccountOf } from './service-account.js';

export interface RequestContextOptions {
  /** Namespace of a namespaced Policy; empty/absent for ClusterPolicies. */
  readonly policyNamespace?: string;
  /** The compiled policy's memo, where its expressions were compiled (see JsonContextOptions.memo). */
  readonly memo?: CompileMemo;
}

type Images = ReturnType<typeof extractImages>;

// One resource is evaluated against every policy: parse its image references once. Keyed by the
// object, so a caller that builds a new (e.g. mutated) object gets fresh images; the last few objects
// only (see RecentMemo: a WeakMap would keep every request's images until a full GC).
const imageCache = new RecentMemo<object, Images | null>(8);

function imagesOf(subject: KubeObject): Images {
  const hit = imageCache.get(subject);
  if (hit !== undefined) return hit ?? undefined;
  const images = extractImages(subject);
  imageCache.set(subject, images ?? null);
  return images;
}

const imageErrorCache = new RecentMemo<object, string | null>(8);

/** Kyverno's error building `images` for the request's subject (see imagesError), if any. */
function imagesErrorOf(request: EvaluationRequest): string | undefined {
  const isDelete = request.operation === 'DELETE';
  const subject = isDelete && isEmpty(request.resource) ? (request.oldResource ?? {}) : request.resource;
  const hit = imageErrorCache.get(subject);
  if (hit !== undefined) return hit ?? undefined;
  const error = imagesError(subject);
  imageErrorCache.set(subject, error ?? null);
  return error;
}

function isEmpty(obj: KubeObject | undefined): boolean {
  return obj === undefined || Object.keys(obj).length === 0;
}

function groupVersionKind(obj: KubeObject): { group: string; version: string; kind: string } {
  const apiVersion = obj.apiVersion ?? '';
  const slash = apiVersion.lastIndexOf('/');
  return {
    group: slash >= 0 ? apiVersion.slice(0, slash) : '',
    version: slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion,
    kind: obj.kind ?? '',
  };
}

function userInfoJson(request: EvaluationRequest): Record<string, unknown> {
  const info = request.requestInfo?.userInfo ?? {};
  const out: Record<string, unknown> = {};
  if (info.username) out.username = info.username;
  if (info.uid) out.uid = info.uid;
  if (info.groups && info.groups.length > 0) out.groups = info.groups;
  if (info.extra && Object.keys(info.extra).length > 0) out.extra = info.extra;
  return out;
}

/** What the request part of a context's document is made of (one request has it for every policy). */
interface RootKey {
  readonly operation: string;
  readonly oldResource: KubeObject | undefined;
  readonly subresource: string | undefined;
  readonly requestInfo: EvaluationRequest['requestInfo'];
  readonly goInts: boolean;
  readonly root: Record<string, unknown>;
}

// Per resource object: the documents built for it. Contexts adopt and never change them (a context's
// `set` copies along its path), so the policies of one request share one.
const roots = new RecentMemo<KubeObject, RootKey[]>(8);

/** Whether the request's object shows Go integers to JMESPath (see `goIntegers`). */
function goIntsOf(request: EvaluationRequest): boolean {
  if (request.goIntegers !== true) return false;
  const old = request.oldResource;
  return isPatched(request.resource) || (old !== undefined && isPatched(old));
}

function requestRoot(request: EvaluationRequest, goInts: boolean): Record<string, unknown> {
  const { operation, oldResource, subresource, requestInfo } = request;
  let built = roots.get(request.resource);
  if (built === undefined) {
    built = [];
    roots.set(request.resource, built);
  }
  for (const b of built)
    if (
      b.operation === operation &&
      b.oldResource === oldResource &&
      b.subresource === subresource &&
      b.requestInfo === requestInfo &&
      b.goInts === goInts
    )
      return b.root;
  const root = buildRoot(request, goInts);
  // A handful per object at most (the operations and views one request evaluates it with).
  if (built.length >= 8) built.shift();
  built.push({ operation, oldResource, subresource, requestInfo, goInts, root });
  return root;
}

function buildRoot(request: EvaluationRequest, goInts: boolean): Record<string, unknown> {
  const isDelete = request.operation === 'DELETE';
  const subject = isDelete && isEmpty(request.resource) ? (request.oldResource ?? {}) : request.resource;
  const object = goInts && isPatched(request.resource) ? goIntView(request.resource) : request.resource;
  const old = request.oldResource;
  // The CLI's UPDATE takes the old object from the (patched) object too.
  const oldObject = goInts && old !== undefined && isPatched(old) ? goIntView(old) : old;
  const req: Record<string, unknown> = {
    operation: request.operation,
    object: isDelete && isEmpty(request.resource) ? null : object,
    oldObject: oldObject ?? null,
    namespace: subject.metadata?.namespace ?? '',
    name: subject.metadata?.name ?? '',
    kind: groupVersionKind(subject),
    subResource: request.subresource ?? '',
    userInfo: userInfoJson(request),
  };
  const info = request.requestInfo;
  if (info && info.roles.length > 0) req.roles = info.roles;
  if (info && info.clusterRoles.length > 0) req.clusterRoles = info.clusterRoles;
  if (info?.dryRun !== undefined) req.dryRun = info.dryRun;

  const sa = serviceAccountOf(info?.userInfo.username ?? '');
  const root: Record<string, unknown> = {
    request: req,
    serviceAccountName: sa.name,
    serviceAccountNamespace: sa.namespace,
  };
  const images = imagesOf(subject);
  if (images) root.images = images;
  return root;
}

/** `request.operation` of a context's document, as a string (undefined when it has none). */
function operationIn(root: Record<string, unknown>): string | undefined {
  const req = root.request;
  if (req === null || typeof req !== 'object' || Array.isArray(req) || !Object.hasOwn(req, 'operation'))
    return undefined;
  const op = (req as Record<string, unknown>).operation;
  return typeof op === 'string' ? op : undefined;
}

/** The functions a context reads its request's clock through. */
interface ClockReaders {
  readonly millis: () => number;
  readonly functionContext: { readonly now: () => Date };
}

// One request's clock serves every policy: its readers are made once (not two closures per policy).
const clockReaders = new RecentMemo<Clock, ClockReaders>(4);

function readersOf(clock: Clock): ClockReaders {
  let readers = clockReaders.get(clock);
  if (readers === undefined) {
    readers = { millis: clockMillis(clock), functionContext: { now: clock.now.bind(clock) } };
    clockReaders.set(clock, readers);
  }
  return readers;
}

type MeterOptions = { -readonly [K in keyof LimitMeterOptions]: LimitMeterOptions[K] };

// The meter options of the last requests: every policy of a request makes its meter from the same
// fields (a LimitMeter reads them in its constructor and keeps none of the object).
const meterOptionsByRequest = new RecentMemo<EvaluationRequest, MeterOptions>(4);

function meterOptionsOf(request: EvaluationRequest, readers: ClockReaders | undefined): MeterOptions {
  const kept = meterOptionsByRequest.get(request);
  if (
    kept !== undefined &&
    kept.request === request.budget &&
    kept.limits === request.limits &&
    kept.now === readers?.millis &&
    kept.signal === request.signal
  )
    return kept;
  // Built field by field (no conditional spreads).
  const options: MeterOptions = {};
  if (request.budget !== undefined) options.request = request.budget;
  if (request.limits !== undefined) options.limits = request.limits;
  if (readers !== undefined) options.now = readers.millis;
  if (request.signal !== undefined) options.signal = request.signal;
  meterOptionsByRequest.set(request, options);
  return options;
}

/** What every context of one request is made from (see frameOf). */
interface RequestFrame {
  readonly request: EvaluationRequest;
  readonly resource: KubeObject;
  readonly oldResource: KubeObject | undefined;
  readonly clock: Clock | undefined;
  readonly root: Record<string, unknown>;
  /** Whether `root` holds Go integers (its contexts turn query results back into numbers). */
  readonly goInts: boolean;
  readonly imagesFailure: string | undefined;
  readonly readers: ClockReaders | undefined;
  readonly meterOptions: MeterOptions;
}

let lastFrame: RequestFrame | undefined;

/**
 * The parts of a context that depend on the request only, kept for the last request: every policy
 * of a request makes its context from the same request object (requests are not changed in place),
 * so one identity check stands for the four lookups (root, images' error, clock readers, meter
 * options) each policy made. The fields compared are the ones those lookups read.
 */
function frameOf(request: EvaluationRequest): RequestFrame {
  const last = lastFrame;
  const clock = request.ports.clock;
  if (
    last !== undefined &&
    last.request === request &&
    last.resource === request.resource &&
    last.oldResource === request.oldResource &&
    last.clock === clock
  )
    return last;
  const readers = clock !== undefined ? readersOf(clock) : undefined;
  const goInts = goIntsOf(request);
  const frame: RequestFrame = {
    request,
    resource: request.resource,
    oldResource: request.oldResource,
    clock,
    root: requestRoot(request, goInts),
    goInts,
    imagesFailure: imagesErrorOf(request),
    readers,
    meterOptions: meterOptionsOf(request, readers),
  };
  lastFrame = frame;
  return frame;
}

export function createRequestContext(
  request: EvaluationRequest,
  options: RequestContextOptions = {},
): JsonContext {
  const { root, goInts, imagesFailure, readers, meterOptions } = frameOf(request);
  const meter = new LimitMeter(meterOptions);
  const memo = options.memo;
  const ctx = new JsonContext(
    root,
    readers !== undefined
      ? { functionContext: readers.functionContext, adoptRoot: true, meter, memo }
      : { adoptRoot: true, meter, memo },
  );
  if (goInts) ctx.markGoInts();
  if (imagesFailure !== undefined) ctx.setUnloaded('images', new ContextLoadError('images', imagesFailure));
  try {
    const global = request.values?.global;
    // Own enumerable keys in Object.entries' order, without its arrays (per policy and resource).
    if (global !== undefined && global !== null)
      for (const key in global) {
        if (!Object.hasOwn(global, key)) continue;
        const value = global[key];
        // The CLI's values always name the operation, which the document holds already: setting it
        // again would copy the document and its request (per policy and resource) for equal content.
        if (key === 'request.operation' && value === operationIn(ctx.root)) continue;
        ctx.setVariable(key, value);
      }
  } catch (error) {
    // Values too large for the context: recorded by the meter, every rule of this policy reports it.
    if (!(error instanceof LimitExceededError)) throw error;
    meter.stopEvaluation(error);
  }
  return ctx;
}
