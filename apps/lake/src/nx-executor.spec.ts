import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The Nx executor behind `nx run lake:query|up` (CommonJS, as Nx loads it).
const { toArgv } = createRequire(import.meta.url)('../executors/cli.cjs') as { toArgv: (options: object) => string[] };

describe('the lake:* executor rebuilds argv from what Nx parsed, with nothing left to a shell', () => {
  it.each([
    [{ _: ["SELECT count(*) FROM events WHERE status = 'Active'"] }, ["SELECT count(*) FROM events WHERE status = 'Active'"]],
    [{ _: ['SELECT 1'], json: true }, ['SELECT 1', '--json']],
    [{ sql: 'a = b', env: 'prod' }, ['--sql', 'a = b', '--env', 'prod']],
    [{ 'data-dir': '/tmp/a b', port: 0 }, ['--data-dir', '/tmp/a b', '--port', '0']],
    [{ h: true }, ['-h']],
    [{ color: false }, ['--no-color']],
    [{ x: ['a', 'b'] }, ['-x', 'a', '-x', 'b']],
    [{ script: 'apps/lake/src/cli.ts', args: ['query'], _: ['SELECT 1'] }, ['SELECT 1']],
  ])('%j -> %j', (options, argv) => {
    expect(toArgv(options)).toEqual(argv);
  });
});
