/**
 * uPlot charts. `LiveChart`: one pipeline metric over the history window; it is created once and fed new data every
 * second (`update`), never re-created. `ResultChart`: a query result as a line or bars, per `chartPlan`.
 * uPlot styles its elements through the CSSOM only, which the strict CSP allows.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PipelineMetric, QueryResult } from '@lakehouse/console-api';
import type { ChartPlan } from './chart-kind';
import { compactCount, formatMetric, timeTick } from './format';
import { numberValue, timeValue } from './chart-values';

export const COLORS = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#dc2626'];
const AXIS = { stroke: '#5b6673', grid: { stroke: '#e5e8ec', width: 1 }, ticks: { stroke: '#d9dee4', width: 1 } };
/** Times read in UTC, like the lake's partitions and Athena's timestamps. */
const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

/** Room for the longest label of an axis (uPlot asks again when the labels change). */
const labelRoom: uPlot.Axis.Size = (_u, values) => (values?.length ? Math.max(...values.map((v) => String(v).length)) * 7 + 18 : 40);
/** Time labels in UTC, 24-hour, as fine as the span shown needs. */
const timeAxis: uPlot.Axis = {
  ...AXIS,
  values: (u, splits) => splits.map((s) => timeTick(s, (u.scales['x']?.max ?? 0) - (u.scales['x']?.min ?? 0))),
};

function widthOf(host: HTMLElement): number {
  return Math.max(200, Math.floor(host.clientWidth));
}

/** Keeps a chart as wide as its box; a hidden box (width 0) keeps the last size. */
function followWidth(host: HTMLElement, plot: uPlot, height: number): ResizeObserver {
  const observer = new ResizeObserver(() => {
    if (host.clientWidth > 0 && Math.abs(host.clientWidth - plot.width) > 1) plot.setSize({ width: widthOf(host), height });
  });
  observer.observe(host);
  return observer;
}

export class LiveChart {
  readonly plot: uPlot;
  static readonly HEIGHT = 130;

  /** `onCursor`: the index under the pointer, or null when it leaves (the tile shows that second's value). */
  constructor(host: HTMLElement, metric: PipelineMetric, data: uPlot.AlignedData, color: string, onCursor: (index: number | null) => void) {
    const format = (v: number) => (metric.unit === 'Count' ? compactCount(v) : formatMetric(v, metric.unit));
    this.plot = new uPlot(
      {
        width: widthOf(host),
        height: LiveChart.HEIGHT,
        tzDate: utc,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { size: 6 } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max !== null && max > 0 ? max * 1.1 : 1] } },
        axes: [
          { ...timeAxis, size: 28 },
          { ...AXIS, size: labelRoom, values: (_u, splits) => splits.map(format) },
        ],
        series: [{}, { label: metric.name, stroke: color, fill: `${color}1f`, width: 1.5, points: { show: false }, spanGaps: false }],
        hooks: { setCursor: [(u) => onCursor(u.cursor.idx ?? null)] },
      },
      data,
      host,
    );
    followWidth(host, this.plot, LiveChart.HEIGHT);
  }

  /** The same arrays, refilled: uPlot redraws them. */
  update(data: uPlot.AlignedData): void {
    this.plot.setData(data);
  }
}

const RESULT_HEIGHT = 280;

/** A query result drawn per its plan; made anew for each result (a result is not a stream). */
export class ResultChart {
  private plot: uPlot | null = null;
  private observer: ResizeObserver | null = null;

  constructor(private readonly host: HTMLElement) {}

  show(plan: ChartPlan, result: QueryResult): boolean {
    this.clear();
    if (plan.kind === 'none') return false;
    const opts = plan.kind === 'line' ? lineOptions(plan, result) : barOptions(plan, result);
    const data = plan.kind === 'line' ? lineData(plan, result) : barData(plan, result);
    this.plot = new uPlot({ ...opts, width: widthOf(this.host), height: RESULT_HEIGHT }, data, this.host);
    this.observer = followWidth(this.host, this.plot, RESULT_HEIGHT);
    return true;
  }

  clear(): void {
    this.observer?.disconnect();
    this.plot?.destroy();
    this.plot = null;
    this.observer = null;
  }
}

type LinePlan = Extract<ChartPlan, { kind: 'line' }>;
type BarPlan = Extract<ChartPlan, { kind: 'bars' }>;

function lineOptions(plan: LinePlan, result: QueryResult): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    tzDate: utc,
    // One point (or one time) alone gets a minute either side rather than uPlot's guess.
    scales: { x: { time: true, range: (_u, min, max) => (min === max ? [min - 60, max + 60] : [min, max]) } },
    axes: [
      { ...timeAxis, space: 90 },
      { ...AXIS, size: labelRoom, values: (_u, splits) => splits.map(compactCount) },
    ],
    series: [
      { label: result.columns[plan.x]?.name ?? 'time' },
      ...plan.ys.map((i, n) => ({ label: result.columns[i]?.name ?? `y${n}`, stroke: COLORS[n % COLORS.length], width: 1.5, spanGaps: false })),
    ],
  };
}

/** Rows sorted by time (uPlot needs its x ascending); rows whose time doesn't parse are left out. */
function lineData(plan: LinePlan, result: QueryResult): uPlot.AlignedData {
  const points = result.rows
    .map((row) => ({ t: timeValue(row[plan.x] ?? null), row }))
    .filter((p): p is { t: number; row: Array<string | null> } => p.t !== null)
    .sort((a, b) => a.t - b.t);
  return [points.map((p) => p.t), ...plan.ys.map((i) => points.map((p) => numberValue(p.row[i] ?? null)))];
}

function barOptions(plan: BarPlan, result: QueryResult): Omit<uPlot.Options, 'width' | 'height'> {
  const labels = result.rows.map((row) => row[plan.x] ?? 'NULL');
  return {
    legend: { show: true },
    scales: {
      x: { time: false, range: () => [-0.5, labels.length - 0.5] },
      y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(0, (max ?? 1) * 1.1)] },
    },
    axes: [
      { ...AXIS, incrs: [1, 2, 5, 10, 20, 50, 100], values: (_u, splits) => splits.map((i) => labels[i] ?? '') },
      { ...AXIS, size: labelRoom, values: (_u, splits) => splits.map(compactCount) },
    ],
    series: [
      { label: result.columns[plan.x]?.name ?? 'category', value: (_u, i) => (i === null ? '' : (labels[i] ?? '')) },
      {
        label: result.columns[plan.y]?.name ?? 'value',
        stroke: COLORS[0],
        fill: `${COLORS[0]}aa`,
        paths: uPlot.paths.bars?.({ size: [0.7, 64] }),
        points: { show: false },
      },
    ],
  };
}

function barData(plan: BarPlan, result: QueryResult): uPlot.AlignedData {
  return [result.rows.map((_, i) => i), result.rows.map((row) => numberValue(row[plan.y] ?? null))];
}
