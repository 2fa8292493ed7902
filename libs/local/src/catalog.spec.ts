import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { glueTableDefinition, pipelineSettings } from '@lakehouse/pipeline';
import { localBucketName, localLayout } from './layout';
import { readCatalog, registerTable, tableSource } from './catalog';

describe('the local catalog (Glue)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-catalog-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('holds the same table definition the AWS stack deploys, for the local bucket', async () => {
    const settings = pipelineSettings('dev');
    const layout = localLayout(dir, settings);
    await registerTable(layout, settings);
    const catalog = await readCatalog(layout.catalogFile);
    expect(catalog?.databases['lakehouse_dev']?.tables['events']).toEqual(glueTableDefinition(settings, localBucketName(settings)));
  });

  it('keeps other environments’ databases', async () => {
    for (const env of ['dev', 'prod']) await registerTable(localLayout(dir, pipelineSettings(env)), pipelineSettings(env));
    const catalog = await readCatalog(join(dir, 'catalog.json'));
    expect(Object.keys(catalog?.databases ?? {}).sort()).toEqual(['lakehouse_dev', 'lakehouse_prod']);
  });

  it('maps the table onto the local bucket folder, typed for DuckDB as Glue types it', () => {
    const settings = pipelineSettings('dev');
    const source = tableSource(glueTableDefinition(settings, localBucketName(settings)), dir);
    expect(source.folder).toBe(join(localLayout(dir, settings).bucketDir, 'events'));
    expect(source.columns.map((c) => `${c.name} ${c.duckdbType}`)).toEqual([
      'uuid VARCHAR',
      'event_date TIMESTAMP',
      'status VARCHAR',
      'name VARCHAR',
      'last_name VARCHAR',
      'email VARCHAR',
      'phone BIGINT',
    ]);
    expect(source.partitions.map((c) => `${c.name} ${c.duckdbType}`)).toEqual(['year INTEGER', 'month INTEGER', 'day INTEGER', 'hour INTEGER']);
  });

  it('says what to do with a file it did not write', async () => {
    const file = join(dir, 'catalog.json');
    await writeFile(file, '[]');
    await expect(readCatalog(file)).rejects.toThrow(`${file} is not a catalog this lakehouse wrote; delete it and start the lakehouse again to rewrite it`);
    expect(await readFile(file, 'utf8')).toBe('[]');
  });
});
