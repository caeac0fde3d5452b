/**
 * @module The results pane: counts, admission per resource, one row per rule verdict (click: the
 * offending field), input problems, mutated resources as a diff and generated resources.
 */

import { yaml } from '@codemirror/lang-yaml';
import { unifiedMergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import type { EditorDiagnostic, PlaygroundResult, VerdictRow } from '../core/evaluate.js';

export interface ResultsPane {
  readonly summary: HTMLElement;
  readonly problems: HTMLElement;
  readonly verdicts: HTMLTableSectionElement;
  readonly mutations: HTMLElement;
  readonly generated: HTMLElement;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

const EDITOR_TITLES: Readonly<Record<string, string>> = {
  policies: 'Policies',
  resources: 'Resources',
  values: 'Values',
  context: 'Context',
  userInfo: 'User info',
  oldObject: 'Old object',
};

/** Diff views are kept while their texts stay the same: typing elsewhere does not rebuild them. */
let diffs: { key: string; views: EditorView[] } = { key: '', views: [] };

function renderMutations(pane: HTMLElement, mutated: PlaygroundResult['mutated']): void {
  const key = JSON.stringify(mutated);
  if (key === diffs.key) return;
  for (const v of diffs.views) v.destroy();
  pane.replaceChildren();
  const views: EditorView[] = [];
  for (const m of mutated) {
    pane.append(el('h3', `Mutated ${m.resource}`));
    const box = el('div', undefined, 'diff');
    box.dataset.resource = m.resource;
    pane.append(box);
    views.push(
      new EditorView({
        parent: box,
        doc: m.after,
        extensions: [
          basicSetup,
          yaml(),
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          unifiedMergeView({ original: m.before, mergeControls: false, gutter: true }),
        ],
      }),
    );
  }
  diffs = { key, views };
}

function row(v: VerdictRow, onSelect: (v: VerdictRow) => void): HTMLTableRowElement {
  const tr = el('tr');
  tr.dataset.status = v.status;
  const badge = el('span', v.status, `badge ${v.status}`);
  const first = el('td');
  first.append(badge);
  tr.append(first, el('td', v.policy), el('td', v.rule), el('td', v.resource), el('td', v.message));
  if (v.line !== undefined) {
    tr.dataset.line = String(v.line);
    tr.title = `${v.path ?? ''} (line ${v.line})`;
    tr.addEventListener('click', () => onSelect(v));
  }
  return tr;
}

export function renderResults(
  pane: ResultsPane,
  result: PlaygroundResult,
  onSelect: (v: VerdictRow) => void,
  onProblem: (d: EditorDiagnostic) => void,
): void {
  const summary: HTMLElement[] = [];
  for (const [status, n] of Object.entries(result.counts))
    if (n > 0) summary.push(el('span', `${n} ${status}`, `badge ${status}`));
  for (const a of result.admission) {
    const text = `${a.resource}: ${a.allowed ? 'admitted' : 'denied'}`;
    const node = el('span', text, `admission ${a.allowed ? 'allowed' : 'denied'}`);
    if (a.message !== undefined) node.title = a.message.trim();
    summary.push(node);
  }
  if (result.rows.length === 0) summary.push(el('span', 'No rule applies to these resources.'));
  pane.summary.replaceChildren(...summary);
  pane.problems.replaceChildren(
    ...result.diagnostics.map((d) => {
      const p = el('p', undefined, `problem ${d.severity}`);
      const link = el('a', `${EDITOR_TITLES[d.editor] ?? d.editor} ${d.line}:${d.column}`);
      link.href = '#';
      link.addEventListener('click', (e) => {
        e.preventDefault();
        onProblem(d);
      });
      p.append(link, ` ${d.code}: ${d.message}`);
      return p;
    }),
  );
  pane.verdicts.replaceChildren(...result.rows.map((v) => row(v, onSelect)));
  renderMutations(pane.mutations, result.mutated);
  pane.generated.replaceChildren(
    ...result.generated.flatMap((g) => [
      el('h3', `Generated for ${g.trigger}: ${g.object.kind ?? ''}/${g.object.metadata?.name ?? ''}`),
      el('pre', g.text),
    ]),
  );
}
