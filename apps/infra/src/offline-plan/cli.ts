/**
 * `nx run infra:plan-offline [--keep] [--verbose]`: the offline plan check the tests run, on its own,
 * with a table of timings and every policy violation. Exit 1 when a plan fails, a rule is violated,
 * or terraform or the provider mirror is missing.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatViolations } from '../policies/rules';
import { planTable, runOfflinePlanCheck } from './offline-plan';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      keep: { type: 'boolean', default: false, description: 'keep the temp dir with the synthesized stacks and plans' },
      verbose: { type: 'boolean', default: false, description: 'print the stack of an error' },
    },
  });
  try {
    const result = await runOfflinePlanCheck({ repoRoot: REPO_ROOT, keepWorkDir: values.keep });
    if (values.keep) process.stderr.write(`kept ${result.workDir}\n`);
    if (result.status === 'unavailable') return 1;
    process.stdout.write(`${planTable(result.plans)}\n`);
    const violations = result.plans.flatMap((p) => p.violations);
    if (violations.length > 0) {
      process.stderr.write(`${formatViolations(violations)}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    process.stderr.write(`plan-offline: ${values.verbose ? ((error as Error).stack ?? error) : (error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
