/**
 * @module Kubernetes' CEL authorizer library (k8s.io/apiserver/pkg/cel/library/authz.go):
 * `authorizer.group(g).resource(r).subresource(s).namespace(ns).name(n)[.fieldSelector(f)]
 * [.labelSelector(l)].check(verb)`, `authorizer.path(p).check(verb)`,
 * `authorizer.serviceAccount(ns, name)` and `authorizer.requestResource`; a check yields a Decision
 * with `allowed()`, `reason()`, `errored()`, `error()`. Decisions come from the `authorizer` port
 * the `authorizer` value of the evaluation carries (each check built from it keeps it); without
 * one every check errors (nothing can be asked).
 */
import type { AuthorizationAttributes, AuthorizationDecision, Authorizer } from '../../ports.js';
import type { CelLibrary } from './types.js';

/** The user checks are made for, and what `authorizer.requestResource` points at. */
export interface CelAuthorizerRequest {
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** A check under construction; every builder call returns a new one. */
interface CheckFields {
  readonly user: string;
  readonly groups: readonly string[];
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  readonly fieldSelector: string;
  readonly labelSelector: string;
}

export class CelResourceCheck {
  readonly fields: CheckFields;
  readonly port: Authorizer | undefined;
  constructor(fields: CheckFields, port: Authorizer | undefined) {
    this.fields = fields;
    this.port = port;
  }
  with(patch: Partial<CheckFields>): CelResourceCheck {
    return new CelResourceCheck({ ...this.fields, ...patch }, this.port);
  }
}

/** `authorizer.group(g)`: only `.resource(r)` may follow. */
export class CelGroupCheck {
  readonly fields: CheckFields;
  readonly port: Authorizer | undefined;
  constructor(fields: CheckFields, port: Authorizer | undefined) {
    this.fields = fields;
    this.port = port;
  }
}

export class CelPathCheck {
  readonly user: string;
  readonly groups: readonly string[];
  readonly path: string;
  readonly port: Authorizer | undefined;
  constructor(user: string, groups: readonly string[], path: string, port: Authorizer | undefined) {
    this.user = user;
    this.groups = groups;
    this.path = path;
    this.port = port;
  }
}

export class CelAuthzDecision {
  readonly answer: AuthorizationDecision;
  constructor(answer: AuthorizationDecision) {
    this.answer = answer;
  }
}

function emptyCheck(user: string, groups: readonly string[]): CheckFields {
  return {
    user,
    groups,
    apiGroup: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    fieldSelector: '',
    labelSelector: '',
  };
}

/**
 * The CEL `authorizer` variable: a user (the request's, or a service account) to check for, and the
 * port of the evaluation it was built for (undefined: no authorizer).
 */
export class CelAuthorizer {
  readonly user: string;
  readonly groups: readonly string[];
  readonly port: Authorizer | undefined;
  /** `authorizer.requestResource`: a check preset with the request's resource. */
  readonly requestResource: CelResourceCheck;
  constructor(
    user: string,
    groups: readonly string[] = [],
    request: CelAuthorizerRequest = {},
    port: Authorizer | undefined = undefined,
  ) {
    this.user = user;
    this.groups = groups;
    this.port = port;
    this.requestResource = new CelResourceCheck(
      {
        ...emptyCheck(user, groups),
        apiGroup: request.group ?? '',
        resource: request.resource ?? '',
        subresource: request.subresource ?? '',
        namespace: request.namespace ?? '',
        name: request.name ?? '',
      },
      port,
    );
  }
}

const NO_AUTHORIZER = 'no authorizer is available';

function decide(port: Authorizer | undefined, attributes: AuthorizationAttributes): CelAuthzDecision {
  if (port === undefined)
    return new CelAuthzDecision({ decision: 'noOpinion', reason: '', error: NO_AUTHORIZER });
  try {
    return new CelAuthzDecision(port.authorize(attributes));
  } catch (e) {
    return new CelAuthzDecision({
      decision: 'noOpinion',
      reason: '',
      error: e instanceof Error ? e.message : String(e),
    });
  }
}

/** The attributes of a resource check, with empty fields left out. */
export function resourceAttributes(f: CheckFields, verb: string): AuthorizationAttributes {
  const opt = (k: keyof CheckFields & string, v: string) => (v !== '' ? { [k]: v } : {});
  return {
    user: f.user,
    ...(f.groups.length > 0 ? { groups: f.groups } : {}),
    verb,
    resourceRequest: true,
    apiGroup: f.apiGroup,
    ...opt('resource', f.resource),
    ...opt('subresource', f.subresource),
    ...opt('namespace', f.namespace),
    ...opt('name', f.name),
    ...opt('fieldSelector', f.fieldSelector),
    ...opt('labelSelector', f.labelSelector),
  };
}

const A = 'kubernetes.authorization.Authorizer';
const G = 'kubernetes.authorization.GroupCheck';
const R = 'kubernetes.authorization.ResourceCheck';
const P = 'kubernetes.authorization.PathCheck';
const D = 'kubernetes.authorization.Decision';

function resourceSetter(field: keyof CheckFields) {
  return {
    signature: `${R}.${field}(string): ${R}`,
    impl: (c: CelResourceCheck, v: string) => c.with({ [field]: v }),
  };
}

export function authzLibrary(): CelLibrary {
  return {
    name: 'authz',
    types: [
      { name: A, ctor: CelAuthorizer },
      { name: G, ctor: CelGroupCheck },
      { name: R, ctor: CelResourceCheck },
      { name: P, ctor: CelPathCheck },
      { name: D, ctor: CelAuthzDecision },
    ],
    functions: [
      {
        signature: `${A}.group(string): ${G}`,
        impl: (a: CelAuthorizer, g: string) =>
          new CelGroupCheck({ ...emptyCheck(a.user, a.groups), apiGroup: g }, a.port),
      },
      {
        signature: `${A}.path(string): ${P}`,
        impl: (a: CelAuthorizer, p: string) => new CelPathCheck(a.user, a.groups, p, a.port),
      },
      {
        // Kubernetes checks for the service account alone, with its groups.
        signature: `${A}.serviceAccount(string, string): ${A}`,
        impl: (a: CelAuthorizer, ns: string, n: string) =>
          new CelAuthorizer(
            `system:serviceaccount:${ns}:${n}`,
            ['system:serviceaccounts', `system:serviceaccounts:${ns}`],
            {},
            a.port,
          ),
      },
      {
        signature: `${G}.resource(string): ${R}`,
        impl: (g: CelGroupCheck, r: string) => new CelResourceCheck({ ...g.fields, resource: r }, g.port),
      },
      resourceSetter('subresource'),
      resourceSetter('namespace'),
      resourceSetter('name'),
      resourceSetter('fieldSelector'),
      resourceSetter('labelSelector'),
      {
        signature: `${R}.check(string): ${D}`,
        impl: (c: CelResourceCheck, verb: string) => decide(c.port, resourceAttributes(c.fields, verb)),
      },
      {
        signature: `${P}.check(string): ${D}`,
        impl: (c: CelPathCheck, verb: string) =>
          decide(c.port, {
            user: c.user,
            ...(c.groups.length > 0 ? { groups: c.groups } : {}),
            verb,
            resourceRequest: false,
            path: c.path,
          }),
      },
      { signature: `${D}.allowed(): bool`, impl: (d: CelAuthzDecision) => d.answer.decision === 'allow' },
      { signature: `${D}.reason(): string`, impl: (d: CelAuthzDecision) => d.answer.reason },
      { signature: `${D}.errored(): bool`, impl: (d: CelAuthzDecision) => d.answer.error !== undefined },
      { signature: `${D}.error(): string`, impl: (d: CelAuthzDecision) => d.answer.error ?? '' },
    ],
  };
}
