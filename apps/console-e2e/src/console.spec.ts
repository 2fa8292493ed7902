/**
 * The console as its user sees it: a real `lakehouse up`, 2,000 records sent with `lakehouse send` and 3 that fail
 * conversion put straight into Kinesis, and the page in Debian's chromium. Where this machine has no chromium the
 * test says why and, with CI=true, fails (.ci/run installs it).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { PIPELINE_METRICS, pipelineSettings } from '@lakehouse/pipeline';
import { launchBrowser, type Browser, type PageWatch } from './browser';
import type { LocalLakehouse } from '@lakehouse/local';
import { send, startConsoleLake } from './lakehouse';

const RECORDS = 2_000;
const BAD = ['not json at all', '{"uuid": "x", "phone": "not a number"}', '{"broken'];
/** Chromium logs every non-2xx answer; an SQL error is one on purpose. */
const EXPECTED_CONSOLE_LINE = /^console: Failed to load resource: the server responded with a status of 400 \(Bad Request\)$/;

describe('the console of a running lakehouse, in a browser', () => {
  let dir: string;
  let lake: LocalLakehouse;
  let browser: Browser;
  let watch: PageWatch;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-e2e-'));
    lake = await startConsoleLake(join(dir, 'lake'), { bufferInterval: 1 });
    browser = await launchBrowser();
    watch = await browser.open(lake.consoleUrl ?? '');
    page = watch.page;
    const sent = await send(['--amount', String(RECORDS), '--data-dir', join(dir, 'lake')]);
    expect(sent.code, sent.stderr).toBe(0);
    const client = kinesisClient({ endpoint: lake.endpoint });
    const settings = pipelineSettings('dev');
    const put = await client.send(
      new PutRecordsCommand({
        StreamName: settings.streamName,
        Records: BAD.map((text, i) => ({ Data: new TextEncoder().encode(text), PartitionKey: `bad-${i}` })),
      }),
    );
    client.destroy();
    expect(put.FailedRecordCount).toBe(0);
  });

  afterAll(async () => {
    await browser?.close();
    if (lake) expect(await lake.stop()).toMatchObject({ recordsDelivered: RECORDS, recordsFailed: BAD.length });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The figures the Pipeline view shows, label → text, in one panel (`h-totals`, `h-errors`). */
  const figures = (panel: string) =>
    page.evaluate((id) => {
      const section = document.getElementById(id)?.closest('section');
      return Object.fromEntries(
        [...(section?.querySelectorAll('.fig') ?? [])].map((f) => [f.querySelector('dt')?.textContent ?? '', f.querySelector('dd')?.textContent ?? '']),
      );
    }, panel);

  it('counts every record on the Pipeline view: in, delivered, failed', async () => {
    await expect
      .poll(() => figures('h-totals'), { timeout: 60_000 })
      .toMatchObject({ 'records in': '2,003', 'records delivered': '2,000', 'records failed': '3' });
    expect(await figures('h-errors')).toMatchObject({ 'records failed (conversion or partitioning)': '3', 'error objects': '1' });
  });

  it('draws a live graph per metric, each named as CloudWatch names it', async () => {
    const names = await page.locator('.tile .tile-name').allTextContents();
    expect(names).toEqual(PIPELINE_METRICS.map((m) => m.name));
    expect(await page.locator('.tile .tile-chart canvas').count()).toBeGreaterThanOrEqual(PIPELINE_METRICS.length);
    const incoming = page.locator('.tile', { has: page.locator('.tile-name', { hasText: /^IncomingRecords$/ }) }).locator('.tile-value');
    await expect.poll(() => incoming.textContent(), { timeout: 30_000 }).not.toBe('—');
  });

  /** Every object under a prefix, walking the Bucket view's folders as a user clicks them. */
  async function objectsUnder(prefix: string): Promise<Array<{ key: string; rows: number }>> {
    await page.evaluate((p) => (location.hash = `#/bucket?prefix=${encodeURIComponent(p)}`), prefix);
    await page.locator('.list-meta', { hasText: `/${prefix}` }).waitFor();
    const folders = await page
      .locator('table.listing a.folder')
      .evaluateAll((links) => links.map((a) => new URLSearchParams((a as HTMLAnchorElement).hash.split('?')[1]).get('prefix') ?? ''));
    const objects = await page.locator('table.listing tr:has(a.object)').evaluateAll((rows) =>
      rows.map((row) => ({
        key: new URLSearchParams((row.querySelector('a.object') as HTMLAnchorElement).hash.split('?')[1]).get('key') ?? '',
        rows: Number(row.querySelectorAll('td')[2]?.textContent?.replaceAll(',', '')),
      })),
    );
    for (const folder of folders) objects.push(...(await objectsUnder(folder)));
    return objects;
  }

  it('lists the bucket as S3 would: the rows of the Parquet objects add up to the records delivered', async () => {
    const objects = await objectsUnder('events/');
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.every((o) => /^events\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\/.+\.parquet$/.test(o.key))).toBe(true);
    expect(objects.reduce((n, o) => n + o.rows, 0)).toBe(RECORDS);
  });

  it('opens an error object to each record’s error code and the text it came as', async () => {
    const [errors] = await objectsUnder('errors/');
    // dev partitions by event time: records with no usable event_date fail partitioning before conversion.
    expect(errors?.key).toMatch(/^errors\/partitioning-failed\//);
    await page.locator('table.listing a.object').first().click();
    await page.locator('.error-record').first().waitFor();
    const records = await page
      .locator('.error-record')
      .evaluateAll((items) =>
        items.map((item) => ({ code: item.querySelector('.error-code')?.textContent ?? '', raw: item.querySelector('pre')?.textContent ?? '' })),
      );
    expect(records.map((r) => r.raw).sort()).toEqual([...BAD].sort());
    expect(records.every((r) => r.code.length > 0)).toBe(true);
  });

  /** Types SQL into the editor and runs it with Ctrl-Enter. */
  async function runSql(sql: string): Promise<void> {
    await page.evaluate(() => (location.hash = '#/sql'));
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(sql);
    await page.keyboard.press('Control+Enter');
  }

  const resultCells = () =>
    page
      .locator('.results .vt-body [role=row]:not([hidden])')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('[role=cell]')].map((c) => c.textContent)));

  it('runs Athena’s SQL with Ctrl-Enter: the lake holds every record delivered', async () => {
    await runSql('SELECT count(*) AS events FROM events');
    await expect.poll(resultCells, { timeout: 30_000 }).toEqual([[String(RECORDS)]]);
    await expect(page.locator('.results .result-meta').textContent()).resolves.toMatch(/^1 row/);
  });

  it('draws a time-bucketed result as a chart', async () => {
    await runSql("SELECT date_trunc('minute', event_date) AS minute, count(*) AS events FROM events GROUP BY 1 ORDER BY 1");
    await page.locator('.result-chart:not([hidden]) canvas').first().waitFor({ timeout: 30_000 });
    const cells = await resultCells();
    expect(cells.reduce((n, row) => n + Number(row[1]), 0)).toBe(RECORDS);
    expect(await page.locator('.chart-note').textContent()).toMatch(/^Chart: a line/);
  });

  it('marks an SQL syntax error in the editor, at its line, with the engine’s message', async () => {
    await runSql('SELECT status,\n  count(*\nFROM events');
    const panel = page.locator('.cm-sql-error-panel');
    await panel.waitFor({ timeout: 30_000 });
    expect(await panel.textContent()).toMatch(/^Line 3, column 1: /);
    expect(await page.locator('.cm-sql-error-line').count()).toBe(1);
  });

  it('answers nothing to another page the user opens, even one on this machine', async () => {
    // Another local web app (another port is another origin): what its script gets from the console's API.
    const foreign = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const other = await browser.context.newPage();
    try {
      await other.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      const attempts = await other.evaluate(async (api) => {
        const outcome = (request: Promise<Response>) =>
          request.then(
            (r) => `read ${r.status}`,
            (e: Error) => `refused: ${e.name}`,
          );
        return {
          info: await outcome(fetch(`${api}api/info`)),
          query: await outcome(
            fetch(`${api}api/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"sql":"SELECT * FROM events"}' }),
          ),
          blind: await outcome(fetch(`${api}api/query`, { method: 'POST', mode: 'no-cors', body: '{"sql":"SELECT 1"}' })),
        };
      }, lake.consoleUrl ?? '');
      // None reaches a handler (a foreign Origin is 403, a CORS preflight 405), and the browser hands the page nothing.
      expect(attempts).toEqual({ info: 'refused: TypeError', query: 'refused: TypeError', blind: 'refused: TypeError' });
    } finally {
      await other.close();
      foreign.close();
    }
  });

  it('caps a huge result in the page, with a notice, and downloads every row', async () => {
    // Athena's sequence() stops at 10,000 entries, so 150 × 1,000 of them.
    await runSql('SELECT (a - 1) * 1000 + b AS x FROM UNNEST(sequence(1, 150)) AS t(a) CROSS JOIN UNNEST(sequence(1, 1000)) AS u(b) ORDER BY x');
    const notice = page.locator('.cap-note:not([hidden])');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.textContent()).toMatch(/100,000/);
    expect(await page.locator('.results .vt-scroll').getAttribute('aria-rowcount')).toBe('100001');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: /CSV/ }).click()]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(150_001);
    expect([lines[0], lines[1], lines.at(-1)]).toEqual(['x', '1', '150000']);
  });

  it('answers a page whose DNS was rebound to 127.0.0.1 nothing at all (421)', async () => {
    const rebinding = await launchBrowser({ rebound: ['rebind.example'] });
    try {
      const page = await rebinding.context.newPage();
      const rebound = `http://rebind.example:${new URL(lake.consoleUrl ?? '').port}`;
      for (const path of ['/', '/api/info', '/api/named-queries']) expect((await page.goto(`${rebound}${path}`))?.status(), path).toBe(421);
    } finally {
      await rebinding.close();
    }
  });

  it('stayed on this machine, with no error in the page and nothing the CSP refused', () => {
    const origin = new URL(lake.consoleUrl ?? '').origin;
    expect(watch.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:'))).toEqual([]);
    expect(watch.problems.filter((p) => !EXPECTED_CONSOLE_LINE.test(p))).toEqual([]);
  });
});
