/**
 * A query's answer: its row count and time, the notice when the page holds only the first `ROW_CAP` rows, CSV and
 * JSON downloads (built here from the rows when the page has them all, else streamed whole by the lake), the
 * virtualized table, and a chart when the result's shape allows one.
 */
import { csvText, jsonText, MEDIA_TYPES, ROW_CAP, type QueryRequest, type QueryResult } from '@lakehouse/console-api';
import { lakeApi } from '../api';
import { chartPlan } from '../chart-kind';
import { ResultChart } from '../charts';
import { dispositionName, saveBlob } from '../download';
import { h, notice } from '../dom';
import { formatCount, formatDuration, rowsText, stampName } from '../format';
import { VirtualTable } from '../table';

type Format = 'csv' | 'json';

function capNotice(result: QueryResult): HTMLElement {
  return notice(
    'info',
    `The query returned more than ${formatCount(ROW_CAP)} rows: the page shows the first ${formatCount(result.rows.length)}.`,
    'The downloads (CSV, JSON) run the query again and get every row.',
  );
}

export class ResultsPanel {
  readonly el: HTMLElement;
  private readonly meta = h('p', { class: 'result-meta', role: 'status' });
  private readonly capNote = h('div', { class: 'cap-note', hidden: true });
  private readonly buttons = {
    csv: h('button', { type: 'button', text: 'Download CSV', disabled: true }),
    json: h('button', { type: 'button', text: 'Download JSON', disabled: true }),
  };
  private readonly tableHost = h('div', { class: 'vt-host vt-tall' });
  private readonly chartBox = h('figure', { class: 'result-chart', hidden: true });
  private readonly chartNote = h('p', { class: 'chart-note' });
  private readonly empty = h('div');
  private readonly table: VirtualTable;
  private readonly chart: ResultChart;
  private last: { result: QueryResult; request: QueryRequest } | null = null;

  constructor() {
    this.table = new VirtualTable(this.tableHost);
    this.chart = new ResultChart(this.chartBox);
    for (const format of ['csv', 'json'] as const) this.buttons[format].addEventListener('click', () => void this.download(format));
    this.el = h(
      'section',
      { class: 'results', 'aria-label': 'Result', hidden: true },
      h('div', { class: 'result-bar' }, this.meta, h('span', { class: 'spacer' }), this.buttons.csv, this.buttons.json),
      this.capNote,
      this.empty,
      h('div', { class: 'result-body' }, this.tableHost, this.chartBox),
      this.chartNote,
    );
  }

  show(result: QueryResult, request: QueryRequest, roundTripMs: number): void {
    this.last = { result, request };
    this.el.hidden = false;
    this.meta.textContent = `${rowsText(result)} · ${formatDuration(result.elapsedMs)} on the lake · ${formatDuration(roundTripMs)} in all`;
    this.capNote.hidden = !result.truncated;
    this.capNote.replaceChildren(...(result.truncated ? [capNotice(result)] : []));
    this.buttons.csv.disabled = this.buttons.json.disabled = false;
    const noRows = result.rows.length === 0;
    this.empty.replaceChildren(...(noRows ? [notice('empty', 'The query returned no rows.')] : []));
    this.tableHost.hidden = noRows;
    this.table.setData(result.columns, result.rows);
    const plan = chartPlan(result.columns, result.rows.length);
    this.chartBox.hidden = plan.kind === 'none';
    this.el.classList.toggle('with-chart', plan.kind !== 'none');
    this.chart.show(plan, result);
    this.chartNote.textContent =
      plan.kind === 'none'
        ? noRows
          ? ''
          : `No chart: ${plan.reason}`
        : `Chart: ${plan.kind === 'line' ? 'a line per number column over time' : 'a bar per category'}.`;
  }

  hide(): void {
    this.el.hidden = true;
    this.chart.clear();
    this.last = null;
  }

  private async download(format: Format): Promise<void> {
    if (!this.last) return;
    const { result, request } = this.last;
    const button = this.buttons[format];
    const name = `${stampName('query', Date.now())}.${format}`;
    if (!result.truncated) {
      const text = format === 'csv' ? csvText(result) : jsonText(result);
      return saveBlob(new Blob([text], { type: MEDIA_TYPES[format] }), name);
    }
    button.disabled = true;
    button.textContent = 'Preparing…';
    try {
      const { blob, disposition } = await lakeApi.download({ ...request, format });
      saveBlob(blob, dispositionName(disposition) ?? name);
    } catch (err) {
      this.capNote.append(notice('error', `The ${format.toUpperCase()} download failed.`, err instanceof Error ? err.message : String(err)));
    } finally {
      button.disabled = false;
      button.textContent = `Download ${format.toUpperCase()}`;
    }
  }
}
