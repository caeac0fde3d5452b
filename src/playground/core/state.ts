/** @module What the playground holds: the editors' texts and the admission request's settings. */
import type { Operation } from '../../engine/index.js';

/** The editors, by the file name their diagnostics carry. */
export const EDITOR_FILES = {
  policies: 'policies.yaml',
  resources: 'resources.yaml',
  values: 'values.yaml',
  context: 'context.yaml',
  userInfo: 'user-info.yaml',
  oldObject: 'old-object.yaml',
} as const;

export type EditorName = keyof typeof EDITOR_FILES;

export interface PlaygroundState {
  /** Policies of any kind, with PolicyExceptions and bindings among them (multi-document YAML). */
  readonly policies: string;
  /** The resources admitted, one request each. */
  readonly resources: string;
  /** A `cli.kyverno.io/v1alpha1` Values document, or empty. */
  readonly values: string;
  /** A `cli.kyverno.io/v1alpha1` Context document (objects CEL reads, image data), or empty. */
  readonly context: string;
  /** The request's operation; empty: the values' `request.operation`, CREATE by default. */
  readonly operation: Operation | '';
  /** A `cli.kyverno.io/v1alpha1` UserInfo document (userInfo, roles, clusterRoles), or empty. */
  readonly userInfo: string;
  /**
   * The old object of an UPDATE or DELETE (admission mode), or empty: the resource itself, as
   * Kyverno's CLI takes it.
   */
  readonly oldObject: string;
  /**
   * How the request is judged: empty, as `palisade apply` / `kyverno apply` do; `admission`, as the
   * webhook judges a real admission request (the old object given is used, rules are chosen by match).
   */
  readonly mode: '' | 'admission';
}

export const EMPTY_STATE: PlaygroundState = {
  policies: '',
  resources: '',
  values: '',
  context: '',
  operation: '',
  userInfo: '',
  oldObject: '',
  mode: '',
};

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

/** A state from untrusted JSON (a share link): unknown fields dropped, wrong types emptied. */
export function stateFrom(value: unknown): PlaygroundState {
  const o = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const text = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  const op = text('operation');
  return {
    policies: text('policies'),
    resources: text('resources'),
    values: text('values'),
    context: text('context'),
    operation: OPERATIONS.has(op) ? (op as Operation) : '',
    userInfo: text('userInfo'),
    oldObject: text('oldObject'),
    mode: text('mode') === 'admission' ? 'admission' : '',
  };
}
