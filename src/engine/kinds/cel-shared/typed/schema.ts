/**
 * @module The type schemas ApplyConfiguration merges with: a compact form of what Kubernetes'
 * structured-merge-diff schema keeps of an OpenAPI v3 model (k8s.io/kube-openapi schemaconv), and
 * the conversion from OpenAPI. Only what typing and merging need is kept: scalar kinds, struct
 * fields, additional-properties element types, list types and keys (with key defaults), atomic
 * maps, preserve-unknown-fields. Named types are shared by index. Used by
 * scripts/generate-openapi-types.ts (the Kubernetes 1.32 builtins) and for `--crd` files.
 */

/** `s` string, `n` numeric, `b` boolean, `u` any scalar (Quantity, int-or-string formats, dates). */
export type ScalarKind = 's' | 'n' | 'b' | 'u';

/** A reference to a type: a named type (index), a builtin name, or an inline atom. */
export type TypeNode =
  | number
  /** `U`: untyped (atomic anything); `D`: deduced (granular maps, atomic lists). */
  | ScalarKind
  | 'U'
  | 'D'
  | AtomNode
  | RefNode;

/** A named type referred to with an atomic map override (a property's `x-kubernetes-map-type`). */
export interface RefNode {
  readonly r: number;
  readonly a: 1;
}

export interface AtomNode {
  readonly s?: ScalarKind;
  readonly l?: ListNode;
  readonly m?: MapNode;
}

export interface ListNode {
  /** Element type. */
  readonly e: TypeNode;
  /** `m`: associative by `k`; `s`: set; absent: atomic. */
  readonly t?: 'm' | 's';
  readonly k?: readonly string[];
  /** Defaults of key fields (an element omitting such a key takes it, e.g. `protocol: TCP`). */
  readonly d?: Readonly<Record<string, unknown>>;
}

export interface MapNode {
  /** Declared fields. */
  readonly f?: Readonly<Record<string, TypeNode>>;
  /** The type of undeclared keys; absent: undeclared keys are an error. */
  readonly e?: TypeNode;
  /** `x-kubernetes-map-type: atomic`. */
  readonly a?: 1;
}

/** Type schemas of some group-versions. */
export interface TypeSchemas {
  /** Named types, referred to by index. */
  readonly types: readonly AtomNode[];
  /** apiVersion (`v1`, `apps/v1`) → kind → named type index. */
  readonly gvs: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The index of ObjectMeta, which CRD schemas get as their `metadata`. */
  readonly objectMeta?: number;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Model names schemaconv hard-codes. */
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

function refName(s: Json): string | undefined {
  const ref = typeof s.$ref === 'string' ? s.$ref : undefined;
  if (ref !== undefined) return ref.slice(ref.lastIndexOf('/') + 1);
  const allOf = s.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObj(allOf[0]) && typeof allOf[0].$ref === 'string') {
    const r = allOf[0].$ref;
    return r.slice(r.lastIndexOf('/') + 1);
  }
  return undefined;
}

function scalarOf(type: string, format: unknown): ScalarKind {
  if (type === 'integer' || type === 'number') return 'n';
  if (type === 'boolean') return 'b';
  if (type === 'string') return format === undefined || format === '' || format === 'byte' ? 's' : 'u';
  return 'u';
}

/**
 * Converts OpenAPI v3 models (name → schema, `$ref`s to `#/.../NAME`) into named atoms, as
 * schemaconv's ToSchemaFromOpenAPI does, each model on first use.
 */
export class OpenApiConverter {
  readonly types: AtomNode[];
  private readonly index: Map<string, number>;
  private readonly pending: [number, string][] = [];
  private readonly models: Readonly<Record<string, unknown>>;

  /** `types` and `known` (model name → index in `types`): types converted already, kept as they are. */
  constructor(
    models: Readonly<Record<string, unknown>>,
    types: readonly AtomNode[] = [],
    known: Readonly<Record<string, number>> = {},
  ) {
    this.models = models;
    this.types = [...types];
    this.index = new Map(Object.entries(known));
  }

