import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { CONVERSION_ERROR_CODES, parseErrorObjectBody, type ConversionErrorRecord } from '@lakehouse/firehose';
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
  // name, bytes, expected error code, what the message must say
  const bad: Array<[string, Uint8Array, string, RegExp]> = [
    ['not JSON', encode('uuid=1;phone=2'), CONVERSION_ERROR_CODES.parseError, /^Encountered malformed JSON\./],
    ['a string phone', encode({ ...template, phone: '910322509' }), CONVERSION_ERROR_CODES.malformedData, /phone: expected a JSON number/],
    [
      'an event_date in local time with no zone',
      encode({ ...template, event_date: '2022-02-02T15:17:07.618098' }),
      CONVERSION_ERROR_CODES.malformedData,
      /event_date: .* is a local time with no zone/,
    ],
    ['a missing column', encode(withoutEmail), CONVERSION_ERROR_CODES.malformedData, /email: the field is missing/],
  ];
  let dir: string;
  let cli: CliProcess;
  let exit: { code: number | null };
  let errorRecords: ConversionErrorRecord[];
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
    errorRecords = (await Promise.all(errorFiles.map(async (f) => parseErrorObjectBody(await readFile(f, 'utf8'))))).flat();
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

  it('puts failed records under the error prefix, typed format-conversion-failed, named as Firehose names objects', () => {
    expect(errorKeys.length).toBeGreaterThan(0);
    for (const key of errorKeys) {
      expect(key).toMatch(
        /^errors\/format-conversion-failed\/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\/lakehouse-dev-events-to-s3-1-\d{4}(-\d{2}){5}-[0-9a-f-]{36}$/,
      );
    }
  });

  it.each(bad.map(([name], i) => [name, i] as const))('keeps %s, byte for byte, with its error code and reason', (_name, i) => {
    const [, data, code, reason] = bad[i] ?? [];
    const base64 = Buffer.from(data ?? new Uint8Array()).toString('base64');
    const found = errorRecords.filter((r) => r.rawData === base64);
    expect(found).toHaveLength(1);
    expect(found[0]?.lastErrorCode).toBe(code);
    expect(found[0]?.lastErrorMessage).toMatch(reason ?? /./);
    expect(found[0]).toMatchObject({ attemptsMade: 1, dataCatalogTable: { databaseName: 'lakehouse_dev', tableName: 'events' } });
    expect(found[0]?.sequenceNumber).toMatch(/^\d+$/);
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
    expect(cli.stderr()).toMatch(new RegExp(`${bad.length} records failed conversion \\(drain\\) -> errors/format-conversion-failed/`));
    expect(cli.stderr()).toMatch(new RegExp(`delivered ${GOOD} records \\(drain\\) -> events/year=`));
    expect(cli.stderr()).toContain(`${GOOD} records delivered in 1 Parquet object; ${bad.length} failed conversion (under errors/)`);
  });
});
