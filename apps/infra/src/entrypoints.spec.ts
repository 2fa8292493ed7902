/**
 * The ways users run the app all reach the same entry: `npx cdktf synth` at the root (cdktf.json),
 * the Nx targets, and the pull-request workflow.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ENVIRONMENTS, stackName, stackOutputsFile } from '@lakehouse/pipeline';

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const STACKS = Object.keys(ENVIRONMENTS).map(stackName);

const cdktfJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string; output: string; language: string };
const project = JSON.parse(readFileSync(join(REPO_ROOT, 'apps', 'infra', 'project.json'), 'utf8')) as {
  targets: Record<string, { executor: string; options: { command: string; cwd: string; args?: string; env?: Record<string, string> } }>;
};
const workflow = readFileSync(join(REPO_ROOT, '.github', 'workflows', 'infra-plan.yml'), 'utf8');
const CLI_TARGETS = ['synth', 'plan', 'deploy', 'destroy'];

describe('cdktf.json', () => {
  it('runs src/main.ts with tsx, writing to cdktf.out', () => {
    expect(cdktfJson).toMatchObject({ language: 'typescript', app: 'node --import tsx apps/infra/src/main.ts', output: 'cdktf.out' });
    expect(existsSync(join(REPO_ROOT, cdktfJson.app.split(' ').at(-1) ?? ''))).toBe(true);
    expect(stackOutputsFile('dev').startsWith(`${cdktfJson.output}/`)).toBe(true);
  });

  it(
    'makes `npx cdktf synth` work at the root, and a later synth keeps the deployed outputs file',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'lakehouse-cdktf-synth-'));
      try {
        const outputsFile = join(out, stackOutputsFile('dev').slice(cdktfJson.output.length + 1));
        writeFileSync(outputsFile, '{"lakehouse-dev":{"region":"eu-west-1"}}');
        const env = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CDKTF_HOME: join(out, '.cdktf-home'), LAKEHOUSE_STATE_DIR: join(out, 'state') };
        const { stdout } = await run('npx', ['cdktf', 'synth', '--output', out], { cwd: REPO_ROOT, env, timeout: 120_000 });
        expect(stdout).toContain(`Generated Terraform code for the stacks: ${STACKS.join(', ')}`);
        for (const stack of STACKS) expect(existsSync(join(out, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
        expect(readFileSync(outputsFile, 'utf8')).toBe('{"lakehouse-dev":{"region":"eu-west-1"}}');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe('Nx targets', () => {
  it.each(CLI_TARGETS)('%s runs the cdktf CLI at the root, with its network checks off', (name) => {
    const target = project.targets[name];
    expect(target).toMatchObject({ executor: 'nx:run-commands', options: { cwd: '{workspaceRoot}', env: { CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' } } });
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

describe('pull-request workflow', () => {
  it('synthesizes through the same Nx target', () => {
    expect(workflow).toContain(`run: npx nx run infra:synth`);
    expect(project.targets.synth?.options.command).toBe('npx cdktf synth');
  });

  it('plans every stack in the folder synth writes', () => {
    expect(workflow).toContain(`stack: [${STACKS.join(', ')}]`);
    expect(workflow).toContain(`working-directory: ${cdktfJson.output}/stacks/\${{ matrix.stack }}`);
    for (const command of ['terraform init -input=false', 'terraform validate', 'terraform plan -input=false']) expect(workflow).toContain(command);
  });

  it('gets short-lived credentials through OIDC and posts the plan as the job summary', () => {
    expect(workflow).toMatch(/^on:\n {2}pull_request:/m);
    expect(workflow).toContain('id-token: write');
    expect(workflow).toMatch(/uses: aws-actions\/configure-aws-credentials@v\d+\n\s+with:\n\s+role-to-assume: /);
    expect(workflow).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(workflow).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-access-key-id/);
  });

  it('needs the state in S3, as a plan against empty local state would be meaningless', () => {
    expect(workflow).toContain('LAKEHOUSE_STATE_BUCKET: ${{ vars.LAKEHOUSE_STATE_BUCKET }}');
    expect(workflow).toContain('missing="$missing LAKEHOUSE_STATE_BUCKET"');
  });
});