  /** The index of model `name`, converting it (and what it refers to) on first use. */
  named(name: string): number {
    const known = this.index.get(name);
    if (known !== undefined) return known;
    const i = this.types.length;
    this.types.push({});
    this.index.set(name, i);
    this.pending.push([i, name]);
    this.drain();
    return i;
  }

  private drain(): void {
    while (this.pending.length > 0) {
      const [i, name] = this.pending.shift()!;
      const model = this.models[name];
      let atom: AtomNode;
      if (name === QUANTITY) atom = { s: 'u' };
      else if (name === RAW_EXTENSION) atom = UNTYPED_ATOM;
      else if (!isObj(model)) atom = UNTYPED_ATOM;
      else atom = this.atom(model, false);
      this.types[i] = atom;
    }
  }

  /** A property / items / additionalProperties schema. */
  private ref(s: Json, preserve: boolean): TypeNode {
    const name = refName(s);
    if (name !== undefined) {
      const i = this.named(name);
      return s['x-kubernetes-map-type'] === 'atomic' ? { r: i, a: 1 } : i;
    }
    const atom = this.atom(s, preserve);
    // Plain scalars stay one letter.
    if (atom.s !== undefined && atom.l === undefined && atom.m === undefined) return atom.s;
    return atom;
  }

  /** schemaconv's parseSchema. */
  atom(s: Json, inherited: boolean): AtomNode {
    const preserve = inherited || s['x-kubernetes-preserve-unknown-fields'] === true;
    const type = Array.isArray(s.type) ? String(s.type[0] ?? '') : typeof s.type === 'string' ? s.type : '';
    if (type === '') return { s: 'u', l: this.list(s, preserve), m: this.map(s, preserve) };
    if (type === 'object') return { m: this.map(s, preserve) };
    if (type === 'array') return { l: this.list(s, preserve) };
    return { s: scalarOf(type, s.format) };
  }

  private map(s: Json, preserve: boolean): MapNode {
    const props = isObj(s.properties) ? s.properties : {};
    const f: Record<string, TypeNode> = {};
    for (const [k, v] of Object.entries(props)) f[k] = isObj(v) ? this.ref(v, preserve) : 'U';
    const ap = s.additionalProperties;
    let e: TypeNode | undefined;
    if (ap === undefined || ap === null) e = preserve || Object.keys(props).length === 0 ? 'D' : undefined;
    else if (isObj(ap)) e = this.ref(ap, preserve);
    else if (ap === true) e = 'D';
    const out: { f?: Record<string, TypeNode>; e?: TypeNode; a?: 1 } = {};
    if (Object.keys(f).length > 0) out.f = f;
    if (e !== undefined) out.e = e;
    if (s['x-kubernetes-map-type'] === 'atomic') out.a = 1;
    return out;
  }

  private list(s: Json, preserve: boolean): ListNode {
    const items = s.items;
    const e: TypeNode = isObj(items) ? this.ref(items, preserve) : 'U';
    const out: { e: TypeNode; t?: 'm' | 's'; k?: string[]; d?: Record<string, unknown> } = { e };
    const lt = s['x-kubernetes-list-type'];
    let keys: string[] | undefined;
    if (lt === 'map') {
      out.t = 'm';
      keys = Array.isArray(s['x-kubernetes-list-map-keys'])
        ? s['x-kubernetes-list-map-keys'].map(String)
        : [];
    } else if (lt === 'set') out.t = 's';
    else if (lt === undefined) {
      const ps = s['x-kubernetes-patch-strategy'];
      if (ps === 'merge' || ps === 'merge,retainKeys') {
        const mk = s['x-kubernetes-patch-merge-key'];
        if (typeof mk === 'string') {
          out.t = 'm';
          keys = [mk];
        } else out.t = 's';
      }
    }
    if (keys !== undefined) {
      out.k = keys;
      const d = isObj(items) ? this.keyDefaults(items, keys) : {};
      if (Object.keys(d).length > 0) out.d = d;
    }
    return out;
  }

