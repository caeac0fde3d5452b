/**
 * @module Schema nodes shared by kyverno.io kinds: metadata, selectors, match/exclude, conditions,
 * context entries (field names per the Kyverno CRDs, config/crds/kyverno/*.yaml).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { checkJmespathField } from '../kinds/cluster-policy/variable-check.js';
import { CONDITION_OPERATORS, canonicalOperator } from './condition-operators.js';
import { suggestClosest } from './edit-distance.js';
import type { SchemaNode } from './schema-dsl.js';
import {
  any,
  array,
  bool,
  enumOf,
  isPlainObject,
  map,
  object,
  oneOf,
  refine,
  req,
  string,
} from './schema-dsl.js';

export const objectMeta = object(
  {
    name: string(),
    generateName: string(),
    namespace: string(),
    labels: map(string(), { label: 'a map of string labels (quote non-string values)' }),
    annotations: map(string(), { label: 'a map of string annotations (quote non-string values)' }),
  },
  // Server-populated ObjectMeta fields (uid, resourceVersion, managedFields, ...) pass through.
  { unknown: 'allow' },
);

/** ObjectMeta of a stored object: `name` is required. */
export const namedObjectMeta = object(
  { ...objectMeta.fields, name: req(string({ nonEmpty: true })) },
  { unknown: 'allow' },
);

