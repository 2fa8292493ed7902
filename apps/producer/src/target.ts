import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, readStackOutputs } from '@lakehouse/aws';
import { localLayout, pipelineSettings, stackOutputsFile, type RunningLakehouse } from '@lakehouse/pipeline';
import { LAKE_CLI, repositoryRoot, startEmbeddedLakehouse, type EmbeddedLakehouse } from './embedded';
import { classifyError, EXIT, ProducerError } from './errors';
import type { SendSettings } from './options';

/** Where records go, as the messages name it. */
export interface TargetDescription {
  kind: 'aws' | 'endpoint' | 'running-lake' | 'embedded';
  /** `http://127.0.0.1:4567` or `AWS (eu-west-1)`. */
  label: string;
}

const NOT_FOUND_HINTS: Record<TargetDescription['kind'], string> = {
  aws: 'deploy it with "nx run infra:deploy" or pass --stream NAME',
  endpoint: 'create it there or pass --stream NAME',
  'running-lake': 'the running lake:up serves another stream; pass the --env it was started with',
  embedded: 'the embedded lakehouse serves another stream; check --env',
};

/** Streams that take writes: an UPDATING stream (resharding) still does. */
const WRITABLE = new Set(['ACTIVE', 'UPDATING']);

/**
 * Checks, before any record is generated, that the stream exists, takes writes, and that the endpoint and
 * credentials work, turning each failure into one line that says what to do. Returns a note when the
 * check itself isn't allowed (a role with PutRecords but not DescribeStreamSummary), and sending goes on.
 */
async function checkStream(client: Pick<KinesisClient, 'send'>, streamName: string, target: TargetDescription): Promise<string | undefined> {
  let status: string | undefined;
  try {
    const output = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    status = output.StreamDescriptionSummary?.StreamStatus;
  } catch (error) {
    const { kind, code } = classifyError(error);
    const where = target.label;
    if (code === 'AccessDeniedException') return `cannot check stream "${streamName}" (no kinesis:DescribeStreamSummary permission); sending anyway`;
    if (kind === 'stream') throw new ProducerError(`stream "${streamName}" not found at ${where}: ${NOT_FOUND_HINTS[target.kind]}`, EXIT.stream);
    if (kind === 'unreachable') {
      const fix = target.kind === 'aws' ? 'check the network and AWS_REGION' : target.kind === 'endpoint' ? 'start the server or fix --endpoint' : 'start it with "nx run lake:up"';
      throw new ProducerError(`cannot reach ${where} (${code}): ${fix}`, EXIT.unreachable);
    }
    if (code === 'CredentialsProviderError') {
      throw new ProducerError('no AWS credentials found: set AWS_PROFILE (and run "aws sso login" if it uses SSO) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', EXIT.credentials);
    }
    if (kind === 'credentials') {
      throw new ProducerError(`${where} refused the credentials (${code}): check AWS_PROFILE and AWS_REGION, or run "aws sso login"`, EXIT.credentials);
    }
    if (/region is missing/i.test(code)) throw new ProducerError('no AWS region: set AWS_REGION, or a region in your AWS_PROFILE', EXIT.credentials);
    throw new ProducerError(`checking stream "${streamName}" at ${where} failed (${code}); run again with --verbose for details`, EXIT.unexpected, { cause: error });
  }
  if (!status || !WRITABLE.has(status)) {
    throw new ProducerError(`stream "${streamName}" at ${target.label} is ${status ?? 'in an unknown state'}, not ACTIVE: wait until it is ACTIVE, then run again`, EXIT.stream);
  }
  return undefined;
}

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The `lake:up` registered in `runningFile`, if its process is alive; a stale or unreadable file means none. */
async function findRunningLake(runningFile: string): Promise<RunningLakehouse | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(runningFile, 'utf8'));
  } catch {
    return undefined;
  }
  const lake = json as Partial<RunningLakehouse> | null;
  if (
    !lake ||
    typeof lake.pid !== 'number' ||
    typeof lake.endpoint !== 'string' ||
    typeof lake.streamName !== 'string' ||
    typeof lake.environment !== 'string'
  ) {
    return undefined;
  }
  return isAlive(lake.pid) ? (lake as RunningLakehouse) : undefined;
}

