/**
 * @module The CEL activation a `validate.cel` rule sees, built as Kubernetes' VAP validator builds it
 * (k8s admission/plugin/cel: CreateAdmissionRequest, CreateNamespaceObject): `object`, `oldObject`,
 * `request`, `namespaceObject`, `authorizer`; `params` and `variables` are added per evaluation.
 */
import { CelAuthorizer } from '../../../cel/libs/authz.js';
import type { KubeObject } from '../../../model/kube-object.js';
import { resourceForKind, splitApiVersion } from '../../../model/resource-kinds.js';
import type { EvaluationRequest } from '../../../request.js';

function isEmpty(o: unknown): boolean {
  return typeof o !== 'object' || o === null || Object.keys(o).length === 0;
}

function userInfo(request: EvaluationRequest) {
  const info = request.requestInfo?.userInfo ?? {};
  return {
    username: info.username ?? '',
    uid: info.uid ?? '',
    groups: info.groups ?? [],
    extra: info.extra ?? {},
  };
}

/** Kyverno's CLI has no cluster, so the namespace is a stub with only its name unless one is given. */
function namespaceObject(request: EvaluationRequest, ns: string): unknown {
  if (ns === '') return null;
  const found = request.ports.cluster?.get('v1', 'Namespace', undefined, ns);
  if (found === undefined) return { metadata: { name: ns } };
  const m = found.metadata ?? {};
  const metadata: Record<string, unknown> = {};
  for (const k of [
    'name',
    'generateName',
    'namespace',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'finalizers',
  ]) {
    if (m[k] !== undefined) metadata[k] = m[k];
  }
  return {
    metadata,
    ...(found.spec !== undefined ? { spec: found.spec } : {}),
    ...(found.status !== undefined ? { status: found.status } : {}),
  };
}

export interface CelRuleActivation {
  readonly values: Readonly<Record<string, unknown>>;
  /** The namespace of the request ('' for cluster-scoped objects and Namespaces themselves). */
  readonly namespace: string;
}

/** `resource` is the (possibly mutated) object under validation; on DELETE `object` is null. */
export function celRuleActivation(request: EvaluationRequest, resource: unknown): CelRuleActivation {
  const isDelete = request.operation === 'DELETE' || isEmpty(resource);
  const object = isDelete ? null : (resource as KubeObject);
  const oldObject = isEmpty(request.oldResource) ? null : (request.oldResource as KubeObject);
  const subject = object ?? oldObject ?? {};
  const { group, version } = splitApiVersion(subject.apiVersion ?? '');
  const kind = subject.kind ?? '';
  const isNamespace = kind === 'Namespace' && group === '' && version === 'v1';
  const ns = isNamespace ? '' : (subject.metadata?.namespace ?? '');
  const gvk = { group, version, kind };
  const gvr = { group, version, resource: resourceForKind(kind) };
  const user = userInfo(request);
  const req = {
    kind: gvk,
    resource: gvr,
    subResource: request.subresource ?? '',
    requestKind: gvk,
    requestResource: gvr,
    requestSubResource: request.subresource ?? '',
    name: subject.metadata?.name ?? '',
    namespace: ns,
    operation: request.operation,
    userInfo: user,
    dryRun: request.requestInfo?.dryRun ?? false,
    options: null,
  };
  return {
    namespace: ns,
    values: {
      object,
      oldObject,
      request: req,
      namespaceObject: namespaceObject(request, ns),
      authorizer: new CelAuthorizer(
        user.username,
        user.groups,
        {
          group,
          resource: gvr.resource,
          subresource: req.subResource,
          namespace: ns,
          name: req.name,
        },
        request.ports.authorizer,
      ),
    },
  };
}
