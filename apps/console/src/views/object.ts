/**
 * One object of the bucket, opened: a Parquet object's schema and first rows, or an error object's records decoded
 * (lastErrorCode, lastErrorMessage, the raw data as text).
 */
import type { ErrorRecordView, ObjectView } from '@lakehouse/console-api';
import { lakeApi } from '../api';
import { code, h, notice, simpleTable, summaryList } from '../dom';
import { formatBytes, formatCount, formatTime } from '../format';
import { VirtualTable } from '../table';

const RECORDS_AT_ONCE = 100;

export class ObjectPanel {
  async render(key: string): Promise<HTMLElement> {
    const view = await lakeApi.object(key);
    return view.kind === 'data' ? dataObject(view) : errorObject(view);
  }
}

function summary(view: ObjectView, rowsLabel: string, rows: number): HTMLElement {
  return summaryList([
    ['Key', code(view.key)],
    ['Size', formatBytes(view.bytes)],
    [rowsLabel, formatCount(rows)],
  ]);
}

function dataObject(view: Extract<ObjectView, { kind: 'data' }>): HTMLElement {
  const tableHost = h('div', { class: 'vt-host vt-short' });
  const shown = view.firstRows.rows.length;
  const el = h(
    'div',
    { class: 'object-view' },
    h('h2', {}, 'Parquet object ', h('span', { class: 'badge', text: 'data' })),
    summary(view, 'Rows', view.rows),
    h('h3', { text: 'Schema' }),
    simpleTable(
      ['Column', 'Type'],
      view.schema.map((c) => [code(c.name), code(c.type)]),
      'grid schema',
    ),
    h('h3', { text: shown < view.rows ? `First ${formatCount(shown)} of ${formatCount(view.rows)} rows` : `All ${formatCount(shown)} rows` }),
    shown === 0 ? notice('empty', 'The object holds no rows.') : tableHost,
  );
  if (shown > 0) new VirtualTable(tableHost).setData(view.firstRows.columns, view.firstRows.rows, `First rows of ${view.key}`);
  return el;
}

function errorObject(view: Extract<ObjectView, { kind: 'error' }>): HTMLElement {
  const list = h('ol', { class: 'error-records' });
  const more = h('button', { type: 'button', class: 'more' });
  let shown = 0;
  const showMore = () => {
    const next = view.records.slice(shown, shown + RECORDS_AT_ONCE);
    list.append(...next.map((r, i) => errorRecord(r, shown + i)));
    shown += next.length;
    more.hidden = shown >= view.records.length;
    more.textContent = `Show ${Math.min(RECORDS_AT_ONCE, view.records.length - shown)} more of ${formatCount(view.records.length - shown)} left`;
  };
  more.addEventListener('click', showMore);
  showMore();
  return h(
    'div',
    { class: 'object-view' },
    h('h2', {}, 'Error output ', h('span', { class: 'badge badge-error', text: 'error' })),
    h('p', { class: 'view-sub', text: 'Records that failed conversion to Parquet or dynamic partitioning, as Firehose writes them, decoded.' }),
    summary(view, 'Records', view.rows),
    view.records.length < view.rows ? h('p', { class: 'view-sub', text: `The first ${formatCount(view.records.length)} records are decoded below.` }) : null,
    view.records.length === 0 ? notice('empty', 'The object holds no records.') : list,
    more,
  );
}

function errorRecord(r: ErrorRecordView, i: number): HTMLElement {
  return h(
    'li',
    { class: 'error-record' },
    h(
      'header',
      {},
      h('span', { class: 'record-no', text: `#${i + 1}` }),
      h('code', { class: 'error-code', text: r.lastErrorCode }),
      h('span', { class: 'record-meta', text: `arrived ${formatTime(r.arrivalTimestamp)}${r.sequenceNumber ? ` · sequence ${r.sequenceNumber}` : ''}` }),
    ),
    h('p', { class: 'error-message' }, h('span', { class: 'label', text: 'lastErrorMessage ' }), r.lastErrorMessage),
    h('div', { class: 'raw' }, h('span', { class: 'label', text: 'Raw data (UTF-8)' }), h('pre', { text: r.rawText })),
  );
}