/** Where the records go, opened and checked. */
export interface OpenTarget {
  client: KinesisClient;
  streamName: string;
  description: TargetDescription;
  embedded?: EmbeddedLakehouse;
  running?: RunningLakehouse;
}

/**
 * Opens the target the settings name and checks its stream: `--endpoint`, `--target aws`, or by default
 * the local lakehouse, a running `lake:up` if one answers, else the embedded one, started for this run.
 */
export async function openTarget(
  settings: SendSettings,
  context: { env: NodeJS.ProcessEnv; cwd: string; lakeDir: string; lakeCli?: string },
  say: (line: string) => void,
): Promise<OpenTarget> {
  const { lakeDir } = context;
  const clientFor = (target: { endpoint?: string; region?: string }) =>
    kinesisClient({ ...target, maxAttempts: 1, maxSockets: settings.concurrency + 2 }); // we retry ourselves
  const pipeline = pipelineSettings(settings.environment);
  const check = async (opened: OpenTarget) => {
    try {
      const note = await checkStream(opened.client, opened.streamName, opened.description);
      if (note) say(note);
      return opened;
    } catch (error) {
      opened.client.destroy();
      opened.embedded?.kill();
      throw error;
    }
  };

  if (settings.target === 'endpoint' && settings.endpoint) {
    const streamName = settings.stream ?? pipeline.streamName;
    return check({ client: clientFor({ endpoint: settings.endpoint }), streamName, description: { kind: 'endpoint', label: settings.endpoint } });
  }

  if (settings.target === 'aws') {
    let streamName = settings.stream;
    let region = context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION;
    if (!streamName) {
      const outputs = await readStackOutputs(settings.environment, join(repositoryRoot() ?? context.cwd, stackOutputsFile(settings.environment))).catch((error: Error) => {
        throw new ProducerError(error.message, EXIT.stream);
      });
      streamName = outputs.stream_name;
      region = outputs.region; // where the stack, and so the stream, is
    }
    return check({ client: clientFor(region ? { region } : {}), streamName, description: { kind: 'aws', label: `AWS (${region ?? 'the profile\'s region'})` } });
  }

  const layout = localLayout(lakeDir, pipeline);
  const running = await findRunningLake(layout.runningFile);
  if (running && running.environment !== settings.environment) {
    throw new ProducerError(
      `a lake:up for environment "${running.environment}" is running on ${lakeDir} (pid ${running.pid}): pass --env ${running.environment}, or stop it first`,
      EXIT.usage,
    );
  }
  if (running) {
    const description: TargetDescription = { kind: 'running-lake', label: `${running.endpoint} (lake:up, pid ${running.pid})` };
    try {
      return await check({ client: clientFor({ endpoint: running.endpoint }), streamName: settings.stream ?? running.streamName, description, running });
    } catch (error) {
      if (!(error instanceof ProducerError && error.exitCode === EXIT.unreachable)) throw error;
      say(`The lake:up registered in ${layout.runningFile} (pid ${running.pid}) doesn't answer: starting the embedded local lakehouse instead…`);
    }
  } else {
    say('No lake:up running: starting the embedded local lakehouse…');
  }
  const root = repositoryRoot() ?? context.cwd;
  const embedded = await startEmbeddedLakehouse({
    lakeCli: context.lakeCli ?? join(root, LAKE_CLI),
    dataDir: lakeDir,
    environment: settings.environment,
    cwd: root,
  });
  return check({
    client: clientFor({ endpoint: embedded.endpoint }),
    streamName: settings.stream ?? embedded.streamName,
    description: { kind: 'embedded', label: `${embedded.endpoint} (embedded local lakehouse)` },
    embedded,
  });
}
