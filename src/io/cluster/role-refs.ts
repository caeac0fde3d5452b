/**
 * @module The Roles and ClusterRoles bound to a request's user, as Kyverno computes them for
 * `roles`/`clusterRoles` in match/exclude (pkg/userinfo): a RoleBinding whose subjects name the user,
 * one of its groups or its service account gives `namespace:role` for a Role, and the ClusterRole's
 * name for a ClusterRole only when the binding is in the request's namespace; a ClusterRoleBinding
 * gives its ClusterRole. Both lists are sorted and without duplicates. Pure.
 */

export interface BindingSubject {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** The fields of a RoleBinding or ClusterRoleBinding this reads. */
export interface Binding {
  readonly metadata?: { readonly namespace?: string };
  readonly subjects?: readonly BindingSubject[];
  readonly roleRef?: { readonly kind?: string; readonly name?: string };
}

export interface BindingUser {
  readonly username?: string;
  readonly groups?: readonly string[];
}

export interface RoleRefs {
  readonly roles: string[];
  readonly clusterRoles: string[];
}

/** A subject names the user; a ServiceAccount subject without a namespace takes the binding's. */
function subjectMatches(subject: BindingSubject, user: BindingUser, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.username === `system:serviceaccount:${ns}:${subject.name ?? ''}`;
    }
    case 'Group':
      return (user.groups ?? []).includes(subject.name ?? '');
    case 'User':
      return user.username === subject.name;
    default:
      return false;
  }
}

function binds(binding: Binding, user: BindingUser, namespace: string): boolean {
  return (binding.subjects ?? []).some((s) => subjectMatches(s, user, namespace));
}

const sortedSet = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

export function roleRefs(
  roleBindings: readonly Binding[],
  clusterRoleBindings: readonly Binding[],
  user: BindingUser,
  requestNamespace: string,
): RoleRefs {
  const roles: string[] = [];
  const clusterRoles: string[] = [];
  for (const rb of roleBindings) {
    const ns = rb.metadata?.namespace ?? '';
    if (!binds(rb, user, ns)) continue;
    const name = rb.roleRef?.name ?? '';
    if (rb.roleRef?.kind === 'Role') roles.push(`${ns}:${name}`);
    else if (rb.roleRef?.kind === 'ClusterRole' && ns === requestNamespace) clusterRoles.push(name);
  }
  for (const crb of clusterRoleBindings) {
    if (crb.roleRef?.kind === 'ClusterRole' && binds(crb, user, ''))
      clusterRoles.push(crb.roleRef.name ?? '');
  }
  return { roles: sortedSet(roles), clusterRoles: sortedSet(clusterRoles) };
}
