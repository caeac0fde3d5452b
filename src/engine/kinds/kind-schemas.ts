/**
 * @module The schema of every policy kind as the cluster stores it, by group, version and kind: the
 * loaders' own document schemas with the kind's `status` shape in place of their "any status". This
 * is the single source the CustomResourceDefinitions are generated from (io/crds).
 */
import type { ObjectNode, SchemaNode } from '../schema/schema-dsl.js';
import { object, opt } from '../schema/schema-dsl.js';
import {
  celPolicyStatus,
  cleanupPolicyStatus,
  deletingPolicyStatus,
  globalContextEntryStatus,
  kyvernoPolicyStatus,
} from '../schema/status-schema.js';
import { celDocument } from './cel-shared/cel-document-load.js';
import { deletingSpec, generatingSpec, imageValidatingSpec } from './cel-shared/load-cel-kinds.js';
import { cleanupPolicySchema } from './cleanup-policy/schema.js';
import { kyvernoPolicySchema, policyExceptionSchema } from './cluster-policy/schema.js';
import { globalContextEntrySchema } from './global-context-entry/global-context-entry.js';
import { mutatingPolicySpec } from './mutating-policy/load.js';
import { CEL_EXCEPTION_SCHEMA, validatingPolicySpec } from './validating-policy/load.js';

export const KYVERNO_GROUP = 'kyverno.io';
export const CEL_POLICY_GROUP = 'policies.kyverno.io';

/** The document schema with `status` replaced (or removed, for kinds that have none). */
function withStatus(doc: SchemaNode, status: SchemaNode | undefined): ObjectNode {
  if (doc.type !== 'object') throw new Error('a kind schema must be an object node');
  const { status: _loaderStatus, ...fields } = doc.fields;
  return object(status === undefined ? fields : { ...fields, status: opt(status) }, {
    unknown: doc.unknown,
    keyCase: doc.keyCase,
  });
}

const CEL_SPECS: Readonly<Record<string, SchemaNode>> = {
  ValidatingPolicy: validatingPolicySpec,
  MutatingPolicy: mutatingPolicySpec,
  GeneratingPolicy: generatingSpec,
  DeletingPolicy: deletingSpec,
  ImageValidatingPolicy: imageValidatingSpec,
};

function celPolicySchema(kind: string): ObjectNode | undefined {
  if (kind === 'PolicyException') return withStatus(CEL_EXCEPTION_SCHEMA, undefined);
  const base = kind.replace(/^Namespaced/, '');
  const spec = CEL_SPECS[base];
  const status = base === 'DeletingPolicy' ? deletingPolicyStatus : celPolicyStatus;
  return spec === undefined ? undefined : withStatus(celDocument(kind, spec), status);
}

function kyvernoSchema(version: string, kind: string): ObjectNode | undefined {
  switch (kind) {
    case 'ClusterPolicy':
    case 'Policy':
      // v2beta1 serves the same spec with only the typed any/all forms.
      return withStatus(kyvernoPolicySchema({ strict: version !== 'v1' }), kyvernoPolicyStatus);
    case 'PolicyException':
      return withStatus(policyExceptionSchema, undefined);
    case 'ClusterCleanupPolicy':
    case 'CleanupPolicy':
      return withStatus(cleanupPolicySchema, cleanupPolicyStatus);
    case 'GlobalContextEntry':
      return withStatus(globalContextEntrySchema, globalContextEntryStatus);
    default:
      return undefined;
  }
}

/** The stored shape of `group/version` `kind`, or undefined for a kind Palisade has no schema for. */
export function storedKindSchema(group: string, version: string, kind: string): ObjectNode | undefined {
  if (group === KYVERNO_GROUP) return kyvernoSchema(version, kind);
  if (group === CEL_POLICY_GROUP) return celPolicySchema(kind);
  return undefined;
}
