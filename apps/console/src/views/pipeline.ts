/**
 * The Pipeline view: the flow and its figures (`FlowPanel`), then one live graph per metric of `PIPELINE_METRICS`,
 * grouped by stage, over the last `historySeconds`. Samples go into a fixed-size `MetricHistory`; each second the
 * graphs are fed the same arrays refilled. A lake folder read as it is (`folder` mode) has no live metrics: the view
 * says so instead of drawing empty graphs.
 */
import type uPlot from 'uplot';
import { PIPELINE_METRICS, type ConsoleInfo, type MetricsBackfill, type MetricsSample, type PipelineMetric, type PipelineState } from '@lakehouse/console-api';
import { COLORS } from '../charts';
import { code, h, notice } from '../dom';
import { formatDuration } from '../format';
import { MetricHistory, type ConsoleMetric } from '../metric-history';
import { href } from '../router';
import { FlowPanel } from './flow';
import { MetricTile } from './metric-tile';

const STAGES: Array<{ stage: PipelineMetric['stage']; title: string }> = [
  { stage: 'stream', title: 'Kinesis data stream' },
  { stage: 'delivery', title: 'Firehose delivery stream' },
  { stage: 'buffer', title: 'Delivery buffer' },
];

const METRICS: readonly ConsoleMetric[] = PIPELINE_METRICS;

function colorOf(metric: ConsoleMetric, i: number): string {
  if (metric.id === 'failedRecords') return '#dc2626';
  return COLORS[i % COLORS.length] ?? '#2563eb';
}

export class PipelineView {
  private readonly flow = new FlowPanel();
  private readonly tiles = METRICS.map((m, i) => new MetricTile(m, colorOf(m, i)));
  private readonly live: HTMLElement;
  private readonly folderNote = h('div', { class: 'folder-note' });
  private readonly subtitle = h('p', { class: 'view-sub' });
  private readonly windowNote = h('span', { text: '15 min' });
  private history: MetricHistory | null = null;
  /** The lake's start, in unix seconds: the graphs draw nothing before it. */
  private startSecond = -Infinity;
  private data = new Map<string, uPlot.AlignedData>();
  private visible = false;

  constructor(private readonly root: HTMLElement) {
    const sections = STAGES.map(({ stage, title }) =>
      h(
        'section',
        { class: 'stage', 'aria-label': title },
        h('h2', { text: title }),
        h('div', { class: 'tiles' }, ...this.tiles.filter((t) => t.metric.stage === stage).map((t) => t.el)),
      ),
    );
    const graphsHead = h(
      'p',
      { class: 'graphs-note' },
      'Live graphs, one point a second over the last ',
      this.windowNote,
      ', under the names CloudWatch uses. Times in UTC.',
    );
    this.live = h('div', { class: 'live', hidden: true }, this.flow.el, graphsHead, ...sections);
    root.append(h('header', { class: 'view-head' }, h('h1', { id: 'h-pipeline', text: 'Pipeline' }), this.subtitle), this.folderNote, this.live);
  }

  setInfo(info: ConsoleInfo): void {
    this.subtitle.replaceChildren(
      `Environment ${info.environment} · lake folder `,
      code(info.dataDir),
      info.kinesisEndpoint ? ' · Kinesis at ' : '',
      info.kinesisEndpoint ? code(info.kinesisEndpoint) : '',
    );
    this.flow.setInfo(info);
    // As on CloudWatch: the dynamic-partitioning metrics exist only for a delivery stream that partitions by event time.
    for (const tile of this.tiles) tile.el.hidden = tile.metric.partitioning !== undefined && tile.metric.partitioning !== info.partitioning;
    this.windowNote.textContent = formatDuration(info.historySeconds * 1000);
    const folder = info.mode === 'folder';
    this.live.hidden = folder;
    this.folderNote.replaceChildren(...(folder ? [folderNotice(info)] : []));
    if (!folder && this.history?.capacity !== info.historySeconds) this.newHistory(info.historySeconds);
  }

  backfill(backfill: MetricsBackfill): void {
    if (!this.history) return;
    this.history.clear();
    for (const sample of backfill.samples) this.history.push(sample);
    this.draw();
  }

  sample(sample: MetricsSample): void {
    if (!this.history) return;
    this.history.push(sample);
    this.draw();
  }

  state(state: PipelineState): void {
    this.flow.update(state);
    const start = Math.floor(state.startedAt / 1000);
    if (start !== this.startSecond) {
      this.startSecond = start;
      this.draw();
    }
  }

  show(): void {
    this.root.hidden = false;
    this.visible = true;
    this.draw();
  }

  hide(): void {
    this.root.hidden = true;
    this.visible = false;
  }

  private newHistory(capacity: number): void {
    const sums = new Set(METRICS.filter((m) => m.stat === 'Sum').map((m) => m.id));
    this.history = new MetricHistory(
      capacity,
      METRICS.map((m) => m.id),
      sums,
    );
    const win = this.history.window();
    this.data = new Map(METRICS.map((m) => [m.id, [win.x, win.series.get(m.id) ?? []] as uPlot.AlignedData]));
  }

  private draw(): void {
    if (!this.history || this.history.window(undefined, this.startSecond).latest === null) return;
    for (const tile of this.tiles) {
      const data = this.data.get(tile.metric.id);
      if (data) tile.update(data, this.history.latestValue(tile.metric.id), this.visible);
    }
  }
}

function folderNotice(info: ConsoleInfo): HTMLElement {
  return notice(
    'info',
    'No live metrics: nothing is running.',
    h(
      'p',
      {},
      'This console reads the lake folder ',
      code(info.dataDir),
      ' as it is. The graphs, the buffer and the flow need a running lake: start one with ',
      code('lakehouse up'),
      '.',
    ),
    h(
      'p',
      {},
      'What the folder holds is here all the same: ',
      h('a', { href: href('bucket'), text: 'its objects' }),
      ' (',
      h('a', { class: 'error-link', href: href('bucket', { prefix: info.errorPrefix }), text: 'error output' }),
      '), ',
      h('a', { href: href('catalog'), text: 'the table' }),
      ' and ',
      h('a', { href: href('sql'), text: 'SQL over it' }),
      '.',
    ),
  );
}
