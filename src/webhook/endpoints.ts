/**
 * @module Kyverno's admission paths (reference §9.1, pkg/webhooks/server.go) and what each one
 * evaluates: `/validate` and `/mutate` (ClusterPolicy/Policy; `/fail` and `/ignore` take the policies
 * of that failure policy, `…/finegrained/[ns/]name` one policy), and the CEL kinds' paths, which name
 * their policies (`/vpol/a/b`). A CEL path naming no policy takes every policy of its kind; a CEL
 * policy's own webhook (fine-grained) calls `/vpol/finegrained/name` (`/nvpol/finegrained/ns/name`
 * for the namespaced kinds), which takes exactly that policy.
 */
import {
  BoundedMemo,
  type CompiledSetPolicy,
  OWN_WEBHOOK_SEGMENT,
  type Phase,
  type PolicySet,
} from '../engine/index.js';

export type EndpointRole = 'validate' | 'mutate' | 'generate';
export type WebhookKind = 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration';

export interface Endpoint {
  readonly path: string;
  readonly role: EndpointRole;
  readonly webhook: WebhookKind;
  /** The phases `admit` runs for this endpoint. */
  readonly phases: readonly Phase[];
  /** Which candidate policies this endpoint evaluates (one function per endpoint: admit memoises by it). */
  readonly select: (policy: CompiledSetPolicy) => boolean;
  /** Operations the endpoint evaluates; others are admitted untouched (Kyverno's operation filter). */
  readonly operations?: ReadonlySet<string>;
  /**
   * How the endpoint answers when it cannot evaluate (deadline, limits, internal error): its path's
   * bucket for `/…/fail` and `/…/ignore`; for CEL paths, Ignore only if every named policy is Ignore.
   */
  failurePolicyIn(set: PolicySet | undefined): 'Fail' | 'Ignore' | undefined;
  /** The path says Fail outright (`/…/fail`): not-ready answers deny rather than return 503. */
  readonly failsClosed: boolean;
  /** Kyverno's resource handlers (ClusterPolicy/Policy) or a CEL kind's handler: they answer differently. */
  readonly family: 'kyverno' | 'cel';
}

const MUTATING_PHASES: readonly Phase[] = ['legacy', 'mutating-admission', 'mutating'];
const VALIDATING_PHASES: readonly Phase[] = ['validating', 'legacy-generate'];
const MUTATE_OPERATIONS = new Set(['CREATE', 'UPDATE', 'CONNECT']);

type Bucket = 'Fail' | 'Ignore' | 'all';

function legacy(
  path: string,
  role: 'validate' | 'mutate',
  bucket: Bucket,
  only?: { ns: string; name: string },
) {
  const select = (p: CompiledSetPolicy): boolean =>
    p.kind === 'cluster-policy' &&
    (bucket === 'all' || p.traits.failurePolicy === bucket) &&
    (only === undefined || (p.ref.name === only.name && (p.ref.namespace ?? '') === only.ns));
  const failurePolicy = bucket === 'Ignore' ? 'Ignore' : 'Fail';
  return {
    path,
    role,
    webhook: role === 'mutate' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration',
    phases: role === 'mutate' ? MUTATING_PHASES : VALIDATING_PHASES,
    select,
    ...(role === 'mutate' ? { operations: MUTATE_OPERATIONS } : {}),
    failurePolicyIn: () => failurePolicy,
    failsClosed: bucket === 'Fail',
    family: 'kyverno',
  } satisfies Endpoint;
}

interface CelRoute {
  readonly prefix: string;
  readonly kind: string;
  readonly role: EndpointRole;
}

