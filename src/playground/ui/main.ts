/**
 * @module The playground page: the editors, the run on every change (the CLI's engine, bundled), the
 * results, examples, share links and suite export. Nothing here talks to a network: the page's CSP
 * forbids it, and the end-to-end test checks no request leaves after load.
 */
import type { EditorView } from '@codemirror/view';
import { stringify } from 'yaml';
import { type EditorDiagnostic, evaluatePlayground, type PlaygroundResult } from '../core/evaluate.js';
import { exportSuite } from '../core/export-suite.js';
import { decodeState, encodeState } from '../core/share-link.js';
import {
  EDITOR_FILES,
  type EditorName,
  EMPTY_STATE,
  type PlaygroundState,
  stateFrom,
} from '../core/state.js';
import { type CatalogueEntry, setUpCatalogue } from './catalogue.js';
import { DEFAULT_EXAMPLE } from './default-example.js';
import { createEditor, type Mark, reveal, setText, showDiagnostics, showMarks } from './editors.js';
import { renderResults } from './results.js';

const EDITOR_LABELS: Readonly<Record<EditorName, string>> = {
  policies: 'Policies',
  resources: 'Resources',
  values: 'Values',
  context: 'Context',
  userInfo: 'User info',
  oldObject: 'Old object',
};

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const toYaml = (v: unknown): string => stringify(v, { lineWidth: 0 });

/** Milliseconds from a keystroke (or change) to the verdicts on screen, newest last. */
const timings: number[] = [];
let changedAt: number | undefined;
let running = false;
let dirty = false;
let lastResult: PlaygroundResult | undefined;
/** Finished runs, also on `body[data-runs]` (the tests wait on it). */
let runs = 0;
/** Set while a whole state is loaded, so its many editor changes make one run. */
let loading = false;

const editors = {} as Record<EditorName, EditorView>;
for (const name of Object.keys(EDITOR_FILES) as EditorName[])
  editors[name] = createEditor(byId(`editor-${name}`), EDITOR_LABELS[name], () => {
    if (!loading) schedule();
  });
const operation = byId<HTMLSelectElement>('operation');
const mode = byId<HTMLSelectElement>('mode');
for (const select of [operation, mode]) select.addEventListener('change', () => schedule());
// Keystrokes are timed from the key, so the figure includes the editor's own work.
document.addEventListener(
  'keydown',
  () => {
    changedAt ??= performance.now();
  },
  true,
);

function currentState(): PlaygroundState {
  const text = (name: EditorName): string => editors[name].state.doc.toString();
  return stateFrom({
    policies: text('policies'),
    resources: text('resources'),
    values: text('values'),
    context: text('context'),
    userInfo: text('userInfo'),
    oldObject: text('oldObject'),
    operation: operation.value,
    mode: mode.value,
  });
}

function loadState(state: PlaygroundState): void {
  loading = true;
  for (const name of Object.keys(EDITOR_FILES) as EditorName[]) setText(editors[name], state[name]);
  operation.value = state.operation;
  mode.value = state.mode;
  loading = false;
  schedule();
}

function selectTab(name: EditorName): void {
  if (name === 'policies') return;
  for (const tab of document.querySelectorAll<HTMLButtonElement>('#input-tabs [role=tab]')) {
    const selected = tab.dataset.editor === name;
    tab.setAttribute('aria-selected', String(selected));
    byId(`editor-${tab.dataset.editor}`).hidden = !selected;
  }
  editors[name].requestMeasure();
}

for (const tab of document.querySelectorAll<HTMLButtonElement>('#input-tabs [role=tab]'))
  tab.addEventListener('click', () => selectTab(tab.dataset.editor as EditorName));

const pane = {
  summary: byId('summary'),
  problems: byId('problems'),
  verdicts: byId<HTMLTableElement>('verdicts').tBodies[0] as HTMLTableSectionElement,
  mutations: byId('mutations'),
  generated: byId('generated'),
};

function goTo(editor: EditorName, mark: Mark): void {
  selectTab(editor);
  reveal(editors[editor], mark);
}

