/**
 * The SQL editor: CodeMirror 6 with SQL highlighting, line numbers, history and brackets; Ctrl/Cmd-Enter runs.
 * Under the strict CSP: CodeMirror's <style> element carries the page's nonce (`EditorView.cspNonce`), and typing
 * over a selection is done by CodeMirror rather than by Chromium (which would set a `style` attribute the CSP
 * refuses). An SQL error is shown in place: the line and word marked, the engine's message in a panel below.
 */
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, showPanel, type DecorationSet } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { StandardSQL, sql } from '@codemirror/lang-sql';
import { errorRange } from './sql-error';

/** The nonce the lake put in <meta property="csp-nonce">: the IDL property, since Chromium blanks the attribute. */
export function pageNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[property=csp-nonce]')?.nonce ?? '';
}

/**
 * Typed text replacing a selection, done by CodeMirror: Chromium's own edit of a selection spanning lines sets a
 * style attribute on a span to keep the deleted text's look, which the CSP blocks (an error per keystroke).
 */
export const typeOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    const sel = view.state.selection;
    const text = event.data;
    if (event.inputType !== 'insertText' || text == null || view.composing || sel.ranges.every((r) => r.empty)) return false;
    event.preventDefault();
    const { from, to } = sel.main;
    const insert = () => view.state.update(view.state.replaceSelection(text), { scrollIntoView: true, userEvent: 'input.type' });
    if (sel.ranges.length === 1 && view.state.facet(EditorView.inputHandler).some((handler) => handler(view, from, to, text, insert))) return true;
    view.dispatch(insert());
    return true;
  },
});

export interface SqlError {
  message: string;
  line?: number;
  column?: number;
}

const setError = StateEffect.define<SqlError | null>();

/** The error shown, until the SQL changes or another run starts. */
const errorField = StateField.define<{ error: SqlError; marks: DecorationSet } | null>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setError)) return effect.value ? { error: effect.value, marks: marksFor(tr.state, effect.value) } : null;
    return tr.docChanged ? null : value;
  },
  provide: (field) => [
    EditorView.decorations.from(field, (v) => v?.marks ?? Decoration.none),
    showPanel.from(field, (v) => (v ? () => errorPanel(v.error) : null)),
  ],
});

function marksFor(state: EditorState, error: SqlError): DecorationSet {
  const range = errorRange(state.doc, error.line, error.column);
  if (!range) return Decoration.none;
  const lineStart = state.doc.line(range.line).from;
  const marks = [Decoration.line({ class: 'cm-sql-error-line' }).range(lineStart)];
  if (range.to > range.from) marks.push(Decoration.mark({ class: 'cm-sql-error-mark' }).range(range.from, range.to));
  return Decoration.set(marks, true);
}

function errorPanel(error: SqlError): { dom: HTMLElement } {
  const dom = document.createElement('div');
  dom.className = 'cm-sql-error-panel';
  dom.setAttribute('role', 'alert');
  const where = error.line ? `Line ${error.line}${error.column ? `, column ${error.column}` : ''}: ` : '';
  const strong = document.createElement('strong');
  strong.textContent = where || 'Error: ';
  dom.append(strong, error.message);
  return { dom };
}

export interface SqlEditor {
  view: EditorView;
  text(): string;
  setText(sql: string): void;
  showError(error: SqlError | null): void;
}

export function createEditor(parent: HTMLElement, doc: string, onRun: () => void, onChange: (sql: string) => void): SqlEditor {
  const extensions: Extension[] = [
    EditorView.cspNonce.of(pageNonce()),
    lineNumbers(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    bracketMatching(),
    indentOnInput(),
    // Before defaultKeymap, which binds Mod-Enter to a new line.
    keymap.of([
      { key: 'Mod-Enter', preventDefault: true, run: () => (onRun(), true) },
      // Escape leaves the editor, so Tab and the view keys (1–4) work again.
      { key: 'Escape', run: (view) => (view.contentDOM.blur(), true) },
      ...defaultKeymap,
      ...historyKeymap,
    ]),
    syntaxHighlighting(defaultHighlightStyle),
    sql({ dialect: StandardSQL, upperCaseKeywords: true }),
    EditorView.contentAttributes.of({ 'aria-label': 'SQL query (Ctrl or Cmd + Enter runs it, Escape leaves the editor)' }),
    EditorView.lineWrapping,
    EditorView.updateListener.of((u) => u.docChanged && onChange(u.state.doc.toString())),
    errorField,
    typeOverSelection,
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc, extensions }) });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: text.length } }),
    showError: (error) => {
      const range = error ? errorRange(view.state.doc, error.line, error.column) : null;
      view.dispatch({ effects: setError.of(error), ...(range ? { selection: { anchor: range.from }, scrollIntoView: true } : {}) });
    },
  };
}
