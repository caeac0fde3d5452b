/**
 * @module `cli.kyverno.io/v1alpha1` Values files (kyverno-reference §8.5; Kyverno
 * cmd/cli/kubectl-kyverno/apis/v1alpha1/values.go, values_spec.go). The same ValuesSpec is inlined
 * as `values:` in a Test.
 */

import {
  type KubeObject,
  type ObjectMeta,
  objectMetaSchema as objectMeta,
  type Result,
  schemaDsl,
} from '../../engine/index.js';
import { validateCliFile } from './cli-file.js';

const { any, array, map, object, oneOf, req, string } = schemaDsl;
type ObjectNode = schemaDsl.ObjectNode;

export interface ValuesRule {
  name: string;
  /** Variable name (dotted path) → value, written into the context when the rule runs. */
  values?: Record<string, unknown>;
  /** Variable name → one value per foreach element (older files: a list of such maps). */
  foreachValues?: Record<string, unknown[]> | Record<string, unknown[]>[];
}

export interface ValuesResource {
  name: string;
  values?: Record<string, unknown>;
}

export interface ValuesPolicy {
  name: string;
  rules?: ValuesRule[];
  resources?: ValuesResource[];
}

export interface NamespaceSelectorValues {
  name: string;
  labels?: Record<string, string>;
}

/** metav1.APIResource, as used to teach the CLI about subresources. */
export interface ApiResource {
  name?: string;
  singularName?: string;
  namespaced?: boolean;
  group?: string;
  version?: string;
  kind?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  [key: string]: unknown;
}

export interface SubresourceValues {
  subresource: ApiResource;
  parentResource: ApiResource;
}

export interface ValuesSpec {
  /** Dotted variable path → value, for every policy and resource. */
  globalValues?: Record<string, unknown>;
  policies?: ValuesPolicy[];
  namespaceSelector?: NamespaceSelectorValues[];
  /** Full Namespace objects (labels used for namespaceSelector matching). */
  namespaces?: KubeObject[];
  subresources?: SubresourceValues[];
  /** Variables for ValidatingAdmissionPolicy evaluation. */
  variables?: Record<string, string>;
}

export interface ValuesFile extends ValuesSpec {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
}

const CI = { keyCase: 'insensitive' } as const;

const apiResource = object(
  {
    name: string(),
    singularName: string(),
    namespaced: any(),
    group: string(),
    version: string(),
    kind: string(),
    verbs: array(string()),
    shortNames: array(string()),
    categories: array(string()),
    storageVersionHash: string(),
  },
  CI,
);

const valuesMap = map(any(), { label: 'a map of variable values' });
const foreachValues = map(array(any()), { label: 'a map of variable → list of values' });

/** The ValuesSpec fields, shared with the Test file's inline `values:`. */
export const valuesSpecFields = {
  globalValues: valuesMap,
  policies: array(
    object(
      {
        name: req(string()),
        rules: array(
          object(
            {
              name: req(string()),
              values: valuesMap,
              foreachValues: oneOf([foreachValues, array(foreachValues)]),
            },
            CI,
          ),
        ),
        resources: array(object({ name: req(string()), values: valuesMap }, CI)),
      },
      CI,
    ),
  ),
  namespaceSelector: array(object({ name: req(string()), labels: map(string()) }, CI)),
  namespaces: array(
    object({ apiVersion: string(), kind: string(), metadata: objectMeta }, { unknown: 'allow' }),
  ),
  subresources: array(object({ subresource: req(apiResource), parentResource: req(apiResource) }, CI)),
  variables: map(string()),
};

export const valuesSpecSchema: ObjectNode = object(valuesSpecFields, CI);

export const valuesFileSchema: ObjectNode = object(
  { apiVersion: string(), kind: string(), metadata: objectMeta, ...valuesSpecFields },
  CI,
);

/** Validates a Values file document (strict: unknown fields are errors). Never throws. */
export function validateValuesFile(doc: unknown): Result<ValuesFile> {
  return validateCliFile<ValuesFile>(doc, 'Values', valuesFileSchema);
}
