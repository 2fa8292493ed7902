import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AthenaClient } from '@aws-sdk/client-athena';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_REGION } from '@lakehouse/pipeline';

/** Where a client talks to: real AWS (credential chain, AWS_REGION/AWS_PROFILE) or any compatible endpoint. */
export interface ClientTarget {
  /** A compatible endpoint for the client's service (the local lakehouse, LocalStack, kinesis-mock); absent for AWS. */
  endpoint?: string;
  region?: string;
  /** SDK-level attempts per call; callers that retry themselves pass 1. */
  maxAttempts?: number;
  /** Socket pool size: at least the caller's calls in flight. */
  maxSockets?: number;
}

/**
 * Local endpoints don't check signatures, so a fixed key pair keeps a fresh machine working
 * with no AWS configuration at all.
 */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function clientConfig(target: ClientTarget) {
  const { endpoint, region, maxAttempts, maxSockets = 50 } = target;
  // The SDK warns on every run under Node 20 that its releases after January 2027 need Node 22; the lockfile
  // pins the SDK and package.json states the Node range, so the warning would only bury the CLIs' output.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // Keep-alive sockets over HTTP/1.1: plain-HTTP local servers fail the SDK's HTTP/2 default.
  const requestHandler = new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
  });
  if (!endpoint) return { region, maxAttempts, requestHandler };
  return {
    endpoint,
    region: region ?? LOCAL_REGION,
    maxAttempts,
    requestHandler,
    credentials: LOCAL_CREDENTIALS,
  };
}

export function kinesisClient(target: ClientTarget = {}): KinesisClient {
  return new KinesisClient(clientConfig(target));
}

/** Loaded on first use: the Athena SDK costs the producer ~140 ms of start-up it never needs. */
export async function athenaClient(target: ClientTarget = {}): Promise<AthenaClient> {
  const { AthenaClient } = await import('@aws-sdk/client-athena');
  return new AthenaClient(clientConfig(target));
}
