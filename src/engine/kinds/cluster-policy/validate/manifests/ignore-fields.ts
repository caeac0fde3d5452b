/**
 * @module The fields `validate.manifests` ignores when comparing a resource with its signed manifest:
 * k8s-manifest-sigstore's default config, Kyverno's (pkg/engine/resources/default-config.yaml), the
 * signature annotations of the annotation domain, then the policy's `ignoreFields`. Each binding
 * applies to the objects its references match (group, version, kind, name, namespace; `*` globs,
 * empty matches anything).
 */
import { wildcardMatch } from '../../../../units/wildcard.js';

export interface ObjectReference {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}
export interface FieldBinding {
  readonly fields: readonly string[];
  readonly objects: readonly ObjectReference[];
}

const ANY: readonly ObjectReference[] = [{ kind: '*' }];
const of = (kind: string, group?: string): ObjectReference => ({
  kind,
  ...(group !== undefined ? { group } : {}),
});

/** k8s-manifest-sigstore pkg/k8smanifest/resources/default-config.yaml. */
const SIGSTORE_DEFAULTS: readonly FieldBinding[] = [
  {
    fields: [
      'metadata.annotations.cosign.sigstore.dev/resourceBundleRef',
      'metadata.annotations.cosign.sigstore.dev/signature',
      'metadata.annotations.cosign.sigstore.dev/message',
      'metadata.annotations.cosign.sigstore.dev/certificate',
      'metadata.annotations.cosign.sigstore.dev/bundle',
    ],
    objects: ANY,
  },
  {
    fields: [
      'metadata.managedFields.*',
      'metadata.resourceVersion',
      'metadata.selfLink',
      'metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
      'metadata.annotations.namespace',
      'metadata.creationTimestamp',
      'metadata.generation',
      'metadata.uid',
      'metadata.finalizers',
      'metadata.labels.app.kubernetes.io/instance',
      'status',
    ],
    objects: ANY,
  },
  { fields: ['secrets.*.name', 'imagePullSecrets.*.name'], objects: [of('ServiceAccount')] },
  { fields: ['spec.ports.*.nodePort', 'spec.clusterIP', 'spec.clusterIPs.0'], objects: [of('Service')] },
  { fields: ['metadata.annotations.deployment.kubernetes.io/revision'], objects: [of('Deployment')] },
  { fields: ['metadata.annotations.deprecated.daemonset.template.generation'], objects: [of('DaemonSet')] },
  { fields: ['spec.host'], objects: [of('Route', 'route.openshift.io')] },
];

/** Kyverno pkg/engine/resources/default-config.yaml. */
const KYVERNO_DEFAULTS: readonly FieldBinding[] = [
  {
    fields: [
      'metadata.namespace',
      'spec.containers.*.imagePullPolicy',
      'spec.containers.*.terminationMessagePath',
      'spec.containers.*.terminationMessagePolicy',
      'spec.dnsPolicy',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.terminationGracePeriodSeconds',
      'metadata.labels.app.kubernetes.io/instance',
      'metadata.managedFields.*',
      'metadata.resourceVersion',
      'metadata.selfLink',
      'metadata.annotations.control-plane.alpha.kubernetes.io/leader',
      'metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
      'metadata.finalizers*',
      'metadata.annotations.namespace',
      'metadata.annotations.deprecated.daemonset.template.generation',
      'metadata.creationTimestamp',
      'metadata.uid',
      'metadata.generation',
      'status',
      'metadata.annotations.deployment.kubernetes.io/revision',
    ],
    objects: ANY,
  },
  {
    fields: [
      'spec.volumes.*.name',
      'spec.volumes.*.projected.*',
      'spec.volumes.*.configMap.defaultMode',
      'spec.containers.*.volumeMounts.*',
      'spec.tolerations.*',
      'spec.enableServiceLinks',
      'spec.preemptionPolicy',
      'spec.priority',
      'spec.serviceAccount',
    ],
    objects: [of('Pod')],
  },
  {
    fields: [
      'spec.progressDeadlineSeconds',
      'spec.revisionHistoryLimit',
      'spec.strategy.*',
      'spec.template.metadata.creationTimestamp',
      'spec.containers.*.ports.*.protocol',
      'spec.containers.*.resources',
      'spec.securityContext',
    ],
    objects: [of('Deployment')],
  },
  { fields: ['spec.conversion.strategy', 'spec.names.listKind'], objects: [of('CustomResourceDefinition')] },
  {
    fields: [
      'spec.ports.*.nodePort',
      'spec.clusterIP',
      'spec.clusterIPs.0',
      'spec.sessionAffinity',
      'spec.type',
      'spec.ipFamilies.*',
      'spec.ipFamilyPolicy',
      'spec.internalTrafficPolicy',
    ],
    objects: [of('Service')],
  },
  {
    fields: [
      'metadata.annotations.pod-policies.kyverno.io/autogen-controllers',
      'spec.failurePolicy',
      'spec.background',
      'spec.validationFailureAction',
    ],
    objects: [of('ClusterPolicy'), of('Policy')],
  },
  { fields: ['secrets.*.name', 'imagePullSecrets.*.name'], objects: [of('ServiceAccount')] },
];

/** The signature annotations of `domain` (k8s-manifest-sigstore AnnotationKeyMask). */
function annotationMask(domain: string): FieldBinding {
  return {
    fields: ['message', 'signature', 'certificate', 'bundle', 'resourceBundleRef'].map(
      (base) => `metadata.annotations.${domain}/${base}*`,
    ),
    objects: ANY,
  };
}

const matches = (pattern: string | undefined, value: string) =>
  pattern === undefined || pattern === '' || wildcardMatch(pattern, value);

function referenceMatches(r: ObjectReference, o: Record<string, unknown>): boolean {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return (
    matches(r.group, slash < 0 ? '' : apiVersion.slice(0, slash)) &&
    matches(r.version, slash < 0 ? apiVersion : apiVersion.slice(slash + 1)) &&
    matches(r.kind, text(o.kind)) &&
    matches(r.name, text(meta.name)) &&
    matches(r.namespace, text(meta.namespace))
  );
}

/** The ignore patterns for `object`: the default bindings, the domain's annotations, then `policyFields`. */
export function ignoreFieldsFor(
  object: Record<string, unknown>,
  domain: string,
  policyFields: readonly FieldBinding[],
): string[] {
  const out: string[] = [];
  for (const b of [...policyFields, ...SIGSTORE_DEFAULTS, ...KYVERNO_DEFAULTS, annotationMask(domain)]) {
    if (b.objects.length === 0 || b.objects.some((r) => referenceMatches(r, object))) out.push(...b.fields);
  }
  return out;
}
