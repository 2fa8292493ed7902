import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

interface Outcome {
  first: { code: number | null; stderr: string };
  second: { code: number | null; stderr: string };
  sent: number;
  rows: number;
  missing: number;
}

const SCENARIO = join(import.meta.dirname, '..', 'testing', 'full-disk.ts');

/** The scenario mounts a tmpfs: as root directly, otherwise in a user and mount namespace of its own. */
async function runScenario(dir: string): Promise<Outcome> {
  const node = [process.execPath, '--import', 'tsx', SCENARIO, dir];
  const [command, ...args] = process.getuid?.() === 0 ? node : ['unshare', '-rm', ...node];
  const { stdout } = await promisify(execFile)(command as string, args, { cwd: join(import.meta.dirname, '../../../..'), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as Outcome;
}

describe('a full disk under lake:up --persist', () => {
  it('stops it with one line saying so (exit 8), and the next start, on a freed disk, delivers every record once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lake-full-disk-'));
    try {
      const outcome = await runScenario(dir);
      expect(outcome.first.code).toBe(8);
      expect(outcome.first.stderr).toMatch(/\n(delivery failed|stopping failed): .*(No space left on device|ENOSPC).*\n/);
      expect(outcome.second.code).toBe(0);
      expect({ rows: outcome.rows, missing: outcome.missing }).toEqual({ rows: outcome.sent, missing: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
