import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderTable } from '@lakehouse/runtime';
import type { TerraformPlan } from '../policies/plan';
import { checkPlan, type Violation } from '../policies/rules';
import {
  findProviderMirror,
  findTerraform,
  mirrorSearchDirs,
  providerAddress,
  terraformPlatform,
  type ProviderRequirement,
  type ToolchainEnv,
} from './toolchain';

const run = promisify(execFile);

/**
 * Provider settings that let `terraform plan` run with no network and dummy credentials.
 * They go into a Terraform override file next to the synthesized stack in the check's temp dir only,
 * so the JSON users deploy never carries them. max_retries = 1: offline, aws_kinesis_stream's
 * DescribeLimits call would otherwise be retried 25 times and the plan hang for minutes.
 */
export const OFFLINE_PROVIDER_OVERRIDE = {
  provider: {
    aws: {
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: 'true',
      max_retries: 1,
    },
  },
} as const;

export const OVERRIDE_FILE = 'offline_override.tf.json';

/** Per command: a hung provider fails the check instead of blocking CI. */
const COMMAND_TIMEOUT_MS = 5 * 60_000;

export interface OfflinePlanOptions {
  /** Where cdktf.json is. */
  repoRoot: string;
  /** The environment to find tools in and to synthesize with; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Progress and warnings, one line each (the CLI sends them to stderr). */
  log?: (line: string) => void;
  /** Where to look for terraform and the mirror (PATH, LAKEHOUSE_TERRAFORM, …); `env` by default. */
  toolchainEnv?: ToolchainEnv;
  /** Mirror roots to search when LAKEHOUSE_TF_PLUGIN_MIRROR is unset; Terraform's usual places by default. */
  mirrorSearchDirs?: readonly string[];
  /** Keep the temp dir (synthesized stacks, .terraform, plans) for a look afterwards. */
  keepWorkDir?: boolean;
}

export interface StackTimings {
  init: number;
  /** The AWS provider's start, once for the stack's validate, plan and show. */
  provider: number;
  validate: number;
  plan: number;
  show: number;
}

export interface StackPlan {
  stack: string;
  plan: TerraformPlan;
  violations: Violation[];
  /** Seconds per terraform command. */
  seconds: StackTimings;
}

export type OfflinePlanResult = { synthSeconds: number; stacks: string[]; workDir: string } & (
  | { status: 'planned'; terraform: string; terraformVersion: string; mirror: string; plans: StackPlan[] }
  | { status: 'unavailable'; reason: string }
);

interface Manifest {
  stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }>;
}

interface SynthesizedStack {
  terraform?: { required_providers?: Record<string, { source: string; version: string }> };
}

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 100) / 10;
}

function tail(text: string, lines = 30): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs the app command of cdktf.json, as `cdktf synth` does, into `outDir`, with state kept in `stateDir`. */
async function synthesize(repoRoot: string, env: NodeJS.ProcessEnv, outDir: string, stateDir: string): Promise<Manifest> {
  const cdktfJson = JSON.parse(await readFile(join(repoRoot, 'cdktf.json'), 'utf8')) as { app?: string };
  if (!cdktfJson.app) throw new Error(`${join(repoRoot, 'cdktf.json')}: "app" is missing`);
  const synthEnv: NodeJS.ProcessEnv = { ...env, CDKTF_OUTDIR: outDir, LAKEHOUSE_STATE_DIR: stateDir };
  // The check never touches real state: no S3 backend, whatever the caller's environment says.
  delete synthEnv.LAKEHOUSE_STATE_BUCKET;
  await new Promise<void>((resolve, reject) => {
    // The app is a shell command line, exactly as cdktf runs it.
    const child = spawn(cdktfJson.app as string, { cwd: repoRoot, env: synthEnv, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`synth (${cdktfJson.app}) exited with ${code}:\n${tail(output)}`))));
  });
  return JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as Manifest;
}

async function awsProviderOf(stackFile: string): Promise<ProviderRequirement> {
  const stack = JSON.parse(await readFile(stackFile, 'utf8')) as SynthesizedStack;
  const aws = stack.terraform?.required_providers?.aws;
  if (!aws) throw new Error(`${stackFile}: no aws provider in terraform.required_providers`);
  return { address: providerAddress(aws.source), version: aws.version, platform: terraformPlatform() };
}

