/**
 * What the producer's README promises and no other spec pins: each as the command does it, in its own process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '@lakehouse/aws';
import { EXIT } from '@lakehouse/runtime';
import { startKinesalite } from '@lakehouse/local/kinesalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from './report/summary';
import { LAKEHOUSE } from './testing/commands';

const [NODE = process.execPath, ...COMMAND] = LAKEHOUSE;
const CLI = [...COMMAND, 'send'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'producer-readme-'));
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command in its own process; `whenStdout` runs once stdout first matches (to interrupt it mid-run). */
function send(args: string[], options: { whenStdout?: [RegExp, (child: ReturnType<typeof spawn>) => void] } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [...CLI, '--data-dir', join(dir, 'lake'), ...args], { cwd: dir, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    let fired = false;
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const [pattern, act] = options.whenStdout ?? [];
      if (!fired && pattern?.test(stdout)) {
        fired = true;
        act?.(child);
      }
    });
    child.on('error', reject).on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the stream must take writes before anything is sent', () => {
  const closing: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closing) await close();
  });

  it('a stream still CREATING: exit 5, one line saying to wait', async () => {
    // kinesalite keeps a new stream CREATING for as long as it is told: the state AWS shows while provisioning.
    const kinesis = await startKinesalite({ createStreamMs: 60_000 });
    closing.push(() => kinesis.close());
    const client = kinesisClient({ endpoint: kinesis.endpoint });
    await client.send(new CreateStreamCommand({ StreamName: 'provisioning', ShardCount: 1 }));
    client.destroy();
    const { code, stdout, stderr } = await send(['--endpoint', kinesis.endpoint, '--stream', 'provisioning', '--amount', '5']);
    expect({ code, stdout, stderr }).toEqual({
      code: EXIT.missing,
      stdout: '',
      stderr: `error: stream "provisioning" at ${kinesis.endpoint} is CREATING, not ACTIVE: wait until it is ACTIVE, then run again\n`,
    });
  });
});

describe('refused records', () => {
  it('the first 100 are printed one by one, the rest counted, and all of them in the summary', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `{"uuid": "not-a-uuid-${i}"}`).join('\n');
    const file = join(dir, 'all-bad.ndjson');
    await writeFile(file, `${lines}\n`);
    const { code, stdout, stderr } = await send(['--dry-run', '--input', file, '--on-invalid', 'skip', '--json']);
    expect(code).toBe(EXIT.rejected);
    expect(stdout).toMatch(/"rejected":150/);
    const printed = stderr.split('\n').filter((l) => /^rejected: line \d+: /.test(l));
    expect(printed).toHaveLength(100);
    expect(printed[0]).toMatch(/^rejected: line 1: uuid: /);
    expect(printed[99]).toMatch(/^rejected: line 100: /);
    expect(stderr).toContain('rejected: … and 50 more (counted in the summary)\n');
  });
});

describe('Ctrl-C with the embedded lakehouse', () => {
  it('stops sending, has the lake deliver what was sent, reports it, exit 130', async () => {
    // --echo prints each record once Kinesis has taken it: Ctrl-C comes after the first, whatever the machine's speed.
    const lake = ['--amount', '100000', '--rate', '300', '--json', '--echo'];
    const { code, stdout } = await send(lake, { whenStdout: [/\n/, (child) => child.kill('SIGINT')] });
    expect(code).toBe(EXIT.interrupted);
    const summary = JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '') as Summary & { lake: { kind: string; report: { recordsDelivered: number } } };
    expect(summary.stoppedBy).toBe('interrupted (Ctrl-C)');
    expect(summary.sent).toBeGreaterThan(0);
    expect(summary.sent).toBeLessThan(100_000);
    expect(summary.lake.kind).toBe('embedded');
    expect(summary.lake.report.recordsDelivered).toBe(summary.sent);
    // Every record Kinesis took was echoed, and nothing else.
    expect(stdout.trimEnd().split('\n')).toHaveLength(summary.sent + 1);
  });
});