  /** The `default`s of an element schema's key properties (schemaconv keeps every field default). */
  private keyDefaults(items: Json, keys: readonly string[]): Record<string, unknown> {
    const name = refName(items);
    const schema = name !== undefined ? this.models[name] : items;
    const props = isObj(schema) && isObj(schema.properties) ? schema.properties : {};
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const p = props[k];
      if (isObj(p) && p.default !== undefined && p.default !== null) out[k] = p.default;
    }
    return out;
  }
}

const UNTYPED_ATOM: AtomNode = { s: 'u', l: { e: 'U' }, m: { e: 'U', a: 1 } };

/** The group-version/kinds a model declares (`x-kubernetes-group-version-kind`). */
export function modelGvks(model: unknown): { apiVersion: string; kind: string }[] {
  if (!isObj(model)) return [];
  const list = model['x-kubernetes-group-version-kind'];
  if (!Array.isArray(list)) return [];
  const out: { apiVersion: string; kind: string }[] = [];
  for (const g of list) {
    if (!isObj(g) || typeof g.version !== 'string' || typeof g.kind !== 'string' || g.kind === '') continue;
    const group = typeof g.group === 'string' ? g.group : '';
    out.push({ apiVersion: group === '' ? g.version : `${group}/${g.version}`, kind: g.kind });
  }
  return out;
}

/** The name CRD schemas refer to ObjectMeta by. */
const OBJECT_META_REF = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * `base` with the schemas of CustomResourceDefinitions (each version's openAPIV3Schema) in front,
 * as kubectl-validate's local CRD client builds them: `metadata` is ObjectMeta, `apiVersion` and
 * `kind` strings. Documents that are not CRDs are ignored.
 */
export function withCrdSchemas(base: TypeSchemas, documents: readonly unknown[]): TypeSchemas {
  const models: Record<string, unknown> = {};
  const entries: { apiVersion: string; kind: string; model: string }[] = [];
  for (const crd of documents) {
    if (!isObj(crd) || crd.kind !== 'CustomResourceDefinition' || !isObj(crd.spec)) continue;
    const spec = crd.spec;
    const group = typeof spec.group === 'string' ? spec.group : '';
    const kind = isObj(spec.names) && typeof spec.names.kind === 'string' ? spec.names.kind : '';
    if (group === '' || kind === '' || !Array.isArray(spec.versions)) continue;
    for (const v of spec.versions) {
      if (!isObj(v) || typeof v.name !== 'string') continue;
      const fromVersion = isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
      const fromSpec = isObj(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
      const schema = isObj(fromVersion) ? fromVersion : isObj(fromSpec) ? fromSpec : {};
      const model = `${group}/${v.name}.${kind}`;
      const props = isObj(schema.properties) ? schema.properties : {};
      models[model] = {
        ...schema,
        properties: {
          ...props,
          metadata: { allOf: [{ $ref: `#/components/schemas/${OBJECT_META_REF}` }] },
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
        },
      };
      entries.push({ apiVersion: `${group}/${v.name}`, kind, model });
    }
  }
  if (entries.length === 0) return base;
  const known = base.objectMeta !== undefined ? { [OBJECT_META_REF]: base.objectMeta } : {};
  const converter = new OpenApiConverter(models, base.types, known);
  const gvs: Record<string, Record<string, number>> = {};
  for (const e of entries) {
    const kinds = gvs[e.apiVersion] ?? {};
    kinds[e.kind] = converter.named(e.model);
    gvs[e.apiVersion] = kinds;
  }
  return {
    types: converter.types,
    gvs: { ...base.gvs, ...gvs },
    ...(base.objectMeta !== undefined ? { objectMeta: base.objectMeta } : {}),
  };
}
