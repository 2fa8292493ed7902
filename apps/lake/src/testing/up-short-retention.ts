/**
 * `lake up` whose delivered records leave the stream after 1 s instead of 10: the memory test's lakehouse, which
 * must see the stream trimmed within the seconds CI can give it. Usage: up-short-retention.ts [lake up flags]
 */
import { parseUpArgs } from '../up/options';
import { runUp } from '../up/up';

const settings = parseUpArgs(process.argv.slice(2), process.cwd());
if (settings === 'help') throw new Error('usage: up-short-retention.ts [lake up flags]');
process.exitCode = await runUp({ ...settings, deliveredRetentionSeconds: 1 }, (line) => process.stderr.write(`${line}\n`));
process.exit();
