import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

describe('ten starts at once on one folder: one lake runs, the others are refused in one line naming it', () => {
  let dir: string;
  let starts: Array<CliProcess & { kind: string }>;
  let exits: Array<{ code: number | null } | undefined>;
  let winner: CliProcess & { kind: string };

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
    // The lake that won is the one that registered (lake:up) or is sending into its own lake (a send's "sent" lines).
    winner = await waitFor('the lake that runs', async () => {
      const owner = JSON.parse(await readFile(join(dir, 'lakehouse.json'), 'utf8').catch(() => '{}')) as { pid?: number };
      return (
        starts.find((s) => s.child.pid === owner.pid) ??
        starts.find((s, i) => s.kind === 'embedded' && exits[i] === undefined && s.stderr().includes('embedded local lakehouse…') && lockedBy(s.child.pid))
      );
    });
    // Every other lake start is refused; a send that found a lake:up starting waits for it and sends to it, once it
    // has said what it does after its "No lake:up running" line (under load, seconds after the lake registered).
    const saidWhatItDoes = (s: CliProcess) =>
      s
        .stderr()
        .split('\n')
        .slice(0, -1)
        .some((line) => !line.startsWith('No lake:up running'));
    const settled = (s: CliProcess & { kind: string }, i: number) =>
      s === winner || exits[i] !== undefined || (winner.kind === 'lakehouse up' && s.kind === 'embedded' && saidWhatItDoes(s));
    await waitFor('the others to be refused, or to say where they send', () => (starts.every(settled) ? true : undefined), 90_000);
  }, 120_000);

  /** Whether the folder's lock names this pid. */
  const lockedBy = (pid: number | undefined) =>
    existsSync(join(dir, 'lock')) && readdirSync(join(dir, 'lock')).some((name) => name.startsWith(`owner-${pid}-`));

  afterAll(async () => {
    for (const start of starts ?? []) start.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves exactly one lake, and every other start exits 8 with one line naming it, its pid and kind', () => {
    expect(lockedBy(winner.child.pid)).toBe(true);
    for (const [i, start] of starts.entries()) {
      if (start === winner) continue;
      if (winner.kind === 'lakehouse up' && start.kind === 'embedded') {
        // A send does not start a second lake: it sends to the lake:up, found starting (waited for) or already
        // running (a send that looked after it registered), and says so.
        expect(start.stderr()).toMatch(
          new RegExp(
            `^(A lake:up is starting on this folder \\(pid ${winner.child.pid}\\): sending to it once it is up…|Sending to the lake:up running on this folder \\(pid ${winner.child.pid}\\)…)$`,
            'm',
          ),
        );
        continue;
      }
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

  it('the one lake stops as it should on Ctrl-C', async () => {
    winner.child.kill('SIGINT');
    // lake:up drains and exits 0; a send interrupted reports what it sent and exits 130.
    // The whole exit, signal included: once, under a full `npm test`, it ended by a signal after saying it was draining.
    expect(await winner.exited, winner.stderr()).toEqual({ code: winner.kind === 'embedded' ? EXIT.interrupted : EXIT.ok, signal: null });
  });
});
