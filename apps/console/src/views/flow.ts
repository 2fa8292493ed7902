/**
 * Where the pipeline stands, from each second's `PipelineState`: the flow stream → delivery → bucket → catalog with
 * a live count on each step, the totals since start, the buffer and when it is next delivered, and the error
 * output (a count and a link to it in the bucket). Built once; each second only text changes.
 */
import type { ConsoleInfo, PipelineState } from '@lakehouse/console-api';
import { h } from '../dom';
import { formatBytes, formatCount, formatDuration, formatTime } from '../format';
import { href } from '../router';

type Setter = (text: string) => void;

/** A labelled figure whose text changes in place. */
function figure(label: string, className = ''): { el: HTMLElement; set: Setter } {
  const value = h('dd', { text: '—' });
  return { el: h('div', { class: `fig ${className}`.trim() }, h('dt', { text: label }), value), set: (t) => (value.textContent = t) };
}

function step(title: string, name: HTMLElement, link: string | null, ...figs: Array<{ el: HTMLElement }>): HTMLElement {
  const heading = link ? h('a', { href: link, text: title }) : title;
  return h('li', { class: 'flow-step' }, h('h3', {}, heading), name, h('dl', { class: 'figs' }, ...figs.map((f) => f.el)));
}

export class FlowPanel {
  readonly el: HTMLElement;
  private readonly set: Record<string, Setter> = {};
  private readonly names = { stream: h('code'), delivery: h('code'), bucket: h('code'), table: h('code') };
  private readonly errorLink = h('a', { class: 'error-link' });
  private readonly errorBox: HTMLElement;
  private readonly started = h('span', { text: '—' });

  constructor() {
    const f = (key: string, label: string, cls = '') => {
      const fig = figure(label, cls);
      this.set[key] = fig.set;
      return fig;
    };
    const flow = h(
      'ol',
      { class: 'flow', 'aria-label': 'The flow, with a live count on each step' },
      step('Stream', this.names.stream, null, f('stream', 'records in')),
      step('Delivery', this.names.delivery, null, f('buffered', 'buffered'), f('delivered', 'delivered'), f('failed', 'failed', 'bad')),
      step('Bucket', this.names.bucket, href('bucket'), f('dataObjects', 'data objects'), f('errorObjects', 'error objects', 'bad')),
      step('Catalog', this.names.table, href('catalog'), f('tables', 'tables')),
    );
    this.errorBox = h(
      'section',
      { class: 'panel panel-errors', 'aria-labelledby': 'h-errors' },
      h('h2', { id: 'h-errors', text: 'Error output' }),
      h('dl', { class: 'figs' }, f('errFailed', 'records failed (conversion or partitioning)').el, f('errObjects', 'error objects').el),
      h('p', {}, this.errorLink),
    );
    const totals = h(
      'section',
      { class: 'panel', 'aria-labelledby': 'h-totals' },
      h('h2', { id: 'h-totals' }, 'Totals since start ', h('small', {}, this.started)),
      h(
        'dl',
        { class: 'figs figs-grid' },
        ...[
          f('inRecords', 'records in'),
          f('inBytes', 'bytes in'),
          f('outRecords', 'records delivered'),
          f('outBytes', 'bytes delivered'),
          f('totFailed', 'records failed', 'bad'),
          f('totData', 'data objects'),
          f('totErrors', 'error objects', 'bad'),
        ].map((x) => x.el),
      ),
    );
    const buffer = h(
      'section',
      { class: 'panel', 'aria-labelledby': 'h-buffer' },
      h('h2', { id: 'h-buffer', text: 'Buffer' }),
      h('dl', { class: 'figs' }, f('bufRecords', 'records waiting').el, f('bufBytes', 'bytes waiting').el, f('nextDue', 'next delivery').el),
    );
    this.el = h('div', { class: 'flow-panel' }, flow, h('div', { class: 'panels' }, totals, buffer, this.errorBox));
  }

  setInfo(info: ConsoleInfo): void {
    this.names.stream.textContent = info.streamName;
    this.names.delivery.textContent = info.deliveryStreamName;
    this.names.bucket.textContent = info.bucket;
    this.names.table.textContent = `${info.database}.${info.table}`;
    this.errorLink.href = href('bucket', { prefix: info.errorPrefix });
    this.errorLink.textContent = `Open ${info.errorPrefix} in the bucket`;
  }

  update(state: PipelineState): void {
    const s = this.set as Record<string, Setter>;
    const n = formatCount;
    const { totals, buffer, flow } = state;
    s['stream']?.(n(flow.stream.records));
    s['buffered']?.(n(flow.delivery.buffered));
    s['delivered']?.(n(flow.delivery.delivered));
    s['failed']?.(n(flow.delivery.failed));
    s['dataObjects']?.(n(flow.bucket.dataObjects));
    s['errorObjects']?.(n(flow.bucket.errorObjects));
    s['tables']?.(n(flow.catalog.tables));
    this.updateTotals(state);
    s['bufRecords']?.(n(buffer.records));
    s['bufBytes']?.(formatBytes(buffer.bytes));
    s['nextDue']?.(buffer.nextDeliveryAt === null ? 'nothing waiting' : `in ${formatDuration(Math.max(0, buffer.nextDeliveryAt - state.at))}`);
    s['errFailed']?.(n(totals.failedRecords));
    s['errObjects']?.(n(totals.errorObjects));
    this.errorBox.classList.toggle('has-errors', totals.errorObjects > 0 || totals.failedRecords > 0);
  }

  private updateTotals({ totals, startedAt, at }: PipelineState): void {
    const s = this.set;
    s['inRecords']?.(formatCount(totals.incomingRecords));
    s['inBytes']?.(formatBytes(totals.incomingBytes));
    s['outRecords']?.(formatCount(totals.deliveredRecords));
    s['outBytes']?.(formatBytes(totals.deliveredBytes));
    s['totFailed']?.(formatCount(totals.failedRecords));
    s['totData']?.(formatCount(totals.dataObjects));
    s['totErrors']?.(formatCount(totals.errorObjects));
    this.started.textContent = `(started ${formatTime(startedAt)}, ${formatDuration(at - startedAt)} ago)`;
  }
}
