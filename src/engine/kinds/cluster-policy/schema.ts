/**
 * @module Structural schema of kyverno.io/v1 (and v2beta1) ClusterPolicy/Policy, after
 * config/crds/kyverno/kyverno.io_clusterpolicies.yaml. validate and its sub-trees are typed;
 * mutate, generate, verifyImages and validate.cel check their known top-level keys only.
 */

import {
  anyAllConditions,
  conditions,
  contextEntry,
  labelSelector,
  matchResourcesV1,
  matchResourcesV2,
  namedObjectMeta,
  podSecurityExclude,
} from '../../schema/common-schema.js';
import type { SchemaNode } from '../../schema/schema-dsl.js';
import {
  any,
  array,
  bool,
  enumOf,
  lazy,
  map,
  number,
  object,
  refine,
  req,
  string,
} from '../../schema/schema-dsl.js';
import {
  auditAnnotation,
  celValidation,
  namedExpression,
  paramRef,
} from '../cel-shared/cel-document-load.js';
import { checkJmespathField } from './variable-check.js';

/** Which flavour of the CRD: v2beta1 drops the deprecated untyped forms. */
export interface PolicySchemaOptions {
  readonly strict: boolean;
}

export const VALIDATION_FAILURE_ACTIONS = ['Audit', 'Enforce', 'audit', 'enforce'] as const;

