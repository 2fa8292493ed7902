import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glueTableDefinition, pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '@lakehouse/local';
import { EXIT } from '@lakehouse/runtime';
import { buildLake, encode, eventRecords } from '@lakehouse/local/testing';
import { runCli } from './testing/processes';

const settings = pipelineSettings('dev');

/** One line on stderr, nothing on stdout, a non-zero exit. */
function expectOneLineError(result: { code: number | null; stdout: string; stderr: string }, message: string | RegExp, code: number) {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
}

describe('clear errors: one line saying what to do, and a non-zero exit', () => {
  let dir: string;
  let blocker: Server;
  let busyPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-errors-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    busyPort = (blocker.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('port in use by another program: says so, and names no lakehouse file', async () => {
    const lakeDir = join(dir, 'busy');
    const result = await runCli(['up', '--data-dir', lakeDir, '--port', String(busyPort), '--no-console']);
    expectOneLineError(
      result,
      `error: port ${busyPort} on 127.0.0.1 is in use by another program; stop it, or pass --port 0 to pick a free port\n`,
      EXIT.lakehouse,
    );
  });

  it.each([
    [
      'a file in the way of the folder',
      async () => {
        await writeFile(join(dir, 'a-file'), '');
        return join(dir, 'a-file', 'lake');
      },
      /\(a file is in the way of the folder\)/,
    ],
    [
      'a folder the system refuses to create',
      async () => '/sys/lakehouse-test',
      /\((operation not permitted|permission denied|the file system is read-only)\)/,
    ],
  ])('data dir not writable: %s', async (_case, makeDir, reason) => {
    const lakeDir = await makeDir();
    const result = await runCli(['up', '--data-dir', lakeDir, '--port', '0', '--no-console']);
    expectOneLineError(
      result,
      new RegExp(`^error: data dir ${lakeDir} is not writable ${reason.source}; pass another --data-dir or fix its permissions\\n$`),
      EXIT.lakehouse,
    );
  });

  it('a catalog.json table located out of the lake (../): refused at start, exit 8', async () => {
    const lakeDir = join(dir, 'escape');
    await mkdir(lakeDir, { recursive: true });
    const catalog = {
      version: 1,
      databases: {
        other_db: {
          tables: {
            escape: {
              ...glueTableDefinition(settings, localLayout(lakeDir, settings).bucket),
              databaseName: 'other_db',
              name: 'escape',
              location: 's3://lakehouse-dev-lake-local/../../../',
            },
          },
        },
      },
    };
    await writeFile(join(lakeDir, 'catalog.json'), JSON.stringify(catalog));
    const result = await runCli(['up', '--data-dir', lakeDir, '--port', '0', '--no-console']);
    expectOneLineError(
      result,
      `error: other_db.escape: location s3://lakehouse-dev-lake-local/../../../ is not a folder of a bucket in the lake (a name is . or ..): fix or remove the table in ${join(lakeDir, 'catalog.json')}\n`,
      EXIT.lakehouse,
    );
  });

  it('unknown environment name, as a usage error', async () => {
    const result = await runCli(['up', '--env', 'Prod!', '--data-dir', join(dir, 'env')]);
    expectOneLineError(result, 'error: --env: expected 2 to 16 lower-case letters or digits starting with a letter, got "Prod!"\n', EXIT.usage);
  });

  it('a query before anything was delivered', async () => {
    const result = await runCli(['query', 'SELECT 1', '--data-dir', join(dir, 'empty')]);
    expectOneLineError(
      result,
      /^error: no catalog at .*catalog\.json: nothing has been delivered here yet; send records with "nx run producer:send"/,
      EXIT.missing,
    );
  });

  describe('a corrupt Parquet file in the lake', () => {
    let lakeDir: string;
    let corrupt: string;

    beforeAll(async () => {
      lakeDir = join(dir, 'corrupt');
      await buildLake(lakeDir, eventRecords(10).map(encode));
      // In a later partition than the real data (the table's columns come from the catalog, not from a file).
      const folder = join(localLayout(lakeDir, settings).bucketDir, 'events/year=2099/month=01/day=01/hour=03');
      await mkdir(folder, { recursive: true });
      corrupt = join(folder, 'damaged.parquet');
      await writeFile(corrupt, 'not parquet at all');
    });

    it('names the file and what to do', async () => {
      const result = await runCli(['query', 'SELECT count(*) FROM events', '--data-dir', lakeDir]);
      expectOneLineError(
        result,
        `error: corrupt Parquet file ${corrupt} (no magic bytes found at end of file); move it out of the lake or delete it, then run the query again\n`,
        EXIT.lakehouse,
      );
    });

    it('a zero-byte file: named with a clean reason (the corrupt file of the hour before is not opened)', async () => {
      const folder = join(dirname(dirname(corrupt)), 'hour=04');
      await mkdir(folder, { recursive: true });
      const empty = join(folder, 'empty.parquet');
      await writeFile(empty, '');
      try {
        const result = await runCli(['query', 'SELECT count(*) FROM events WHERE year = 2099 AND hour = 4', '--data-dir', lakeDir]);
        expectOneLineError(
          result,
          `error: corrupt Parquet file ${empty} (too small to be a Parquet file); move it out of the lake or delete it, then run the query again\n`,
          EXIT.lakehouse,
        );
      } finally {
        await rm(folder, { recursive: true });
      }
    });

    it('is never opened by a query whose partition filter prunes its folder', async () => {
      const result = await runCli(['query', '--csv', 'SELECT count(*) AS n FROM events WHERE year < 2099', '--data-dir', lakeDir]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('n\n10\n');
      expect(result.code).toBe(0);
    });
  });
});
