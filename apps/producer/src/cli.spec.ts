import { execFileSync, spawn, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '@lakehouse/runtime';
import { validate, type EventRecord } from '@lakehouse/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from './report/summary';
import { createRecordGenerator } from './source/generate';
import { LAKEHOUSE } from './testing/commands';
import { startFaultyKinesis } from './testing/faulty-kinesis';
import { createStream, readStream } from './testing/kinesis';
import { useKinesalite } from './testing/use-kinesalite';

const [NODE = process.execPath, ...COMMAND] = LAKEHOUSE;
const CLI = [...COMMAND, 'send'];

let dir: string;
const kinesis = useKinesalite();
let streams = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'producer-cli-'));
});

/** Runs the CLI as a user would, in its own process: exit code, stdout, stderr. */
function cli(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [...CLI, '--data-dir', join(dir, 'lake'), ...args], { cwd: dir, env: { ...process.env, CI: 'true', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject).on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function newStream(): Promise<string> {
  const name = `cli-${++streams}`;
  await createStream(kinesis.client, name, 2);
  return name;
}

const good = (seed: number, n: number) => Array.from({ length: n }, createRecordGenerator({ seed }));
const ndjson = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n';
async function inputFile(name: string, lines: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, ndjson(lines));
  return path;
}
/** The error line the CLI ends with. */
const errorLine = (stderr: string) =>
  stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l.startsWith('error: '))
    .at(-1);

describe('producer:send, run as a command', () => {
  it('--help prints every flag and exits 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(EXIT.ok);
    expect(stdout.startsWith('Usage: lakehouse send [options]   (or: nx run producer:send [options])\n')).toBe(true);
  });

  it('a bad flag: one line, exit 2', async () => {
    const { code, stderr } = await cli(['--amount', 'ten']);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe('error: --amount: expected a whole number from 1 up, got "ten"\n');
  });

  it('--dry-run prints the records as NDJSON, valid and reproducible with --seed', async () => {
    const { code, stdout, stderr } = await cli(['--dry-run', '--amount', '300', '--seed', '9']);
    expect(code).toBe(EXIT.ok);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as EventRecord);
    expect(lines).toHaveLength(300);
    for (const line of lines) expect(validate(line).ok).toBe(true);
    const withoutTime = (r: EventRecord) => ({ ...r, event_date: '' });
    expect(lines.map(withoutTime)).toEqual(good(9, 300).map(withoutTime));
    expect(stderr).toContain('Dry run: 300 records written to stdout');
  });

  it('--event-time-spread spreads event_date over the last TIME, the other fields as --seed makes them; a bad value: one line, exit 2', async () => {
    const before = Date.now();
    const { code, stdout } = await cli(['--dry-run', '--amount', '500', '--seed', '9', '--event-time-spread', '2d']);
    const after = Date.now();
    expect(code).toBe(EXIT.ok);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as EventRecord);
    for (const line of lines) expect(validate(line).ok).toBe(true);
    const times = lines.map((l) => Date.parse(l.event_date));
    expect(Math.min(...times)).toBeGreaterThan(before - 2 * 86_400_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(after);
    // Late data: hours apart, not the one send time.
    expect(new Set(lines.map((l) => l.event_date.slice(0, 13))).size).toBeGreaterThan(24);
    const withoutTime = (r: EventRecord) => ({ ...r, event_date: '' });
    expect(lines.map(withoutTime)).toEqual(good(9, 500).map(withoutTime));

    const bad = await cli(['--event-time-spread', '1w']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toBe('error: --event-time-spread: expected a time into the past like 90s, 45m, 3h or 2d, up to 366d, got "1w"\n');
  });

  it('sends to an endpoint, echoes each accepted record and prints a JSON summary', async () => {
    const stream = await newStream();
    const { code, stdout } = await cli(['--endpoint', kinesis.endpoint, '--stream', stream, '--amount', '40', '--echo', '--json']);
    expect(code).toBe(EXIT.ok);
    const lines = stdout.trimEnd().split('\n');
    const summary = JSON.parse(lines.pop() ?? '') as Summary;
    expect(summary).toMatchObject({ requested: 40, sent: 40, rejected: 0, deadLettered: 0, stream, target: kinesis.endpoint });
    expect(summary.putRecords?.calls).toBe(1);
    expect(summary.putRecords?.p99Ms).toBeGreaterThan(0);
    const stored = (await readStream(kinesis.client, stream)).map((r) => r.data);
    expect(lines.sort()).toEqual(stored.sort());
  });

  it('sends NDJSON from stdin with --input -', async () => {
    const stream = await newStream();
    const records = good(11, 25);
    const { code, stderr } = await cli(['--endpoint', kinesis.endpoint, '--stream', stream, '--input', '-'], ndjson(records));
    expect(code).toBe(EXIT.ok);
    expect(stderr).toContain(`25 records sent to stream ${stream}`);
    expect((await readStream(kinesis.client, stream)).map((r) => (JSON.parse(r.data) as EventRecord).uuid).sort()).toEqual(records.map((r) => r.uuid).sort());
  });
});

