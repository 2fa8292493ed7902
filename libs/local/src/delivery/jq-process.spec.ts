import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionKeyQuery } from '@lakehouse/pipeline';
import { childProcesses } from '../testing/processes';
import { findJq, type JqEngine, loadJq } from './jq-process';

// Both builds of jq 1.6 pass the same table: the binary (CI installs Debian's) and jq-web (what `npm ci` alone gives).
const ENGINES: Array<[string, JqEngine]> = [
  ['jq-web 0.5.1 (WebAssembly, in a child process)', { kind: 'jq-web' }],
  ['a jq 1.6 binary (jq on PATH; Debian 12: apt-get install jq)', { kind: 'binary', path: 'jq' }],
];

describe.each(ENGINES)('jq 1.6 as Firehose’s MetadataExtraction runs it: %s', (_, engine) => {
  const load = () => loadJq(engine);
  beforeAll(async () => {
    // Without a jq 1.6 on PATH this fails in one line saying what there is instead.
    if (engine.kind === 'binary') await findJq({ LAKEHOUSE_JQ: engine.path });
  });

  it('is jq 1.6, not 1.7: 1.6’s known behaviours and missing builtins', async () => {
    const jq = await load();
    // limit(0; …) yields its first value in 1.6 (fixed in 1.7); @base32d and pick came with 1.7; $__loc__ with 1.6.
    expect(await jq.evaluate('[limit(0; 1, 2)]', ['null'])).toEqual([{ ok: true, values: [[1]] }]);
    expect(await jq.compileError('pick(.a)')).toMatch(/pick\/1 is not defined/);
    expect((await jq.evaluate('@base32d', ['"x"']))[0]).toMatchObject({ ok: false, error: expect.stringMatching(/base32d is not a valid format/) });
    expect(await jq.evaluate('$__loc__', ['null'])).toEqual([{ ok: true, values: [{ file: '<top-level>', line: 1 }] }]);
    // Why the pipeline's query slices event_date: 1.6's date parser refuses fractional seconds.
    expect((await jq.evaluate('fromdateiso8601', ['"2026-11-20T23:59:59.123Z"']))[0]).toMatchObject({ ok: false });
  });

  it('keeps each record’s outcome with its record in one batch, whatever the others do', async () => {
    const jq = await load();
    const outcomes = await jq.evaluate('.a', ['{"a":1}', 'not json', '1 2', '{"a":"x"}', '"text"', '', '{"a":[1,2]}']);
    expect(outcomes.map((o) => (o.ok ? o.values : 'error'))).toEqual([[1], 'error', 'error', [['x'][0]], 'error', 'error', [[1, 2]]]);
    // The module still works after records that are not JSON.
    expect(await jq.evaluate('.a', ['{"a":2}'])).toEqual([{ ok: true, values: [2] }]);
  });

  it('runs 70 calls with a 100 KB query (7 MB of arguments: past jq-web’s 5 MiB stack, which it never gives back)', async () => {
    const jq = await load();
    const query = `. as $r | "${'y'.repeat(100_000)}" | length`;
    for (let i = 0; i < 70; i++) expect(await jq.evaluate(query, ['{"a":1}'])).toEqual([{ ok: true, values: [100_000] }]);
    expect(await jq.evaluate('.a', ['-5', '{"a":1}\u0000{"a":2}', '{"a":3}'])).toMatchObject([{ ok: false }, { ok: false }, { ok: true, values: [3] }]);
  }, 60_000);

  it('answers requests made at once each with its own records, however they share calls', async () => {
    const jq = await load();
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
    const jq = await load();
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
    const jq = await load();
    expect(await jq.compileError('{year: ')).toMatch(/compile error/);
    expect((await jq.evaluate('{year: ', ['{}']))[0]).toMatchObject({ ok: false, error: expect.stringMatching(/compile error/) });
  });

  it('ends when the process that started it is killed with SIGKILL, mid-call', async () => {
    // Written, not logged: a console.log of a number is coloured when FORCE_COLOR is set (Nx sets it).
    // A call in flight (30,000 records). jq-web's child runs a call to its end before it sees its parent gone (the
    // call is synchronous WebAssembly: 300,000 records kept it alive past 10 s in CI); a binary's ends at once.
    const script = `import(${JSON.stringify(join(import.meta.dirname, 'jq-process.ts'))}).then((m) => m.loadJq(${JSON.stringify(engine)})).then((jq) => { jq.evaluate('.', Array(30000).fill('1')); const said = setInterval(() => { if (jq.pid) { process.stdout.write('jq pid ' + jq.pid + '\\n'); clearInterval(said); } }, 10); setInterval(() => {}, 1000); });`;
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
      const deadline = Date.now() + 20_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(alive(pid)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 30_000);
});

describe('the jq 1.6 binary’s processes per query', () => {
  /** This process's jq children running `query` (its text is in their command line). */
  const processesOf = (query: string) => childProcesses(process.pid, query).length;

  it.each([
    ['small pages wait in line in one process (a queue of 10 is answered before a second jq could start)', 10, 1],
    ['pages with a queue worth a start get a second process, not more', 5_000, 2],
  ])('%s', async (_, records, processes) => {
    const jq = await loadJq({ kind: 'binary', path: 'jq' });
    const query = `{n: ., pages: ${records}}`; // one query per case: its own processes
    const page = Array.from({ length: records }, (_, i) => String(i));
    const answers = await Promise.all([1, 2, 3].map(() => jq.evaluate(query, page)));
    expect(answers.map((a) => a.length)).toEqual([records, records, records]);
    expect(processesOf(query)).toBe(processes);
  });
});

describe('which jq runs the query (findJq)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'find-jq-'));
  beforeAll(async () => {
    // Fakes that only answer --version: the name is the version they give.
    for (const version of ['jq-1.7.1', 'jq-1.6']) {
      await writeFile(join(dir, version), `#!/bin/sh\necho ${version}\n`);
      await chmod(join(dir, version), 0o755);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['LAKEHOUSE_JQ=jq-web', { LAKEHOUSE_JQ: 'jq-web' }, { kind: 'jq-web' }],
    ['LAKEHOUSE_JQ naming a jq 1.6 binary', { LAKEHOUSE_JQ: join(dir, 'jq-1.6') }, { kind: 'binary', path: join(dir, 'jq-1.6') }],
    ['unset, with jq 1.6 on PATH (this machine’s)', {}, { kind: 'binary', path: 'jq' }],
  ])('%s', async (_, env, engine) => {
    expect(await findJq(env)).toEqual(engine);
  });

  it.each([
    ['a jq 1.7', join(dir, 'jq-1.7.1'), /^LAKEHOUSE_JQ: \/.*jq-1\.7\.1 is jq-1\.7\.1, and Firehose runs jq 1\.6: name a jq 1\.6 binary, or jq-web$/],
    ['nothing that runs', join(dir, 'missing'), /^LAKEHOUSE_JQ: \/.*missing does not run, and Firehose runs jq 1\.6/],
  ])('refuses LAKEHOUSE_JQ naming %s, in one line', async (_, path, message) => {
    await expect(findJq({ LAKEHOUSE_JQ: path })).rejects.toThrow(message);
  });
});
