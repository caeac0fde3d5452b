/**
 * @module The playground's YAML editors: CodeMirror with YAML highlighting, the project's diagnostics
 * shown inline (lint markers at their line and column), and the offending fields of failed rules
 * marked in the resources editor.
 */
import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { type Extension, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';
import type { EditorDiagnostic } from '../core/evaluate.js';

/** 1-based line and column of a failed rule's field in the resources editor. */
export interface Mark {
  readonly line: number;
  readonly column: number;
}

const setMarks = StateEffect.define<readonly Mark[]>();

const offendingLine = Decoration.line({ class: 'pg-offending' });
const offendingField = Decoration.mark({ class: 'pg-offending-field' });

/** The marked lines and fields: kept through edits until the next verdict replaces them. */
const marks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setMarks)) continue;
      const doc = tr.state.doc;
      const sorted = [...effect.value]
        .filter((m) => m.line >= 1 && m.line <= doc.lines)
        .sort((a, b) => a.line - b.line || a.column - b.column);
      const builder = new RangeSetBuilder<Decoration>();
      let lastLine = 0;
      for (const m of sorted) {
        if (m.line === lastLine) continue;
        lastLine = m.line;
        const line = doc.line(m.line);
        const from = Math.min(line.from + m.column - 1, line.to);
        // The key (up to its colon) or the rest of the line.
        const colon = line.text.indexOf(':', from - line.from);
        const to = colon > from - line.from ? line.from + colon : line.to;
        builder.add(line.from, line.from, offendingLine);
        if (to > from) builder.add(from, to, offendingField);
      }
      next = builder.finish();
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function createEditor(parent: HTMLElement, label: string, onChange: () => void): EditorView {
  const extensions: Extension[] = [
    basicSetup,
    yaml(),
    lintGutter(),
    marks,
    EditorView.contentAttributes.of({ 'aria-label': label }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange();
    }),
  ];
  return new EditorView({ parent, extensions });
}

export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Shows `found` as lint diagnostics of `view`, each at its line and column. */
export function showDiagnostics(view: EditorView, found: readonly EditorDiagnostic[]): void {
  const doc = view.state.doc;
  const diagnostics: Diagnostic[] = found.map((d) => {
    const line = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(d.column, 1) - 1, line.to);
    return {
      from,
      to: Math.max(from, line.to),
      severity: d.severity,
      source: d.code,
      message: d.message,
    };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

export function showMarks(view: EditorView, found: readonly Mark[]): void {
  view.dispatch({ effects: setMarks.of(found) });
}

/** Puts the cursor on `mark` and scrolls it into view. */
export function reveal(view: EditorView, mark: Mark): void {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(mark.line, 1), doc.lines));
  const at = Math.min(line.from + mark.column - 1, line.to);
  view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) });
  view.focus();
}
