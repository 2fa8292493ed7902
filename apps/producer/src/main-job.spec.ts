import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXIT } from '@lakehouse/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordGenerator } from './source/generate';
import { LAKEHOUSE } from './testing/commands';

// The README's main job, end to end and black-box: `producer:send` with no target starts the real embedded
// lakehouse (apps/lake, as a child process), and `lake:query` then finds every record. No fakes.
const [NODE = process.execPath, ...COMMAND] = LAKEHOUSE;
const PRODUCER = [...COMMAND, 'send'];
const LAKE = COMMAND;
const N = 2_000;
const SEED = 42;

let dir: string;
let send: { code: number | null; stderr: string };

async function query<T>(sql: string): Promise<T[]> {
  const { stdout } = await promisify(execFile)(NODE, [...LAKE, 'query', '--data-dir', dir, '--json', sql]);
  return JSON.parse(stdout) as T[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'main-job-'));
  send = await new Promise((resolve, reject) => {
    const child = spawn(NODE, [...PRODUCER, '--data-dir', dir, '--amount', String(N), '--seed', String(SEED)], {
      env: { ...process.env, CI: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject).on('close', (code) => resolve({ code, stderr }));
  });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the main job: nx run producer:send on the embedded local lakehouse', () => {
  it('sends every record, has them delivered to Parquet, and says where they are and how to query them', () => {
    expect(send.code).toBe(EXIT.ok);
    expect(send.stderr).toContain('No lake:up running: starting the embedded local lakehouse');
    expect(send.stderr).toMatch(new RegExp(`The embedded lakehouse delivered ${N.toLocaleString('en-US')} records in \\d+ Parquet objects? under `));
    expect(send.stderr).toMatch(/events\/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\/lakehouse-dev-events-to-s3-1-.+\.parquet/);
    expect(send.stderr).toContain(`Query them: npx nx run lake:query --data-dir ${dir} "SELECT status, count(*) FROM events GROUP BY status"`);
  });

  it('leaves exactly the records sent queryable with SQL, typed as in Glue (Athena’s type names)', async () => {
    const rows = await query<{ uuid: string; t: string; p: string }>('SELECT uuid, typeof(event_date) AS t, typeof(phone) AS p FROM events');
    const generate = createRecordGenerator({ seed: SEED });
    const sent = Array.from({ length: N }, () => generate().uuid);
    expect(rows.map((r) => r.uuid).sort()).toEqual(sent.sort());
    expect(new Set(rows.map((r) => `${r.t} ${r.p}`))).toEqual(new Set(['timestamp(3) bigint']));
  }, 60_000);
});