/** Only what terraform needs: no user AWS profile, credentials, or CLI config leaks into the check. */
function terraformEnv(env: ToolchainEnv, home: string, cliConfig: string): NodeJS.ProcessEnv {
  return {
    PATH: env.PATH,
    HOME: home,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'offline-plan-check',
    AWS_SECRET_ACCESS_KEY: 'offline-plan-check',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

async function terraform(binary: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run(binary, args, { cwd, env, timeout: COMMAND_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { code?: number | string; killed?: boolean; stdout?: string; stderr?: string };
    const why = e.killed ? `timed out after ${COMMAND_TIMEOUT_MS / 1000} s` : `exited with ${e.code}`;
    throw new Error(`terraform ${args[0]} in ${cwd} ${why}:\n${tail(`${e.stderr ?? ''}\n${e.stdout ?? ''}`)}`, { cause: error });
  }
}

/**
 * The AWS provider of an initialized stack folder, started once for its validate, plan and show, in Terraform's
 * reattach mode (`-debug`, then TF_REATTACH_PROVIDERS: how provider developers run it). Each command otherwise
 * starts the 700 MB provider again and loads its schema: `validate` took 2.9 s of CPU, against 1.2 s reattached, and
 * `plan` 3.9 s against 1.4 s. Its shell reads stdin to the end, then kills it: it ends when `stop` closes stdin, and
 * when this process dies, even by SIGKILL.
 */
async function startProvider(dir: string, provider: ProviderRequirement, env: NodeJS.ProcessEnv): Promise<{ reattach: string; stop: () => Promise<void> }> {
  const folder = join(dir, '.terraform', 'providers', provider.address, provider.version, provider.platform);
  const binary = (await readdir(folder)).find((name) => name.startsWith('terraform-provider-aws'));
  if (!binary) throw new Error(`terraform init left no AWS provider in ${folder}`);
  const child = spawn('sh', ['-c', '"$0" -debug </dev/null & read -r _; kill "$!" 2>/dev/null; wait "$!"', join(folder, binary)], {
    cwd: dir,
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve()); // no sh: said below, with what the provider printed (nothing)
  });
  const stop = async () => {
    child.stdin.end();
    await exited;
  };
  let output = '';
  const reattach = await new Promise<string | undefined>((resolve) => {
    setTimeout(() => resolve(undefined), COMMAND_TIMEOUT_MS).unref();
    child.stdout.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-64 * 1024);
      const found = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output)?.[1];
      if (found) resolve(found);
    });
    void exited.then(() => resolve(undefined));
  });
  if (!reattach) {
    await stop();
    throw new Error(`the AWS provider (${join(folder, binary)} -debug) did not say how to reattach to it:\n${tail(output)}`);
  }
  return { reattach, stop };
}

/** init, validate, plan and `show -json` in one synthesized stack's folder, then the policy rules over the plan. */
async function planStack(binary: string, dir: string, provider: ProviderRequirement, tfEnv: NodeJS.ProcessEnv): Promise<Omit<StackPlan, 'stack'>> {
  await writeFile(join(dir, OVERRIDE_FILE), JSON.stringify(OFFLINE_PROVIDER_OVERRIDE, null, 2));
  const timings: StackTimings = { init: 0, provider: 0, validate: 0, plan: 0, show: 0 };
  const timed = async <T>(name: keyof StackTimings, work: () => Promise<T>) => {
    const started = performance.now();
    const result = await work();
    timings[name] = seconds(started);
    return result;
  };
  await timed('init', () => terraform(binary, ['init', '-input=false', '-no-color'], dir, tfEnv));
  const server = await timed('provider', () => startProvider(dir, provider, tfEnv));
  try {
    const env = { ...tfEnv, TF_REATTACH_PROVIDERS: server.reattach };
    await timed('validate', () => terraform(binary, ['validate', '-no-color'], dir, env));
    // -lock=false: the plan reads state (none here) and writes nothing; no lock file appears anywhere.
    await timed('plan', () => terraform(binary, ['plan', '-input=false', '-no-color', '-lock=false', '-out=tfplan'], dir, env));
    const plan = JSON.parse(await timed('show', () => terraform(binary, ['show', '-json', 'tfplan'], dir, env))) as TerraformPlan;
    return { plan, violations: checkPlan(plan), seconds: timings };
  } finally {
    await server.stop();
  }
}

