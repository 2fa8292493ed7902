/** The SQL view's side: the stack's named queries as one-click examples, and the query history of this browser. */
import type { NamedQuery } from '@lakehouse/console-api';
import { lakeApi } from '../api';
import { h, notice } from '../dom';
import { formatTime } from '../format';
import type { HistoryEntry, QueryHistory } from '../history';
import { failureNotice } from './bucket';

export interface SideActions {
  /** Put the SQL in the editor; `run` too for an example. */
  use(sql: string, run: boolean, dialect?: HistoryEntry['dialect']): void;
}

export class SqlSide {
  readonly el: HTMLElement;
  private readonly examples = h('div', { class: 'examples' });
  private readonly historyList = h('div', { class: 'history' });
  private loaded = false;

  constructor(
    private readonly history: QueryHistory,
    private readonly actions: SideActions,
  ) {
    const clear = h('button', { type: 'button', class: 'link-button', text: 'Clear' });
    clear.addEventListener('click', () => {
      this.history.clear();
      this.renderHistory();
    });
    this.el = h(
      'aside',
      { class: 'sql-side', 'aria-label': 'Examples and history' },
      h('h2', { text: 'Examples' }),
      h('p', { class: 'side-note', text: 'The stack’s named queries. A click runs one.' }),
      this.examples,
      h('div', { class: 'side-head' }, h('h2', { text: 'History' }), clear),
      this.historyList,
    );
    this.renderHistory();
  }

  async loadExamples(): Promise<void> {
    if (this.loaded) return;
    this.examples.replaceChildren(notice('loading', 'Loading…'));
    try {
      const queries = await lakeApi.namedQueries();
      this.examples.replaceChildren(...(queries.length ? queries.map((q) => this.example(q)) : [notice('empty', 'The stack names no queries.')]));
      this.loaded = true;
    } catch (err) {
      this.examples.replaceChildren(failureNotice(err, 'the examples'));
    }
  }

  renderHistory(): void {
    const entries = this.history.list();
    if (entries.length === 0) {
      this.historyList.replaceChildren(notice('empty', 'No queries yet.', 'Queries you run are kept here, in this browser.'));
      return;
    }
    this.historyList.replaceChildren(h('ol', {}, ...entries.map((e) => h('li', {}, this.entry(e)))));
  }

  private example(q: NamedQuery): HTMLElement {
    const button = h(
      'button',
      { type: 'button', class: 'example', title: q.sql },
      h('span', { class: 'example-name', text: q.name }),
      h('span', { class: 'example-desc', text: q.description }),
    );
    button.addEventListener('click', () => this.actions.use(q.sql, true));
    return button;
  }

  private entry(e: HistoryEntry): HTMLElement {
    const firstLine = e.sql.split('\n').find((l) => l.trim()) ?? e.sql;
    const button = h(
      'button',
      { type: 'button', class: 'history-entry', title: e.sql },
      h('code', { text: firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine }),
      h('span', { class: 'history-when', text: `${formatTime(e.at)}${e.dialect === 'duckdb' ? ' · DuckDB' : ''}` }),
    );
    button.addEventListener('click', () => this.actions.use(e.sql, false, e.dialect));
    return button;
  }
}
