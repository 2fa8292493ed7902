import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS as LIBRARY_FLAGS } from '@lakehouse/local';
import { describe, expect, it } from 'vitest';
import { needsRestart, NODE_FLAGS, startFlags, supportedRange, unsupportedNode } from './node-runtime.mjs';

const RANGE = '^22.12.0 || ^24.0.0 || ^26.0.0';

describe('the Node versions the lakehouse command runs on', () => {
  it('are the root package.json’s engines', () => {
    const { engines } = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as { engines: { node: string } };
    expect(supportedRange()).toBe(engines.node);
    expect(engines.node).toBe(RANGE);
  });

  it('are the lines .nvmrc and the CI install from', () => {
    const nvmrc = readFileSync(join(import.meta.dirname, '../../../.nvmrc'), 'utf8').trim();
    expect(nvmrc).toMatch(/^24\.\d+\.\d+$/);
    expect(unsupportedNode(nvmrc, RANGE)).toBeUndefined();
  });

  it.each([
    ['v22.12.0', true],
    ['v22.23.5', true],
    ['v24.0.0', true],
    ['v24.22.3', true],
    ['v26.12.1', true],
    ['v20.20.2', false],
    ['v22.11.9', false],
    ['v23.11.0', false],
    ['v25.9.0', false],
    ['v27.0.0', false],
  ])('%s: supported %s', (version, supported) => {
    expect(unsupportedNode(version, RANGE) === undefined).toBe(supported);
  });

  it('refuses an unsupported one in one line that says which are supported and how to get one', () => {
    expect(unsupportedNode('v20.20.2', RANGE)).toBe(
      'Node v20.20.2 is not supported: the kit runs on Node 22.12+, 24, 26 (package.json "engines"); install Node 24 LTS, e.g. with "nvm install" in this folder (.nvmrc)',
    );
  });

  it('reads no other form of range than it knows', () => {
    expect(() => unsupportedNode('v24.0.0', '>=22')).toThrow('engines.node: expected ^major.minor.patch joined by ||, got ">=22"');
  });
});

describe('the V8 flags a command that may parse SQL starts with', () => {
  const runtime = (nodeVersion: string, execArgv: string[] = []) => ({ nodeVersion, execArgv });

  it('are the ones the tests start the lake with', () => {
    expect(NODE_FLAGS).toEqual(LIBRARY_FLAGS);
  });

  it.each([
    ['query', [], runtime('v24.22.3'), true],
    ['up', [], runtime('v26.12.1'), true],
    ['console', [], runtime('v24.0.0'), true],
    ['query', [], runtime('v24.22.3', ['--liftoff-only', '--wasm-lazy-validation']), false],
    ['up', [], runtime('v24.22.3', ['--liftoff-only', '--wasm-lazy-validation']), true],
    ['up', [], runtime('v24.22.3', ['--liftoff-only', '--wasm-lazy-validation', '--max-semi-space-size=16']), true],
    ['up', [], runtime('v24.22.3', ['--liftoff-only', '--wasm-lazy-validation', '--max-semi-space-size=16', '--heap-growing-percent=30']), false],
    ['up', ['--help'], runtime('v24.22.3'), false],
    ['query', [], runtime('v24.22.3', ['--liftoff-only']), true],
    ['query', [], runtime('v22.23.5'), false],
    ['send', [], runtime('v24.22.3'), false],
    ['query', ['--help'], runtime('v24.22.3'), false],
    [undefined, [], runtime('v24.22.3'), false],
  ] as const)('%s %j on %j: restart %s', (command, args, node, restart) => {
    expect(needsRestart(command, args, node)).toBe(restart);
  });
});

describe('the V8 flags `up` starts with besides: a bounded young generation and a slower-growing old one, as long as the lake runs', () => {
  it.each([
    ['up', ['--liftoff-only', '--wasm-lazy-validation', '--max-semi-space-size=16', '--heap-growing-percent=30']],
    ['query', NODE_FLAGS],
    ['console', NODE_FLAGS],
    ['send', []],
  ] as const)('%s: %j', (command, flags) => {
    expect(startFlags(command)).toEqual(flags);
  });
});
