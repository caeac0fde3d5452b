/**
 * @module CEL environments per policy kind (reference §7.4): the Kubernetes base environment
 * (optional types, cross-type numeric comparisons, K8s libraries and cel-go extensions) plus, for
 * the policies.kyverno.io kinds, Kyverno's libraries. One environment per (kind, variable names) is
 * built once and reused. Environments hold no ports: the I/O namespaces are variables whose values
 * each evaluation's activation supplies (see `activation.ts`).
 */
import { Environment } from '@marcbachmann/cel-js';
import { conversionsLibrary, patchBuiltins } from './builtins.js';
import { authzLibrary } from './libs/authz.js';
import { envoyAuthzLibrary, httpAuthzLibrary } from './libs/authz-check.js';
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
import { jwtLibrary } from './libs/jwt.js';
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
import type { CelContextVariable, CelLibrary, CelLibraryFactory } from './libs/types.js';
import { urlsLibrary } from './libs/urls.js';
import { userLibrary } from './libs/user.js';
import { x509Library } from './libs/x509.js';
import { objectConstructionLibrary } from './object-construction.js';

/** `authz-envoy` / `authz-http`: ValidatingPolicies in the Envoy / HTTP authorization modes. */
export type CelPolicyKind =
  | 'validating'
  | 'mutating'
  | 'generating'
  | 'image'
  | 'deleting'
  | 'vap'
  | 'authz-envoy'
  | 'authz-http';

export interface BuiltEnvironment {
  readonly env: Environment;
  readonly kind: CelPolicyKind;
  readonly variables: readonly string[];
  /** Global functions whose handlers take a per-evaluation value: name → activation key. */
  readonly contextArguments: ReadonlyMap<string, symbol>;
  /** The I/O namespaces declared here, bound per evaluation (see `activation.ts`). */
  readonly namespaces: readonly CelContextVariable[];
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

// Process-wide on purpose, unlike compiled expressions (which their policies own): an environment is
// static configuration, the libraries registered for a kind and its fixed variable names (a handful
// of shapes), holds nothing of any policy, and every set shares it; building one costs milliseconds.
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
  const contextArguments = new Map<string, symbol>();
  const namespaces: CelContextVariable[] = [];
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
  const register = (lib: CelLibrary) => registerLibrary(env, lib, variables, contextArguments, namespaces);
  if (kind === 'generating') register(generatorLibrary());
  if (kind === 'image') register(imageVerifyOfflineLibrary());
  // `Object{...}` / `JSONPatch{...}` construction and `jsonpatch.*` exist for mutating expressions only.
  if (kind === 'mutating') register(objectConstructionLibrary());
  for (const factory of factories) register(factory());
  // kyverno-authz's environments: the mode's response builders (`http.Allowed` extends the `http`
  // namespace registered above) and `jwt`.
  if (kind === 'authz-envoy') register(envoyAuthzLibrary());
  if (kind === 'authz-http') register(httpAuthzLibrary());
  if (kind === 'authz-envoy' || kind === 'authz-http') register(jwtLibrary());
  patchBuiltins(env);
  return { env, kind, variables, contextArguments, namespaces };
}

function registerLibrary(
  env: Environment,
  lib: CelLibrary,
  variables: readonly string[],
  contextArguments: Map<string, symbol>,
  namespaces: CelContextVariable[],
): void {
  for (const t of lib.types ?? []) env.registerType(t.name, t.ctor);
  // A policy variable of the same name wins over a library namespace.
  for (const c of lib.constants ?? []) {
    if (!variables.includes(c.name)) env.registerConstant(c.name, c.type, c.value);
  }
  for (const v of lib.variables ?? []) {
    if (variables.includes(v.name)) continue;
    env.registerVariable(v.name, v.type);
    namespaces.push(v);
  }
  for (const o of lib.operators ?? []) env.registerOperator(o.signature, o.impl);
  for (const f of lib.functions) {
    try {
      env.registerFunction(f.signature, f.impl);
    } catch (e) {
      throw new Error(`CEL library '${lib.name}': cannot register ${f.signature}`, { cause: e });
    }
    if (f.contextArgument !== undefined)
      contextArguments.set(f.signature.slice(0, f.signature.indexOf('(')), f.contextArgument);
  }
}
