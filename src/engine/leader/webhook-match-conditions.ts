/**
 * @module The matchConditions a CEL policy's own webhook hands to the API server (Kyverno's
 * validConditions, webhookMatchConditions, restrictMatchConditionsToCreate and autogen's
 * CreateMatchConditions). The API server compiles them in its own environment (no Kyverno
 * libraries, no `variables`), so a list with one condition it would refuse is not offloaded at all;
 * conditions reading `namespaceObject` (always null for webhooks) stay with Palisade, which
 * evaluates every condition again anyway: offloading only spares requests the trip.
 */

import { forEachNode, referencedIdentifiers } from '../cel/ast.js';
import { compileCel } from '../cel/compile.js';
import { environmentFor } from '../cel/environment.js';
import type { AutogenTarget } from '../kinds/cel-shared/autogen.js';
import { BoundedMemo } from '../units/bounded-memo.js';
import type { MatchConditionNeed } from './webhook-needs.js';

/** What Kubernetes declares for webhook match conditions (all `dyn` here). */
const WEBHOOK_VARIABLES = ['object', 'oldObject', 'request', 'namespaceObject', 'authorizer'] as const;
const ENV = { kind: 'vap' as const, variables: WEBHOOK_VARIABLES };
const MAX_CONDITIONS = 64;
// Kubernetes' qualified name: an optional DNS-subdomain prefix and `/`, then at most 63 characters.
const QUALIFIED_NAME =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * The API server types `request` (an admission.k8s.io AdmissionRequest) where Palisade's CEL has it
 * `dyn`: a field it does not have would make it refuse the whole configuration.
 */
const REQUEST_FIELDS: Readonly<Record<string, readonly string[] | undefined>> = {
  uid: undefined,
  kind: ['group', 'version', 'kind'],
  resource: ['group', 'version', 'resource'],
  subResource: undefined,
  requestKind: ['group', 'version', 'kind'],
  requestResource: ['group', 'version', 'resource'],
  requestSubResource: undefined,
  name: undefined,
  namespace: undefined,
  operation: undefined,
  userInfo: ['username', 'uid', 'groups', 'extra'],
  object: undefined,
  oldObject: undefined,
  dryRun: undefined,
  options: undefined,
};

interface Node {
  readonly op: string;
  readonly args: unknown;
}
const isSelect = (n: Node): n is Node & { args: [Node, string] } =>
  (n.op === '.' || n.op === '.?') && Array.isArray(n.args) && typeof n.args[1] === 'string';
const isRequest = (n: unknown): boolean =>
  (n as Node | undefined)?.op === 'id' && (n as Node).args === 'request';

function requestFieldsKnown(ast: unknown): boolean {
  let known = true;
  forEachNode(ast, (node) => {
    const n = node as Node;
    if (!isSelect(n)) return;
    const [operand, field] = n.args;
    if (isRequest(operand) && !Object.hasOwn(REQUEST_FIELDS, field)) known = false;
    if (isSelect(operand) && isRequest(operand.args[0])) {
      const nested = REQUEST_FIELDS[operand.args[1]];
      if (nested !== undefined && !nested.includes(field)) known = false;
    }
  });
  return known;
}

// Expressions are few (one per condition of the policies served) and recompiled every resync.
const MAX_CACHED = 1024;
const compiles = new BoundedMemo<string, boolean>(MAX_CACHED);

function compilesForWebhook(expression: string): boolean {
  const hit = compiles.get(expression);
  if (hit !== undefined) return hit;
  let ok: boolean;
  try {
    const type = compileCel(expression, ENV).type;
    ok =
      (type === 'bool' || type === 'dyn') &&
      requestFieldsKnown(environmentFor(ENV.kind, ENV.variables).env.parse(expression).ast);
  } catch {
    ok = false;
  }
  compiles.set(expression, ok);
  return ok;
}

function validName(name: string): boolean {
  const slash = name.lastIndexOf('/');
  return QUALIFIED_NAME.test(name) && (slash < 0 || slash <= 253);
}

/**
 * Kyverno's validConditions: the list as written when the API server would accept every condition
 * (names qualified and unique, at most 64, boolean expressions of its environment), otherwise
 * undefined, as when there is no list. An empty list is valid.
 */
export function validConditions(
  conditions: readonly MatchConditionNeed[] | undefined,
): readonly MatchConditionNeed[] | undefined {
  if (conditions === undefined || conditions.length > MAX_CONDITIONS) return undefined;
  const names = new Set<string>();
  for (const c of conditions) {
    if (typeof c?.name !== 'string' || typeof c.expression !== 'string') return undefined;
    if (!validName(c.name) || names.has(c.name)) return undefined;
    names.add(c.name);
    if (c.expression.trim() === '' || !compilesForWebhook(c.expression.trim())) return undefined;
  }
  return conditions.map((c) => ({ name: c.name, expression: c.expression }));
}

function readsNamespaceObject(expression: string): boolean {
  try {
    const parsed = environmentFor(ENV.kind, ENV.variables).env.parse(expression);
    return referencedIdentifiers(parsed.ast).has('namespaceObject');
  } catch {
    return true;
  }
}

/** Kyverno's webhookMatchConditions: those the API server can evaluate (no `namespaceObject`). */
export function offloadable(conditions: readonly MatchConditionNeed[]): MatchConditionNeed[] {
  return conditions.filter((c) => !readsNamespaceObject(c.expression));
}

/**
 * GeneratingPolicies with synchronization: the conditions filter CREATE only, so that a trigger's
 * UPDATE or DELETE that no longer matches still reaches Palisade (its downstream is cleaned up).
 */
export function restrictToCreate(conditions: readonly MatchConditionNeed[]): MatchConditionNeed[] {
  return conditions.map((c) => ({
    name: c.name,
    expression: `request.operation != 'CREATE' || (${c.expression})`,
  }));
}

/** The core/v1 Pod target a pod policy's own conditions are restricted to. */
export const POD_TARGET: AutogenTarget = { group: '', version: 'v1', resource: 'pods', kind: 'Pod' };

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Autogen's CreateMatchConditions: each condition applies to the `targets` only (other objects pass
 * it), named `autogen-[config-]name`, so the policy's and each autogen variant's conditions can sit
 * side by side on one webhook.
 */
export function conditionsForTargets(
  config: string,
  targets: readonly AutogenTarget[],
  conditions: readonly MatchConditionNeed[],
): MatchConditionNeed[] {
  if (targets.length === 0) return [];
  const guards = new Set(
    targets.map((t) => {
      const apiVersion = t.group === '' ? t.version : `${t.group}/${t.version}`;
      return `(object.apiVersion == '${apiVersion}' && object.kind =='${t.kind}')`;
    }),
  );
  const guard = [...guards].sort(compare).join(' || ');
  const prefix = config === '' ? 'autogen' : `autogen-${config}`;
  return conditions.map((c) => ({
    name: `${prefix}-${c.name}`,
    expression: `!(${guard}) || (${c.expression})`,
  }));
}
