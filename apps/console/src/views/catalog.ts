/**
 * The Catalog view: the Glue table as the stack deploys it (the local catalog stores the same definition), with where
 * its columns come from: the zod schema in libs/schema.
 */
import type { CatalogView } from '@lakehouse/console-api';
import { ApiFailure, lakeApi } from '../api';
import { code, h, notice, simpleTable, summaryList } from '../dom';
import { failureNotice } from './bucket';

/** Partition projection and the location template: what lets Athena find the hour folders without crawling. */
export function splitParameters(parameters: Record<string, string>): { projection: Array<[string, string]>; other: Array<[string, string]> } {
  const entries = Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b));
  const isProjection = (k: string) => k.startsWith('projection.') || k === 'storage.location.template';
  return { projection: entries.filter(([k]) => isProjection(k)), other: entries.filter(([k]) => !isProjection(k)) };
}

const columnTable = (columns: CatalogView['columns']) =>
  simpleTable(
    ['#', 'Column', 'Type', 'Comment'],
    columns.map((c, i) => [String(i + 1), code(c.name), code(c.type), c.comment ?? '']),
    'grid columns',
  );

const pairs = (entries: Array<[string, string]>) =>
  simpleTable(
    ['Key', 'Value'],
    entries.map(([k, v]) => [code(k), code(v)]),
    'grid params',
  );

/** What the hour folders mean under the partitioning in force: one line, said plainly. */
export function partitioningSummary(p: CatalogView['partitioning']): string {
  return p.mode === 'event-time'
    ? 'Event time: each row lies in the folder of its own event_date hour (Firehose dynamic partitioning: a JQ 1.6 query reads the keys from each record). WHERE year = … AND month = … AND day = … means the events of that day.'
    : 'Arrival time: each object lies in the folder of the hour its oldest record arrived in Kinesis (!{timestamp:…}). A late event lands in the hour it arrived.';
}

export function renderCatalog(c: CatalogView): HTMLElement {
  const { projection, other } = splitParameters(c.parameters);
  return h(
    'div',
    { class: 'catalog' },
    h(
      'p',
      { class: 'derived' },
      h('strong', { text: 'From libs/schema. ' }),
      'The columns, their types and comments are not written by hand: they are derived from ',
      code(c.derivedFrom),
      '.',
    ),
    summaryList([
      ['Table', code(`${c.databaseName}.${c.tableName}`)],
      ['Location', code(c.location)],
      ['Partitioning', h('span', {}, h('strong', { text: `${c.partitioning.mode}. ` }), partitioningSummary(c.partitioning))],
      ['Firehose prefix', code(c.partitioning.prefix)],
      ...(c.partitioning.query ? [['Partition key query (JQ 1.6)', code(c.partitioning.query)] as [string, ReturnType<typeof code>]] : []),
    ]),
    h('h2', { text: `Columns (${c.columns.length})` }),
    columnTable(c.columns),
    h('h2', { text: `Partition keys (${c.partitionKeys.length})` }),
    columnTable(c.partitionKeys),
    h('h2', { text: 'Storage' }),
    summaryList(
      [
        ['Input format', code(c.inputFormat)],
        ['Output format', code(c.outputFormat)],
        ['SerDe (serialization library)', code(c.serializationLibrary)],
      ],
      'summary storage',
    ),
    h('h2', { text: 'Partition projection' }),
    projection.length ? pairs(projection) : notice('info', 'No partition projection on this table.'),
    h('h2', { text: 'Other table parameters' }),
    pairs(other),
  );
}

export class CatalogPage {
  private readonly body = h('div');
  private loaded = false;

  constructor(private readonly root: HTMLElement) {
    root.append(
      h(
        'header',
        { class: 'view-head' },
        h('h1', { id: 'h-catalog', text: 'Catalog' }),
        h('p', { class: 'view-sub', text: 'The Glue table as the stack deploys it.' }),
      ),
      this.body,
    );
  }

  show(): void {
    this.root.hidden = false;
    if (!this.loaded) void this.load();
  }

  hide(): void {
    this.root.hidden = true;
  }

  refresh(): void {
    this.loaded = false;
    if (!this.root.hidden) void this.load();
  }

  private async load(): Promise<void> {
    this.body.replaceChildren(notice('loading', 'Reading the catalog…'));
    try {
      this.body.replaceChildren(renderCatalog(await lakeApi.catalog()));
      this.loaded = true;
    } catch (err) {
      // No table registered yet (a lake folder never started): an empty state, in the lake's words.
      const empty = err instanceof ApiFailure && err.status === 404;
      this.body.replaceChildren(empty ? notice('empty', 'No table in the catalog yet.', err.message) : failureNotice(err, 'the catalog'));
    }
  }
}
