import { describe, expect, it } from 'vitest';
import { classifyAwsError, isRetriable } from './errors';

const aws = (name: string, status: number) => Object.assign(new Error('m'), { name, $metadata: { httpStatusCode: status } });
const socket = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('classifyAwsError: what to do about a failed AWS call', () => {
  it.each([
    [aws('ProvisionedThroughputExceededException', 400), 'retriable', 'ProvisionedThroughputExceededException'],
    [aws('InternalFailure', 500), 'retriable', 'InternalFailure'],
    [aws('KinesisServiceException', 502), 'retriable', 'HTTP 502'],
    [aws('KinesisServiceException', 503), 'retriable', 'HTTP 503'],
    [aws('ServiceUnavailable', 503), 'retriable', 'ServiceUnavailable'],
    [socket('ECONNRESET'), 'retriable', 'ECONNRESET'],
    [socket('EPIPE'), 'retriable', 'EPIPE'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'retriable', 'ECONNRESET'],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'unreachable', 'TimeoutError'],
    [socket('ECONNREFUSED'), 'unreachable', 'ECONNREFUSED'],
    [socket('ENOTFOUND'), 'unreachable', 'ENOTFOUND'],
    [aws('ResourceNotFoundException', 400), 'resource', 'ResourceNotFoundException'],
    [aws('ResourceInUseException', 400), 'resource', 'ResourceInUseException'],
    [aws('ThrottlingException', 400), 'retriable', 'ThrottlingException'],
    [aws('UnrecognizedClientException', 400), 'credentials', 'UnrecognizedClientException'],
    [aws('ExpiredTokenException', 400), 'credentials', 'ExpiredTokenException'],
    [aws('AccessDeniedException', 400), 'credentials', 'AccessDeniedException'],
    [Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }), 'credentials', 'CredentialsProviderError'],
    [aws('ValidationException', 400), 'fatal', 'ValidationException'],
    [aws('InvalidArgumentException', 400), 'fatal', 'InvalidArgumentException'],
  ])('%s -> %s (%s)', (error, kind, code) => {
    expect(classifyAwsError(error)).toEqual({ kind, code });
  });

  it.each([
    ['retriable', true],
    ['unreachable', true],
    ['resource', false],
    ['credentials', false],
    ['fatal', false],
  ] as const)('%s is retried during a run: %s', (kind, retried) => {
    expect(isRetriable(kind)).toBe(retried);
  });
});
