/**
 * @module Kubernetes' authorizer library as a stub: the offline engine cannot ask a cluster, so
 * every check answers "no opinion" (not allowed). `authorizer.group(g).resource(r).check(verb)`.
 */
import type { CelLibrary } from './types.js';

export class CelAuthorizer {
  readonly user: string;
  constructor(user: string) {
    this.user = user;
  }
}
export class CelResourceCheck {
  readonly group: string;
  readonly resource: string;
  constructor(group: string, resource: string) {
    this.group = group;
    this.resource = resource;
  }
}
export class CelAuthzDecision {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

const NO_OPINION = 'no authorizer is available offline';
const decision = () => new CelAuthzDecision(NO_OPINION);

export function authzLibrary(): CelLibrary {
  return {
    name: 'authz',
    types: [
      { name: 'kubernetes.authorization.Authorizer', ctor: CelAuthorizer },
      { name: 'kubernetes.authorization.ResourceCheck', ctor: CelResourceCheck },
      { name: 'kubernetes.authorization.Decision', ctor: CelAuthzDecision },
    ],
    functions: [
      {
        signature:
          'kubernetes.authorization.Authorizer.group(string): kubernetes.authorization.ResourceCheck',
        impl: (_: CelAuthorizer, g: string) => new CelResourceCheck(g, ''),
      },
      {
        signature:
          'kubernetes.authorization.Authorizer.serviceAccount(string, string): kubernetes.authorization.Authorizer',
        impl: (_: CelAuthorizer, ns: string, n: string) =>
          new CelAuthorizer(`system:serviceaccount:${ns}:${n}`),
      },
      {
        signature: 'kubernetes.authorization.Authorizer.path(string): kubernetes.authorization.ResourceCheck',
        impl: () => new CelResourceCheck('', ''),
      },
      {
        signature:
          'kubernetes.authorization.ResourceCheck.resource(string): kubernetes.authorization.ResourceCheck',
        impl: (c: CelResourceCheck, r: string) => new CelResourceCheck(c.group, r),
      },
      {
        signature:
          'kubernetes.authorization.ResourceCheck.subresource(string): kubernetes.authorization.ResourceCheck',
        impl: (c: CelResourceCheck) => c,
      },
      {
        signature:
          'kubernetes.authorization.ResourceCheck.namespace(string): kubernetes.authorization.ResourceCheck',
        impl: (c: CelResourceCheck) => c,
      },
      {
        signature:
          'kubernetes.authorization.ResourceCheck.name(string): kubernetes.authorization.ResourceCheck',
        impl: (c: CelResourceCheck) => c,
      },
      {
        signature: 'kubernetes.authorization.ResourceCheck.check(string): kubernetes.authorization.Decision',
        impl: decision,
      },
      { signature: 'kubernetes.authorization.Decision.allowed(): bool', impl: () => false },
      {
        signature: 'kubernetes.authorization.Decision.reason(): string',
        impl: (d: CelAuthzDecision) => d.reason,
      },
      { signature: 'kubernetes.authorization.Decision.errored(): bool', impl: () => false },
      { signature: 'kubernetes.authorization.Decision.error(): string', impl: () => '' },
    ],
  };
}
