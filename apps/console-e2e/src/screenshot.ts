/**
 * The README's pictures of the console: a lakehouse with a minute of steady traffic (and a few records that fail
 * conversion), its Pipeline view, and the SQL view with a per-second chart. Writes apps/console/screenshots/*.png.
 * Usage: nx run console-e2e:screenshot [--seconds 60]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { pipelineSettings } from '@lakehouse/pipeline';
import { launchBrowser } from './browser';
import { REPO_ROOT, send, startConsoleLake } from './lakehouse';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const SECONDS = Number(values.seconds);
const OUT = join(REPO_ROOT, 'apps', 'console', 'screenshots');

const dir = await mkdtemp(join(tmpdir(), 'console-screenshot-'));
const lake = await startConsoleLake(join(dir, 'lake'), { bufferInterval: 5 });
const browser = await launchBrowser();
try {
  const { page } = await browser.open(lake.consoleUrl ?? '');
  process.stderr.write(`${lake.consoleUrl}: sending for ${SECONDS} s…\n`);
  const sending = send(['--rate', '250', '--duration', `${SECONDS}s`, '--data-dir', join(dir, 'lake')]);
  const client = lake.kinesisClient();
  await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
  const bad = ['{"uuid": "7c1e…", "phone": "n/a"}', 'not json'].map((text, i) => ({ Data: new TextEncoder().encode(text), PartitionKey: `bad-${i}` }));
  await client.send(new PutRecordsCommand({ StreamName: pipelineSettings('dev').streamName, Records: bad }));
  client.destroy();
  const sent = await sending;
  if (sent.code !== 0) throw new Error(`send failed: ${sent.stderr}`);
  await new Promise((r) => setTimeout(r, 8_000)); // the last delivery, then two settled seconds
  await mkdir(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'pipeline.png'), fullPage: true });

  await page.evaluate(() => (location.hash = '#/sql'));
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(
    "SELECT date_trunc('second', event_date) AS second, count(*) AS events\nFROM events\nWHERE year = year(current_date)\nGROUP BY 1\nORDER BY 1",
  );
  await page.keyboard.press('Control+Enter');
  await page.locator('.result-chart:not([hidden]) canvas').first().waitFor();
  await page.keyboard.press('Escape');
  await page.screenshot({ path: join(OUT, 'sql.png') });
  process.stderr.write(`wrote ${join(OUT, 'pipeline.png')} and sql.png\n`);
} finally {
  await browser.close();
  await lake.stop();
  await rm(dir, { recursive: true, force: true });
}
