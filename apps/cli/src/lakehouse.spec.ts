import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, OUTCOMES } from '@lakehouse/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'node_modules/.bin/lakehouse');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command as a script runs it: installed by npm ci, from any folder. */
/** `signalWhen` the stderr so far says so, Ctrl-C (after `beforeSignal`, which looks at the running command). */
function lakehouse(args: string[], options: { cwd?: string; signalWhen?: (stderr: string) => boolean; beforeSignal?: () => Promise<void> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: options.cwd ?? dir, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    let signalled = false;
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!signalled && options.signalWhen?.(stderr)) {
        signalled = true;
        void (options.beforeSignal?.() ?? Promise.resolve()).finally(() => child.kill('SIGINT'));
      }
    });
    child.on('error', reject).on('close', (code, signal) => resolve({ code, stdout, stderr: signal ? `${stderr}[killed by ${signal}]` : stderr }));
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakehouse-command-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lakehouse: one command for people and scripts', () => {
  it('lists its commands', async () => {
    const { code, stdout } = await lakehouse(['--help']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^Usage: lakehouse <command> \[options\]/);
    for (const command of ['send', 'up', 'console', 'query']) expect(stdout).toContain(`  ${command} `);
  });

  it.each([
    [['frobnicate'], 'error: unknown command "frobnicate"; the commands are send, up, console, query\n', EXIT.usage],
    [['send', '--amount', 'ten'], 'error: --amount: expected a whole number from 1 up, got "ten"\n', EXIT.usage],
    [['send', '--amount', '-1'], 'error: --amount: expected a whole number from 1 up, got "-1"\n', EXIT.usage],
    [['query', '--env', 'Prod', 'SELECT 1'], 'error: --env: expected 2 to 16 lower-case letters or digits starting with a letter, got "Prod"\n', EXIT.usage],
  ])('%j: one line on stderr, nothing on stdout', async (args, message, code) => {
    const result = await lakehouse(args);
    expect(result).toEqual({ code, stdout: '', stderr: message });
  });

  describe('the main job, as a script sees it', () => {
    let lakeDir: string;
    let sent: Run;
    beforeAll(async () => {
      lakeDir = join(dir, 'lake');
      sent = await lakehouse(['send', '--amount', '25', '--seed', '3', '--data-dir', lakeDir, '--json']);
    });

    it('send: stdout is the JSON summary alone, the rest went to stderr, exit 0', () => {
      expect(sent.code).toBe(EXIT.ok);
      const summary = JSON.parse(sent.stdout) as { requested: number; sent: number; lake: { kind: string; report: { recordsDelivered: number } } };
      expect(summary).toMatchObject({ requested: 25, sent: 25, lake: { kind: 'embedded', report: { recordsDelivered: 25 } } });
      expect(sent.stderr).toContain('No lake:up running: starting the embedded local lakehouse…');
    });

    it('query --json / --csv: the rows alone on stdout, nothing on stderr', async () => {
      const json = await lakehouse([
        'query',
        '--data-dir',
        lakeDir,
        '--json',
        'SELECT count(*) AS n, count(DISTINCT uuid) AS d FROM events WHERE year >= 2025',
      ]);
      expect(json).toEqual({ code: EXIT.ok, stdout: `${JSON.stringify([{ n: 25, d: 25 }], null, 2)}\n`, stderr: '' });
      const csv = await lakehouse(['query', '--data-dir', lakeDir, '--csv', 'SELECT count(*) AS n FROM events']);
      expect(csv).toEqual({ code: EXIT.ok, stdout: 'n\n25\n', stderr: '' });
    });

    it('a failed query: one line, exit 9', async () => {
      const result = await lakehouse(['query', '--data-dir', lakeDir, 'SELECT nope FROM events']);
      expect(result.code).toBe(EXIT.query);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error: Binder Error: Referenced column "nope" not found/);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });

  it('query with nothing delivered: exit 5 (missing)', async () => {
    const result = await lakehouse(['query', '--data-dir', join(dir, 'empty'), 'SELECT 1']);
    expect(result.code).toBe(EXIT.missing);
    expect(result.stderr).toMatch(/^error: no catalog at .*: nothing has been delivered here yet/);
  });

  describe('up', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    });
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('says everything on stderr, keeps stdout empty, and stops with Ctrl-C, exit 0', async () => {
      const result = await lakehouse(['up', '--port', '0', '--no-console', '--data-dir', join(dir, 'up')], {
        signalWhen: (stderr) => stderr.includes('Ctrl-C reads the stream'),
      });
      expect(result).toMatchObject({ code: EXIT.ok, stdout: '' });
      expect(result.stderr).toMatch(/^lakehouse dev is up\n {2}kinesis: {3}http:\/\/127\.0\.0\.1:\d+ {2}stream lakehouse-dev-events/);
    });

    it('a port another program holds: one line, exit 8', async () => {
      const { port } = blocker.address() as { port: number };
      const result = await lakehouse(['up', '--port', String(port), '--no-console', '--data-dir', join(dir, 'busy')]);
      expect(result).toEqual({
        code: EXIT.lakehouse,
        stdout: '',
        stderr: `error: port ${port} on 127.0.0.1 is in use by another program; stop it, or pass --port 0 to pick a free port\n`,
      });
    });
  });
});

describe('console', () => {
  it('builds the page if it must, serves it on 127.0.0.1 over a lake folder, and stops with Ctrl-C, exit 0', async () => {
    let url = '';
    let page: { status: number; html: string; info: unknown } | undefined;
    const result = await lakehouse(['console', '--port', '0', '--data-dir', join(dir, 'console')], {
      signalWhen: (stderr) => {
        url = /: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stderr)?.[1] ?? '';
        return stderr.includes('Ctrl-C stops it.');
      },
      beforeSignal: async () => {
        const response = await fetch(url);
        const info = await (await fetch(`${url}api/info`)).json();
        page = { status: response.status, html: await response.text(), info };
      },
    });
    expect(result).toMatchObject({ code: EXIT.ok, stdout: '' });
    expect(result.stderr).toMatch(/^console for .+ \(dev\): http:\/\/127\.0\.0\.1:\d+\/\nCtrl-C stops it\.\n$/);
    expect(page?.status).toBe(200);
    expect(page?.html).toMatch(/<script type="module"[^>]* src="\.\/assets\/[^"]+\.js"/);
    expect(page?.html).not.toContain('__CSP_NONCE__');
    expect(page?.info).toMatchObject({ mode: 'folder', environment: 'dev' });
  });
});

describe('the README', () => {
  it('documents every exit code, as the code defines them', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes'));
    const rows = [...section.matchAll(/^\| (\d+) \| `([a-z-]+)` \| (.+?) \|$/gm)].map(([, exit, code, meaning]) => [code, Number(exit), meaning]);
    expect(rows).toEqual(Object.entries(OUTCOMES).map(([code, { exit, meaning }]) => [code, exit, meaning]));
  });
});