function show(result: PlaygroundResult): void {
  const byEditor = new Map<EditorName, EditorDiagnostic[]>();
  for (const d of result.diagnostics) byEditor.set(d.editor, [...(byEditor.get(d.editor) ?? []), d]);
  for (const name of Object.keys(EDITOR_FILES) as EditorName[])
    showDiagnostics(editors[name], byEditor.get(name) ?? []);
  // A hidden editor's tab shows how many problems it holds.
  for (const tab of document.querySelectorAll<HTMLButtonElement>('#input-tabs [role=tab]')) {
    const n = byEditor.get(tab.dataset.editor as EditorName)?.length ?? 0;
    if (n > 0) tab.dataset.problems = String(n);
    else delete tab.dataset.problems;
  }
  const marks = result.rows
    .filter((r) => (r.status === 'fail' || r.status === 'warn') && r.line !== undefined)
    .map((r) => ({ line: r.line ?? 1, column: r.column ?? 1 }));
  showMarks(editors.resources, marks);
  renderResults(
    pane,
    result,
    (row) => goTo('resources', { line: row.line ?? 1, column: row.column ?? 1 }),
    (d) => goTo(d.editor, d),
  );
}

async function run(): Promise<void> {
  running = true;
  try {
    do {
      dirty = false;
      const started = changedAt;
      changedAt = undefined;
      const result = await evaluatePlayground(currentState(), toYaml);
      if (dirty) continue;
      lastResult = result;
      show(result);
      runs++;
      document.body.dataset.runs = String(runs);
      if (started !== undefined) {
        const ms = performance.now() - started;
        timings.push(ms);
        byId('status').textContent = `verdicts in ${ms.toFixed(1)} ms`;
      }
    } while (dirty);
  } catch (err) {
    byId('status').textContent = `internal error: ${String(err instanceof Error ? err.message : err)}`;
  } finally {
    running = false;
  }
}

function schedule(): void {
  changedAt ??= performance.now();
  dirty = true;
  if (!running) setTimeout(() => void run(), 0);
}

setUpCatalogue((entry: CatalogueEntry) => {
  loadState({
    ...EMPTY_STATE,
    policies: entry.policies,
    resources: entry.resources,
    values: entry.values ?? '',
    context: entry.context ?? '',
  });
  selectTab('resources');
});

byId('share').addEventListener('click', async () => {
  const hash = await encodeState(currentState());
  history.replaceState(null, '', `#${hash}`);
  const input = byId<HTMLInputElement>('share-url');
  input.value = location.href;
  byId<HTMLDialogElement>('share-dialog').showModal();
  input.select();
});
byId('share-copy').addEventListener('click', () => {
  void navigator.clipboard?.writeText(byId<HTMLInputElement>('share-url').value).catch(() => undefined);
});

const downloads: string[] = [];
byId('export').addEventListener('click', () => {
  if (lastResult === undefined) return;
  for (const url of downloads.splice(0)) URL.revokeObjectURL(url);
  const files = exportSuite(currentState(), lastResult);
  byId('export-files').replaceChildren(
    ...files.map((f) => {
      const details = document.createElement('details');
      details.open = f.name === 'kyverno-test.yaml';
      const summary = document.createElement('summary');
      const link = document.createElement('a');
      const url = URL.createObjectURL(new Blob([f.text], { type: 'application/yaml' }));
      downloads.push(url);
      link.href = url;
      link.download = f.name;
      link.textContent = `Download ${f.name}`;
      summary.append(f.name, ' · ', link);
      const pre = document.createElement('pre');
      pre.textContent = f.text;
      pre.dataset.file = f.name;
      details.append(summary, pre);
      return details;
    }),
  );
  byId<HTMLDialogElement>('export-dialog').showModal();
});

async function loadFromHash(): Promise<boolean> {
  const state = await decodeState(location.hash);
  if (state === undefined) return false;
  loadState(state);
  return true;
}
window.addEventListener('hashchange', () => void loadFromHash());

/** For the end-to-end tests: the same run the page makes, on any state, and the timings. */
declare global {
  interface Window {
    palisade: {
      readonly evaluate: (state: unknown) => Promise<PlaygroundResult>;
      readonly state: () => PlaygroundState;
      readonly timings: readonly number[];
      readonly ready: Promise<void>;
      readonly runs: () => number;
    };
  }
}
const ready = (async () => {
  if (!(await loadFromHash())) loadState(DEFAULT_EXAMPLE);
})();
window.palisade = {
  evaluate: (state) => evaluatePlayground(stateFrom(state), toYaml),
  state: currentState,
  timings,
  ready,
  runs: () => runs,
};
