/**
 * `nx run infra:bench [--runs 3] [--skip-plan]`: synth wall time and peak memory of the CDKTF app in a
 * child process, against two baselines measured in the same run (bare node + tsx start-up, and the same
 * synth with the provider package's root imported), then the wall time of the whole offline plan check.
 * Fails when synth takes 5 s or more.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTable } from '@lakehouse/runtime';
import { planTable, runOfflinePlanCheck } from '../src/offline-plan/offline-plan';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const PEAK_RSS = join(import.meta.dirname, 'peak-rss.ts');
const MAIN = 'apps/infra/src/main.ts';
const SYNTH_BUDGET_SECONDS = 5;

interface Case {
  name: string;
  args: string[];
}

const CASES: Case[] = [
  { name: 'node + tsx start-up (floor)', args: ['-e', ''] },
  { name: 'synth, provider classes one module each', args: [MAIN] },
  { name: 'synth, provider package root imported', args: ['--import', '@cdktf/provider-aws', MAIN] },
];

interface Sample {
  seconds: number;
  peakMiB: number;
}

function measure(c: Case, workDir: string): Sample {
  const rssFile = join(workDir, 'rss');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--import', PEAK_RSS, ...c.args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: join(workDir, 'cdktf.out'), LAKEHOUSE_STATE_DIR: join(workDir, 'state'), LAKEHOUSE_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${c.name} exited with ${child.status}: ${child.stderr}`);
  return { seconds, peakMiB: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'skip-plan': { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got "${values.runs}"`);
  const workDir = mkdtempSync(join(tmpdir(), 'lakehouse-bench-'));
  try {
    const results = CASES.map((c) => {
      const samples = Array.from({ length: runs }, (_, i) => {
        progress(`${c.name}: run ${i + 1}/${runs}`);
        return measure(c, workDir);
      });
      return { name: c.name, seconds: median(samples.map((s) => s.seconds)), peakMiB: Math.max(...samples.map((s) => s.peakMiB)) };
    });
    const rootImport = results[2]?.seconds ?? Number.NaN;
    process.stdout.write(`Synth (${runs} runs each; median wall time, highest peak RSS)\n\n`);
    process.stdout.write(
      `${renderTable(
        results.map((r) => [r.name, r.seconds.toFixed(2), String(Math.round(r.peakMiB)), `${(r.seconds / rootImport).toFixed(2)}x`]),
        { header: ['case', 'wall s', 'peak MiB', 'time vs root import'], align: ['left', 'right', 'right', 'right'] },
      )}\n`,
    );
    const synthSeconds = results[1]?.seconds ?? Number.POSITIVE_INFINITY;

    if (!values['skip-plan']) {
      progress('offline plan check: running');
      const started = performance.now();
      const check = await runOfflinePlanCheck({ repoRoot: REPO_ROOT, log: progress });
      const total = (performance.now() - started) / 1000;
      process.stdout.write(`\nOffline plan check (whole): ${total.toFixed(1)} s, synth ${check.synthSeconds} s\n\n`);
      if (check.status === 'planned') {
        process.stdout.write(`${planTable(check.plans)}\n`);
      } else {
        process.stdout.write(`not run: ${check.reason}\n`);
      }
    }

    if (synthSeconds >= SYNTH_BUDGET_SECONDS) {
      process.stderr.write(`synth took ${synthSeconds.toFixed(2)} s, over the ${SYNTH_BUDGET_SECONDS} s budget\n`);
      return 1;
    }
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
