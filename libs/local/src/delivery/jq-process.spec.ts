import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionKeyQuery } from '@lakehouse/pipeline';
import { loadJq } from './jq-process';

describe('jq 1.6 in WebAssembly (jq-web 0.5.1, in a child process), as Firehose’s MetadataExtraction runs it', () => {
  it('is jq 1.6, not 1.7: 1.6’s known behaviours and missing builtins', async () => {
    const jq = await loadJq();
    // limit(0; …) yields its first value in 1.6 (fixed in 1.7); @base32d and pick came with 1.7; $__loc__ with 1.6.
    expect(await jq.evaluate('[limit(0; 1, 2)]', ['null'])).toEqual([{ ok: true, values: [[1]] }]);
    expect(await jq.compileError('pick(.a)')).toMatch(/pick\/1 is not defined/);
    expect((await jq.evaluate('@base32d', ['"x"']))[0]).toMatchObject({ ok: false, error: expect.stringMatching(/base32d is not a valid format/) });
    expect(await jq.evaluate('$__loc__', ['null'])).toEqual([{ ok: true, values: [{ file: '<top-level>', line: 1 }] }]);
    // Why the pipeline's query slices event_date: 1.6's date parser refuses fractional seconds.
    expect((await jq.evaluate('fromdateiso8601', ['"2026-11-20T23:59:59.123Z"']))[0]).toMatchObject({ ok: false });
  });

  it('keeps each record’s outcome with its record in one batch, whatever the others do', async () => {
    const jq = await loadJq();
    const outcomes = await jq.evaluate('.a', ['{"a":1}', 'not json', '1 2', '{"a":"x"}', '"text"', '', '{"a":[1,2]}']);
    expect(outcomes.map((o) => (o.ok ? o.values : 'error'))).toEqual([[1], 'error', 'error', [['x'][0]], 'error', 'error', [[1, 2]]]);
    // The module still works after records that are not JSON.
    expect(await jq.evaluate('.a', ['{"a":2}'])).toEqual([{ ok: true, values: [2] }]);
  });

  it('outlives jq-web’s stack leak: 70 calls with a 100 KB query (7 MB of arguments, past its 5 MiB stack)', async () => {
    const jq = await loadJq();
    const query = `. as $r | "${'y'.repeat(100_000)}" | length`;
    for (let i = 0; i < 70; i++) expect(await jq.evaluate(query, ['{"a":1}'])).toEqual([{ ok: true, values: [100_000] }]);
    expect(await jq.evaluate('.a', ['-5', '{"a":1}\u0000{"a":2}', '{"a":3}'])).toMatchObject([{ ok: false }, { ok: false }, { ok: true, values: [3] }]);
  }, 60_000);

  it('answers requests made at once each with its own records, however they share calls', async () => {
    const jq = await loadJq();
    const [a1, b, a2, empty] = await Promise.all([
      jq.evaluate('.a', ['{"a":1}', '{"a":2}']),
      jq.evaluate('.b', ['{"b":"x"}']),
      jq.evaluate('.a', ['not json', '{"a":3}']),
      jq.evaluate('.a', []),
    ]);
    expect(a1).toEqual([
      { ok: true, values: [1] },
      { ok: true, values: [2] },
    ]);
    expect(b).toEqual([{ ok: true, values: ['x'] }]);
    expect(a2).toMatchObject([{ ok: false }, { ok: true, values: [3] }]);
    expect(empty).toEqual([]);
  });

  it('runs the pipeline’s partition key query: keys sliced from event_date, malformed dates failed', async () => {
    const jq = await loadJq();
    expect(await jq.compileError(partitionKeyQuery())).toBeUndefined();
    const [good, noZone, missing] = await jq.evaluate(partitionKeyQuery(), [
      '{"event_date":"2026-11-20T23:59:59.123Z"}',
      '{"event_date":"2026-11-20T23:59:59.123"}',
      '{"uuid":"x"}',
    ]);
    expect(good).toEqual({ ok: true, values: [{ year: '2026', month: '11', day: '20', hour: '23' }] });
    expect(noZone).toMatchObject({ ok: false, error: expect.stringMatching(/event_date: expected an ISO 8601 UTC timestamp/) });
    expect(missing).toMatchObject({ ok: false });
  });

  it('says a query that does not compile, with jq’s message', async () => {
    const jq = await loadJq();
    expect(await jq.compileError('{year: ')).toMatch(/compile error/);
    expect((await jq.evaluate('{year: ', ['{}']))[0]).toMatchObject({ ok: false, error: expect.stringMatching(/compile error/) });
  });

  it('ends when the process that started it is killed with SIGKILL', async () => {
    // Written, not logged: a console.log of a number is coloured when FORCE_COLOR is set (Nx sets it).
    const script = `import(${JSON.stringify(join(import.meta.dirname, 'jq-process.ts'))}).then((m) => m.loadJq()).then((jq) => { process.stdout.write('jq pid ' + jq.pid + '\\n'); setInterval(() => {}, 1000); });`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      const pid = await new Promise<number>((resolve, reject) => {
        parent.stdout.on('data', (chunk: Buffer) => {
          out += String(chunk);
          const match = /jq pid (\d+)/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before saying its jq's pid: ${out}`)));
      });
      const alive = (p: number) => {
        try {
          process.kill(p, 0);
          return true;
        } catch {
          return false;
        }
      };
      expect(alive(pid)).toBe(true);
      parent.kill('SIGKILL');
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(alive(pid)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 30_000);
});
