import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The workspace's module boundaries, as the lint rule enforces them (eslint.config.mjs): checked here so that
// loosening the rule fails a test, not just a review.
const root = join(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    [
      'libs/schema/src/x.ts',
      "import { KinesisClient } from '@aws-sdk/client-kinesis';",
      /not allowed to import "@aws-sdk\/client-kinesis"|Only packages defined/,
    ],
    ['libs/schema/src/x.ts', "import { App } from 'cdktf';", /not allowed to import "cdktf"|Only packages defined/],
    [
      'libs/firehose/src/x.ts',
      "import { kinesisClient } from '@lakehouse/aws';",
      /"scope:firehose" can only depend on libs tagged with "scope:schema", "scope:pipeline"/,
    ],
    ['libs/pipeline/src/x.ts', "import { kinesisClient } from '@lakehouse/aws';", /Circular dependency/],
    // A lib importing an app: refused, whichever check sees it first.
    ['libs/firehose/src/x.ts', "import { runSend } from '@lakehouse/producer';", /Only packages defined|Imports of apps are forbidden/],
    ['apps/producer/src/x.ts', "import { main } from '@lakehouse/lake';", /Imports of apps are forbidden|Only packages defined/],
    [
      'libs/runtime/src/x.ts',
      "import { kinesisClient } from '@lakehouse/aws';",
      /"scope:runtime" can only depend on libs tagged with "scope:schema", "scope:pipeline"|Circular dependency/,
    ],
    ['libs/runtime/src/x.ts', "import { DuckDBInstance } from '@duckdb/node-api';", /not allowed to import "@duckdb\/node-api"|Only packages defined/],
    [
      'apps/infra/src/x.ts',
      "import { validate } from '../../../libs/schema/src/validate';",
      /relative|Projects should use relative imports|cannot be imported using a relative/i,
    ],
    ['libs/local/src/x.ts', "import { runUp } from '@lakehouse/lake';", /Only packages defined|Imports of apps are forbidden/],
    ['libs/local/src/x.ts', "import { App } from 'cdktf';", /not allowed to import "cdktf"|Only packages defined/],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });

  it.each([
    ['apps/producer/src/x.ts', "import { validate } from '@lakehouse/schema';"],
    ['apps/lake/src/x.ts', "import { createConverter } from '@lakehouse/firehose';"],
    ['libs/pipeline/src/x.ts', "import { glueColumns } from '@lakehouse/schema';"],
    ['apps/lake/src/x.ts', "import { renderTable } from '@lakehouse/runtime';"],
    ['apps/lake/src/x.ts', "import { startLakehouse } from '@lakehouse/local';"],
    ['apps/producer/src/x.ts', "import { startEmbeddedLake } from '@lakehouse/local';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});

async function purityErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  const rules = ['no-restricted-imports', 'no-restricted-globals', 'no-restricted-syntax'];
  return (result?.messages ?? []).filter((m) => rules.includes(m.ruleId ?? '')).map((m) => m.message);
}

describe('the pure libraries stay pure: no I/O, no Node-only globals, no module state', () => {
  const pure = ['schema', 'pipeline', 'firehose', 'athena-sql', 'console-api'];
  it.each(
    pure.flatMap((lib) => [
      [`libs/${lib}/src/x.ts`, "import { readFile } from 'node:fs/promises';", /a pure lib does no I\/O/],
      [`libs/${lib}/src/x.ts`, "import { join } from 'path';", /a pure lib does no I\/O/],
      [`libs/${lib}/src/x.ts`, "export const b64 = (s: string) => Buffer.from(s).toString('base64');", /Unexpected use of 'Buffer'/],
      [`libs/${lib}/src/x.ts`, 'export const cwd = () => process.cwd();', /Unexpected use of 'process'/],
      [`libs/${lib}/src/x.ts`, 'let cache: string | undefined;\nexport const get = () => (cache ??= "x");', /no module-level state/],
    ]),
  )('%s: %s is refused', async (file, code, message) => {
    expect((await purityErrors(file, code)).join('\n')).toMatch(message);
  });

  it.each([
    ['libs/firehose/src/x.spec.ts', "import { readFile } from 'node:fs/promises';\nexport const b = Buffer.from('x');"],
    ['libs/firehose/src/testing.ts', "export const b = Buffer.from('x');"],
    ['libs/local/src/x.ts', "import { readFile } from 'node:fs/promises';\nexport const b = Buffer.from(process.cwd());"],
    ['libs/schema/src/x.ts', 'export function f() {\n  let n = 0;\n  return ++n;\n}'],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await purityErrors(file, code)).toEqual([]);
  });
});