/** Runs the CLI with stdio as given (a directory as stdin, a fourth pipe): exit code, stdout, stderr. */
function cliWith(args: string[], stdio: StdioOptions, feed?: (child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(NODE, [...CLI, ...args], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject).on('close', (code) => resolve({ code, stdout, stderr }));
    feed?.(child);
  });
}

describe('producer:send --input: text is sent as written or refused, and every kind of input is read', () => {
  const [a, b, c] = good(14, 3) as [EventRecord, EventRecord, EventRecord];
  const bytes = (text: string) => Buffer.from(text, 'utf8');

  it('invalid UTF-8, a lone surrogate and a duplicate key: each refused with its line and reason, never changed, exit 3', async () => {
    const stream = await newStream();
    const file = join(dir, 'changed.ndjson');
    const lines = [
      bytes(JSON.stringify(a)),
      Buffer.concat([bytes('{"name":"Zo'), Buffer.from([0xff]), bytes('"}')]),
      bytes(JSON.stringify({ ...b, name: 'Zo\ud800' })),
      bytes(`{"name":"x",${JSON.stringify(b).slice(1)}`),
      bytes(JSON.stringify(c)),
    ];
    await writeFile(file, Buffer.concat(lines.flatMap((line) => [line, bytes('\n')])));
    const { code, stderr } = await cli(['--endpoint', kinesis.endpoint, '--stream', stream, '--input', file, '--on-invalid', 'skip']);
    expect(code).toBe(EXIT.rejected);
    expect(stderr).toContain('rejected: line 2: not UTF-8 text (byte 0xff at byte 12 of the line): the input must be UTF-8\n');
    expect(stderr).toContain('rejected: line 3: "Zo\\ud800" holds a lone surrogate (\\ud800), which is not Unicode text: fix or remove it\n');
    expect(stderr).toContain('rejected: line 4: duplicate key "name": JSON would keep only its last value; give each key once\n');
    expect((await readStream(kinesis.client, stream)).map((r) => (JSON.parse(r.data) as EventRecord).uuid).sort()).toEqual([a.uuid, c.uuid].sort());
  });

  it('a directory: "is a directory", exit 2', async () => {
    await mkdir(join(dir, 'folder'), { recursive: true });
    const { code, stderr } = await cli(['--dry-run', '--input', 'folder']);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe('error: --input folder: is a directory; give an NDJSON file, or - for stdin\n');
  });

  it('a directory as stdin (--input - < folder): "is a directory", exit 2, not an empty run', async () => {
    await mkdir(join(dir, 'folder'), { recursive: true });
    const folder = openSync(join(dir, 'folder'), 'r');
    try {
      const { code, stderr } = await cliWith(['--dry-run', '--input', '-'], [folder, 'pipe', 'pipe']);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toBe('error: --input -: stdin is a directory; give an NDJSON file, or pipe one in\n');
    } finally {
      closeSync(folder);
    }
  });

  it('a FIFO is read as a stream', async () => {
    const fifo = join(dir, 'records.fifo');
    execFileSync('mkfifo', [fifo]);
    const { code, stdout } = await cliWith(['--dry-run', '--input', fifo], ['ignore', 'pipe', 'pipe'], () => {
      void writeFile(fifo, ndjson([a, b])); // opening a FIFO to write waits for its reader
    });
    expect(code).toBe(EXIT.ok);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as EventRecord).uuid),
    ).toEqual([a.uuid, b.uuid]);
  });

  it('/dev/fd/N (what a shell passes for <(…)) is read as a stream', async () => {
    const feed = await inputFile('feed.ndjson', [c]);
    // bash hands the command a pipe as /dev/fd/63, as a user's `--input <(zcat events.gz)` does.
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', '"$@" --input <(cat "$FEED")', 'bash', NODE, ...CLI, '--dry-run'], {
        cwd: dir,
        env: { ...process.env, CI: 'true', FEED: feed },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject).on('close', (code) => resolve({ code, stdout }));
    });
    expect(code).toBe(EXIT.ok);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as EventRecord).uuid),
    ).toEqual([c.uuid]);
  });
});

