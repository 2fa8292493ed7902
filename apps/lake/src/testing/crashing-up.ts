/**
 * `lake up` that kills itself (SIGKILL) at one step of a delivery's commit: the crash tests' lakehouse.
 * Usage: crashing-up.ts <after-prepare|between-renames|after-rename> [lake up flags]
 */
import type { CommitStep } from '../delivery/commit';
import { parseUpArgs } from '../up/options';
import { runUp } from '../up/up';

const [step, ...args] = process.argv.slice(2);
const settings = parseUpArgs(args, process.cwd());
if (settings === 'help' || settings.embedded) throw new Error('crashing-up.ts takes the flags of a plain lake up');
await runUp(
  {
    ...settings,
    onCommitStep: (at: CommitStep) => {
      if (at === step) process.kill(process.pid, 'SIGKILL');
    },
  },
  (line) => process.stderr.write(`${line}\n`),
);
