/**
 * The ways users run the app all reach the same entry: `npx cdktf synth` at the root (cdktf.json),
 * the Nx targets, and the pull-request workflow.
 */
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ENVIRONMENTS, stackName, stackOutputsFile } from '@lakehouse/pipeline';
import { parse } from 'yaml';
import { findProviderMirror, findTerraform, mirrorSearchDirs, terraformPlatform } from './offline-plan/toolchain';
import { processesUnder } from './testing';

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const STACKS = Object.keys(ENVIRONMENTS).map(stackName);

const cdktfJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string; output: string; language: string };
const project = JSON.parse(readFileSync(join(REPO_ROOT, 'apps', 'infra', 'project.json'), 'utf8')) as {
  targets: Record<string, { executor: string; options: { command: string; cwd: string; args?: string; env?: Record<string, string> }; inputs?: unknown[] }>;
};
const WORKFLOW_FILE = join(REPO_ROOT, '.github', 'workflows', 'infra-plan.yml');
const ACTION_VALIDATOR = join(REPO_ROOT, 'node_modules', '.bin', 'action-validator');
const CLI_TARGETS = ['synth', 'plan', 'deploy', 'destroy'];

// The two cdktf runs below (a synth, 6 s; a diff that plans, 10 s) wait on processes: they run at the same time.
describe.concurrent('cdktf.json', () => {
  it('runs src/main.ts with tsx, writing to cdktf.out', () => {
    expect(cdktfJson).toMatchObject({ language: 'typescript', app: 'node --import tsx apps/infra/src/main.ts', output: 'cdktf.out' });
    expect(existsSync(join(REPO_ROOT, cdktfJson.app.split(' ').at(-1) ?? ''))).toBe(true);
    expect(stackOutputsFile('dev').startsWith(`${cdktfJson.output}/`)).toBe(true);
  });

  it('makes `npx cdktf synth` work at the root, and a later synth keeps the deployed outputs file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lakehouse-cdktf-synth-'));
    try {
      const outputsFile = join(out, stackOutputsFile('dev').slice(cdktfJson.output.length + 1));
      writeFileSync(outputsFile, '{"lakehouse-dev":{"region":"eu-west-1"}}');
      const env = {
        ...process.env,
        CHECKPOINT_DISABLE: '1',
        DISABLE_VERSION_CHECK: '1',
        CDKTF_HOME: join(out, '.cdktf-home'),
        LAKEHOUSE_STATE_DIR: join(out, 'state'),
      };
      const { stdout } = await run('npx', ['cdktf', 'synth', '--output', out], { cwd: REPO_ROOT, env, timeout: 120_000 });
      expect(stdout).toContain(`Generated Terraform code for the stacks: ${STACKS.join(', ')}`);
      for (const stack of STACKS) expect(existsSync(join(out, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
      expect(readFileSync(outputsFile, 'utf8')).toBe('{"lakehouse-dev":{"region":"eu-west-1"}}');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

/** What `cdktf diff` needs offline: terraform and the provider mirror (offline-plan.spec fails CI without them). */
const terraform = findTerraform(process.env);
const mirror = findProviderMirror(process.env, { address: 'registry.terraform.io/hashicorp/aws', version: '5.100.0', platform: terraformPlatform() });

describe.concurrent('the cdktf CLI on this Node', () => {
  // cdktf runs terraform in a pseudo-terminal (node-pty); its own build has no binary past Node 22, so `cdktf
  // diff/deploy/destroy` died at start on Node 24. package.json's override puts a maintained N-API build there.
  it('starts terraform through its pty: `cdktf diff` synthesizes, inits from the mirror and plans', async () => {
    // Never skipped: without terraform or the mirror (npm test needs both, README) this fails in one line saying which.
    for (const tool of [terraform, mirror]) if (!tool.found) throw new Error(`cdktf diff can't run offline here: ${tool.reason}`);
    const out = mkdtempSync(join(tmpdir(), 'lakehouse-cdktf-diff-'));
    try {
      writeFileSync(
        join(out, 'terraform.rc'),
        `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror.found ? mirror.path : '')}\n  }\n}\n`,
      );
      // No credentials at all: the provider refuses at once (offline, it would retry AWS for minutes).
      const env = {
        PATH: process.env.PATH,
        HOME: out,
        TF_CLI_CONFIG_FILE: join(out, 'terraform.rc'),
        CHECKPOINT_DISABLE: '1',
        DISABLE_VERSION_CHECK: '1',
        CDKTF_HOME: join(out, '.cdktf-home'),
        LAKEHOUSE_STATE_DIR: join(out, 'state'),
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const result = await run('npx', ['cdktf', 'diff', 'lakehouse-dev', '--skip-provider-lock', '--output', out], {
        cwd: REPO_ROOT,
        env,
        timeout: 120_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
      );
      expect(result.output).not.toMatch(/pty\.node|node-pty/);
      expect(result.output).toContain('Terraform has been successfully initialized');
      expect(result.output).toMatch(/No valid credential sources found/);
      expect(result.code).not.toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

// Two processes from the sources (tsx), each in a temp dir or an environment of its own: at the same time.
describe.concurrent('the entry points end as every command of the kit does (README, "Exit codes")', () => {
  /** Runs an entry of the app from its sources, as cdktf and Nx run them: exit code and stderr. */
  const runEntry = (entry: string, env: NodeJS.ProcessEnv) =>
    run(process.execPath, ['--import', 'tsx', entry], { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 120_000 }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );

  it('synth with a setting that cannot be deployed: one line naming it, exit 2, no stack', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lakehouse-bad-config-'));
    try {
      const result = await runEntry('apps/infra/src/main.ts', { LAKEHOUSE_REGION: 'moon-1', CDKTF_OUTDIR: out });
      expect(result).toEqual({ code: 2, stderr: 'error: region: expected an AWS region such as eu-west-1, got "moon-1"\n' });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('plan-offline killed with SIGKILL while its AWS providers run: they end too, with no one left to stop them', async ({ expect }) => {
    // A temp folder of its own, so that its providers are told apart from the other checks' by their path.
    const tmp = mkdtempSync(join(tmpdir(), 'lakehouse-killed-plan-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/infra/src/offline-plan/cli.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, TMPDIR: tmp },
      stdio: 'ignore',
    });
    try {
      const providers = () => processesUnder(tmp).filter((p) => p.includes('terraform-provider-aws') && p.includes('-debug'));
      await expect.poll(providers, { timeout: 120_000, interval: 100 }).not.toEqual([]);
      child.kill('SIGKILL');
      await expect.poll(providers, { timeout: 10_000, interval: 100 }).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 150_000);

  it('plan-offline without terraform: one line saying what is missing, exit 5', async () => {
    const result = await runEntry('apps/infra/src/offline-plan/cli.ts', {
      PATH: dirname(process.execPath),
      LAKEHOUSE_TERRAFORM: '',
      LAKEHOUSE_TF_PLUGIN_MIRROR: '',
    });
    expect(result.code).toBe(5);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^error: the offline plan check could not run: no terraform on PATH/);
  });
});

describe('Nx targets', () => {
  it.each(CLI_TARGETS)('%s runs the cdktf CLI at the root, with its network checks off', (name) => {
    const target = project.targets[name];
    expect(target).toMatchObject({
      executor: 'nx:run-commands',
      options: { cwd: '{workspaceRoot}', env: { CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' } },
    });
    expect(target?.options.command).toMatch(/^npx cdktf (synth|diff|deploy|destroy)\b/);
  });

  it.each(['plan', 'deploy', 'destroy'])('%s acts on one stack, dev unless --stack says otherwise', (name) => {
    expect(project.targets[name]?.options).toMatchObject({ args: `--stack=${stackName('dev')}` });
    expect(project.targets[name]?.options.command).toContain(' {args.stack}');
  });

  it('deploy writes each stack’s outputs where the producer and the query tool read them', () => {
    const command = project.targets.deploy?.options.command ?? '';
    for (const environment of Object.keys(ENVIRONMENTS)) {
      expect(command.replaceAll('{args.stack}', stackName(environment))).toContain(`--outputs-file ${stackOutputsFile(environment)}`);
    }
  });

  it('bench and plan-offline run their scripts, which exist', () => {
    for (const name of ['bench', 'plan-offline']) {
      const script = project.targets[name]?.options.command.match(/^node --import tsx (\S+)$/)?.[1] ?? '';
      expect(existsSync(join(REPO_ROOT, script)), name).toBe(true);
    }
  });
});

describe('infra:test cache key', () => {
  // Nx runs each `runtime` input in a shell and hashes its output: a pass cached while terraform or the mirror was
  // missing (plan tests skipped) must not be replayed once they are installed.
  const runtimeInputs = (project.targets.test?.inputs ?? []).flatMap((input) =>
    typeof input === 'object' && input !== null && 'runtime' in input ? [String(input.runtime)] : [],
  );
  const cacheKey = (env: NodeJS.ProcessEnv) => runtimeInputs.map((command) => execFileSync('/bin/sh', ['-c', command], { env, encoding: 'utf8' })).join('\n');
  const withTempHome = (test: (home: string, env: NodeJS.ProcessEnv) => void) => () => {
    const home = mkdtempSync(join(tmpdir(), 'lakehouse-cache-key-'));
    try {
      test(home, { PATH: `${join(home, 'bin')}:/usr/bin:/bin`, HOME: home });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };

  it(
    'changes when terraform appears on PATH',
    withTempHome((home, env) => {
      const before = cacheKey(env);
      mkdirSync(join(home, 'bin'));
      writeFileSync(join(home, 'bin', 'terraform'), '#!/bin/sh\necho Terraform v0.0.0-test\n');
      chmodSync(join(home, 'bin', 'terraform'), 0o755);
      expect(cacheKey(env)).not.toBe(before);
    }),
  );

  // The mirror folders under HOME that the check searches, plus the one LAKEHOUSE_TF_PLUGIN_MIRROR names.
  const mirrors = [
    ...mirrorSearchDirs({ HOME: '/home/u' }).flatMap((dir) =>
      dir.startsWith('/home/u/') ? [[`~/${relative('/home/u', dir)}`, relative('/home/u', dir)]] : [],
    ),
    ['the folder LAKEHOUSE_TF_PLUGIN_MIRROR names', 'named-mirror'],
  ];
  it.each(mirrors)('changes when the aws provider appears in %s', (_, folder) =>
    withTempHome((home, env) => {
      const mirrorEnv = { ...env, LAKEHOUSE_TF_PLUGIN_MIRROR: join(home, 'named-mirror') };
      const before = cacheKey(mirrorEnv);
      mkdirSync(join(home, folder, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64'), { recursive: true });
      expect(cacheKey(mirrorEnv)).not.toBe(before);
    })(),
  );
});

/** The workflow as GitHub reads it: only the parts the assertions below look at. */
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | boolean | number>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Workflow {
  on: { pull_request?: { paths?: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; strategy?: { matrix?: Record<string, unknown> }; steps: Step[] }>;
}

/** `action-validator <file>`: exit 0 when the file is a valid workflow, else 1 with the schema errors as JSON on stderr. */
async function validateWorkflow(file: string): Promise<{ exitCode: number; stderr: string }> {
  try {
    const { stderr } = await run(ACTION_VALIDATOR, [file], { timeout: 30_000 });
    return { exitCode: 0, stderr };
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    return { exitCode: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? String(error) };
  }
}

/** A run script's commands, one a line, without comments. */
function commandsOf(step: Step | undefined): string[] {
  return (step?.run ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const workflowText = readFileSync(WORKFLOW_FILE, 'utf8');

describe('pull-request workflow: schema', () => {
  it('is a valid GitHub Actions workflow (schema-checked offline by action-validator)', async () => {
    const { exitCode, stderr } = await validateWorkflow(WORKFLOW_FILE);
    expect(exitCode, stderr).toBe(0);
  });

  it('would be refused by the validator with a mistake in it (the check is real)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakehouse-workflow-'));
    try {
      const broken = join(dir, 'infra-plan.yml');
      writeFileSync(broken, workflowText.replace('    runs-on: ubuntu-latest', '    runs_on: ubuntu-latest'));
      const { exitCode, stderr } = await validateWorkflow(broken);
      expect(exitCode).toBe(1);
      expect(stderr).toContain("Additional property 'runs_on' is not allowed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pull-request workflow: what it runs', () => {
  const workflow = parse(workflowText) as Workflow;
  const job = workflow.jobs.plan;
  const steps = job?.steps ?? [];
  const stepIndex = (match: (step: Step) => boolean) => steps.findIndex(match);
  const synth = stepIndex((s) => s.run === 'npx nx run infra:synth');
  const plan = stepIndex((s) => commandsOf(s).some((c) => c.startsWith('terraform plan')));
  const credentials = stepIndex((s) => /^aws-actions\/configure-aws-credentials@v\d+$/.test(s.uses ?? ''));

  it('runs on pull requests that change the infra or a library it depends on', () => {
    const infraPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'apps', 'infra', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const libs = Object.keys(infraPackage.dependencies)
      .filter((name) => name.startsWith('@lakehouse/'))
      .map((name) => `libs/${name.slice('@lakehouse/'.length)}/**`);
    expect(workflow.on.pull_request?.paths).toEqual(
      expect.arrayContaining(['apps/infra/**', ...libs, 'cdktf.json', 'package-lock.json', '.nvmrc', '.github/workflows/infra-plan.yml']),
    );
  });

  it('runs on the Node CI tests with (.nvmrc, Node 24 LTS)', () => {
    const setupNode = steps.find((s) => /^actions\/setup-node@v\d+$/.test(s.uses ?? ''));
    expect(setupNode?.with).toMatchObject({ 'node-version-file': '.nvmrc' });
    expect(setupNode?.with).not.toHaveProperty('node-version');
    expect(readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8')).toMatch(/^24\.\d+\.\d+\n$/);
  });

  it('synthesizes through the same Nx target as users', () => {
    expect(synth).toBeGreaterThan(-1);
    expect(project.targets.synth?.options.command).toBe('npx cdktf synth');
  });

  it('inits, validates and plans every stack in the folder synth writes, after synth', () => {
    expect(job?.strategy?.matrix?.stack).toEqual(STACKS);
    expect(plan).toBeGreaterThan(synth);
    expect(steps[plan]?.['working-directory']).toBe(`${cdktfJson.output}/stacks/\${{ matrix.stack }}`);
    const commands = commandsOf(steps[plan]);
    for (const command of ['terraform init -input=false', 'terraform validate', 'terraform plan -input=false']) {
      expect(
        commands.some((c) => c.startsWith(command)),
        command,
      ).toBe(true);
    }
  });

  it('gets short-lived credentials through OIDC before synth, and stores no keys', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(credentials).toBeGreaterThan(-1);
    expect(credentials).toBeLessThan(synth);
    expect(steps[credentials]?.with?.['role-to-assume']).toBeTruthy();
    expect(JSON.stringify(workflow)).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/);
  });

  it('posts the plan as the job summary, even when the plan failed', () => {
    const summary = steps.at(-1);
    expect(summary?.if).toBe('always()');
    expect(summary?.run).toMatch(/>> "\$GITHUB_STEP_SUMMARY"$/m);
  });

  it('needs the state in S3, as a plan against empty local state would be meaningless', () => {
    expect(job?.env?.LAKEHOUSE_STATE_BUCKET).toBe('${{ vars.LAKEHOUSE_STATE_BUCKET }}');
    expect(commandsOf(steps[0])).toContain('[ -n "$LAKEHOUSE_STATE_BUCKET" ] || missing="$missing LAKEHOUSE_STATE_BUCKET"');
    expect(commandsOf(steps[0])).toContain('exit 1');
  });
});