describe('producer:send: stopping', () => {
  it('Ctrl-C, even with a SIGTERM after it (as Nx sends): delivers what is in flight, reports, exit 130', async () => {
    const stream = await newStream();
    const child = spawn(NODE, [...CLI, '--endpoint', kinesis.endpoint, '--stream', stream, '--amount', '100000', '--rate', '200', '--json'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    // Stop once records are flowing, however slowly the machine started the CLI.
    for (let waited = 0; (await readStream(kinesis.client, stream)).length === 0 && waited < 30_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGINT');
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', resolve));
    const summary = JSON.parse(stdout.trim()) as Summary;
    expect(code).toBe(EXIT.interrupted);
    // Sent together, the two signals reach the process in either order (run.spec.ts pins what each order does).
    expect(['interrupted (Ctrl-C)', 'interrupted (SIGTERM)']).toContain(summary.stoppedBy);
    expect(summary.sent).toBeGreaterThan(0);
    expect(summary.sent).toBeLessThan(100_000);
    expect(summary.deadLettered).toBe(0);
    expect((await readStream(kinesis.client, stream)).length).toBe(summary.sent);
  });
});

describe('producer:send --dry-run | head -1: the reader goes away', () => {
  it('ends quietly (exit 0), counting the lines stdout took before it closed, not none of them', async () => {
    // head -1 itself: it reads one line and exits, and the next write fails with EPIPE.
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', '"$@" --dry-run --amount 100000 | head -1', 'bash', NODE, ...CLI], {
        cwd: dir,
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('error', reject).on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    expect(code).toBe(EXIT.ok);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('Stopped early: stdout was closed.');
    // What the pipe took before head went: at least the line head read, far fewer than asked, and the same in each.
    const written = Number(/^ {2}written +([\d,]+)$/m.exec(stderr)?.[1]?.replaceAll(',', ''));
    expect(written).toBeGreaterThanOrEqual(1);
    expect(written).toBeLessThan(100_000);
    expect(Number(/^ {2}requested +([\d,]+)$/m.exec(stderr)?.[1]?.replaceAll(',', ''))).toBe(written);
    expect(stderr).toContain(`Dry run: ${written.toLocaleString('en-US')} records written to stdout`);
  });
});

describe('producer:send: stopping with stdin still open', () => {
  it('--duration ends the run and the process, even while stdin stays open (tail -f | producer:send --input -)', async () => {
    const child = spawn(NODE, [...CLI, '--dry-run', '--input', '-', '--duration', '500ms'], { cwd: dir, env: { ...process.env, CI: 'true' } });
    child.stdin.write(`${JSON.stringify(good(13, 1)[0])}\n`); // one line, and the pipe stays open
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000));
    try {
      expect(await Promise.race([exited, deadline])).toBe(EXIT.ok);
      expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('producer:send: each failure gets its line and exit code', () => {
  const [a, b, c] = good(12, 3) as [EventRecord, EventRecord, EventRecord];
  const invalid = [a, '{"uuid": oops}', { ...b, phone: '12ab' }, c];

  it('invalid input lines, --on-invalid fail (default): stops at the first, exit 3', async () => {
    const stream = await newStream();
    const file = await inputFile('invalid.ndjson', invalid);
    const { code, stderr } = await cli(['--endpoint', kinesis.endpoint, '--stream', stream, '--input', file]);
    expect(code).toBe(EXIT.rejected);
    expect(stderr).toMatch(/^rejected: line 2: not valid JSON \(.+\)$/m);
    expect(stderr).not.toContain('line 3');
    expect(stderr).toContain('Stopped early: stopped at line 2, which is invalid (--on-invalid fail); pass --on-invalid skip to send the valid ones.');
    expect((await readStream(kinesis.client, stream)).map((r) => (JSON.parse(r.data) as EventRecord).uuid)).toEqual([a.uuid]);
  });

  it('invalid input lines, --on-invalid skip: reports each, sends the rest, exit 3', async () => {
    const stream = await newStream();
    const file = await inputFile('invalid.ndjson', invalid);
    const { code, stdout, stderr } = await cli(['--endpoint', kinesis.endpoint, '--stream', stream, '--input', file, '--on-invalid', 'skip', '--json']);
    expect(code).toBe(EXIT.rejected);
    expect(stderr).toMatch(/^rejected: line 2: not valid JSON/m);
    expect(stderr).toContain('rejected: line 3: phone: expected an integer from 900000000 to 999999999, got "12ab"\n');
    expect(JSON.parse(stdout) as Summary).toMatchObject({ requested: 4, sent: 2, rejected: 2, deadLettered: 0 });
    expect(await readStream(kinesis.client, stream)).toHaveLength(2);
  });

  it('an oversize record: reported with its size, never sent, exit 3', async () => {
    const stream = await newStream();
    const file = await inputFile('oversize.ndjson', [a, { ...b, name: 'x'.repeat(1_100_000) }, c]);
    const { code, stderr } = await cli(['--endpoint', kinesis.endpoint, '--stream', stream, '--input', file, '--on-invalid', 'skip']);
    expect(code).toBe(EXIT.rejected);
    expect(stderr).toMatch(
      /^rejected: line 2: record is 1,100,\d{3} bytes with its partition key; Kinesis takes at most 1,048,576 \(1 MiB\): make it smaller$/m,
    );
    expect((await readStream(kinesis.client, stream)).map((r) => (JSON.parse(r.data) as EventRecord).uuid).sort()).toEqual([a.uuid, c.uuid].sort());
  });

  it('an unknown stream: exit 5', async () => {
    const { code, stderr } = await cli(['--endpoint', kinesis.endpoint, '--stream', 'nope']);
    expect(code).toBe(EXIT.missing);
    expect(stderr).toBe(`error: stream "nope" not found at ${kinesis.endpoint}: create it there or pass --stream NAME\n`);
  });

  it('an unreachable endpoint: exit 6', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const endpoint = `http://127.0.0.1:${closed}`;
    const { code, stderr } = await cli(['--endpoint', endpoint]);
    expect(code).toBe(EXIT.unreachable);
    expect(stderr).toBe(`error: cannot reach ${endpoint} (ECONNREFUSED): start the server or fix --endpoint\n`);
  });

  it('a missing input file: exit 2', async () => {
    const { code, stderr } = await cli(['--endpoint', kinesis.endpoint, '--input', 'missing.ndjson']);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe('error: --input missing.ndjson: no such file; give an NDJSON file, or - for stdin\n');
  });

  it('records the stream will not take in time: dead-lettered to a file it names, exit 4', async () => {
    const stream = await newStream();
    const proxy = await startFaultyKinesis(kinesis.endpoint, {
      shardRecordsPerSecond: 20,
      internalFailureRate: 0,
      http500Rate: 0,
      dropBeforeRate: 0,
      dropAfterRate: 0,
      seed: 5,
    });
    const deadLetter = join(dir, 'dead.ndjson');
    try {
      const { code, stdout, stderr } = await cli([
        '--endpoint',
        proxy.endpoint,
        '--stream',
        stream,
        '--amount',
        '500',
        '--retry-time',
        '300ms',
        '--dead-letter',
        deadLetter,
        '--json',
      ]);
      expect(code).toBe(EXIT['dead-lettered']);
      const summary = JSON.parse(stdout) as Summary;
      expect(summary.deadLettered).toBeGreaterThan(0);
      expect(summary.sent + summary.deadLettered + summary.rejected).toBe(summary.requested);
      expect(summary.deadLetterFile).toBe(deadLetter);
      expect(summary.errors.ProvisionedThroughputExceededException).toBeGreaterThan(0);
      expect((await readFile(deadLetter, 'utf8')).trimEnd().split('\n')).toHaveLength(summary.deadLettered);
      expect(await readStream(kinesis.client, stream)).toHaveLength(summary.sent);
      expect(errorLine(stderr)).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('undeliverable records with no --dead-letter: the default file, <data-dir>/dead-letter/<stream>-<UTC time>.ndjson', async () => {
    const stream = await newStream();
    const proxy = await startFaultyKinesis(kinesis.endpoint, {
      shardRecordsPerSecond: 20,
      internalFailureRate: 0,
      http500Rate: 0,
      dropBeforeRate: 0,
      dropAfterRate: 0,
      seed: 7,
    });
    try {
      const { code, stdout } = await cli(['--endpoint', proxy.endpoint, '--stream', stream, '--amount', '300', '--retry-time', '300ms', '--json']);
      expect(code).toBe(EXIT['dead-lettered']);
      const summary = JSON.parse(stdout) as Summary;
      expect(summary.deadLetterFile).toMatch(new RegExp(`^${join(dir, 'lake', 'dead-letter')}/${stream}-\\d{8}T\\d{6}Z\\.ndjson$`));
      expect((await readFile(summary.deadLetterFile ?? '', 'utf8')).trimEnd().split('\n')).toHaveLength(summary.deadLettered);
    } finally {
      await proxy.close();
    }
  });

  it('refused and undeliverable records in one run: both counted, exit 4 (dead-lettered comes first)', async () => {
    const stream = await newStream();
    const proxy = await startFaultyKinesis(kinesis.endpoint, {
      shardRecordsPerSecond: 20,
      internalFailureRate: 0,
      http500Rate: 0,
      dropBeforeRate: 0,
      dropAfterRate: 0,
      seed: 8,
    });
    const input = await inputFile('mixed.ndjson', [...good(3, 300), '{"uuid": "not-a-uuid"}']);
    try {
      const { code, stdout } = await cli([
        '--endpoint',
        proxy.endpoint,
        '--stream',
        stream,
        '--input',
        input,
        '--on-invalid',
        'skip',
        '--retry-time',
        '300ms',
        '--json',
      ]);
      const summary = JSON.parse(stdout) as Summary;
      expect(summary).toMatchObject({ requested: 301, rejected: 1 });
      expect(summary.deadLettered).toBeGreaterThan(0);
      expect(code).toBe(EXIT['dead-lettered']);
    } finally {
      await proxy.close();
    }
  });

  it('no permission to describe the stream: a note, and the records are sent anyway', async () => {
    const stream = await newStream();
    const proxy = await startFaultyKinesis(kinesis.endpoint, {
      shardRecordsPerSecond: 1000,
      internalFailureRate: 0,
      http500Rate: 0,
      dropBeforeRate: 0,
      dropAfterRate: 0,
      seed: 9,
      deniedActions: ['DescribeStreamSummary'],
    });
    try {
      const { code, stdout, stderr } = await cli(['--endpoint', proxy.endpoint, '--stream', stream, '--amount', '40', '--json']);
      expect(code).toBe(EXIT.ok);
      expect(stderr).toContain(`cannot check stream "${stream}" (no kinesis:DescribeStreamSummary permission); sending anyway\n`);
      expect(JSON.parse(stdout) as Summary).toMatchObject({ sent: 40 });
      expect(await readStream(kinesis.client, stream)).toHaveLength(40);
    } finally {
      await proxy.close();
    }
  });

  it('a dead-letter file that cannot be written: still the summary, then one line naming the file, exit 1', async () => {
    const stream = await newStream();
    const proxy = await startFaultyKinesis(kinesis.endpoint, {
      shardRecordsPerSecond: 20,
      internalFailureRate: 0,
      http500Rate: 0,
      dropBeforeRate: 0,
      dropAfterRate: 0,
      seed: 6,
    });
    const blocker = await inputFile('not-a-folder', []);
    const deadLetter = join(blocker, 'dead.ndjson');
    try {
      const { code, stdout, stderr } = await cli([
        '--endpoint',
        proxy.endpoint,
        '--stream',
        stream,
        '--amount',
        '500',
        '--retry-time',
        '300ms',
        '--dead-letter',
        deadLetter,
        '--json',
      ]);
      expect(errorLine(stderr)).toMatch(
        new RegExp(`^error: cannot write the dead-letter file ${deadLetter} \\(EEXIST\\): \\d+ records were neither delivered nor saved$`),
      );
      expect(code).toBe(EXIT.unexpected);
      const summary = JSON.parse(stdout) as Summary;
      expect(summary.sent).toBeGreaterThan(0);
      expect(summary.deadLettered).toBe(0);
      expect(await readStream(kinesis.client, stream)).toHaveLength(summary.sent);
    } finally {
      await proxy.close();
    }
  });
});

describe('producer:send --target aws: the standard credential chain and region', () => {
  // AWS can't be reached from here: AWS_ENDPOINT_URL_KINESIS (read by the SDK itself) points the AWS path at kinesalite.
  const aws = (endpoint: string, accessKey: string) => ({
    AWS_ENDPOINT_URL_KINESIS: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: accessKey,
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_PROFILE: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  it('sends with the credentials and region from the environment', async () => {
    const stream = await newStream();
    const { code, stdout } = await cli(['--target', 'aws', '--stream', stream, '--amount', '15', '--json'], '', aws(kinesis.endpoint, 'AKIDEXAMPLE'));
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout) as Summary).toMatchObject({ sent: 15, target: 'AWS (eu-west-1)', stream });
    expect(await readStream(kinesis.client, stream)).toHaveLength(15);
  });

  it('refused credentials: one line, exit 7', async () => {
    const proxy = await startFaultyKinesis(kinesis.endpoint, {
      shardRecordsPerSecond: 1000,
      internalFailureRate: 0,
      http500Rate: 0,
      dropBeforeRate: 0,
      dropAfterRate: 0,
      seed: 1,
      refuseAccessKey: 'AKIDREVOKED',
    });
    try {
      const { code, stderr } = await cli(['--target', 'aws', '--stream', 'any'], '', aws(proxy.endpoint, 'AKIDREVOKED'));
      expect(code).toBe(EXIT.credentials);
      expect(stderr).toBe(
        'error: AWS (eu-west-1) refused the credentials (UnrecognizedClientException): check AWS_PROFILE and AWS_REGION, or run "aws sso login"\n',
      );
    } finally {
      await proxy.close();
    }
  });

  it('no credentials at all: one line, exit 7', async () => {
    const env = { ...aws(kinesis.endpoint, ''), AWS_SECRET_ACCESS_KEY: '', AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_CONFIG_FILE: join(dir, 'none') };
    const { code, stderr } = await cli(['--target', 'aws', '--stream', 'any'], '', env);
    expect(code).toBe(EXIT.credentials);
    expect(stderr).toBe(
      'error: no AWS credentials found: set AWS_PROFILE (and run "aws sso login" if it uses SSO) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n',
    );
  });
});
