import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it), or another one. */
export const CHROMIUM = process.env.LAKEHOUSE_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests can't run here, if they can't. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no chromium at ${CHROMIUM} (apt-get install chromium, or set LAKEHOUSE_CHROMIUM to one)`;
}

/**
 * A headless chromium with a fresh profile, that can reach nothing but this machine: every other host name resolves
 * to nothing, so a request leaving 127.0.0.1 fails (and is listed) instead of reaching the network.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Every host name but this machine's resolves to nothing; `rebound` names resolve to 127.0.0.1 (DNS rebinding). */
const resolverRules = (rebound: readonly string[]) =>
  `--host-resolver-rules=${[...rebound.map((name) => `MAP ${name} 127.0.0.1`), 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost'].join(', ')}`;

/** What a page did that a user would call broken: console errors, uncaught exceptions, CSP violations. */
export interface PageWatch {
  page: Page;
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
}

export interface Browser {
  context: BrowserContext;
  open(url: string): Promise<PageWatch>;
  close(): Promise<void>;
}

/** `rebound`: host names that resolve to 127.0.0.1, as a DNS-rebinding page's name does after its first load. */
export async function launchBrowser(options: { rebound?: readonly string[] } = {}): Promise<Browser> {
  // No browser, no test: the suite fails saying what to install (the browser tests are part of `npm test`, not skipped).
  const missing = chromiumMissing();
  if (missing) throw new Error(`the console's browser tests need chromium: ${missing}`);
  const profile = await mkdtemp(join(tmpdir(), 'console-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [...ARGS, resolverRules(options.rebound ?? [])],
    headless: true,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  return {
    context,
    async open(url) {
      const page = await context.newPage();
      const watch: PageWatch = { page, problems: [], requests: [] };
      page.on('request', (request) => watch.requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') watch.problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => watch.problems.push(`exception: ${error.message}`));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.effectiveDirective} blocked ${e.blockedURI || e.sample}`));
      });
      await page.goto(url, { waitUntil: 'load' });
      return watch;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
