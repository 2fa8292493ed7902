import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXIT } from '@lakehouse/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from './report/summary';
import { createRecordGenerator } from './source/generate';
import { LAKEHOUSE } from './testing/commands';

// The main job with --aggregate, end to end and black-box: the producer packs the records into KPL aggregates, the
// embedded lakehouse de-aggregates them as Firehose does, and lake:query finds every record exactly once. No fakes.
const [NODE = process.execPath, ...COMMAND] = LAKEHOUSE;
const PRODUCER = [...COMMAND, 'send'];
const LAKE = COMMAND;
const N = 3_000;
const SEED = 43;

let dir: string;
let send: { code: number | null; stdout: string; stderr: string };

async function query<T>(sql: string): Promise<T[]> {
  const { stdout } = await promisify(execFile)(NODE, [...LAKE, 'query', '--data-dir', dir, '--json', sql]);
  return JSON.parse(stdout) as T[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aggregate-job-'));
  send = await new Promise((resolve, reject) => {
    const child = spawn(NODE, [...PRODUCER, '--data-dir', dir, '--amount', String(N), '--seed', String(SEED), '--aggregate', '--json'], {
      env: { ...process.env, CI: 'true' },
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject).on('close', (code) => resolve({ code, stdout, stderr }));
  });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the main job with --aggregate: KPL aggregates into the embedded local lakehouse', () => {
  it('sends every record in far fewer Kinesis records, and the lakehouse delivers every one of them', () => {
    expect(send.code).toBe(EXIT.ok);
    const summary = JSON.parse(send.stdout) as Summary;
    expect(summary).toMatchObject({ requested: N, sent: N, deadLettered: 0, throttled: 0 });
    expect(summary.kinesisRecords).toBeLessThan(N / 20);
    expect(summary.lake).toMatchObject({ kind: 'embedded', report: { recordsDelivered: N, recordsFailed: 0 } });
  });

  it('leaves every record queryable exactly once', async () => {
    const rows = await query<{ uuid: string }>('SELECT uuid FROM events');
    const generate = createRecordGenerator({ seed: SEED });
    const sent = Array.from({ length: N }, () => generate().uuid);
    expect(rows.map((r) => r.uuid).sort()).toEqual(sent.sort());
  }, 60_000);
});