/** One line per planned stack: changes, violations and each terraform command's seconds (the CLI and the benchmark print it). */
export function planTable(plans: readonly StackPlan[]): string {
  const rows = plans.map((p) => [
    p.stack,
    (p.plan.resource_changes ?? []).length,
    p.violations.length,
    p.seconds.init,
    p.seconds.provider,
    p.seconds.validate,
    p.seconds.plan,
    p.seconds.show,
  ]);
  return renderTable(
    rows.map((row) => row.map(String)),
    {
      header: ['stack', 'changes', 'violations', 'init s', 'provider s', 'validate s', 'plan s', 'show -json s'],
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    },
  );
}

/** The loud part: nobody should mistake a skipped plan for a passed one. */
export function unavailableWarning(reason: string, stacks: readonly string[]): string {
  const bar = '!'.repeat(78);
  return [
    bar,
    `WARNING: offline terraform plan check NOT RUN: ${reason}.`,
    `Synthesized ${stacks.join(', ')}; terraform init/validate/plan and the policy rules over plan JSON were skipped.`,
    bar,
  ].join('\n');
}

/**
 * The offline plan check: synth every stack, then for each, `terraform init` against the machine's
 * provider mirror, `validate`, `plan` with dummy credentials, and the policy rules over `show -json`.
 * Where terraform or the mirror is missing, synth still runs and the result says why, loudly.
 */
export async function runOfflinePlanCheck(options: OfflinePlanOptions): Promise<OfflinePlanResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workDir = await mkdtemp(join(tmpdir(), 'lakehouse-offline-plan-'));
  try {
    const outDir = join(workDir, 'cdktf.out');
    const home = join(workDir, 'home');
    await mkdir(home);
    const started = performance.now();
    const manifest = await synthesize(options.repoRoot, env, outDir, join(workDir, 'state'));
    const synthSeconds = seconds(started);
    const entries = Object.entries(manifest.stacks);
    const stacks = entries.map(([name]) => name);
    log(`offline plan: synthesized ${stacks.join(', ')} in ${synthSeconds} s`);
    const base = { synthSeconds, stacks, workDir };

    const [first] = entries;
    if (!first) throw new Error('synth wrote no stacks');
    const toolchainEnv: ToolchainEnv = options.toolchainEnv ?? env;
    const provider = await awsProviderOf(join(outDir, first[1].synthesizedStackPath));
    const unavailable = (reason: string): OfflinePlanResult => {
      log(unavailableWarning(reason, stacks));
      return { ...base, status: 'unavailable', reason };
    };
    const binary = findTerraform(toolchainEnv);
    if (!binary.found) return unavailable(binary.reason);
    const mirror = findProviderMirror(toolchainEnv, provider, options.mirrorSearchDirs ?? mirrorSearchDirs(toolchainEnv));
    if (!mirror.found) return unavailable(mirror.reason);

    const cliConfig = join(workDir, 'terraform.rc');
    await writeFile(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror.path)}\n  }\n}\ndisable_checkpoint = true\n`,
    );
    const tfEnv = terraformEnv(toolchainEnv, home, cliConfig);
    const version = (JSON.parse(await terraform(binary.path, ['version', '-json'], workDir, tfEnv)) as { terraform_version: string }).terraform_version;
    log(`offline plan: terraform ${version} (${binary.path}), provider mirror ${mirror.path}`);

    // The stacks share nothing (each its own folder, no state): planned side by side.
    const plans = await Promise.all(
      entries.map(async ([stack, entry]): Promise<StackPlan> => {
        const plan = await planStack(binary.path, join(outDir, entry.workingDirectory), provider, tfEnv);
        log(
          `offline plan: ${stack}: init ${plan.seconds.init} s, provider ${plan.seconds.provider} s, validate ${plan.seconds.validate} s, plan ${plan.seconds.plan} s, show ${plan.seconds.show} s; ` +
            `${(plan.plan.resource_changes ?? []).length} changes, ${plan.violations.length} policy violations`,
        );
        return { stack, ...plan };
      }),
    );
    return { ...base, status: 'planned', terraform: binary.path, terraformVersion: version, mirror: mirror.path, plans };
  } finally {
    if (!options.keepWorkDir) await rm(workDir, { recursive: true, force: true });
  }
}
