import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '@lakehouse/runtime';
import { startCli, waitFor, type CliProcess } from '../testing/processes';

/** What each start is: the lake's command with and without the stream on disk, and a send that starts the embedded lake. */
const STARTS = [
  ...Array.from({ length: 4 }, () => ({ kind: 'lakehouse up', args: ['up', '--port', '0', '--no-console'] })),
  ...Array.from({ length: 3 }, () => ({ kind: 'lakehouse up', args: ['up', '--port', '0', '--no-console', '--persist'] })),
  ...Array.from({ length: 3 }, () => ({ kind: 'embedded', args: ['send', '--rate', '20', '--duration', '60s'] })),
];

const REFUSAL =
  /^error: (?:the embedded lakehouse failed while starting: )?a lakehouse is already running for (.+) \((lakehouse up|embedded), pid (\d+), [^)]+\); use it, or stop it first$/;

describe('ten starts at once on one folder: one lake runs, nine are refused in one line naming it', () => {
  let dir: string;
  let starts: Array<CliProcess & { kind: string }>;
  let exits: Array<{ code: number | null } | undefined>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-ten-'));
    // The bundles built first, once: this tests the lock, not ten builds racing (each command builds what is stale).
    for (const warmUp of [
      ['up', '--help'],
      ['send', '--help'],
    ])
      await startCli(warmUp).exited;
    starts = STARTS.map(({ kind, args }) => ({ kind, ...startCli([...args, '--data-dir', dir]) }));
    exits = starts.map(() => undefined);
    starts.forEach((start, i) => void start.exited.then((exit) => (exits[i] = exit)));
    await waitFor('nine of the ten to exit', () => (exits.filter(Boolean).length >= 9 ? true : undefined), 90_000);
  }, 120_000);

  afterAll(async () => {
    for (const start of starts ?? []) start.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves exactly one running, and each of the nine others exits 8 with one line naming it, its pid and kind', async () => {
    const running = starts.filter((_, i) => exits[i] === undefined);
    expect(running).toHaveLength(1);
    const winner = running[0] as CliProcess & { kind: string };
    for (const [i, start] of starts.entries()) {
      if (start === winner) continue;
      expect(exits[i]?.code, start.stderr()).toBe(EXIT.lakehouse);
      // A send says first that it starts the embedded lake; its error is then one line, like the others'.
      const lines = start.stderr().trimEnd().split('\n');
      const error = lines.filter((line) => line.startsWith('error: '));
      expect(error, start.stderr()).toHaveLength(1);
      expect(lines.filter((line) => !line.startsWith('error: ') && !line.startsWith('No lake:up running'))).toEqual([]);
      const [, folder, kind, pid] = REFUSAL.exec(error[0] ?? '') ?? [];
      expect([folder, kind, Number(pid)], start.stderr()).toEqual([dir, winner.kind, winner.child.pid]);
    }
  });

  it('the one running stops as it should on Ctrl-C', async () => {
    const winner = starts.find((_, i) => exits[i] === undefined) as CliProcess & { kind: string };
    winner.child.kill('SIGINT');
    // lake:up drains and exits 0; a send interrupted reports what it sent and exits 130.
    expect((await winner.exited).code, winner.stderr()).toBe(winner.kind === 'embedded' ? EXIT.interrupted : EXIT.ok);
  });
});
