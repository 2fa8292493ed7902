/**
 * The lake console: four views (Pipeline, Bucket, Catalog, SQL) in one page, addressed by the hash, fed by the lake's
 * JSON API and its event stream. Keys 1–4 switch views when no field has the focus.
 */
import './style.css';
import type { ConsoleInfo, MetricsBackfill, MetricsSample, PipelineState } from '@lakehouse/console-api';
import { LakeConnection } from './connection';
import { byId } from './dom';
import { VIEWS, href, parseRoute, type ViewName } from './router';
import { BucketView } from './views/bucket';
import { CatalogPage } from './views/catalog';
import { PipelineView } from './views/pipeline';
import { SqlView } from './views/sql';
import { StatusBar } from './views/status';

const views = {
  pipeline: new PipelineView(byId('view-pipeline')),
  bucket: new BucketView(byId('view-bucket')),
  catalog: new CatalogPage(byId('view-catalog')),
  sql: new SqlView(byId('view-sql')),
};
let current: ViewName | null = null;
let info: ConsoleInfo | null = null;

function route(): void {
  if (!info) return; // the first info shows the view
  const { view, params } = parseRoute(location.hash);
  for (const name of VIEWS) if (name !== view) views[name].hide();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.views a')) {
    if (link.dataset['view'] === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  views[view].show(params);
  if (current !== view) document.title = `${view[0]?.toUpperCase()}${view.slice(1)} · ${info.environment} · lake console`;
  current = view;
}

function applyInfo(next: ConsoleInfo): void {
  const first = info === null;
  info = next;
  byId('lake-name').textContent = `${next.environment} · ${next.database}.${next.table}`;
  views.pipeline.setInfo(next);
  views.bucket.setInfo(next);
  views.sql.setInfo(next);
  if (first) {
    byId('boot').hidden = true;
    route();
  }
}

function onEvent(type: string, data: unknown): void {
  if (type === 'backfill') views.pipeline.backfill(data as MetricsBackfill);
  else if (type === 'metrics') views.pipeline.sample(data as MetricsSample);
  else if (type === 'state') views.pipeline.state(data as PipelineState);
}

function onKey(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const target = event.target as HTMLElement | null;
  if (target?.closest('input, select, textarea, [contenteditable="true"], .cm-editor')) return;
  const view = VIEWS[Number(event.key) - 1];
  if (view && /^[1-4]$/.test(event.key)) {
    event.preventDefault();
    location.hash = href(view);
  }
}

const status = new StatusBar(byId('link-status'), byId('banner'), () => connection.retryNow());
const connection = new LakeConnection({
  onInfo: applyInfo,
  onEvent,
  onState: (state, mode) => status.update(state, mode),
  onReconnect: () => {
    views.bucket.refresh();
    views.catalog.refresh();
    views.sql.refresh();
  },
});
window.addEventListener('hashchange', route);
document.addEventListener('keydown', onKey);
connection.start();
