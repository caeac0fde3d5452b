/** @module Small helpers shared by the PSA checks: JSON access, container visiting, message text. */
import type { BadValue, CheckPodFn, CheckResult, FieldError, JsonMap } from './types.js';
import { ALLOWED } from './types.js';

export function asMap(v: unknown): JsonMap | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonMap) : undefined;
}

export function asList(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A Go `*bool`/`*int64`: undefined when absent or null. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * `obj.k1.k2…`, undefined where a step is not a map. Up to four keys as parameters, not a rest
 * array: every check reads pods through it, and the array per call was most of its cost.
 */
export function child(obj: unknown, k1: string, k2?: string, k3?: string, k4?: string): unknown {
  let cur = step(obj, k1);
  if (k2 === undefined || cur === undefined) return cur;
  cur = step(cur, k2);
  if (k3 === undefined || cur === undefined) return cur;
  cur = step(cur, k3);
  if (k4 === undefined || cur === undefined) return cur;
  return step(cur, k4);
}

function step(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as JsonMap)[key] : undefined;
}

export type ContainerVisitor = (container: JsonMap, path: string) => void;

const CONTAINER_KINDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
/** Paths of the first containers of each kind, made once: every check of every pod visits them. */
const KEPT_PATHS = 32;
const containerPaths = CONTAINER_KINDS.map((kind) =>
  Array.from({ length: KEPT_PATHS }, (_, i) => `spec.${kind}[${i}]`),
);

/** Visits init, regular, then ephemeral containers, in PSA's order, with their field paths. */
export function visitContainers(spec: JsonMap, visitor: ContainerVisitor): void {
  for (let k = 0; k < CONTAINER_KINDS.length; k++) {
    const kind = CONTAINER_KINDS[k]!;
    const list = asList(spec[kind]);
    const paths = containerPaths[k]!;
    for (let i = 0; i < list.length; i++)
      visitor(asMap(list[i]) ?? {}, i < KEPT_PATHS ? paths[i]! : `spec.${kind}[${i}]`);
  }
}

export function containerName(c: JsonMap): string {
  return asString(c.name);
}

export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

/** `container "a"` or `containers "a", "b"`: how a check names the containers that violate it. */
export function namedContainers(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Sorted, de-duplicated list (apimachinery `sets.String.List()`). */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareGoStrings);
}

/** Byte-order comparison, as Go's `sort.Strings`. */
export function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function forbidden(field: string, badValue: BadValue = ''): FieldError {
  return { type: 'Forbidden', field, badValue };
}

export function required(field: string): FieldError {
  return { type: 'Required', field, badValue: '' };
}

/** `spec.os.name == windows` exempts restricted checks from v1.25. */
export function isWindowsPod(spec: JsonMap): boolean {
  return child(spec, 'os', 'name') === 'windows';
}

/** From v1.25 Pod API validation rejects Linux-only security fields on Windows pods, so checks admit them. */
export function admitWindowsPods(check: CheckPodFn): CheckPodFn {
  return (meta, spec) => (isWindowsPod(spec) ? ALLOWED : check(meta, spec));
}

const NONE: readonly never[] = Object.freeze([]);

/** Collects violating setters (pod, containers, annotations) with their field errors. */
export class Violations {
  // Made at the first violation: every check makes a set and most pods pass most checks. Assigned
  // in the constructor, not as class fields (an initializer call per set, ~2% of evaluation).
  declare private dataList: string[] | undefined;
  declare private errList: FieldError[] | undefined;

  constructor() {
    this.dataList = undefined;
    this.errList = undefined;
  }

  /** The setters collected (one shared empty list until the first). */
  get data(): readonly string[] {
    return this.dataList ?? NONE;
  }

  /** Their field errors (one shared empty list until the first). */
  get errs(): readonly FieldError[] {
    return this.errList ?? NONE;
  }

  add(data: string, ...errs: FieldError[]): void {
    if (this.dataList === undefined) {
      this.dataList = [data];
      this.errList = errs;
      return;
    }
    this.dataList.push(data);
    (this.errList as FieldError[]).push(...errs);
  }

  get empty(): boolean {
    return this.dataList === undefined;
  }

  get length(): number {
    return this.dataList === undefined ? 0 : this.dataList.length;
  }

  /** `containers "a", "b" <requirement>`: the detail text of the per-container checks. */
  describe(requirement: string, subject = ''): string {
    return `${subject}${namedContainers(this.data)} ${requirement}`;
  }

  /** A denial with this set's field errors; ALLOWED when nothing was collected. */
  deny(reason: string, requirement: string, subject = ''): CheckResult {
    if (this.empty) return ALLOWED;
    return {
      allowed: false,
      forbiddenReason: reason,
      forbiddenDetail: this.describe(requirement, subject),
      errList: this.errs,
    };
  }
}

/** Go's `%q` for the plain strings found in annotations (JSON escaping agrees for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function annotationPath(key: string): string {
  return `metadata.annotations[${key}]`;
}
