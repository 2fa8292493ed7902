import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { classifyAwsError } from '@lakehouse/aws';

// What opening a target needs of the SDK, in one module the producer loads only when it sends.
export { kinesisClient, readStackOutputs } from '@lakehouse/aws';
import { LakehouseError } from '@lakehouse/runtime';

/** Where records go, as the messages name it. */
export interface DestinationDescription {
  kind: 'aws' | 'endpoint' | 'running-lake' | 'embedded';
  /** `http://127.0.0.1:4567` or `AWS (eu-west-1)`. */
  label: string;
}

const NOT_FOUND_HINTS: Record<DestinationDescription['kind'], string> = {
  aws: 'deploy it with "nx run infra:deploy" or pass --stream NAME',
  endpoint: 'create it there or pass --stream NAME',
  // Its environment was checked against --env already: a stream it lacks was deleted under it (or --stream names another).
  'running-lake': 'it was deleted from the running lake:up, or --stream names another; restart the lake:up to create it again',
  embedded: 'the embedded lakehouse serves another stream; check --stream',
};

const UNREACHABLE_HINTS: Record<DestinationDescription['kind'], string> = {
  aws: 'check the network and AWS_REGION',
  endpoint: 'start the server or fix --endpoint',
  'running-lake': 'start it with "nx run lake:up"',
  embedded: 'start it with "nx run lake:up"',
};

/** Streams that take writes: an UPDATING stream (resharding) still does. */
const WRITABLE = new Set(['ACTIVE', 'UPDATING']);

/** A failed DescribeStreamSummary as one line that says what to do; a refused permission is only a note. */
function describeFailure(error: unknown, streamName: string, target: DestinationDescription): LakehouseError | string {
  const { kind, code } = classifyAwsError(error);
  const where = target.label;
  if (code === 'AccessDeniedException') return `cannot check stream "${streamName}" (no kinesis:DescribeStreamSummary permission); sending anyway`;
  if (kind === 'resource')
    return new LakehouseError('missing', `stream "${streamName}" not found at ${where}: ${NOT_FOUND_HINTS[target.kind]}`, { cause: error });
  if (kind === 'unreachable') return new LakehouseError('unreachable', `cannot reach ${where} (${code}): ${UNREACHABLE_HINTS[target.kind]}`, { cause: error });
  if (code === 'CredentialsProviderError') {
    return new LakehouseError(
      'credentials',
      'no AWS credentials found: set AWS_PROFILE (and run "aws sso login" if it uses SSO) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      { cause: error },
    );
  }
  if (kind === 'credentials')
    return new LakehouseError('credentials', `${where} refused the credentials (${code}): check AWS_PROFILE and AWS_REGION, or run "aws sso login"`, {
      cause: error,
    });
  if (/region is missing/i.test(code))
    return new LakehouseError('credentials', 'no AWS region: set AWS_REGION, or a region in your AWS_PROFILE', { cause: error });
  return new LakehouseError('unexpected', `checking stream "${streamName}" at ${where} failed (${code}); run again with --verbose for details`, {
    cause: error,
  });
}

/**
 * Checks, before any record is generated, that the stream exists, takes writes, and that the endpoint and
 * credentials work, turning each failure into one line that says what to do. Returns a note when the
 * check itself isn't allowed (a role with PutRecords but not DescribeStreamSummary), and sending goes on.
 */
export async function checkStream(client: Pick<KinesisClient, 'send'>, streamName: string, target: DestinationDescription): Promise<string | undefined> {
  let status: string | undefined;
  try {
    const output = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    status = output.StreamDescriptionSummary?.StreamStatus;
  } catch (error) {
    const failure = describeFailure(error, streamName, target);
    if (typeof failure === 'string') return failure;
    throw failure;
  }
  if (!status || !WRITABLE.has(status)) {
    throw new LakehouseError(
      'missing',
      `stream "${streamName}" at ${target.label} is ${status ?? 'in an unknown state'}, not ACTIVE: wait until it is ACTIVE, then run again`,
    );
  }
  return undefined;
}
