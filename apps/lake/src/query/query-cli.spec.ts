import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '@lakehouse/local';
import { EXIT } from '@lakehouse/runtime';
import { registerTable } from '@lakehouse/local/testing';
import { main } from '../main';
import { runCli, startCli, waitFor } from '../testing/processes';

/** A stream that keeps what is written to it. */
function collector(): NodeJS.WritableStream & { text: string } {
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => ((stream.text += chunk.toString()), done()) }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

describe('lakehouse query, as a script sees it: Athena SQL by default, one line and exit 9 when it fails', () => {
  let dir: string;
  /** The command's own function, in this process (the process around it: `as a process` below, and apps/cli's tests). */
  const query = async (...args: string[]) => {
    const [stdout, stderr] = [collector(), collector()];
    const code = await main(['query', '--data-dir', dir, ...args], { stdout, stderr, cwd: dir });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-query-cli-'));
    await registerTable(localLayout(dir, pipelineSettings('dev')), pipelineSettings('dev'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    [['--dialect', 'sql', 'SELECT 1'], 'error: --dialect: expected athena or duckdb, got "sql"\n'],
    [['--query-timeout', '0', 'SELECT 1'], 'error: --query-timeout: expected a whole number from 1 to 86400, got "0"\n'],
    [['--query-memory', 'lots', 'SELECT 1'], 'error: --query-memory: expected a whole number from 16 to 1048576, got "lots"\n'],
    [
      ['--target', 'aws', '--query-timeout', '5', 'SELECT 1'],
      'error: --query-timeout: limits a local query; with --target aws the Athena workgroup sets the limits\n',
    ],
  ])('%j is a usage error (exit 2)', async (args, stderr) => {
    expect(await query(...args)).toEqual({ code: EXIT.usage, stdout: '', stderr });
  });

  it.each([
    ["COPY (SELECT * FROM events) TO '/tmp/x.csv'", /^error: COPY … TO: a local query only reads the lake's tables: one SELECT/],
    ["COPY (SELECT * FROM events) TO 'x.parquet' (FORMAT parquet)", /^error: COPY … TO: a local query only reads the lake's tables: one SELECT/],
    ["ATTACH ':memory:' AS m", /^error: ATTACH: a local query only reads the lake's tables: one SELECT/],
    ["SELECT content FROM read_text('/etc/passwd')", /^error: \/etc\/passwd is outside the lake: a local query reads only the lake's tables \(/],
    [
      'SELECT word_stem(status) FROM events',
      /^error: word_stem is an Athena function the local engine does not have: .*, or run it with --target aws \(line 1, column 8\)$/,
    ],
    ['SELEC status FROM events', /^error: Parser Error: syntax error at or near "SELEC" \(line 1, column 1\)$/],
    ['SELECT status,\n  count(*)\nFROM events WHERE', /^error: Parser Error: syntax error at end of input \(line 3, column 18\)$/],
    ['SELECT status\nFROM events\nWHERE status = = 1', /^error: Parser Error: syntax error at or near "=" \(line 3, column 16\)$/],
    ['SELECT nope FROM events', /^error: Binder Error: Referenced column "nope" not found in FROM clause!/],
  ])('%s: one line, no stack, exit 9', async (sql, line) => {
    const result = await query(sql);
    expect(result.code).toBe(EXIT.query);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd()).toMatch(line);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints the stack of a failed query with --verbose', async () => {
    const result = await query('--verbose', 'SELECT word_stem(status) FROM events');
    expect(result.code).toBe(EXIT.query);
    expect(result.stderr.split('\n').length).toBeGreaterThan(3);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  describe('NULL, empty strings, timestamps and doubles, alike in the table, --csv and --json', () => {
    const sql = "SELECT CAST(NULL AS varchar) AS nothing, '' AS empty, 'x,y' AS text, from_unixtime(1795631496.41) AS at, 1e10 AS big, 0.5e0 AS half";

    it('the table: NULL as NULL, an empty string as nothing', async () => {
      const result = await query(sql);
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout).toBe(
        [
          'nothing | empty | text | at                          | big    | half',
          '--------+-------+------+-----------------------------+--------+-----',
          'NULL    |       | x,y  | 2026-11-25 18:31:36.410 UTC | 1.0E10 |  0.5',
          '',
        ].join('\n'),
      );
    });

    it('CSV as Athena writes its result files: NULL an empty field, an empty string ""', async () => {
      expect((await query('--csv', sql)).stdout).toBe('nothing,empty,text,at,big,half\n,"","x,y",2026-11-25 18:31:36.410 UTC,1.0E10,0.5\n');
    });

    it('JSON: NULL as null, numbers as numbers', async () => {
      expect(JSON.parse((await query('--json', sql)).stdout)).toEqual([
        { nothing: null, empty: '', text: 'x,y', at: '2026-11-25 18:31:36.410 UTC', big: 1e10, half: 0.5 },
      ]);
    });
  });

  it('runs DuckDB’s own SQL, as DuckDB shows it, with --dialect duckdb', async () => {
    const result = await query(
      '--dialect',
      'duckdb',
      '--csv',
      "SELECT strftime(TIMESTAMP '2026-11-25 18:31:36.41', '%M'), TIMESTAMP '2026-11-25 18:31:36.41' AS t, 7 / 2 AS d",
    );
    expect(result).toEqual({
      code: EXIT.ok,
      stdout: "\"strftime(CAST('2026-11-25 18:31:36.41' AS TIMESTAMP), '%M')\",t,d\n31,2026-11-25 18:31:36.41,3.5\n",
      stderr: '',
    });
  });

  it('stops a query at --query-timeout, in one line naming the limit and the flag (exit 9)', async () => {
    expect(await query('--dialect', 'duckdb', '--query-timeout', '1', 'SELECT count(*) FROM range(10000000000000)')).toEqual({
      code: EXIT.query,
      stdout: '',
      stderr: 'error: the query ran past its time limit of 1 s and was stopped (--query-timeout SECONDS sets the limit)\n',
    });
  });

  it('refuses a query that needs more memory than --query-memory, in one line (exit 9)', async () => {
    expect(await query('--dialect', 'duckdb', '--query-memory', '32', 'SELECT list(i) AS l FROM range(20000000) t(i)')).toEqual({
      code: EXIT.query,
      stdout: '',
      stderr: 'error: the query needs more memory than its limit (32 MiB, --query-memory); filter or aggregate more, or raise the limit\n',
    });
  });

  it('Ctrl-C stops the running query: one line, exit 130', async () => {
    const cli = startCli(['query', '--data-dir', dir, '--dialect', 'duckdb', '--csv', 'SELECT count(*) FROM range(10000000000000)']);
    // The query runs once DuckDB works: DuckDB runs it on a thread of Node's pool (libuv-worker), whose CPU time
    // climbs past what opening the database takes (10 ms). That thread alone, not the whole process, so no margin
    // for the start-up's CPU is needed (the whole process's 3 s burnt 2.5 s of CPU).
    const queryCpuSeconds = () =>
      Math.max(
        0,
        ...readdirSync(`/proc/${cli.child.pid}/task`).map((task) => {
          try {
            if (readFileSync(`/proc/${cli.child.pid}/task/${task}/comm`, 'utf8').trim() !== 'libuv-worker') return 0;
            const stat = readFileSync(`/proc/${cli.child.pid}/task/${task}/stat`, 'utf8');
            const [utime = 0, stime = 0] = stat
              .slice(stat.lastIndexOf(')') + 2)
              .split(' ')
              .slice(11, 13)
              .map(Number);
            return (utime + stime) / 100;
          } catch {
            return 0; // the thread ended meanwhile
          }
        }),
      );
    await waitFor('the query to run', () => (queryCpuSeconds() > 0.3 ? true : undefined));
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: EXIT.interrupted, signal: null });
    expect(cli.stderr()).toBe('error: interrupted (Ctrl-C): the query was stopped\n');
    expect(cli.stdout()).toBe('');
  });

  it('as a process: the same line on stderr and the exit code the shell sees', async () => {
    const sql = 'SELECT nope FROM events';
    const [inProcess, asProcess] = await Promise.all([query(sql), runCli(['query', '--data-dir', dir, sql])]);
    expect(asProcess).toEqual(inProcess);
    expect(asProcess.code).toBe(EXIT.query);
  });
});
