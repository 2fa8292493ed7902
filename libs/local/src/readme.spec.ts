import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_BUFFER_SIZE_MIB } from '@lakehouse/pipeline';
import { describe, expect, it } from 'vitest';
import { LAKEHOUSE_DEFAULTS, LOCAL_DEFAULTS, QUERY_LIMITS } from './defaults';

// The README's "Use it in your own tests": its example is a file CI runs, its table the defaults themselves.
const ROOT = join(import.meta.dirname, '../../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### Use it in your own tests'), readme.indexOf('### The console'));

describe('the README’s "Use it in your own tests"', () => {
  it('shows the example file CI runs, as it is', () => {
    const file = readFileSync(join(ROOT, 'apps/producer/src/local-lake.example.spec.ts'), 'utf8');
    expect(section).toContain(`\`\`\`ts\n${file.trimEnd()}\n\`\`\``);
  });

  it('gives each option the default startLakehouse gives it', () => {
    const row = (option: string) =>
      section
        .split('\n')
        .find((line) => line.startsWith(`| \`${option}\``))
        ?.split(' | ')[1];
    expect(row('dataDir')).toBe(`\`${LAKEHOUSE_DEFAULTS.dataDir}\``);
    expect(row('environment')).toBe(`\`${LAKEHOUSE_DEFAULTS.environment}\``);
    expect(row('port')).toBe(`\`${LAKEHOUSE_DEFAULTS.port}\``);
    expect(row('persist')).toBe(`\`${LAKEHOUSE_DEFAULTS.persist}\``);
    expect(row('bufferInterval')).toBe(`${LOCAL_DEFAULTS.bufferIntervalSeconds} s (or the environment's, if shorter)`);
    expect(row('bufferSize')).toBe(`the environment's (${MAX_BUFFER_SIZE_MIB} MiB)`);
    expect(row('console')).toBe(`\`${LAKEHOUSE_DEFAULTS.console}\``);
    expect(section).toContain(`default \`${LAKEHOUSE_DEFAULTS.consolePort}\``);
    expect(row('register')).toBe(`\`${LAKEHOUSE_DEFAULTS.register}\``);
    expect(row('queryTimeout')).toBe(`${QUERY_LIMITS.timeoutSeconds} s, ${QUERY_LIMITS.memoryMiB} MiB, ${QUERY_LIMITS.consoleConcurrency}`);
  });
});
