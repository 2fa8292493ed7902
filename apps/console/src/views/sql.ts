/**
 * The SQL view: an editor (Ctrl/Cmd-Enter runs), the dialect, the result (`ResultsPanel`), and at the side the
 * stack's named queries and this browser's history. An SQL error is shown in the editor, where the engine points.
 */
import type { ConsoleInfo, QueryRequest } from '@lakehouse/console-api';
import { ApiFailure, lakeApi } from '../api';
import { h } from '../dom';
import { createEditor, type SqlEditor } from '../editor';
import { QueryHistory, browserStore, type HistoryEntry } from '../history';
import { positionInMessage } from '../sql-error';
import { ResultsPanel } from './results';
import { SqlSide } from './sql-side';

type Dialect = NonNullable<QueryRequest['dialect']>;

export class SqlView {
  private readonly history = new QueryHistory(browserStore());
  private readonly results = new ResultsPanel();
  private readonly side = new SqlSide(this.history, { use: (sql, run, dialect) => this.use(sql, run, dialect) });
  private readonly editorHost = h('div', { class: 'editor' });
  private readonly status = h('span', { class: 'run-status', role: 'status' });
  private readonly runButton = h('button', { type: 'button', class: 'primary', title: 'Ctrl/Cmd + Enter' }, 'Run ', h('kbd', { text: 'Ctrl/⌘ Enter' }));
  private readonly cancelButton = h('button', { type: 'button', text: 'Cancel', hidden: true });
  private readonly dialect = h(
    'select',
    { 'aria-label': 'SQL dialect' },
    h('option', { value: 'athena', text: 'Athena SQL' }),
    h('option', { value: 'duckdb', text: 'DuckDB SQL' }),
  );
  private editor: SqlEditor | null = null;
  private running: AbortController | null = null;
  private defaultSql = 'SELECT 1';

  constructor(private readonly root: HTMLElement) {
    this.runButton.addEventListener('click', () => void this.run());
    this.cancelButton.addEventListener('click', () => this.running?.abort());
    const toolbar = h('div', { class: 'toolbar' }, this.runButton, this.cancelButton, this.dialect, this.status);
    root.append(
      h(
        'header',
        { class: 'view-head' },
        h('h1', { id: 'h-sql', text: 'SQL' }),
        h('p', { class: 'view-sub', text: 'Query the lake as Athena would. Ctrl/Cmd-Enter runs the query.' }),
      ),
      h('div', { class: 'sql-layout' }, h('div', { class: 'sql-main' }, this.editorHost, toolbar, this.results.el), this.side.el),
    );
  }

  setInfo(info: ConsoleInfo): void {
    this.defaultSql = `SELECT *\nFROM "${info.database}"."${info.table}"\nLIMIT 100`;
  }

  show(): void {
    this.root.hidden = false;
    if (!this.editor) {
      const last = this.history.list()[0];
      this.editor = createEditor(
        this.editorHost,
        last?.sql ?? this.defaultSql,
        () => void this.run(),
        () => {
          if (!this.running) this.status.textContent = '';
        },
      );
      if (last?.dialect) this.dialect.value = last.dialect;
    }
    void this.side.loadExamples();
    this.editor.view.focus();
  }

  hide(): void {
    this.root.hidden = true;
  }

  refresh(): void {
    if (!this.root.hidden) void this.side.loadExamples();
  }

  private use(sql: string, run: boolean, dialect?: HistoryEntry['dialect']): void {
    this.editor?.setText(sql);
    if (dialect) this.dialect.value = dialect;
    this.editor?.view.focus();
    if (run) void this.run();
  }

  private async run(): Promise<void> {
    const editor = this.editor;
    const sql = editor?.text() ?? '';
    if (!editor || !sql.trim()) return void (this.status.textContent = 'Nothing to run.');
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const request: QueryRequest = { sql, dialect: this.dialect.value as Dialect };
    editor.showError(null);
    this.history.add(sql, Date.now(), request.dialect);
    this.side.renderHistory();
    this.setRunning(true, 'Running…');
    const t0 = performance.now();
    try {
      const result = await lakeApi.query(request, controller.signal);
      this.results.show(result, request, performance.now() - t0);
      this.setRunning(false, '');
    } catch (err) {
      if (this.running !== controller) return; // a newer run took over
      this.failed(err, editor);
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  private failed(err: unknown, editor: SqlEditor): void {
    if (err instanceof Error && err.name === 'AbortError') return this.setRunning(false, 'Cancelled.');
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ApiFailure && !err.network) {
      const position = err.line === undefined ? positionInMessage(message) : { line: err.line, column: err.column };
      editor.showError({ message, ...position });
    }
    this.results.hide();
    this.setRunning(false, err instanceof ApiFailure && err.network ? message : 'The query failed: see the editor.');
  }

  private setRunning(running: boolean, status: string): void {
    this.runButton.disabled = false;
    this.cancelButton.hidden = !running;
    this.root.classList.toggle('is-running', running);
    this.status.textContent = status;
  }
}
