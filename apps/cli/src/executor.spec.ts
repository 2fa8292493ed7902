import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The Nx executor behind `nx run lake:up|query` (CommonJS, as Nx loads it).
const { toArgv } = createRequire(import.meta.url)('../executors/run.cjs') as { toArgv: (options: object) => string[] };

describe('the lake:* executor rebuilds argv from what Nx parsed, with nothing left to a shell', () => {
  it.each([
    [{ _: ["SELECT count(*) FROM events WHERE status = 'Active'"] }, ["SELECT count(*) FROM events WHERE status = 'Active'"]],
    [{ _: ['SELECT 1'], json: true }, ['SELECT 1', '--json']],
    [{ sql: 'a = b', env: 'prod' }, ['--sql', 'a = b', '--env', 'prod']],
    [{ 'data-dir': '/tmp/a b', port: 0 }, ['--data-dir', '/tmp/a b', '--port', '0']],
    [{ h: true }, ['-h']],
    [{ console: false }, ['--no-console']],
    [{ x: ['a', 'b'] }, ['-x', 'a', '-x', 'b']],
    [{ command: 'query', _: ["SELECT '$HOME'"] }, ["SELECT '$HOME'"]],
  ])('%j -> %j', (options, argv) => {
    expect(toArgv(options)).toEqual(argv);
  });
});
