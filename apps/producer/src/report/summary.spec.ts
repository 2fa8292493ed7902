import { describe, expect, it } from 'vitest';
import type { DeliveryReport } from '@lakehouse/local';
import { renderProgress } from './progress';
import { buildSummary, formatSummary, queryCommand } from './summary';
import { Tally } from './tally';

type Counts = 'requested' | 'sent' | 'rejected' | 'deadLettered' | 'retried' | 'kinesisRecords' | 'throttled' | 'resent';
function tally(counts: Partial<Pick<Tally, Counts>>, latencies: number[] = []): Tally {
  const t = Object.assign(new Tally(), counts);
  for (const ms of latencies) t.count({ kind: 'answered', ms });
  return t;
}

describe('formatSummary', () => {
  it('prints the counts as a table, numbers aligned', () => {
    const summary = buildSummary(tally({ requested: 12_000, sent: 12_000 }, [10, 20, 30]), {
      dryRun: false,
      target: 'http://127.0.0.1:4567',
      stream: 's',
      seconds: 2,
    });
    expect(formatSummary(summary)).toBe(
      [
        '12,000 records sent to stream s at http://127.0.0.1:4567 in 2.0 s.',
        '',
        '  requested      12,000',
        '  sent           12,000',
        '  rejected            0',
        '  dead-lettered       0',
        '  retried             0',
        '  throttled           0',
        '  records/s       6,000',
        // Latencies 10, 20, 30 ms: p50 is the 2nd, p99 the 3rd, each the upper bound of its 2%-wide bucket.
        '  PutRecords     3 calls, p50 20.2 ms, p99 30.6 ms',
      ].join('\n'),
    );
  });

  it('names the dead-letter file, how to resend it, the errors and why the run stopped', () => {
    const t = tally({ requested: 10, sent: 6, rejected: 1, deadLettered: 3, retried: 9 });
    t.count({ kind: 'error', code: 'ProvisionedThroughputExceededException', entries: 8 });
    t.count({ kind: 'error', code: 'InternalFailure', entries: 1 });
    const text = formatSummary(
      buildSummary(t, {
        dryRun: false,
        target: 'AWS (eu-west-1)',
        stream: 's',
        seconds: 0.25,
        deadLetterFile: '/tmp/dl.ndjson',
        stoppedBy: 'interrupted (Ctrl-C)',
      }),
    );
    expect(text).toContain('6 records sent to stream s at AWS (eu-west-1) in 250 ms.');
    expect(text).toContain('  errors         ProvisionedThroughputExceededException ×8, InternalFailure ×1');
    expect(text).toContain('Stopped early: interrupted (Ctrl-C).');
    expect(text).toContain('3 records could not be delivered and are in /tmp/dl.ndjson: send them again with --input /tmp/dl.ndjson');
  });

  it('counts user records and Kinesis records apart with --aggregate, and the records re-sent after a split', () => {
    const t = tally({ requested: 40_000, sent: 40_000, kinesisRecords: 236, throttled: 3, retried: 510, resent: 170 }, [10, 20]);
    const summary = buildSummary(t, { dryRun: false, target: 'http://127.0.0.1:4567', stream: 's', seconds: 4 });
    expect(summary).toMatchObject({ sent: 40_000, kinesisRecords: 236, throttled: 3, resent: 170, putRecords: { calls: 2 } });
    expect(formatSummary(summary)).toBe(
      [
        '40,000 records sent to stream s at http://127.0.0.1:4567 in 4.0 s.',
        '',
        '  requested        40,000',
        '  sent             40,000',
        '  rejected              0',
        '  dead-lettered         0',
        '  retried             510',
        '  throttled             3',
        '  resent           170 (alone: their aggregate landed on a shard that had split)',
        '  records/s        10,000',
        '  Kinesis records  236 (aggregated: 169.5 records each on average)',
        '  PutRecords       2 calls, p50 10.1 ms, p99 20.2 ms',
      ].join('\n'),
    );
  });

  it('says a dry run sent nothing', () => {
    const text = formatSummary(buildSummary(tally({ requested: 1, sent: 1 }), { dryRun: true, target: 'stdout', seconds: 0.5 }));
    expect(text.split('\n')[0]).toBe('Dry run: 1 record written to stdout in 500 ms, nothing sent.');
    expect(text).not.toContain('dead-lettered');
  });
});

