// @ts-check
// Runs `node apps/cli/bin/lakehouse.mjs <command> <user's arguments>` with an argv array.
// Why not nx:run-commands: it joins arguments into one shell line and leaves an argument containing "=" unquoted,
// so `nx run lake:query "SELECT … WHERE hour = 19"` died in /bin/sh.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

/** Turns the options Nx parsed from the command line back into argv (`_` holds the positionals). */
function toArgv(options) {
  const argv = (options._ ?? []).map(String);
  for (const [key, value] of Object.entries(options)) {
    if (key === '_' || key === 'command') continue;
    const flag = key.length === 1 ? `-${key}` : `--${key}`;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === true) argv.push(flag);
      else if (item === false) argv.push(`--no-${key}`);
      else argv.push(flag, String(item));
    }
  }
  return argv;
}

async function runCommand(options, context) {
  const argv = [join(context.root, 'apps/cli/bin/lakehouse.mjs'), options.command, ...toArgv(options)];
  const child = spawn(process.execPath, argv, { cwd: context.root, stdio: 'inherit' });
  // Ctrl-C reaches the child too (same process group): let it drain and decide its exit code.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  const code = await new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (status, signal) => resolve(signal ? 1 : status));
  });
  process.off('SIGINT', ignore);
  process.off('SIGTERM', ignore);
  return { success: code === 0 };
}

module.exports = runCommand;
module.exports.toArgv = toArgv;
