import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_BUILTIN_MARKER } from '../vite.config';
import { distProblems, htmlProblems, measure } from './check-dist';

const GOOD_HTML = `<!doctype html><html><head>
<meta property="csp-nonce" nonce="__CSP_NONCE__">
<script type="module" crossorigin src="./assets/index.js" nonce="__CSP_NONCE__"></script>
<link rel="stylesheet" crossorigin href="./assets/index.css" nonce="__CSP_NONCE__">
<link rel="icon" href="data:,">
</head><body><main id="m"></main></body></html>`;

const dirs: string[] = [];
function dist(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the size budget', () => {
  it('adds up the JS and CSS gzipped, nothing else', () => {
    const dir = dist({
      'index.html': GOOD_HTML,
      'assets/index.js': 'a'.repeat(10_000),
      'assets/index.css': 'b'.repeat(10_000),
      'assets/x.png': randomBytes(5000),
    });
    const { files, gzip } = measure(dir);
    expect(files.map((f) => f.file).sort()).toEqual(['assets/index.css', 'assets/index.js']);
    expect(gzip).toBeGreaterThan(0);
    expect(gzip).toBeLessThan(200);
    expect(distProblems(dir)).toEqual([]);
  });

  it('fails a build over the budget', () => {
    const dir = dist({ 'index.html': GOOD_HTML, 'assets/index.js': randomBytes(40_000).toString('base64') });
    expect(distProblems(dir, 100_000)).toEqual([]);
    expect(distProblems(dir, 20_000)).toEqual([expect.stringMatching(/^JS \+ CSS is \d+\.\d KB gzipped, over the 20 KB budget$/)]);
  });

  it('fails a build with Node-only code in it', () => {
    const dir = dist({ 'index.html': GOOD_HTML, 'assets/index.js': `throw new Error(${JSON.stringify(NODE_BUILTIN_MARKER)})` });
    expect(distProblems(dir)).toEqual(['assets/index.js holds Node-only code']);
  });
});

describe('index.html under the lake’s CSP', () => {
  it('accepts what Vite writes with the nonce placeholder', () => expect(htmlProblems(GOOD_HTML)).toEqual([]));

  it.each([
    ['an inline <script>', GOOD_HTML.replace('<main', '<script>alert(1)</script><main')],
    ['an inline <style>', GOOD_HTML.replace('<main', '<style>p{}</style><main')],
    ['a style attribute', GOOD_HTML.replace('<main id="m">', '<main id="m" style="color:red">')],
    ['a script or stylesheet without nonce="__CSP_NONCE__"', GOOD_HTML.replace('index.css" nonce="__CSP_NONCE__"', 'index.css"')],
    ['no <meta property="csp-nonce">', GOOD_HTML.replace('<meta property="csp-nonce" nonce="__CSP_NONCE__">', '')],
    ['an address off the machine', GOOD_HTML.replace('./assets/index.css', 'https://cdn.example.com/x.css')],
  ])('refuses %s', (problem, html) => {
    expect(htmlProblems(html)).toContain(problem);
  });
});