describe('what the summary says of the local lake', () => {
  const report = { bucketDir: '/lake/s3/b', catalogFile: '/lake/catalog.json', recordsDelivered: 15, recordsFailed: 0, objects: [] };
  const query = 'npx nx run lake:query "…"';
  const withErrors: DeliveryReport = {
    ...report,
    recordsFailed: 3,
    objects: [
      { key: 'errors/format-conversion-failed/year=2026/a', path: '/a', records: 1, bytes: 9, kind: 'error' },
      { key: 'errors/partitioning-failed/b', path: '/b', records: 2, bytes: 9, kind: 'error' },
    ],
  };
  it.each([
    [
      'an embedded lake that delivered leftovers of a killed run too',
      { kind: 'embedded', report, leftover: 5, query },
      '(5 records of them an earlier run left in its stream on disk when it was killed.)',
    ],
    [
      'an embedded lake that sent records to the error prefix, each group said with why it failed',
      {
        kind: 'embedded',
        report: withErrors,
        query,
      },
      '1 record failed conversion and went to the error prefix:\n  errors/format-conversion-failed/year=2026/a\n2 records failed partitioning (no event-time keys) and went to the error prefix:\n  errors/partitioning-failed/b',
    ],
    [
      'a lake:up killed with records not delivered, its stream on disk',
      { kind: 'stopped', pid: 42, undelivered: 7, query },
      'The lake:up that took them (pid 42) died before delivering 7 records of them: start it again with the same --data-dir, and it delivers them from its stream on disk (--persist).',
    ],
    [
      'a lake:up stopped',
      { kind: 'stopped', pid: 42, query },
      'The lake:up that took them (pid 42) has stopped: start it again with the same --data-dir; with --persist it delivers what it had not yet delivered.',
    ],
  ] as const)('%s', (_label, lake, line) => {
    const summary = buildSummary(tally({ requested: 10, sent: 10 }), { dryRun: false, target: 't', stream: 's', seconds: 1, lake });
    expect(formatSummary(summary)).toContain(line);
  });
});

describe('queryCommand', () => {
  it.each([
    [{}, 'npx nx run lake:query "SELECT status, count(*) FROM events GROUP BY status"'],
    [{ dataDir: '/tmp/lake' }, 'npx nx run lake:query --data-dir /tmp/lake "SELECT status, count(*) FROM events GROUP BY status"'],
    [
      { dataDir: 'my lake', environment: 'prod' },
      `npx nx run lake:query --data-dir 'my lake' --env prod "SELECT status, count(*) FROM events GROUP BY status"`,
    ],
  ])('%j -> %s', (options, command) => {
    expect(queryCommand(options)).toBe(command);
  });
});

describe('renderProgress', () => {
  it.each([
    [{ done: 500, total: 1000, elapsedMs: 1000, retried: 3, width: 120 }, '[############............] 50%  500/1,000 sent  500 rec/s  retried 3  ETA 1s'],
    [{ done: 0, total: 1000, elapsedMs: 1000, retried: 0, width: 120 }, '[........................] 0%  0/1,000 sent  0 rec/s  retried 0'],
    [
      { done: 3000, elapsedMs: 30_000, durationMs: 120_000, retried: 0, width: 120 },
      '[######..................] 25%  3,000 sent  100 rec/s  retried 0  ETA 1m30s',
    ],
    [{ done: 42, elapsedMs: 2000, retried: 0, width: 120 }, 'sending  42 sent  21 rec/s  retried 0'],
    [{ done: 500, total: 1000, elapsedMs: 1000, retried: 3, width: 20 }, '[############......'],
  ])('%j', (state, line) => {
    expect(renderProgress(state)).toBe(line);
  });
});
