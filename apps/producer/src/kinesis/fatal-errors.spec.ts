import type { ErrorCode, LakehouseError } from '@lakehouse/runtime';
import { describe, expect, it } from 'vitest';
import { deadLetterError, fatalError, shardMapError, unexpectedSendError } from './fatal-errors';

const cause = new Error('as the SDK threw it');
const fileError = Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST' });

describe('the messages of the errors that stop sending', () => {
  it.each<[string, () => LakehouseError, ErrorCode, string]>([
    [
      'PutRecords: the stream is gone',
      () => fatalError('resource', 'ResourceNotFoundException', 'events', cause),
      'missing',
      'stream "events" failed while sending (ResourceNotFoundException): it was deleted or is being changed; check it and send the dead-letter file again',
    ],
    [
      'PutRecords: credentials refused',
      () => fatalError('credentials', 'ExpiredTokenException', 'events', cause),
      'credentials',
      'the credentials were refused while sending (ExpiredTokenException): check AWS_PROFILE and the kinesis:PutRecords permission, then send the dead-letter file again',
    ],
    [
      'PutRecords: the endpoint gone (after the retries)',
      () => fatalError('unreachable', 'ECONNREFUSED', 'events', cause),
      'unreachable',
      "the stream's endpoint could not be reached while sending (ECONNREFUSED); send the dead-letter file again",
    ],
    [
      'PutRecords: anything else no retry fixes',
      () => fatalError('fatal', 'ValidationException', 'events', cause),
      'dead-lettered',
      'PutRecords failed with ValidationException, which no retry can fix; the records are in the dead-letter file',
    ],
    [
      'ListShards refused, with --aggregate',
      () => shardMapError('credentials', 'AccessDeniedException', 'events', cause),
      'credentials',
      '--aggregate needs the shard map, and listing the shards of stream "events" was refused (AccessDeniedException): allow kinesis:ListShards, or send without --aggregate',
    ],
    [
      'ListShards: the stream is gone, as PutRecords would say',
      () => shardMapError('resource', 'ResourceNotFoundException', 'events', cause),
      'missing',
      'stream "events" failed while sending (ResourceNotFoundException): it was deleted or is being changed; check it and send the dead-letter file again',
    ],
    [
      'the dead-letter file cannot be written: its errno code',
      () => deadLetterError('/tmp/dl.ndjson', 12, fileError),
      'unexpected',
      'cannot write the dead-letter file /tmp/dl.ndjson (EEXIST): 12 records were neither delivered nor saved',
    ],
    [
      'the dead-letter file cannot be written: no errno code, the message',
      () => deadLetterError('/tmp/dl.ndjson', 3, new Error('disk on fire')),
      'unexpected',
      'cannot write the dead-letter file /tmp/dl.ndjson (disk on fire): 3 records were neither delivered nor saved',
    ],
    ['a bug in the loop', () => unexpectedSendError(new TypeError('x is undefined')), 'unexpected', 'unexpected error while sending: x is undefined'],
  ])('%s', (_label, make, code, message) => {
    const error = make();
    expect({ code: error.code, message: error.message }).toEqual({ code, message });
    expect(error.cause).toBeInstanceOf(Error); // --verbose prints it
  });
});
