import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A console build as Vite writes one: index.html with the nonce placeholder, hashed assets. */
export async function fixtureConsoleBuild(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><style nonce="__CSP_NONCE__">body{}</style><script type="module" src="/assets/app-1a2b.js"></script>',
  );
  await writeFile(join(dir, 'assets', 'app-1a2b.js'), 'console.log("console")');
}
