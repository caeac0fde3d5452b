/**
 * @module What an AdmissionReview does not carry and admission needs, answered from the cluster
 * copies: the request namespace's Namespace object (namespaceSelector, CEL `namespaceObject`) and the
 * Roles/ClusterRoles bound to the user (match/exclude `roles`, `clusterRoles`). Role lists are
 * memoised per user and namespace until a binding changes.
 */
import { type AdmissionRequest, BoundedMemo, type OfflineRequestContext } from '../../engine/index.js';
import type { KubeObject } from './list-watch-client.js';
import { type Binding, type RoleRefs, roleRefs } from './role-refs.js';

export interface ClusterCopies {
  namespace(name: string): KubeObject | undefined;
  roleBindings(): readonly Binding[];
  clusterRoleBindings(): readonly Binding[];
}

/** Past this many users × namespaces the memo starts again (it is only a cache). */
const MEMO_LIMIT = 10_000;

export class RequestContexts {
  readonly #copies: ClusterCopies;
  readonly #memo = new BoundedMemo<string, RoleRefs>(MEMO_LIMIT);

  constructor(copies: ClusterCopies) {
    this.#copies = copies;
  }

  /** Call when a RoleBinding or ClusterRoleBinding changes. */
  bindingsChanged(): void {
    this.#memo.clear();
  }

  #roles(request: AdmissionRequest): RoleRefs {
    const user = request.userInfo ?? {};
    const key = JSON.stringify([user.username ?? '', user.groups ?? [], request.namespace]);
    let refs = this.#memo.get(key);
    if (refs === undefined) {
      refs = roleRefs(
        this.#copies.roleBindings(),
        this.#copies.clusterRoleBindings(),
        { username: user.username ?? '', groups: user.groups ?? [] },
        request.namespace,
      );
      this.#memo.set(key, refs);
    }
    return refs;
  }

  /** The context `admit` reads for `request`. */
  contextFor(request: AdmissionRequest): OfflineRequestContext {
    const refs = request.userInfo === undefined ? undefined : this.#roles(request);
    const ns = request.namespace === '' ? undefined : this.#copies.namespace(request.namespace);
    return {
      namespaceObject: ns ?? null,
      ...(refs !== undefined ? { roles: refs.roles, clusterRoles: refs.clusterRoles } : {}),
    };
  }
}
