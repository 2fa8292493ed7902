/**
 * A full disk under a running `lake up --persist`, for real: the lake folder is a small tmpfs, filled up while
 * records wait in the buffer. Prints, as JSON, what the first lake:up did and what the lake holds after a restart
 * on the freed disk. Needs to mount a tmpfs: run it as root, or under `unshare -rm` (a user and mount namespace).
 * Usage: full-disk.ts <empty folder>
 */
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine } from '@lakehouse/local';
import type { RunningLake } from '@lakehouse/local';
import { startCli, waitFor, waitForJsonFile } from './processes';
import { encode, eventRecords, putAll } from '@lakehouse/local/testing';

const RECORDS = 3_000;
const dir = process.argv[2] ?? '';
const settings = pipelineSettings('dev');
const layout = localLayout(dir, settings);
const flags = ['--data-dir', dir, '--port', '0', '--no-console', '--persist', '--buffer-interval', '900'];

execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', dir]);
try {
  const first = startCli(['up', ...flags]);
  const running = await waitForJsonFile<RunningLake>(layout.runningFile);
  const records = eventRecords(RECORDS);
  await putAll(kinesisClient({ endpoint: running.endpoint }), running.streamName, records.map(encode));
  // Every byte left goes to a filler file: the next write anywhere in the lake folder fails with ENOSPC.
  const filler = join(dir, 'filler');
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
  } catch {
    // dd stops, as wanted, when the disk is full.
  }
  first.child.kill('SIGINT'); // drain: the delivery now has to write, and can't
  const firstExit = await first.exited;
  await rm(filler);

  const second = startCli(['up', ...flags]);
  await waitFor('the restart', () => (second.stderr().includes('Ctrl-C reads the stream') ? true : undefined));
  second.child.kill('SIGINT');
  const secondExit = await second.exited;
  const lake = await openQueryEngine(dir, layout.catalogFile);
  const uuids = (await lake.query('SELECT uuid FROM events')).rows.map(([uuid]) => uuid ?? '');
  lake.close();
  const inLake = new Set(uuids);
  const result = {
    first: { code: firstExit.code, stderr: first.stderr() },
    second: { code: secondExit.code, stderr: second.stderr() },
    sent: records.length,
    rows: uuids.length,
    missing: records.filter((r) => !inLake.has(r.uuid)).length,
  };
  await new Promise<void>((resolve) => process.stdout.write(JSON.stringify(result), () => resolve()));
} finally {
  execFileSync('umount', ['-l', dir]);
}
process.exit(0);