export const labelSelector = object({
  matchLabels: map(string()),
  matchExpressions: array(
    object({
      key: req(string()),
      operator: req(enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist'])),
      values: array(string()),
    }),
  ),
});

export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;

export const resourceDescription = refine(
  object({
    kinds: array(string()),
    name: string(),
    names: array(string()),
    namespaces: array(string()),
    annotations: map(string()),
    selector: labelSelector,
    namespaceSelector: labelSelector,
    operations: array(enumOf(OPERATIONS)),
  }),
  (value, path) => {
    const v = value as Record<string, unknown>;
    if (v.name !== undefined && v.name !== null && Array.isArray(v.names) && v.names.length > 0) {
      return [
        diagnostic('policy/invalid-value', 'both `name` and `names` can not be specified together', path),
      ];
    }
    return [];
  },
);

const subject = object({
  kind: req(string()),
  name: req(string()),
  namespace: string(),
  apiGroup: string(),
});

const userInfoFields = {
  roles: array(string()),
  clusterRoles: array(string()),
  subjects: array(subject),
};

export const resourceFilter = object({ ...userInfoFields, resources: resourceDescription });

function anyAllExclusive(value: unknown, path: readonly (string | number)[]): Diagnostic[] {
  const v = value as Record<string, unknown>;
  const out: Diagnostic[] = [];
  const has = (k: string) => Array.isArray(v[k]) && (v[k] as unknown[]).length > 0;
  if (has('any') && has('all')) {
    out.push(diagnostic('policy/invalid-value', "can't specify `any` and `all` together", path));
  }
  const legacy = ['resources', 'subjects', 'roles', 'clusterRoles'].filter(
    (k) => v[k] !== undefined && v[k] !== null,
  );
  if ((has('any') || has('all')) && legacy.length > 0) {
    out.push(
      diagnostic(
        'policy/invalid-value',
        `can't specify \`any\`/\`all\` together with \`${legacy.join('`, `')}\``,
        [...path, legacy[0] as string],
        { hint: 'move the filter into an `any` or `all` entry' },
      ),
    );
  }
  return out;
}

/** kyverno.io/v1 MatchResources: any/all filters, or the legacy top-level resources/user info. */
export const matchResourcesV1 = refine(
  object({
    any: array(resourceFilter),
    all: array(resourceFilter),
    ...userInfoFields,
    resources: resourceDescription,
  }),
  anyAllExclusive,
);

/** v2beta1/v2 MatchResources: only any/all. */
export const matchResourcesV2 = refine(
  object({ any: array(resourceFilter), all: array(resourceFilter) }),
  anyAllExclusive,
);

function checkCondition(value: unknown, path: readonly (string | number)[]): Diagnostic[] {
  const c = value as Record<string, unknown>;
  const out: Diagnostic[] = [];
  const op = c.operator;
  if (typeof op === 'string' && canonicalOperator(op) === undefined) {
    const close = suggestClosest(op, CONDITION_OPERATORS);
    out.push(
      diagnostic(
        'policy/unknown-operator',
        `entered value of \`operator\` is invalid: "${op}"`,
        [...path, 'operator'],
        {
          hint:
            close !== undefined
              ? `did you mean \`${close}\`?`
              : 'use one of Equals, NotEquals, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, GreaterThanOrEquals, LessThan, LessThanOrEquals',
        },
      ),
    );
  }
  // Kyverno limits the values compared with request.operation (validateConditionValuesKeyRequestOperation).
  if (typeof c.key === 'string' && c.key.replaceAll(' ', '') === '{{request.operation}}') {
    const values = Array.isArray(c.value) ? c.value : [c.value];
    values.forEach((v, i) => {
      if (typeof v !== 'string') return;
      if (v.length >= 4 && v.startsWith('{{') && v.endsWith('}}')) return;
      if (!(OPERATIONS as readonly string[]).includes(v)) {
        out.push(
          diagnostic(
            'policy/invalid-value',
            `unknown value "${v}" compared with request.operation: only CREATE, UPDATE, DELETE, CONNECT are allowed`,
            Array.isArray(c.value) ? [...path, 'value', i] : [...path, 'value'],
          ),
        );
      }
    });
  }
  return out;
}

export const condition = refine(
  object({
    key: req(any()),
    operator: req(string()),
    value: req(any()),
    message: string(),
  }),
  checkCondition,
);

const conditionList = array(condition, { label: 'a list of conditions' });

/** Typed `{any, all}` conditions (v2beta1 and later). */
export const anyAllConditions = object({ any: conditionList, all: conditionList });

/** `{any, all}` or the legacy plain list (treated as `all`). */
export const conditions = oneOf([anyAllConditions, conditionList], {
  label: 'an object with `any`/`all` or a list of conditions',
});

const jmesPath = refine(string(), (v, p) => checkJmespathField(v as string, p));

const RESERVED_CONTEXT_NAMES = [
  'images',
  'request',
  'serviceAccountName',
  'serviceAccountNamespace',
  'element',
  'elementIndex',
];
const CONTEXT_SOURCES = ['configMap', 'apiCall', 'imageRegistry', 'variable', 'globalReference'] as const;

/** Kyverno's APICall: the call a context entry and a GlobalContextEntry both make (a path or a service). */
export const apiCallFields = {
  urlPath: string(),
  method: enumOf(['GET', 'POST']),
  data: array(object({ key: req(string()), value: req(any()) })),
  service: object({
    url: req(string()),
    caBundle: string(),
    headers: array(object({ key: req(string()), value: req(string()) })),
  }),
};

export const contextEntry = refine(
  object({
    name: req(string({ nonEmpty: true })),
    configMap: object({ name: req(string()), namespace: string() }),
    apiCall: refine(object({ ...apiCallFields, jmesPath, default: any() }), (value, path) => {
      const v = value as Record<string, unknown>;
      return typeof v.urlPath === 'string' && v.urlPath !== '' && isPlainObject(v.service)
        ? [
            diagnostic('policy/invalid-value', 'a `urlPath` cannot be used for service API calls', [
              ...path,
              'urlPath',
            ]),
          ]
        : [];
    }),
    imageRegistry: object({
      reference: req(string({ nonEmpty: true })),
      jmesPath,
      imageRegistryCredentials: object({
        allowInsecureRegistry: bool(),
        providers: array(enumOf(['default', 'amazon', 'azure', 'google', 'github'])),
        secrets: array(string()),
      }),
    }),
    variable: refine(object({ value: any(), jmesPath, default: any() }), (value, path) => {
      const v = value as Record<string, unknown>;
      const hasPath = typeof v.jmesPath === 'string' && v.jmesPath !== '';
      if ((v.value === undefined || v.value === null) && !hasPath) {
        return [
          diagnostic(
            'policy/missing-field',
            'a variable must define a `value` or a `jmesPath` expression',
            path,
          ),
        ];
      }
      if (v.default !== undefined && v.default !== null && !hasPath) {
        return [
          diagnostic('policy/invalid-value', 'a variable may define `default` only with a `jmesPath`', [
            ...path,
            'default',
          ]),
        ];
      }
      return [];
    }),
    globalReference: object({ name: req(string()), jmesPath }),
  }),
  (value, path) => {
    const v = value as Record<string, unknown>;
    const out: Diagnostic[] = [];
    const name = v.name as string;
    const reserved = RESERVED_CONTEXT_NAMES.find((r) => name === r || name.startsWith(`${r}.`));
    if (reserved !== undefined) {
      out.push(
        diagnostic(
          'policy/invalid-value',
          `context entry name "${name}" conflicts with the pre-defined variable \`${reserved}\``,
          [...path, 'name'],
        ),
      );
    }
    const sources = CONTEXT_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
    if (sources.length !== 1) {
      out.push(
        diagnostic(
          'policy/invalid-value',
          `exactly one of ${CONTEXT_SOURCES.join(', ')} is required for a context entry (found ${sources.length})`,
          path,
        ),
      );
    }
    return out;
  },
);

export const podSecurityExclude = object({
  controlName: req(string()),
  images: array(string()),
  restrictedField: string(),
  values: array(string()),
});

export type { SchemaNode };
