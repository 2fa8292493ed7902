/** One metric's tile: its AWS name, what it means, the value now (or under the pointer), and its live graph. */
import type uPlot from 'uplot';
import { LiveChart } from '../charts';
import { h } from '../dom';
import { formatMetric, formatTime } from '../format';
import type { ConsoleMetric } from '../metric-history';

export class MetricTile {
  readonly el: HTMLElement;
  private readonly value: HTMLElement;
  private readonly when: HTMLElement;
  private readonly chartHost: HTMLElement;
  private chart: LiveChart | null = null;
  private hovered: number | null = null;
  private data: uPlot.AlignedData | null = null;
  private latest: number | null = null;

  constructor(
    readonly metric: ConsoleMetric,
    private readonly color: string,
  ) {
    this.value = h('span', { class: 'tile-value', text: '—' });
    this.when = h('span', { class: 'tile-when', text: 'now' });
    this.chartHost = h('div', { class: 'tile-chart' });
    const where = metric.namespace === 'local' ? 'local only' : `${metric.namespace} · ${metric.stat}`;
    this.el = h(
      'article',
      { class: 'tile', 'aria-label': `${metric.name}: ${metric.title}` },
      h('header', { class: 'tile-head' }, h('code', { class: 'tile-name', text: metric.name }), h('span', { class: 'tile-ns', text: where })),
      h('p', {
        class: 'tile-title',
        text: metric.title,
        title: metric.namespace === 'local' ? 'Firehose publishes no metric of its buffer: this one exists only locally.' : undefined,
      }),
      h('p', { class: 'tile-now' }, this.value, ' ', this.when),
      this.chartHost,
    );
  }

  /** New data (the same arrays, refilled) and the newest value; draws only while visible. */
  update(data: uPlot.AlignedData, latest: number | null, visible: boolean): void {
    this.data = data;
    this.latest = latest;
    if (visible) {
      if (this.chart) this.chart.update(data);
      else this.chart = new LiveChart(this.chartHost, this.metric, data, this.color, (i) => this.hover(i));
    }
    this.hover(this.hovered);
  }

  private hover(index: number | null): void {
    this.hovered = index;
    const x = index === null ? undefined : this.data?.[0][index];
    if (index === null || x === undefined) return this.show(this.latest, 'now');
    const v = this.data?.[1]?.[index];
    this.show(v ?? null, formatTime(x * 1000).slice(11));
  }

  private show(value: number | null, when: string): void {
    this.value.textContent = value === null ? 'no data' : formatMetric(value, this.metric.unit) + (this.metric.stat === 'Sum' ? '/s' : '');
    this.when.textContent = when;
  }
}
