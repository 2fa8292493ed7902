import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { CONVERSION_ERROR_CODES, PARTITIONING_ERROR_CODES, parseErrorObjectBody, type ErrorRecord } from '@lakehouse/firehose';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine } from '@lakehouse/local';
import type { RunningLake } from '@lakehouse/local';
import type { EventRecord } from '@lakehouse/schema';
import { startCli, waitFor, waitForJsonFile, type CliProcess } from './testing/processes';
import { encode, eventRecords, putAll } from '@lakehouse/local/testing';

const settings = pipelineSettings('dev');
const GOOD = 20;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('bad records sent by another producer through the raw Kinesis API', () => {
  const template = eventRecords(1)[0] as EventRecord;
  const { email: _email, ...withoutEmail } = template;
  // dev partitions by event time: a record the partition key query can't read fails partitioning before conversion.
  expect(settings.partitioning).toBe('event-time');
  const { metadataExtractionFailed } = PARTITIONING_ERROR_CODES;
  // name, bytes, expected error output type, error code, what the message must say
  const bad: Array<[string, Uint8Array, string, string, RegExp]> = [
    ['not JSON', encode('uuid=1;phone=2'), 'partitioning-failed', metadataExtractionFailed, /^The JQ query failed: .*while parsing/],
    [
      'a string phone',
      encode({ ...template, phone: '910322509' }),
      'format-conversion-failed',
      CONVERSION_ERROR_CODES.malformedData,
      /phone: expected a JSON number/,
    ],
    [
      'an event_date in local time with no zone',
      encode({ ...template, event_date: '2022-02-02T15:17:07.618098' }),
      'partitioning-failed',
      metadataExtractionFailed,
      /event_date: expected an ISO 8601 UTC timestamp/,
    ],
    ['a missing column', encode(withoutEmail), 'format-conversion-failed', CONVERSION_ERROR_CODES.malformedData, /email: the field is missing/],
  ];
  /** Conversion failures say lastErrorCode; partitioning failures errorCode (Firehose's processing-failure shape). */
  const codeOf = (r: ErrorRecord) => ('lastErrorCode' in r ? [r.lastErrorCode, r.lastErrorMessage] : [r.errorCode, r.errorMessage]);
  let dir: string;
  let cli: CliProcess;
  let exit: { code: number | null };
  let errorRecords: Array<ErrorRecord & { type: string }>;
  let errorKeys: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-bad-'));
    cli = startCli(['up', '--data-dir', dir, '--port', '0', '--no-console', '--env', 'dev']);
    const running = await waitForJsonFile<RunningLake>(localLayout(dir, settings).runningFile);
    await putAll(kinesisClient({ endpoint: running.endpoint }), running.streamName, [...eventRecords(GOOD).map(encode), ...bad.map(([, data]) => data)]);
    // Ctrl-C through Nx: the terminal's SIGINT, then Nx's SIGTERM to every task (signals.spec.ts has either order).
    cli.child.kill('SIGINT');
    await waitFor('the drain to start', () => (cli.stderr().includes('SIGINT: reading') ? true : undefined));
    cli.child.kill('SIGTERM');
    exit = await cli.exited;
    const bucketDir = localLayout(dir, settings).bucketDir;
    const errorFiles = (await filesUnder(join(bucketDir, 'errors'))).sort();
    errorKeys = errorFiles.map((f) => relative(bucketDir, f));
    errorRecords = (
      await Promise.all(
        errorFiles.map(async (f) =>
          parseErrorObjectBody<ErrorRecord>(await readFile(f, 'utf8')).map((r) => ({ ...r, type: relative(bucketDir, f).split('/')[1] ?? '' })),
        ),
      )
    ).flat();
  }, 120_000);

  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('stops cleanly on Ctrl-C, even with a SIGTERM after it, delivering what was buffered, and unregisters', () => {
    expect(exit.code).toBe(0);
    expect(cli.stderr()).toContain('SIGINT: reading the stream to its end and delivering the buffer');
    expect(cli.stderr()).not.toContain('again');
    expect(existsSync(localLayout(dir, settings).runningFile)).toBe(false);
  });

  it('puts failed records under the error prefix, typed by why they failed, named as Firehose names objects', () => {
    expect(errorKeys.map((k) => k.split('/')[1]).sort()).toEqual(['format-conversion-failed', 'partitioning-failed']);
    for (const key of errorKeys) {
      expect(key).toMatch(
        /^errors\/(format-conversion|partitioning)-failed\/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\/lakehouse-dev-events-to-s3-1-\d{4}(-\d{2}){5}-[0-9a-f-]{36}$/,
      );
    }
  });

  it.each(bad.map(([name], i) => [name, i] as const))('keeps %s, byte for byte, with its error code and reason', (_name, i) => {
    const [, data, type, code, reason] = bad[i] ?? [];
    const base64 = Buffer.from(data ?? new Uint8Array()).toString('base64');
    const found = errorRecords.filter((r) => r.rawData === base64);
    expect(found).toHaveLength(1);
    const [record] = found;
    if (!record) return;
    expect(record.type).toBe(type);
    const [errorCode, errorMessage] = codeOf(record);
    expect(errorCode).toBe(code);
    expect(errorMessage).toMatch(reason ?? /./);
    expect(record).toMatchObject({ attemptsMade: 1 });
    if (type === 'format-conversion-failed') expect(record).toMatchObject({ dataCatalogTable: { databaseName: 'lakehouse_dev', tableName: 'events' } });
    expect(record.sequenceNumber).toMatch(/^\d+$/);
  });

  it('loses none and invents none: every bad record once, every good one queryable', async () => {
    expect(errorRecords).toHaveLength(bad.length);
    const lake = await openQueryEngine(dir, localLayout(dir, settings).catalogFile);
    try {
      expect((await lake.query('SELECT count(*), count(DISTINCT uuid) FROM events')).rows).toEqual([[String(GOOD), String(GOOD)]]);
    } finally {
      lake.close();
    }
  });

  it('counts the failures in its output, as each delivery happens and in the final totals', () => {
    expect(cli.stderr()).toMatch(/2 records failed conversion \(drain\) -> errors\/format-conversion-failed\//);
    expect(cli.stderr()).toMatch(/2 records failed partitioning \(no event-time keys\) \(drain\) -> errors\/partitioning-failed\//);
    expect(cli.stderr()).toMatch(new RegExp(`delivered ${GOOD} records \\(drain\\) -> events/year=`));
    expect(cli.stderr()).toContain(`${GOOD} records delivered in 1 Parquet object; ${bad.length} failed (under errors/)`);
  });
});
