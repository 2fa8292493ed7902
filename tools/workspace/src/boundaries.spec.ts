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
    ['libs/schema/src/x.ts', "import { KinesisClient } from '@aws-sdk/client-kinesis';", /not allowed to import "@aws-sdk\/client-kinesis"|Only packages defined/],
    ['libs/schema/src/x.ts', "import { App } from 'cdktf';", /not allowed to import "cdktf"|Only packages defined/],
    ['libs/firehose/src/x.ts', "import { kinesisClient } from '@lakehouse/aws';", /"scope:firehose" can only depend on libs tagged with "scope:schema", "scope:pipeline"/],
    ['libs/pipeline/src/x.ts', "import { kinesisClient } from '@lakehouse/aws';", /Circular dependency/],
    // A lib importing an app: refused, whichever check sees it first.
    ['libs/firehose/src/x.ts', "import { runSend } from '@lakehouse/producer';", /Only packages defined|Imports of apps are forbidden/],
    ['apps/producer/src/x.ts', "import { main } from '@lakehouse/lake';", /Imports of apps are forbidden|Only packages defined/],
    ['libs/runtime/src/x.ts', "import { kinesisClient } from '@lakehouse/aws';", /"scope:runtime" can only depend on libs tagged with "scope:schema", "scope:pipeline"|Circular dependency/],
    ['libs/runtime/src/x.ts', "import { DuckDBInstance } from '@duckdb/node-api';", /not allowed to import "@duckdb\/node-api"|Only packages defined/],
    ['apps/infra/src/x.ts', "import { validate } from '../../../libs/schema/src/validate';", /relative|Projects should use relative imports|cannot be imported using a relative/i],
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
  ])('%s: %s is allowed', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
