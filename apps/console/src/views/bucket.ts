/**
 * The Bucket view: the lake folder as the S3 console shows a bucket. One level at a time (folders down to the hour,
 * then objects with size, rows and time); an object opens in place (`ObjectPanel`). Addressed by the hash:
 * `#/bucket?prefix=events/year=2026/` or `#/bucket?key=…`.
 */
import type { BucketListing, BucketObject, ConsoleInfo } from '@lakehouse/console-api';
import { ApiFailure, lakeApi } from '../api';
import { code, h, notice } from '../dom';
import { formatBytes, formatCount, formatTime } from '../format';
import { href } from '../router';
import { ObjectPanel } from './object';

/** `a/b/c/` → the crumbs `a/`, `a/b/`, `a/b/c/`, each with its last part. */
export function crumbsOf(path: string): Array<{ prefix: string; label: string }> {
  const parts = path.split('/').filter(Boolean);
  return parts.map((label, i) => ({ prefix: `${parts.slice(0, i + 1).join('/')}/`, label }));
}

export function failureNotice(err: unknown, what: string): HTMLElement {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ApiFailure && err.network) return notice('error', `Can't load ${what}: the lake does not answer.`, 'The page reconnects when it is back.');
  return notice('error', `Can't load ${what}.`, message);
}

export class BucketView {
  private readonly crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Prefix' });
  private readonly body = h('div', { class: 'bucket-body' });
  private readonly objectPanel = new ObjectPanel();
  private bucket = 'bucket';
  private current: { prefix: string; key: string | null } = { prefix: '', key: null };
  private loads = 0;

  constructor(private readonly root: HTMLElement) {
    root.append(
      h(
        'header',
        { class: 'view-head' },
        h('h1', { id: 'h-bucket', text: 'Bucket' }),
        h('p', { class: 'view-sub', text: 'The lake folder as S3 would list it: prefixes down to the hour, then the objects.' }),
      ),
      this.crumbs,
      this.body,
    );
  }

  setInfo(info: ConsoleInfo): void {
    this.bucket = info.bucket;
  }

  show(params: URLSearchParams): void {
    this.root.hidden = false;
    const key = params.get('key');
    const prefix = key ? key.slice(0, key.lastIndexOf('/') + 1) : (params.get('prefix') ?? '');
    this.current = { prefix, key };
    void this.load();
  }

  hide(): void {
    this.root.hidden = true;
  }

  /** Loads what the hash names again (after a reconnect). */
  refresh(): void {
    if (!this.root.hidden) void this.load();
  }

  private async load(): Promise<void> {
    const load = ++this.loads;
    const { prefix, key } = this.current;
    this.renderCrumbs(key ?? prefix, key !== null);
    this.body.replaceChildren(notice('loading', key ? 'Opening the object…' : 'Listing…'));
    try {
      const content = key ? await this.objectPanel.render(key) : listing(await lakeApi.bucket(prefix), this.bucket);
      if (load === this.loads) this.body.replaceChildren(content);
    } catch (err) {
      if (load === this.loads) this.body.replaceChildren(failureNotice(err, key ? 'the object' : 'the listing'));
    }
  }

  private renderCrumbs(path: string, isObject: boolean): void {
    const crumbs = crumbsOf(path);
    const items = [h('li', {}, h('a', { href: href('bucket', { prefix: '' }), text: this.bucket }))];
    crumbs.forEach((c, i) => {
      const last = i === crumbs.length - 1;
      const link = last && isObject ? h('span', { text: c.label }) : h('a', { href: href('bucket', { prefix: c.prefix }), text: c.label });
      if (last) link.setAttribute('aria-current', 'page');
      items.push(h('li', {}, link));
    });
    this.crumbs.replaceChildren(h('ol', {}, ...items));
  }
}

function listing(list: BucketListing, bucket: string): HTMLElement {
  if (list.folders.length === 0 && list.objects.length === 0) {
    return list.prefix === ''
      ? notice(
          'empty',
          'The lake is empty.',
          'No record has been delivered yet. Send some (',
          code('lakehouse send'),
          ') and they appear here once the buffer is delivered.',
        )
      : notice('empty', 'Nothing under this prefix.', 'It holds no objects (yet).');
  }
  const objects = [...list.objects].sort((a, b) => a.key.localeCompare(b.key));
  const rows = [...list.folders.map((f) => folderRow(f, list.prefix)), ...objects.map((o) => objectRow(o, list.prefix))];
  const counts = `${list.folders.length} folder${list.folders.length === 1 ? '' : 's'}, ${objects.length} object${objects.length === 1 ? '' : 's'}`;
  return h(
    'div',
    {},
    h('p', { class: 'list-meta' }, code(`s3://${bucket}/${list.prefix}`), ` · ${counts}`),
    h(
      'table',
      { class: 'grid listing' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Name', 'Type', 'Rows', 'Size', 'Last modified'].map((t, i) => h('th', { scope: 'col', class: i >= 2 && i <= 3 ? 'num' : undefined, text: t })),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

function folderRow(folder: string, prefix: string): HTMLElement {
  const name = folder.startsWith(prefix) ? folder.slice(prefix.length) : folder;
  return h(
    'tr',
    {},
    h('td', {}, h('a', { class: 'folder', href: href('bucket', { prefix: folder }), text: name })),
    h('td', { text: 'Folder' }),
    h('td', { class: 'num', text: '—' }),
    h('td', { class: 'num', text: '—' }),
    h('td', { text: '—' }),
  );
}

function objectRow(o: BucketObject, prefix: string): HTMLElement {
  const name = o.key.startsWith(prefix) ? o.key.slice(prefix.length) : o.key;
  const kind = o.kind === 'error' ? h('span', { class: 'badge badge-error', text: 'Error output' }) : h('span', { class: 'badge', text: 'Parquet' });
  // An object that can't be read is still listed, with why (a corrupt file, a link the console doesn't follow).
  const problem =
    o.problem === undefined ? [] : [h('span', { class: 'badge badge-error', text: 'Unreadable' }), h('div', { class: 'object-problem', text: o.problem })];
  return h(
    'tr',
    { class: o.kind === 'error' || o.problem !== undefined ? 'row-error' : undefined },
    h('td', {}, h('a', { class: 'object', href: href('bucket', { key: o.key }), text: name }), ...problem.slice(1)),
    h('td', {}, kind, ...problem.slice(0, 1)),
    h('td', { class: 'num', text: o.problem === undefined ? formatCount(o.rows) : '—' }),
    h('td', { class: 'num', text: formatBytes(o.bytes) }),
    h('td', { text: formatTime(o.modified) }),
  );
}
