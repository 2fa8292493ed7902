import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine } from '@lakehouse/local';
import { EXIT } from '@lakehouse/runtime';
import type { Summary } from '../report/summary';
import { LAKEHOUSE } from '../testing/commands';

/** `lakehouse send …` as a process: its stdout as lines as they come, its exit. */
function send(args: string[]) {
  const [node = process.execPath, ...bin] = LAKEHOUSE;
  const child = spawn(node, [...bin, 'send', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('kill -9 of a send while its embedded lake holds records: nothing Kinesis acknowledged is lost', () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the next send on the folder delivers every record the killed one had acknowledged, exactly once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kill-send-'));
    // --echo prints each record once Kinesis has acknowledged it: those are the records that must not be lost.
    const first = send(['--rate', '400', '--duration', '60s', '--echo', '--data-dir', dir]);
    for (const deadline = Date.now() + 60_000; first.stdout().split('\n').length < 300 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const acknowledged = first
      .stdout()
      .split('\n')
      .slice(0, -1) // a line cut by the kill is not a whole record
      .map((line) => (JSON.parse(line) as { uuid: string }).uuid);
    expect(acknowledged.length).toBeGreaterThanOrEqual(299);

    // The killed send's lake left its lock and its stream on disk: the next start takes the one, delivers the other.
    const second = send(['--amount', '5', '--json', '--data-dir', dir]);
    expect((await second.exited).code, second.stderr()).toBe(EXIT.ok);
    const summary = JSON.parse(second.stdout()) as Summary;
    expect(summary.lake?.kind).toBe('embedded');
    const lake = await openQueryEngine(dir, localLayout(dir, pipelineSettings('dev')).catalogFile);
    try {
      const rows = (await lake.query('SELECT uuid, count(*) FROM events GROUP BY uuid')).rows.map(([uuid, n]) => [uuid ?? '', Number(n)] as const);
      const counts = new Map(rows);
      expect(acknowledged.filter((uuid) => counts.get(uuid) !== 1)).toEqual([]);
      expect(rows.filter(([, n]) => n > 1)).toEqual([]);
      // What was delivered: the 5 records of the second send, the first's acknowledged ones, and any of its last
      // request the kill cut before its answer (stored or not: the producer never counted them as sent).
      expect(summary.lake?.kind === 'embedded' && summary.lake.report.recordsDelivered).toBe(rows.length);
      expect(rows.length).toBeGreaterThanOrEqual(acknowledged.length + 5);
      expect(summary.lake?.kind === 'embedded' && summary.lake.leftover).toBe(rows.length - 5);
    } finally {
      lake.close();
    }
  }, 120_000);
});
