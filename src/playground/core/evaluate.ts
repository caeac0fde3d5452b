/**
 * @module The playground's run: the editors' texts → the CLI's offline evaluation (the loaders,
 * compile and admit `palisade apply` uses) → verdicts, diagnostics placed at their editor's line
 * and column, mutated and generated resources. Pure and synchronous-looking per keystroke; runs the
 * same in the page and in Node (the tests).
 */
import {
  admit,
  type Diagnostic,
  type KubeObject,
  type Operation,
  type RequestInfo,
  type RuleStatus,
} from '../../engine/index.js';
import type { IoDiagnostic } from '../../io/codes.js';
import { decodeContextDocuments } from '../../io/files/context-documents.js';
import { POLICY_DECODER } from '../../io/files/policy-decoder.js';
import { decodePolicyDocuments } from '../../io/files/policy-documents-decode.js';
import {
  type LoadedResource,
  locateInResource,
  removeDuplicates,
  toResource,
} from '../../io/files/resource-documents.js';
import { decodeUserInfoDocument } from '../../io/files/user-info-decode.js';
import { decodeValuesDocument, type ValuesSpec } from '../../io/files/values-spec.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { compileOfflineDocuments, type OfflineSet } from '../../io/offline-set-compile.js';
import { generateFailures } from '../../io/report/generate-failures.js';
import { toReportResult } from '../../io/report/report-result.js';
import { offlineRequest } from '../../io/requests/offline-request.js';
import { type LoadedFile, loadDocuments } from '../../io/yaml/load-documents.js';
import { EDITOR_FILES, type EditorName, type PlaygroundState } from './state.js';

/** A problem found in one editor, at a 1-based line and column. */
export interface EditorDiagnostic {
  readonly editor: EditorName;
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
}

/** One rule's verdict on one resource. */
export interface VerdictRow {
  readonly policy: string;
  readonly rule: string;
  readonly ruleType: string;
  /** `kind/namespace/name` (no namespace for cluster-scoped objects). */
  readonly resource: string;
  readonly resourceIndex: number;
  readonly status: RuleStatus;
  readonly message: string;
  /** The offending field's position in the resources editor (failures with a field path). */
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;
}

/** A resource as the mutating rules left it (YAML, for a diff). */
export interface MutatedResource {
  readonly resource: string;
  readonly before: string;
  readonly after: string;
}

export interface PlaygroundResult {
  readonly rows: readonly VerdictRow[];
  readonly diagnostics: readonly EditorDiagnostic[];
  readonly mutated: readonly MutatedResource[];
  /** Generated objects, by the resource that triggered them. */
  readonly generated: readonly {
    readonly trigger: string;
    readonly object: KubeObject;
    readonly text: string;
  }[];
  /** Whether each resource would be admitted, with the denial message. */
  readonly admission: readonly {
    readonly resource: string;
    readonly allowed: boolean;
    readonly message?: string;
  }[];
  readonly counts: Readonly<Record<RuleStatus, number>>;
}

/** Turns objects into YAML for the diff view; the page passes the `yaml` stringifier it already bundles. */
export type Stringify = (value: unknown) => string;

const FILE_EDITOR = new Map<string, EditorName>(
  Object.entries(EDITOR_FILES).map(([editor, file]) => [file, editor as EditorName]),
);

function placed(d: IoDiagnostic | Diagnostic, fallback: EditorName): EditorDiagnostic {
  const editor = (d.source !== undefined ? FILE_EDITOR.get(d.source.file) : undefined) ?? fallback;
  const path = d.path.length > 0 ? ` (${d.path.join('.')})` : '';
  return {
    editor,
    line: d.source?.line ?? 1,
    column: d.source?.column ?? 1,
    severity: d.severity === 'warning' ? 'warning' : 'error',
    code: d.code,
    message: `${d.message}${path}`,
  };
}

function load(text: string, editor: EditorName, strict = false): LoadedFile {
  return loadDocuments(text, EDITOR_FILES[editor], {
    expandLists: editor === 'resources',
    ...(strict ? { duplicateKeys: 'error' as const } : {}),
  });
}

