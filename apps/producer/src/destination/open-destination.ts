import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { stackOutputsFile } from '@lakehouse/pipeline';
import { localLayout, findRunningLake, type RunningLake, startEmbeddedLake, type EmbeddedLake } from '@lakehouse/local';
import { LakehouseError, repositoryRoot, settingsOfEnvFlag, usageError } from '@lakehouse/runtime';
import type { SendSettings } from '../options';
import type { DestinationDescription } from './check-stream';
import { LakeWatch } from './lake-watch';

/** Where the records go, opened and checked. */
export interface OpenDestination {
  client: KinesisClient;
  streamName: string;
  description: DestinationDescription;
  /** The lake started for this run. */
  embedded?: EmbeddedLake;
  /** The lake:up the records went to, and what it has not yet delivered of them. */
  running?: { lake: RunningLake; file: string; watch: LakeWatch };
}

export interface DestinationContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The local lakehouse's folder. */
  lakeDir: string;
  /** Progress notes for people (stderr). */
  say: (line: string) => void;
  /** The embedded lake, already starting: used unless a lake:up answers. */
  embeddedLake?: Promise<EmbeddedLake>;
}

/** The AWS SDK's part of opening a target: loaded on first use, as it is most of the producer's start-up. */
type StreamAccess = typeof import('./check-stream');
type Opener = (settings: SendSettings, context: DestinationContext, sdk: Promise<StreamAccess>) => Promise<OpenDestination>;

/**
 * A client for the target and a check of its stream; on failure the target is closed before the error goes on.
 * The embedded lake is not checked: it has just created its stream, and said so.
 */
async function checked(
  sdk: StreamAccess,
  target: Omit<OpenDestination, 'client'> & { client: { endpoint?: string; region?: string } },
  settings: SendSettings,
  say: (line: string) => void,
): Promise<OpenDestination> {
  // The producer retries on its own: one SDK attempt per call, and a socket for every request in flight.
  const opened: OpenDestination = { ...target, client: sdk.kinesisClient({ ...target.client, maxAttempts: 1, maxSockets: settings.concurrency + 2 }) };
  if (opened.embedded && !settings.stream) return opened;
  try {
    const note = await sdk.checkStream(opened.client, opened.streamName, opened.description);
    if (note) say(note);
    return opened;
  } catch (error) {
    opened.client.destroy();
    opened.embedded?.kill();
    throw error;
  }
}

/** `--endpoint URL`: any Kinesis-compatible server. */
const openEndpoint: Opener = async (settings, context, sdk) => {
  const endpoint = settings.endpoint as string;
  const streamName = settings.stream ?? settingsOfEnvFlag(settings.environment).streamName;
  return checked(await sdk, { client: { endpoint }, streamName, description: { kind: 'endpoint', label: endpoint } }, settings, context.say);
};

/** `--target aws`: the deployed stack's stream, in the stack's region (or `--stream` in the profile's region). */
const openAws: Opener = async (settings, context, sdk) => {
  let streamName = settings.stream;
  let region = context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION;
  if (!streamName) {
    const outputs = await (await sdk).readStackOutputs(settings.environment, join(repositoryRoot() ?? context.cwd, stackOutputsFile(settings.environment)));
    streamName = outputs.stream_name;
    region = outputs.region; // where the stack, and so the stream, is
  }
  const label = `AWS (${region ?? "the profile's region"})`;
  return checked(await sdk, { client: region ? { region } : {}, streamName, description: { kind: 'aws', label } }, settings, context.say);
};

/** A running lake:up, checked; an embedded lake started meanwhile (`unneeded`) is stopped. */
async function openRunning(
  settings: SendSettings,
  say: (line: string) => void,
  sdk: Promise<StreamAccess>,
  lake: { running: RunningLake; file: string; unneeded?: Promise<EmbeddedLake> | undefined },
): Promise<OpenDestination> {
  const { running, file } = lake;
  const description: DestinationDescription = { kind: 'running-lake', label: `${running.endpoint} (lake:up, pid ${running.pid})` };
  const target = {
    client: { endpoint: running.endpoint },
    streamName: settings.stream ?? running.streamName,
    description,
    running: { lake: running, file, watch: new LakeWatch(file, running) },
  };
  const opened = await checked(await sdk, target, settings, say);
  void lake.unneeded?.then(
    (lake) => lake.kill(),
    () => undefined,
  );
  return opened;
}

/**
 * The embedded lake could not start because a lake:up holds the folder, still starting (it registers once its stream
 * is ready): that lake:up is waited for and used. Any other failure is the error.
 */
async function lakeUpStarting(error: unknown, file: string, say: (line: string) => void): Promise<{ lake: RunningLake }> {
  const owner = (error as { owner?: { kind: string; pid: number } }).owner;
  if (owner?.kind !== 'lakehouse up') throw error;
  say(`A lake:up is starting on this folder (pid ${owner.pid}): sending to it once it is up…`);
  for (const deadline = Date.now() + LAKE_UP_START_TIMEOUT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const running = await findRunningLake(file);
    if (running?.pid === owner.pid) return { lake: running };
  }
  throw error;
}

/** How long a send waits for a lake:up that holds the folder but has not registered yet. */
const LAKE_UP_START_TIMEOUT_MS = 30_000;

/** The local lakehouse: a running `lake:up` if one answers, else the embedded one, started for this run. */
const openLocal: Opener = async (settings, context, sdk) => {
  const { lakeDir, say } = context;
  const file = localLayout(lakeDir, settingsOfEnvFlag(settings.environment)).runningFile;
  const running = await findRunningLake(file);
  if (running && running.environment !== settings.environment) {
    throw usageError(
      `a lake:up for environment "${running.environment}" is running on ${lakeDir} (pid ${running.pid}): pass --env ${running.environment}, or stop it first`,
    );
  }
  if (running) {
    try {
      const opened = await openRunning(settings, say, sdk, { running, file, unneeded: context.embeddedLake });
      say(`Sending to the lake:up running on this folder (pid ${running.pid})…`);
      return opened;
    } catch (error) {
      if (!(error instanceof LakehouseError && error.code === 'unreachable')) throw error;
      say(`The lake:up registered in ${file} (pid ${running.pid}) doesn't answer: starting the embedded local lakehouse instead…`);
    }
  } else {
    say('No lake:up running: starting the embedded local lakehouse…');
  }
  // The lake's stream starts on its worker thread while this thread loads the SDK: neither waits for the other.
  const starting = context.embeddedLake ?? startEmbeddedLake({ dataDir: lakeDir, environment: settings.environment });
  const [embedded, access] = await Promise.all([starting.catch((error: unknown) => lakeUpStarting(error, file, say)), sdk]);
  if ('lake' in embedded) return openRunning(settings, say, sdk, { running: embedded.lake, file });
  const description: DestinationDescription = { kind: 'embedded', label: `${embedded.endpoint} (embedded local lakehouse)` };
  return checked(access, { client: { endpoint: embedded.endpoint }, streamName: settings.stream ?? embedded.streamName, description, embedded }, settings, say);
};

const OPENERS: Record<SendSettings['target'], Opener> = { endpoint: openEndpoint, aws: openAws, local: openLocal };

/** Opens the target the settings name and checks its stream: `--endpoint`, `--target aws`, or the local lakehouse. */
export async function openDestination(settings: SendSettings, context: DestinationContext): Promise<OpenDestination> {
  const sdk = import('./check-stream');
  sdk.catch(() => undefined); // awaited by the opener; a failed load is reported there
  return OPENERS[settings.target](settings, context, sdk);
}