export function kyvernoPolicySchema(opts: PolicySchemaOptions): SchemaNode {
  const conds = opts.strict ? anyAllConditions : conditions;
  const match = opts.strict ? matchResourcesV2 : matchResourcesV1;
  const context = array(contextEntry);
  const deny = object({ conditions: conds });
  const foreachList = refine(string(), (v, p) => checkJmespathField(v as string, p));

  const failureActionOverride = object({
    action: enumOf(VALIDATION_FAILURE_ACTIONS),
    namespaces: array(string()),
    namespaceSelector: labelSelector,
  });

  const foreachValidation: SchemaNode = object({
    list: req(foreachList),
    elementScope: bool(),
    context,
    preconditions: conds,
    pattern: any(),
    anyPattern: array(any()),
    deny,
    // Nested foreach is schemaless JSON in the CRD; typed here so nested mistakes are caught too.
    foreach: lazy(() => array(foreachValidation)),
  });

  const validation = object({
    message: string(),
    failureAction: enumOf(['Audit', 'Enforce']),
    failureActionOverrides: array(failureActionOverride),
    allowExistingViolations: bool(),
    manifests: object(
      {
        attestors: array(any()),
        annotationDomain: string(),
        ignoreFields: array(any()),
        dryRun: object({ enable: bool(), namespace: string() }),
        repository: string(),
      },
      { unknown: 'forbid' },
    ),
    foreach: array(foreachValidation),
    pattern: any(),
    anyPattern: array(any()),
    deny,
    podSecurity: object({
      level: enumOf(['privileged', 'baseline', 'restricted']),
      version: string(),
      exclude: array(podSecurityExclude),
    }),
    // Typed like a ValidatingAdmissionPolicy's own fields: the evaluator reads them as such.
    cel: object({
      generate: bool(),
      expressions: array(celValidation),
      paramKind: object({ apiVersion: string(), kind: string() }),
      paramRef,
      auditAnnotations: array(auditAnnotation),
      variables: array(namedExpression),
    }),
    assert: any(),
  });

  const foreachMutation: SchemaNode = object({
    list: req(foreachList),
    order: enumOf(['Ascending', 'Descending']),
    context,
    preconditions: conds,
    patchStrategicMerge: any(),
    patchesJson6902: string(),
    foreach: lazy(() => array(foreachMutation)),
  });

  const mutation = object({
    mutateExistingOnPolicyUpdate: bool(),
    targets: array(
      object({
        apiVersion: string(),
        kind: string(),
        namespace: string(),
        name: string(),
        uid: string(),
        selector: labelSelector,
        context,
        preconditions: conds,
      }),
    ),
    patchStrategicMerge: any(),
    patchesJson6902: string(),
    foreach: array(foreachMutation),
  });

  const generatePattern = {
    apiVersion: string(),
    kind: string(),
    namespace: string(),
    name: string(),
    uid: string(),
    data: any(),
    clone: object({ namespace: string(), name: string() }),
    cloneList: object({ namespace: string(), kinds: array(string()), selector: labelSelector }),
  };

  const generation = object({
    generateExisting: bool(),
    synchronize: bool(),
    orphanDownstreamOnPolicyDelete: bool(),
    ...generatePattern,
    foreach: array(object({ list: req(foreachList), context, preconditions: conds, ...generatePattern })),
  });

  const imageVerification = object({
    failureAction: enumOf(['Audit', 'Enforce']),
    type: enumOf(['Cosign', 'SigstoreBundle', 'Notary']),
    image: string(),
    imageReferences: array(string()),
    skipImageReferences: array(string()),
    key: string(),
    roots: string(),
    subject: string(),
    issuer: string(),
    additionalExtensions: map(string()),
    attestors: array(any()),
    attestations: array(any()),
    annotations: map(string()),
    repository: string(),
    cosignOCI11: bool(),
    mutateDigest: bool(),
    verifyDigest: bool(),
    validate: any(),
    required: bool(),
    imageRegistryCredentials: any(),
    useCache: bool(),
  });

  const rule = object({
    name: req(string({ maxLength: 63, nonEmpty: true })),
    context,
    match: req(match),
    exclude: match,
    imageExtractors: map(
      array(
        object({ path: req(string()), value: string(), name: string(), key: string(), jmesPath: string() }),
      ),
    ),
    preconditions: conds,
    celPreconditions: array(object({ name: req(string()), expression: req(string()) })),
    reportProperties: map(string()),
    skipBackgroundRequests: bool(),
    mutate: mutation,
    validate: validation,
    generate: generation,
    verifyImages: array(imageVerification),
  });

  const spec = object({
    rules: array(rule),
    applyRules: enumOf(['All', 'One']),
    failurePolicy: enumOf(['Ignore', 'Fail']),
    validationFailureAction: enumOf(VALIDATION_FAILURE_ACTIONS),
    validationFailureActionOverrides: array(failureActionOverride),
    emitWarning: bool(),
    auditWarning: bool(),
    admission: bool(),
    background: bool(),
    schemaValidation: bool(),
    webhookTimeoutSeconds: number({ integer: true, min: 1, max: 30 }),
    mutateExistingOnPolicyUpdate: bool(),
    generateExistingOnPolicyUpdate: bool(),
    generateExisting: bool(),
    useServerSideApply: bool(),
    webhookConfiguration: object({
      failurePolicy: enumOf(['Ignore', 'Fail']),
      timeoutSeconds: number({ integer: true, min: 1, max: 30 }),
      matchConditions: array(object({ name: req(string()), expression: req(string()) })),
    }),
  });

  return object({
    apiVersion: req(string()),
    kind: req(string()),
    metadata: req(namedObjectMeta),
    spec: req(spec),
    status: any(),
  });
}

/** PolicyException (kyverno.io/v2, v2beta1): match takes only any/all; conditions are typed. */
export const policyExceptionSchema: SchemaNode = object({
  apiVersion: req(string()),
  kind: req(string()),
  metadata: req(namedObjectMeta),
  spec: req(
    object({
      background: bool(),
      match: req(matchResourcesV2),
      conditions: anyAllConditions,
      exceptions: req(
        array(object({ policyName: req(string({ nonEmpty: true })), ruleNames: req(array(string())) }), {
          label: 'a list of {policyName, ruleNames}',
        }),
      ),
      podSecurity: array(podSecurityExclude),
    }),
  ),
  status: any(),
});
