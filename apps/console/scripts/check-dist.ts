/**
 * Checks a built console (apps/console/dist) before the lake serves it, and fails the build when:
 * - its JS + CSS exceed the budget gzipped (issue 10: 300 KB);
 * - index.html could not run under the lake's CSP: an inline <script> or <style>, a `style` attribute, a script or
 *   stylesheet without the nonce placeholder, no <meta property="csp-nonce">, or an address off the machine;
 * - a Node built-in reached the bundle (Vite leaves an empty stand-in that fails in the browser).
 * Usage: tsx scripts/check-dist.ts [dist] (the `build` target runs it after `vite build`).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { NODE_BUILTIN_MARKER, NONCE_PLACEHOLDER } from '../vite.config';

/** 300 KB, counted in thousands of bytes (the stricter reading). */
export const BUDGET_BYTES = 300_000;

export interface DistFile {
  file: string;
  bytes: number;
  gzip: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every .js and .css file under `dir`, with its size raw and gzipped (zlib's default level, as servers use). */
export function measure(dir: string): { files: DistFile[]; gzip: number } {
  const files = walk(dir)
    .filter((path) => /\.(m?js|css)$/.test(path))
    .map((path) => {
      const content = readFileSync(path);
      return { file: relative(dir, path), bytes: content.length, gzip: gzipSync(content).length };
    });
  return { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
}

/** What in index.html the lake's CSP would refuse, or that would leave the machine. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const tags = (name: string) => html.match(new RegExp(`<${name}\\b[^>]*>`, 'gi')) ?? [];
  if (tags('script').some((t) => !/\ssrc=/.test(t))) problems.push('an inline <script>');
  if (tags('style').length) problems.push('an inline <style>');
  if (/<[a-z][^>]*\sstyle=/i.test(html)) problems.push('a style attribute');
  const nonce = `nonce="${NONCE_PLACEHOLDER}"`;
  const needNonce = [...tags('script'), ...tags('link').filter((t) => /rel="?(stylesheet|modulepreload)/.test(t))];
  if (needNonce.some((t) => !t.includes(nonce))) problems.push(`a script or stylesheet without ${nonce}`);
  if (!tags('meta').some((t) => /property="csp-nonce"/.test(t) && t.includes(nonce))) problems.push('no <meta property="csp-nonce">');
  if (/(src|href)="(https?:)?\/\//i.test(html)) problems.push('an address off the machine');
  return problems;
}

export function distProblems(dir: string, budget = BUDGET_BYTES): string[] {
  const { files, gzip } = measure(dir);
  const problems = htmlProblems(readFileSync(join(dir, 'index.html'), 'utf8'));
  if (!files.some((f) => f.file.endsWith('.js'))) problems.push('no JavaScript in the build');
  if (gzip > budget) problems.push(`JS + CSS is ${(gzip / 1000).toFixed(1)} KB gzipped, over the ${(budget / 1000).toFixed(0)} KB budget`);
  for (const f of files) if (readFileSync(join(dir, f.file), 'utf8').includes(NODE_BUILTIN_MARKER)) problems.push(`${f.file} holds Node-only code`);
  return problems;
}

function main(dir: string): void {
  const { files, gzip } = measure(dir);
  for (const f of files)
    console.log(`${f.file.padEnd(36)} ${(f.bytes / 1000).toFixed(1).padStart(7)} KB  ${(f.gzip / 1000).toFixed(1).padStart(6)} KB gzipped`);
  console.log(`JS + CSS: ${(gzip / 1000).toFixed(1)} KB gzipped (budget ${(BUDGET_BYTES / 1000).toFixed(0)} KB)`);
  const problems = distProblems(dir);
  for (const p of problems) console.error(`check-dist: ${p}`);
  process.exitCode = problems.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2] ?? 'dist');
