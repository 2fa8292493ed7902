import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LakehouseError } from '@lakehouse/runtime';

/** The variables the offline plan check reads to find its tools. */
export interface ToolchainEnv {
  PATH?: string;
  HOME?: string;
  XDG_DATA_HOME?: string;
  XDG_DATA_DIRS?: string;
  /** A terraform binary to use instead of the one on PATH. */
  LAKEHOUSE_TERRAFORM?: string;
  /** A provider mirror root (the folder holding `registry.terraform.io/`) to use instead of searching. */
  LAKEHOUSE_TF_PLUGIN_MIRROR?: string;
}

/** A provider the synthesized stack requires, as Terraform installs it. */
export interface ProviderRequirement {
  /** e.g. `registry.terraform.io/hashicorp/aws` */
  address: string;
  version: string;
  /** e.g. `linux_amd64` */
  platform: string;
}

export type Found = { found: true; path: string } | { found: false; reason: string };

/** A wrong explicit setting is the user's mistake, not a missing tool: it fails instead of warning. */
export class ToolchainError extends LakehouseError {
  constructor(variable: string, reason: string) {
    super('usage', `${variable}: ${reason}`);
    this.name = 'ToolchainError';
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** LAKEHOUSE_TERRAFORM if set (it must be an executable), else the first `terraform` on PATH. */
export function findTerraform(env: ToolchainEnv): Found {
  if (env.LAKEHOUSE_TERRAFORM) {
    if (!isExecutableFile(env.LAKEHOUSE_TERRAFORM)) {
      throw new ToolchainError('LAKEHOUSE_TERRAFORM', `"${env.LAKEHOUSE_TERRAFORM}" is not an executable file; point it at a terraform binary or unset it`);
    }
    return { found: true, path: env.LAKEHOUSE_TERRAFORM };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'terraform');
    if (isExecutableFile(candidate)) return { found: true, path: candidate };
  }
  return { found: false, reason: 'no terraform on PATH (install Terraform >= 1.10, or set LAKEHOUSE_TERRAFORM to its path)' };
}

/** Where Terraform itself looks for plugins on Unix, plus the image's /opt/tf-plugins, in that order of preference. */
export function mirrorSearchDirs(env: ToolchainEnv): string[] {
  const home = env.HOME;
  const dataHome = env.XDG_DATA_HOME || (home ? join(home, '.local', 'share') : undefined);
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [
    '/opt/tf-plugins',
    ...(home ? [join(home, '.terraform.d', 'plugins')] : []),
    ...(dataHome ? [join(dataHome, 'terraform', 'plugins')] : []),
    ...dataDirs.map((dir) => join(dir, 'terraform', 'plugins')),
  ];
}

/** A mirror root holds a provider unpacked (`<address>/<version>/<platform>/`) or packed (`<address>/terraform-provider-<name>_<version>_<platform>.zip`). */
export function mirrorHolds(root: string, provider: ProviderRequirement): boolean {
  const dir = join(root, ...provider.address.split('/'));
  const name = provider.address.split('/').at(-1) ?? '';
  return (
    existsSync(join(dir, provider.version, provider.platform)) ||
    existsSync(join(dir, `terraform-provider-${name}_${provider.version}_${provider.platform}.zip`))
  );
}

/** LAKEHOUSE_TF_PLUGIN_MIRROR if set (it must hold the provider), else the first search dir that holds it. */
export function findProviderMirror(env: ToolchainEnv, provider: ProviderRequirement, searchDirs: readonly string[] = mirrorSearchDirs(env)): Found {
  const wanted = `${provider.address} ${provider.version} (${provider.platform})`;
  if (env.LAKEHOUSE_TF_PLUGIN_MIRROR) {
    if (!mirrorHolds(env.LAKEHOUSE_TF_PLUGIN_MIRROR, provider)) {
      throw new ToolchainError(
        'LAKEHOUSE_TF_PLUGIN_MIRROR',
        `"${env.LAKEHOUSE_TF_PLUGIN_MIRROR}" does not hold ${wanted}; point it at the folder above registry.terraform.io/ or unset it`,
      );
    }
    return { found: true, path: env.LAKEHOUSE_TF_PLUGIN_MIRROR };
  }
  const root = searchDirs.find((dir) => mirrorHolds(dir, provider));
  if (root) return { found: true, path: root };
  return {
    found: false,
    reason: `no provider mirror holds ${wanted} (searched ${searchDirs.join(', ') || 'nothing'}); set LAKEHOUSE_TF_PLUGIN_MIRROR to one`,
  };
}

/** Terraform's name for this machine's platform. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${platform === 'win32' ? 'windows' : platform}_${goArch[arch] ?? arch}`;
}

/** Terraform's full provider address for a `required_providers` source (`aws` -> `registry.terraform.io/hashicorp/aws`). */
export function providerAddress(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${source}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source;
}