// Longest prefixes first: `/ivpol/validate` before any shorter one.
const CEL_ROUTES: readonly CelRoute[] = [
  { prefix: '/ivpol/validate', kind: 'ImageValidatingPolicy', role: 'validate' },
  { prefix: '/ivpol/mutate', kind: 'ImageValidatingPolicy', role: 'mutate' },
  { prefix: '/nivpol/validate', kind: 'NamespacedImageValidatingPolicy', role: 'validate' },
  { prefix: '/nivpol/mutate', kind: 'NamespacedImageValidatingPolicy', role: 'mutate' },
  { prefix: '/vpol', kind: 'ValidatingPolicy', role: 'validate' },
  { prefix: '/nvpol', kind: 'NamespacedValidatingPolicy', role: 'validate' },
  { prefix: '/mpol', kind: 'MutatingPolicy', role: 'mutate' },
  { prefix: '/nmpol', kind: 'NamespacedMutatingPolicy', role: 'mutate' },
  { prefix: '/gpol', kind: 'GeneratingPolicy', role: 'generate' },
  { prefix: '/ngpol', kind: 'NamespacedGeneratingPolicy', role: 'generate' },
];

function celPhases(route: CelRoute): readonly Phase[] {
  if (route.role === 'mutate') return route.kind.endsWith('ImageValidatingPolicy') ? [] : ['mutating'];
  return ['validating'];
}

/** The policies a CEL path takes: those it names, or exactly one (`own`, its own webhook's path). */
type CelSelection = { readonly names: readonly string[] } | { readonly own: { ns: string; name: string } };

function cel(path: string, route: CelRoute, selection: CelSelection): Endpoint {
  const wanted = new Set('names' in selection ? selection.names : []);
  const own = 'own' in selection ? selection.own : undefined;
  const select = (p: CompiledSetPolicy): boolean =>
    p.ref.kind === route.kind &&
    (own !== undefined
      ? p.ref.name === own.name && (p.ref.namespace ?? '') === own.ns
      : wanted.size === 0 || wanted.has(p.ref.name));
  const failurePolicyIn = (set: PolicySet | undefined): 'Fail' | 'Ignore' | undefined => {
    if (set === undefined) return undefined;
    const named = set.policies.filter(select);
    return named.length > 0 && named.every((p) => p.traits.failurePolicy === 'Ignore') ? 'Ignore' : 'Fail';
  };
  return {
    path,
    role: route.role,
    webhook: route.role === 'mutate' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration',
    phases: celPhases(route),
    select,
    ...(route.role === 'mutate' ? { operations: MUTATE_OPERATIONS } : {}),
    failurePolicyIn,
    failsClosed: false,
    family: 'cel',
  };
}

function legacyRoute(path: string): Endpoint | undefined {
  const m = /^\/(validate|mutate)(?:\/(fail|ignore)(?:\/finegrained\/(?:([^/]+)\/)?([^/]+))?)?\/?$/.exec(
    path,
  );
  if (m === null) return undefined;
  const role = m[1] as 'validate' | 'mutate';
  const bucket: Bucket = m[2] === 'fail' ? 'Fail' : m[2] === 'ignore' ? 'Ignore' : 'all';
  const only = m[4] !== undefined ? { ns: m[3] ?? '', name: m[4] } : undefined;
  return legacy(path, role, bucket, only);
}

function celRoute(path: string): Endpoint | undefined {
  for (const route of CEL_ROUTES) {
    if (path !== route.prefix && !path.startsWith(`${route.prefix}/`)) continue;
    const names = path
      .slice(route.prefix.length)
      .split('/')
      .filter((n) => n !== '');
    const namespaced = route.kind.startsWith('Namespaced');
    if (names[0] === OWN_WEBHOOK_SEGMENT && names.length === (namespaced ? 3 : 2))
      return cel(path, route, { own: { ns: namespaced ? names[1]! : '', name: names.at(-1)! } });
    return cel(path, route, { names });
  }
  return undefined;
}

// Paths are few (one per registered webhook); bounded against callers inventing new ones.
const MAX_CACHED_PATHS = 1024;
const cache = new BoundedMemo<string, Endpoint | undefined>(MAX_CACHED_PATHS);

/** The endpoint a request path names (query string ignored), or undefined for an unknown path. */
export function routeAdmission(rawPath: string): Endpoint | undefined {
  // Per call: the query cut off without the array `split` builds.
  const query = rawPath.indexOf('?');
  const path = query === -1 ? rawPath : rawPath.slice(0, query);
  if (cache.has(path)) return cache.get(path);
  const endpoint = legacyRoute(path) ?? celRoute(path);
  cache.set(path, endpoint);
  return endpoint;
}
