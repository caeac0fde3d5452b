/**
 * @module CEL environments per policy kind (reference §7.4): the Kubernetes base environment
 * (optional types, cross-type numeric comparisons, K8s libraries and cel-go extensions) plus, for
 * the policies.kyverno.io kinds, Kyverno's libraries. One environment per (kind, variable names) is
 * built once and reused; library functions read ports from the environment's runtime slot.
 */
import { Environment } from '@marcbachmann/cel-js';
import { conversionsLibrary, patchBuiltins } from './builtins.js';
import { authzLibrary } from './libs/authz.js';
import { comprehensionsLibrary } from './libs/comprehensions.js';
import { encodersLibrary } from './libs/encoders.js';
import { formatLibrary } from './libs/format.js';
import { generatorLibrary } from './libs/generator.js';
import { globalContextLibrary } from './libs/global-context.js';
import { hashLibrary } from './libs/hash.js';
import { httpLibrary } from './libs/http.js';
import { imageLibrary } from './libs/image.js';
import { imageVerifyOfflineLibrary } from './libs/image-verify-offline.js';
import { ipCidrLibrary } from './libs/ip-cidr.js';
import { jsonYamlLibrary } from './libs/json-yaml.js';
import { listObjToMapLibrary } from './libs/list-obj-to-map.js';
import { listsLibrary } from './libs/lists.js';
import { mathLibrary } from './libs/math.js';
import { optionalLibrary } from './libs/optional.js';
import { quantityLibrary } from './libs/quantity.js';
import { randomLibrary } from './libs/random.js';
import { regexLibrary } from './libs/regex.js';
import { resourceLibrary } from './libs/resource.js';
import { semverLibrary } from './libs/semver.js';
import { stringsExtLibrary } from './libs/strings-ext.js';
import { timeLibrary } from './libs/time.js';
import type { CelLibrary, CelLibraryFactory } from './libs/types.js';
import { urlsLibrary } from './libs/urls.js';
import { userLibrary } from './libs/user.js';
import { x509Library } from './libs/x509.js';
import { objectConstructionLibrary } from './object-construction.js';
import type { CelRuntime } from './runtime.js';

export type CelPolicyKind = 'validating' | 'mutating' | 'generating' | 'image' | 'deleting' | 'vap';

export interface BuiltEnvironment {
  readonly env: Environment;
  readonly runtime: CelRuntime;
  readonly kind: CelPolicyKind;
  readonly variables: readonly string[];
}

/** Kubernetes' base CEL libraries and the cel-go extensions it enables (what a VAP sees). */
const KUBERNETES_LIBRARIES: readonly CelLibraryFactory[] = [
  conversionsLibrary,
  encodersLibrary,
  comprehensionsLibrary,
  optionalLibrary,
  stringsExtLibrary,
  listsLibrary,
  regexLibrary,
  urlsLibrary,
  ipCidrLibrary,
  quantityLibrary,
  semverLibrary,
  formatLibrary,
  mathLibrary,
  authzLibrary,
];

/** Kyverno's own libraries, available to the policies.kyverno.io kinds only. */
const KYVERNO_LIBRARIES: readonly CelLibraryFactory[] = [
  resourceLibrary,
  httpLibrary,
  globalContextLibrary,
  imageLibrary,
  userLibrary,
  jsonYamlLibrary,
  hashLibrary,
  timeLibrary,
  x509Library,
  randomLibrary,
  listObjToMapLibrary,
];

const ENV_CACHE_LIMIT = 64;
const cache = new Map<string, BuiltEnvironment>();

export function environmentKey(kind: CelPolicyKind, variables: readonly string[]): string {
  return `${kind}|${[...new Set(variables)].sort().join(',')}`;
}

/** The (cached) environment for a kind and a set of top-level variable names, all typed `dyn`. */
export function environmentFor(kind: CelPolicyKind, variables: readonly string[]): BuiltEnvironment {
  const key = environmentKey(kind, variables);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const built = buildEnvironment(kind, [...new Set(variables)].sort());
  if (cache.size >= ENV_CACHE_LIMIT) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, built);
  return built;
}

function buildEnvironment(kind: CelPolicyKind, variables: readonly string[]): BuiltEnvironment {
  const runtime: CelRuntime = { ports: undefined };
  const env = new Environment({
    enableOptionalTypes: true,
    // cel-go accepts `[1, dyn(x)]`; cel-js' homogeneous check would reject it.
    homogeneousAggregateLiterals: false,
    unlistedVariablesAreDyn: false,
    limits: { maxAstNodes: 20000 },
  });
  for (const name of variables) env.registerVariable(name, 'dyn');
  const factories = kind === 'vap' ? KUBERNETES_LIBRARIES : [...KUBERNETES_LIBRARIES, ...KYVERNO_LIBRARIES];
  // `generator.Apply` exists for GeneratingPolicies only.
  if (kind === 'generating') registerLibrary(env, generatorLibrary(), variables);
  if (kind === 'image') registerLibrary(env, imageVerifyOfflineLibrary(), variables);
  // `Object{...}` / `JSONPatch{...}` construction and `jsonpatch.*` exist for mutating expressions only.
  if (kind === 'mutating') registerLibrary(env, objectConstructionLibrary(), variables);
  for (const factory of factories) registerLibrary(env, factory(runtime), variables);
  patchBuiltins(env);
  return { env, runtime, kind, variables };
}

function registerLibrary(env: Environment, lib: CelLibrary, variables: readonly string[]): void {
  for (const t of lib.types ?? []) env.registerType(t.name, t.ctor);
  for (const c of lib.constants ?? []) {
    // A policy variable of the same name wins over a library namespace.
    if (!variables.includes(c.name)) env.registerConstant(c.name, c.type, c.value);
  }
  for (const o of lib.operators ?? []) env.registerOperator(o.signature, o.impl);
  for (const f of lib.functions) {
    try {
      env.registerFunction(f.signature, f.impl);
    } catch (e) {
      throw new Error(`CEL library '${lib.name}': cannot register ${f.signature}`, { cause: e });
    }
  }
}
