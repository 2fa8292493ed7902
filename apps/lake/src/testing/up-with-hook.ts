/**
 * `lake up` that acts at one step of its first delivery's commit: the crash and Ctrl-C tests' lakehouse.
 * Usage: up-with-hook.ts <after-prepare|between-renames|after-rename> <kill|interrupt> [lake up flags]
 *   kill       SIGKILL itself there (a crash at that exact point);
 *   interrupt  send itself a Ctrl-C there and never finish that delivery (a second Ctrl-C lands mid-delivery).
 */
import type { CommitStep } from '@lakehouse/local';
import { parseUpArgs } from '../up/options';
import { runUp } from '../up/up';

const [step, action, ...args] = process.argv.slice(2);
const settings = parseUpArgs(args, process.cwd());
if (settings === 'help' || (action !== 'kill' && action !== 'interrupt')) throw new Error('usage: up-with-hook.ts <step> <kill|interrupt> [lake up flags]');

let acted = false;
async function onCommitStep(at: CommitStep): Promise<void> {
  if (at !== step || acted) return;
  acted = true;
  if (action === 'kill') process.kill(process.pid, 'SIGKILL');
  process.kill(process.pid, 'SIGINT');
  await new Promise(() => undefined);
}

process.exitCode = await runUp({ ...settings, onCommitStep }, (line) => process.stderr.write(`${line}\n`));
process.exit();