function resourceLabel(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? ''}/${ns !== undefined && ns !== '' ? `${ns}/` : ''}${o.metadata?.name ?? ''}`;
}

/** Memo of the last compile: typing in the resource editor does not compile the policies again. */
let lastCompile: { key: string; set: OfflineSet; issues: EditorDiagnostic[] } | undefined;

function compile(state: PlaygroundState, diagnostics: EditorDiagnostic[]): OfflineSet {
  const key = JSON.stringify([state.policies, state.context]);
  if (lastCompile?.key === key) {
    diagnostics.push(...lastCompile.issues);
    return lastCompile.set;
  }
  const issues: EditorDiagnostic[] = [];
  const policies = decodePolicyDocuments(load(state.policies, 'policies'), POLICY_DECODER);
  for (const d of policies.issues) issues.push(placed(d, 'policies'));
  for (const u of policies.unsupported)
    issues.push({
      editor: 'policies',
      line: 1,
      column: 1,
      severity: 'warning',
      code: 'policy/unsupported-kind',
      message: `${u.kind} ${u.name}: ${u.reason}`,
    });
  const context =
    state.context.trim() === '' ? undefined : decodeContextDocuments(load(state.context, 'context'));
  for (const d of context?.issues ?? []) issues.push(placed(d, 'context'));
  const set = compileOfflineDocuments({
    policies,
    // The playground binds the exceptions typed beside the policies: there is no other place for them.
    exceptions: [],
    celExceptions: [],
    exceptionsWithinPolicies: true,
    clusterObjects: context?.resources ?? [],
    images: context?.images ?? [],
  });
  for (const d of set.issues) issues.push(placed(d, 'policies'));
  lastCompile = { key, set, issues };
  diagnostics.push(...issues);
  return set;
}

function singleDocument<T>(
  text: string,
  editor: EditorName,
  decode: (
    doc: LoadedFile['documents'][number] | undefined,
    file: string,
  ) => T & { issues: readonly IoDiagnostic[] },
  diagnostics: EditorDiagnostic[],
): T | undefined {
  if (text.trim() === '') return undefined;
  const loaded = load(text, editor, true);
  for (const d of loaded.issues) diagnostics.push(placed(d, editor));
  if (loaded.issues.some((d) => d.severity === 'error')) return undefined;
  const decoded = decode(loaded.documents[0], EDITOR_FILES[editor]);
  for (const d of decoded.issues) diagnostics.push(placed(d, editor));
  return decoded;
}

/** Runs the playground's state. Never throws: problems are diagnostics, rule errors are rows. */
export async function evaluatePlayground(
  state: PlaygroundState,
  stringify: Stringify,
): Promise<PlaygroundResult> {
  const diagnostics: EditorDiagnostic[] = [];
  const offline = compile(state, diagnostics);
  const loaded = load(state.resources, 'resources');
  for (const d of loaded.issues) diagnostics.push(placed(d, 'resources'));
  const resources: LoadedResource[] = [];
  for (const doc of loaded.documents) {
    const r = toResource(doc);
    if (r.ok) resources.push(r.value);
    else diagnostics.push(placed(r.issue, 'resources'));
  }
  const values = singleDocument(state.values, 'values', decodeValuesDocument, diagnostics)?.spec as
    | ValuesSpec
    | undefined;
  const info = singleDocument(state.userInfo, 'userInfo', decodeUserInfoDocument, diagnostics)?.info as
    | RequestInfo
    | undefined;
  const profile = state.mode === 'admission' ? 'admission' : 'cli';
  const oldObject = state.oldObject.trim() === '' ? undefined : load(state.oldObject, 'oldObject', true);
  for (const d of oldObject?.issues ?? []) diagnostics.push(placed(d, 'oldObject'));
  const old = oldObject?.documents[0]?.value as KubeObject | undefined;
  if (old !== undefined && profile === 'cli')
    diagnostics.push({
      editor: 'oldObject',
      line: 1,
      column: 1,
      severity: 'warning',
      code: 'playground/old-object-unused',
      message:
        "Kyverno's CLI takes the resource itself as the old object: judge as an admission request to use this one",
    });

  const ports = createOfflinePorts({
    clusterObjects: removeDuplicates(resources).uniques.map((r) => r.object),
    allowClusterReads: false,
  });
  const inputs = {
    ...(values !== undefined ? { values } : {}),
    setValues: {},
    ...(info !== undefined ? { requestInfo: info } : {}),
  };
  const operation: Operation | undefined = state.operation === '' ? undefined : state.operation;
  const rows: VerdictRow[] = [];
  const mutated: MutatedResource[] = [];
  const generated: { trigger: string; object: KubeObject; text: string }[] = [];
  const admission: { resource: string; allowed: boolean; message?: string }[] = [];
  for (const [index, r] of resources.entries()) {
    const label = resourceLabel(r.object);
    let request = offlineRequest(r.object, inputs, operation);
    if (old !== undefined && (request.operation === 'UPDATE' || request.operation === 'DELETE'))
      request = { ...request, oldObject: old };
    const outcome = await admit(offline.set, request, { ports }, { profile, celPorts: offline.celPorts });
    admission.push({
      resource: label,
      allowed: outcome.allowed,
      ...(outcome.message !== undefined ? { message: outcome.message } : {}),
    });
    for (const { policy, response } of outcome.responses) {
      for (const rule of response.rules) {
        const report = toReportResult(policy, response.policyKey, response.resource, response, rule);
        const at = rule.path !== undefined ? locateInResource(r, rule.path) : undefined;
        rows.push({
          policy: response.policyKey,
          rule: rule.name,
          ruleType: rule.type,
          resource: label,
          resourceIndex: index,
          status: report.result,
          message: rule.message,
          ...(at !== undefined ? { line: at.line, column: at.column } : {}),
          ...(rule.path !== undefined ? { path: rule.path.join('.') } : {}),
        });
        for (const g of rule.type === 'Generation' ? (rule.generatedResources ?? []) : [])
          generated.push({ trigger: label, object: g, text: stringify(g) });
      }
    }
    for (const d of generateFailures(outcome.responses, r)) diagnostics.push(placed(d, 'resources'));
    const patched = outcome.patchedObject;
    if (patched !== null && JSON.stringify(patched) !== JSON.stringify(r.object))
      mutated.push({ resource: label, before: stringify(r.object), after: stringify(patched) });
  }
  const counts: Record<RuleStatus, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const row of rows) counts[row.status]++;
  return { rows, diagnostics, mutated, generated, admission, counts };
}
