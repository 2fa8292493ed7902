/**
 * `nx run infra:plan-offline [--keep] [--verbose]`: the offline plan check the tests run, on its own, with a table
 * of timings on stdout and every policy violation on stderr. It ends as every command of the kit does (README,
 * "Exit codes"): a violated rule is 10, terraform or the provider mirror missing 5, a wrong setting 2.
 */
import { resolve } from 'node:path';
import { EXIT, LakehouseError, parseFlags, runCommand } from '@lakehouse/runtime';
import { formatViolations } from '../policies/rules';
import { planTable, runOfflinePlanCheck } from './offline-plan';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

const FLAGS = {
  keep: { type: 'boolean', help: 'keep the temp dir with the synthesized stacks and plans' },
  verbose: { type: 'boolean', help: 'print the stack of an error' },
} as const;

async function planOffline(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(FLAGS, argv);
  const result = await runOfflinePlanCheck({ repoRoot: REPO_ROOT, keepWorkDir: values.keep === true });
  if (values.keep) process.stderr.write(`kept ${result.workDir}\n`);
  if (result.status === 'unavailable') throw new LakehouseError('missing', `the offline plan check could not run: ${result.reason}`);
  process.stdout.write(`${planTable(result.plans)}\n`);
  const violations = result.plans.flatMap((p) => p.violations);
  if (violations.length === 0) return EXIT.ok;
  process.stderr.write(`${formatViolations(violations)}\n`);
  throw new LakehouseError('policy', `the plan breaks ${violations.length} policy rule${violations.length === 1 ? '' : 's'} (listed above): fix the stack`);
}

const argv = process.argv.slice(2);
process.exitCode = await runCommand(argv, process, () => planOffline(argv));
