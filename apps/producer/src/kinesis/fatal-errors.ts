import type { AwsErrorKind } from '@lakehouse/aws';
import { LakehouseError } from '@lakehouse/runtime';

/** What a fatal PutRecords error means for the user, by kind. */
export function fatalError(kind: AwsErrorKind, code: string, streamName: string, cause: unknown): LakehouseError {
  switch (kind) {
    case 'resource':
      return new LakehouseError(
        'missing',
        `stream "${streamName}" failed while sending (${code}): it was deleted or is being changed; check it and send the dead-letter file again`,
        { cause },
      );
    case 'credentials':
      return new LakehouseError(
        'credentials',
        `the credentials were refused while sending (${code}): check AWS_PROFILE and the kinesis:PutRecords permission, then send the dead-letter file again`,
        { cause },
      );
    case 'unreachable':
      return new LakehouseError('unreachable', `the stream's endpoint could not be reached while sending (${code}); send the dead-letter file again`, {
        cause,
      });
    default:
      return new LakehouseError('dead-lettered', `PutRecords failed with ${code}, which no retry can fix; the records are in the dead-letter file`, { cause });
  }
}

/** A ListShards failure at the start: what it means for the user. */
export function shardMapError(kind: AwsErrorKind, code: string, streamName: string, cause: unknown): LakehouseError {
  if (code === 'AccessDeniedException') {
    return new LakehouseError(
      'credentials',
      `--aggregate needs the shard map, and listing the shards of stream "${streamName}" was refused (${code}): allow kinesis:ListShards, or send without --aggregate`,
      { cause },
    );
  }
  return fatalError(kind, code, streamName, cause);
}

/** Records that could be neither delivered nor written to the dead-letter file: nothing else may be sent. */
export function deadLetterError(path: string, records: number, cause: unknown): LakehouseError {
  const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
  return new LakehouseError('unexpected', `cannot write the dead-letter file ${path} (${code}): ${records} records were neither delivered nor saved`, {
    cause,
  });
}

/** A bug in the PutRecords loop: it stops the run. */
export function unexpectedSendError(cause: unknown): LakehouseError {
  return new LakehouseError('unexpected', `unexpected error while sending: ${(cause as Error).message}`, { cause });
}
