import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProviderMirror, findTerraform, mirrorSearchDirs, providerAddress, terraformPlatform, ToolchainError, type ProviderRequirement } from './toolchain';

const root = mkdtempSync(join(tmpdir(), 'lakehouse-toolchain-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const aws: ProviderRequirement = { address: 'registry.terraform.io/hashicorp/aws', version: '5.100.0', platform: 'linux_amd64' };

function dir(...parts: string[]): string {
  const path = join(root, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
}

const unpacked = dir('unpacked');
dir('unpacked', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
const packed = dir('packed');
writeFileSync(join(dir('packed', 'registry.terraform.io', 'hashicorp', 'aws'), 'terraform-provider-aws_5.100.0_linux_amd64.zip'), '');
const otherVersion = dir('other');
dir('other', 'registry.terraform.io', 'hashicorp', 'aws', '5.99.1', 'linux_amd64');
const empty = dir('empty');

const bin = dir('bin');
const terraformBinary = join(bin, 'terraform');
writeFileSync(terraformBinary, '#!/bin/sh\n');
chmodSync(terraformBinary, 0o755);
const notExecutable = join(dir('noexec'), 'terraform');
writeFileSync(notExecutable, '');

describe('findTerraform', () => {
  it('takes the first terraform on PATH', () => {
    expect(findTerraform({ PATH: [empty, bin].join(':') })).toEqual({ found: true, path: terraformBinary });
  });

  it('skips a terraform that is not executable', () => {
    expect(findTerraform({ PATH: [join(root, 'noexec')].join(':') }).found).toBe(false);
  });

  it('says what to do when there is none', () => {
    expect(findTerraform({ PATH: empty })).toEqual({
      found: false,
      reason: 'no terraform on PATH (install Terraform >= 1.10, or set LAKEHOUSE_TERRAFORM to its path)',
    });
  });

  it('prefers LAKEHOUSE_TERRAFORM, and fails loudly when it is wrong', () => {
    expect(findTerraform({ PATH: '', LAKEHOUSE_TERRAFORM: terraformBinary })).toEqual({ found: true, path: terraformBinary });
    expect(() => findTerraform({ PATH: bin, LAKEHOUSE_TERRAFORM: notExecutable })).toThrow(ToolchainError);
    expect(() => findTerraform({ LAKEHOUSE_TERRAFORM: '/nope' })).toThrow('LAKEHOUSE_TERRAFORM: "/nope" is not an executable file');
  });
});

describe('findProviderMirror', () => {
  it.each([
    ['unpacked', [empty, unpacked], unpacked],
    ['packed (zip)', [packed], packed],
  ])('finds an %s mirror holding the exact version and platform', (_, dirs, expected) => {
    expect(findProviderMirror({}, aws, dirs)).toEqual({ found: true, path: expected });
  });

  it('ignores a mirror with another version or platform', () => {
    expect(findProviderMirror({}, aws, [otherVersion]).found).toBe(false);
    expect(findProviderMirror({}, { ...aws, platform: 'darwin_arm64' }, [unpacked]).found).toBe(false);
  });

  it('names what it looked for and where', () => {
    expect(findProviderMirror({}, aws, [empty])).toEqual({
      found: false,
      reason: `no provider mirror holds registry.terraform.io/hashicorp/aws 5.100.0 (linux_amd64) (searched ${empty}); set LAKEHOUSE_TF_PLUGIN_MIRROR to one`,
    });
  });

  it('prefers LAKEHOUSE_TF_PLUGIN_MIRROR, and fails loudly when it lacks the provider', () => {
    expect(findProviderMirror({ LAKEHOUSE_TF_PLUGIN_MIRROR: packed }, aws, [unpacked])).toEqual({ found: true, path: packed });
    expect(() => findProviderMirror({ LAKEHOUSE_TF_PLUGIN_MIRROR: otherVersion }, aws, [unpacked])).toThrow(
      `LAKEHOUSE_TF_PLUGIN_MIRROR: "${otherVersion}" does not hold registry.terraform.io/hashicorp/aws 5.100.0 (linux_amd64)`,
    );
  });

  it('searches the image’s mirror, then where Terraform looks on Unix', () => {
    expect(mirrorSearchDirs({ HOME: '/home/u' })).toEqual([
      '/opt/tf-plugins',
      '/home/u/.terraform.d/plugins',
      '/home/u/.local/share/terraform/plugins',
      '/usr/local/share/terraform/plugins',
      '/usr/share/terraform/plugins',
    ]);
    expect(mirrorSearchDirs({ XDG_DATA_HOME: '/data', XDG_DATA_DIRS: '/x' })).toEqual(['/opt/tf-plugins', '/data/terraform/plugins', '/x/terraform/plugins']);
  });
});

describe('provider naming', () => {
  it.each([
    ['aws', 'registry.terraform.io/hashicorp/aws'],
    ['hashicorp/aws', 'registry.terraform.io/hashicorp/aws'],
    ['example.com/acme/thing', 'example.com/acme/thing'],
  ])('%s -> %s', (source, address) => {
    expect(providerAddress(source)).toBe(address);
  });

  it.each([
    ['linux', 'x64', 'linux_amd64'],
    ['darwin', 'arm64', 'darwin_arm64'],
    ['win32', 'x64', 'windows_amd64'],
  ])('%s %s -> %s', (platform, arch, expected) => {
    expect(terraformPlatform(platform, arch)).toBe(expected);
  });
});
