import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine, readRunningLake } from '@lakehouse/local';
import { EXIT } from '@lakehouse/runtime';
import { LAKEHOUSE } from '../testing/commands';

const layoutOf = (dir: string) => localLayout(dir, pipelineSettings('dev'));

/** The `lakehouse` command as a process, its output collected. */
function run(args: string[]) {
  const [node = process.execPath, ...bin] = LAKEHOUSE;
  const child = spawn(node, [...bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const value = await check();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a lake:up killed with -9 while a send runs: the send says how many of its records were lost, and why', () => {
  let dir: string;
  let send: ReturnType<typeof run>;
  let code: number | null;
  let lakePid: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lost-records-'));
    const lake = run(['up', '--port', '0', '--no-console', '--buffer-interval', '1', '--data-dir', dir]);
    lakePid = (await until('the lake:up', () => readRunningLake(layoutOf(dir).runningFile))).pid;
    // Long enough to be still sending when the lake is killed, however late the first delivery comes (a loaded machine).
    send = run(['send', '--rate', '200', '--duration', '12s', '--retry-time', '1s', '--json', '--data-dir', dir]);
    // Killed once it has delivered some of them and holds others, not yet delivered, in its memory.
    await until('a first delivery', async () => {
      const files = await readdir(layoutOf(dir).bucketDir, { recursive: true }).catch(() => []);
      return files.some((f) => String(f).endsWith('.parquet')) ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 700));
    lake.child.kill('SIGKILL');
    code = await send.exited;
  }, 120_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 8 with one line naming the lake, the count of records lost and what to do', async () => {
    const errors = send
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('error: '));
    expect(code, send.stderr()).toBe(EXIT.lakehouse);
    expect(errors).toHaveLength(1);
    // The summary does not also say they are kept somewhere: the error says where they are (nowhere).
    expect(send.stderr()).not.toContain('The lake:up that took them');
    const [, pid, lost] =
      /^error: the lake:up that took them \(pid (\d+)\) died before delivering ([\d,]+) of the records this send had put, and its stream was in memory: they are lost; start lake:up with --persist to keep its stream across a crash$/.exec(
        errors[0] ?? '',
      ) ?? [];
    expect(Number(pid)).toBe(lakePid);
    // The count is exact: the records the lake acknowledged less those in the lake.
    const { sent } = JSON.parse(send.stdout()) as { sent: number };
    const lake = await openQueryEngine(dir, layoutOf(dir).catalogFile);
    try {
      const [[inLake]] = (await lake.query('SELECT count(*) FROM events')).rows as [[string]];
      expect(Number(lost?.replaceAll(',', ''))).toBe(sent - Number(inLake));
      expect(Number(inLake)).toBeGreaterThan(0);
      expect(sent - Number(inLake)).toBeGreaterThan(0);
    } finally {
      lake.close();
    }
  });
});
