/**
 * The console through a lake's life: empty states before anything is delivered, what the page says when the lake
 * stops, and its reconnecting by itself when the lake is back on the same address. A real `lakehouse up`, stopped
 * with Ctrl-C and started again, and the page in Debian's chromium (skipped where there is none: console.spec.ts
 * says why, and fails under CI).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser, type PageWatch } from './browser';
import type { LocalLakehouse } from '@lakehouse/local';
import { PIPELINE_METRICS } from '@lakehouse/pipeline';
import { startConsoleLake } from './lakehouse';

/** What chromium logs while the lake is away: the page's requests find no server. */
// The lake gone: connections refused, or one that was open when it stopped reset.
const LAKE_AWAY = /^console: Failed to load resource: net::ERR_CONNECTION_(REFUSED|RESET)$/;

/** A port free right now, so that the lake can come back at the address the page knows. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('the console of an empty lake that stops and comes back, in a browser', () => {
  let dir: string;
  let consolePort: number;
  let lake: LocalLakehouse | undefined;
  let browser: Browser;
  let watch: PageWatch;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-e2e-restart-'));
    consolePort = await freePort();
    lake = await startConsoleLake(join(dir, 'lake'), { consolePort, environment: 'prod' });
    browser = await launchBrowser();
    watch = await browser.open(lake.consoleUrl ?? '');
    page = watch.page;
  });

  afterAll(async () => {
    await browser?.close();
    if (lake) expect(await lake.stop()).toMatchObject({ recordsDelivered: 0, recordsFailed: 0 });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const pill = () => page.locator('#link-status').textContent();
  const shown = (selector: string) => page.locator(`${selector}:visible`).first().innerText({ timeout: 30_000 });

  it('shows an empty lake as empty: no records, an empty bucket, the table in the catalog, a count of 0', async () => {
    await expect.poll(pill, { timeout: 30_000 }).toBe('live');
    const totals = () =>
      page
        .locator('#h-totals')
        .locator('xpath=ancestor::section[1]')
        .locator('.fig')
        .evaluateAll((figs) => figs.map((f) => `${f.querySelector('dt')?.textContent} ${f.querySelector('dd')?.textContent}`));
    await expect
      .poll(totals, { timeout: 30_000 })
      .toEqual(['records in 0', 'bytes in 0 B', 'records delivered 0', 'bytes delivered 0 B', 'records failed 0', 'data objects 0', 'error objects 0']);

    await page.evaluate(() => (location.hash = '#/bucket'));
    expect(await shown('.notice-empty')).toMatch(/^The lake is empty\./);

    await page.evaluate(() => (location.hash = '#/catalog'));
    await expect.poll(() => page.locator('main').textContent(), { timeout: 30_000 }).toMatch(/Tablelakehouse_prod\.events.*Columns \(7\)/);

    await page.evaluate(() => (location.hash = '#/sql'));
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('SELECT count(*) AS events FROM events');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.results .vt-body [role=row]:not([hidden]) [role=cell]').allTextContents(), { timeout: 30_000 }).toEqual(['0']);
    expect(await page.locator('.notice-error').count()).toBe(0);
  });

  it('draws no dynamic-partitioning graph for a lake partitioned by arrival time (prod): Firehose publishes none there', async () => {
    await page.evaluate(() => (location.hash = '#/pipeline'));
    const names = () => page.locator('.tile:visible .tile-name').allTextContents();
    await expect.poll(names, { timeout: 30_000 }).toEqual(PIPELINE_METRICS.filter((m) => !('partitioning' in m)).map((m) => m.name));
    expect(await names()).not.toContain('PartitionCount');
    await page.evaluate(() => (location.hash = '#/sql')); // where the tests below type their query
  });

  it('says the lake stopped when it does, and counts down to its next try', async () => {
    expect(await lake?.stop()).toMatchObject({ recordsDelivered: 0, recordsFailed: 0 });
    lake = undefined;
    await expect.poll(pill, { timeout: 30_000 }).toBe('lake stopped');
    expect(await shown('.banner-down')).toMatch(/^The lake does not answer: it may have stopped\. The page reconnects when it is back/);
  });

  it('reconnects by itself when the lake is back at the same address, and says so', async () => {
    lake = await startConsoleLake(join(dir, 'lake'), { consolePort, environment: 'prod' });
    await expect.poll(pill, { timeout: 30_000 }).toBe('live');
    expect(await shown('.banner-back')).toBe('The lake is back: reconnected.');
    // The page works again as it did: a query answers.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.results .result-meta').textContent(), { timeout: 30_000 }).toMatch(/^1 row/);
  });

  it('stayed on this machine, with no error in the page but the lake being away', () => {
    const origin = `http://127.0.0.1:${consolePort}`;
    expect(watch.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:'))).toEqual([]);
    expect(watch.problems.filter((p) => !LAKE_AWAY.test(p))).toEqual([]);
  });
});
